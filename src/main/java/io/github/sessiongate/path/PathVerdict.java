package io.github.sessiongate.path;

import java.util.Objects;

/**
 * What {@link RequestPaths#check} decided about one request: either accepted, with the normalised
 * path that every later rule must use, or rejected, with a fixed short reason that is safe to log
 * (it never quotes the request).
 *
 * <p>Immutable and thread-safe.
 */
public final class PathVerdict {
    private final String path;
    private final String reason;

    private PathVerdict(String path, String reason) {
        this.path = path;
        this.reason = reason;
    }

    /** The request passed; {@code path} is the decoded, normalised servlet path + path info. */
    public static PathVerdict accepted(String path) {
        return new PathVerdict(Objects.requireNonNull(path, "path"), null);
    }

    /** The request must be refused; {@code reason} is a fixed text such as "encoded slash". */
    public static PathVerdict rejected(String reason) {
        return new PathVerdict(null, Objects.requireNonNull(reason, "reason"));
    }

    /** Whether the request passed. */
    public boolean isAccepted() {
        return path != null;
    }

    /**
     * The normalised path to match rules against.
     *
     * @throws IllegalStateException if the request was rejected
     */
    public String path() {
        if (path == null) {
            throw new IllegalStateException("rejected request has no path (" + reason + ")");
        }
        return path;
    }

    /**
     * Why the request was rejected: a fixed short text, safe to log.
     *
     * @throws IllegalStateException if the request was accepted
     */
    public String reason() {
        if (reason == null) {
            throw new IllegalStateException("accepted request has no rejection reason");
        }
        return reason;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PathVerdict v && Objects.equals(path, v.path) && Objects.equals(reason, v.reason);
    }

    @Override
    public int hashCode() {
        return Objects.hash(path, reason);
    }

    @Override
    public String toString() {
        return path != null ? "PathVerdict[accepted " + path + "]" : "PathVerdict[rejected: " + reason + "]";
    }
}
