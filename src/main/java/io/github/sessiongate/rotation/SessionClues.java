package io.github.sessiongate.rotation;

import java.time.Instant;
import java.util.Optional;

/**
 * What a request tells about its session besides the access token, for the session markers
 * ({@link SessionMarkers}): the provider's {@code sid} and {@code sub} from the sealed
 * provider-facts cookie, and the first login its lifetime meta cookie records. The first two are
 * read before any verdict (to look the markers up in the request's one round trip) and count only
 * once {@link #boundTo} confirms they belong to the validated session's subject, so a facts cookie
 * planted next to another user's session revokes nothing of theirs.
 */
public interface SessionClues {
    /** The provider session id the facts cookie states (not yet bound to any session). */
    Optional<String> sid();

    /** The provider subject the facts cookie states (not yet bound to any session). */
    Optional<String> subject();

    /** Whether the facts cookie was written for a session of {@code sessionSubject}. */
    boolean boundTo(String sessionSubject);

    /** The first login the meta cookie records for a live session of {@code sessionSubject}, if any. */
    Optional<Instant> authenticatedAt(String sessionSubject);

    /** A request that tells nothing besides its token (a bearer request, a token of the filter's own). */
    SessionClues NONE = new SessionClues() {
        @Override
        public Optional<String> sid() {
            return Optional.empty();
        }

        @Override
        public Optional<String> subject() {
            return Optional.empty();
        }

        @Override
        public boolean boundTo(String sessionSubject) {
            return false;
        }

        @Override
        public Optional<Instant> authenticatedAt(String sessionSubject) {
            return Optional.empty();
        }
    };
}
