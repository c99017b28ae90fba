package io.github.sessiongate.cookie;

/**
 * The token strings this process already holds (the validation cache's keys): a cookie value equal
 * to one of them is read as that string, so a warm request never copies its token out of the
 * {@code Cookie} header. An interning, not a verdict: the value is then validated as any other.
 * Must be thread-safe.
 */
@FunctionalInterface
public interface HeldTokens {
    /** Reads no token: every value is copied out of the header. */
    HeldTokens NONE = (source, from, to) -> null;

    /**
     * The held string equal to {@code source[from, to)}, every character compared; {@code null} when
     * none is held.
     */
    String equalTo(String source, int from, int to);
}
