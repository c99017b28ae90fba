package io.github.sessiongate.engine;

import io.github.sessiongate.Session;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What the {@link Resolver} decided for one request, as a value: a switch over it is the decision
 * table. The {@link SessionWriter} applies it to the response; nothing is written while deciding.
 */
sealed interface Resolution {

    /** The session the request carries on with (user or guest), or {@code null} for none. */
    Session sessionOrNull();

    /** What became of a refresh this request made while resolving: a second one would double its effects. */
    Refresh refresh();

    /** Whether no verdict could be had (validator or backend unavailable): answer 503 where a session is needed. */
    default boolean noVerdict() {
        return false;
    }

    /** Whether this resolution rotated the tokens (new tokens are to be written). */
    default boolean rotated() {
        return false;
    }

    /** What a refresh made while resolving came to. */
    enum Refresh {
        /** No refresh was attempted. */
        NONE,
        /** New tokens and the lifetime cookie are to be written in one go. */
        ROTATED,
        /** The chain is over (refused, signed out meanwhile, lifetime over, no lifetime record). */
        ENDED,
        /** A refusal that could not be recorded (a security store is full): no session, nothing cleared, 503. */
        FAILED_CLOSED,
        /** No verdict (backend unavailable, cookies over budget): nothing cleared. */
        UNAVAILABLE,
        /**
         * No verdict: the backend rotated, but the validator refuses the new access token (audited
         * as {@code invalid_token}, a configuration error). Nothing cleared, as for {@link #UNAVAILABLE}.
         */
        REFRESHED_TOKEN_REFUSED,
        /** The validator cannot refresh. */
        UNSUPPORTED
    }

    /**
     * A session, with the cookie update that goes with it.
     *
     * @param ifUnwritable what the request resolves to when {@code write} does not fit the cookie
     *     budget; asked only then (deciding it may end a chain, which has store side effects)
     */
    record Authenticated(Session session, CookieWrite write, Refresh refresh, Supplier<Resolution> ifUnwritable)
            implements Resolution {
        public Authenticated {
            Objects.requireNonNull(session, "session");
            Objects.requireNonNull(write, "write");
            Objects.requireNonNull(refresh, "refresh");
            Objects.requireNonNull(ifUnwritable, "ifUnwritable");
        }

        /** A session with nothing to write. */
        static Authenticated as(Session session, Refresh refresh) {
            return new Authenticated(session, CookieWrite.NONE, refresh, () -> {
                throw new IllegalStateException("nothing to write cannot fail");
            });
        }

        @Override
        public Session sessionOrNull() {
            return session;
        }

        @Override
        public boolean rotated() {
            return refresh == Refresh.ROTATED;
        }
    }

    /** No session, not an error: the request goes on anonymous, with what (if anything) to clear or write. */
    record Anonymous(CookieWrite write, Refresh refresh) implements Resolution {
        static final Anonymous PLAIN = new Anonymous(CookieWrite.NONE, Refresh.NONE);

        public Anonymous {
            Objects.requireNonNull(write, "write");
            Objects.requireNonNull(refresh, "refresh");
        }

        @Override
        public Session sessionOrNull() {
            return null;
        }
    }

    /** No verdict could be had: no session, nothing cleared or written. */
    record NoVerdict(Refresh refresh) implements Resolution {
        public NoVerdict {
            Objects.requireNonNull(refresh, "refresh");
        }

        @Override
        public Session sessionOrNull() {
            return null;
        }

        @Override
        public boolean noVerdict() {
            return true;
        }
    }

    /**
     * A definitive end: no session; the session cookies cleared (never for a bearer request), with
     * the reason and the token the audit line fingerprints. A refusal clears what the request carried
     * ({@code everyName} false); a logout ({@code everyName} true) also the canonical names it did not carry.
     */
    record Ended(String reason, String fingerprintOf, boolean clearCookies, Refresh refresh, boolean everyName)
            implements Resolution {
        public Ended {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(refresh, "refresh");
        }

        /** A refusal's end: clears only the session cookies the request carried. */
        Ended(String reason, String fingerprintOf, boolean clearCookies, Refresh refresh) {
            this(reason, fingerprintOf, clearCookies, refresh, false);
        }

        @Override
        public String toString() {
            return "Ended[" + reason + ", token=[PROTECTED], clearCookies=" + clearCookies + ", " + refresh + "]";
        }

        @Override
        public Session sessionOrNull() {
            return null;
        }
    }

    /** A cookie update on the response. Token values are raw here; the writer seals them when configured. */
    sealed interface CookieWrite {
        /** Nothing to write. */
        CookieWrite NONE = new Nothing();

        /** Nothing to write. */
        record Nothing() implements CookieWrite { }

        /**
         * Tokens and (when not {@code null}) the lifetime cookie, in one write and one size check.
         *
         * @param replacing a login: the new tokens replace the request's whole session (a refresh
         *     cookie it carried is cleared when no new refresh token comes)
         */
        record Tokens(String access, String refresh, Duration maxAge, String lifetime, boolean replacing)
                implements CookieWrite {
            public Tokens {
                Objects.requireNonNull(access, "access");
            }

            @Override
            public String toString() {
                return "Tokens[access=[PROTECTED], refresh=" + (refresh == null ? "none" : "[PROTECTED]") + ", maxAge="
                        + maxAge + ", lifetime=" + (lifetime == null ? "unchanged" : "[PROTECTED]") + ", replacing="
                        + replacing + "]";
            }
        }

        /** The lifetime cookie alone. */
        record Lifetime(String value) implements CookieWrite {
            public Lifetime {
                Objects.requireNonNull(value, "value");
            }

            @Override
            public String toString() {
                return "Lifetime[[PROTECTED]]";
            }
        }

        /** A new guest token; {@code clearFirst} clears a refused guest cookie before. */
        record Guest(String token, Duration maxAge, boolean clearFirst) implements CookieWrite {
            public Guest {
                Objects.requireNonNull(token, "token");
            }

            @Override
            public String toString() {
                return "Guest[token=[PROTECTED], maxAge=" + maxAge + ", clearFirst=" + clearFirst + "]";
            }
        }

        /** Clears the guest cookie only (its token was refused). */
        record ClearGuest() implements CookieWrite { }

        /**
         * Clears the session cookies, with the audit line's reason and the token it fingerprints:
         * every one the request carried (chunks and the other prefix form included) and, when
         * {@code everyName} (a logout), the canonical names of every configured kind too.
         */
        record ClearAll(String reason, String fingerprintOf, boolean everyName) implements CookieWrite {
            public ClearAll {
                Objects.requireNonNull(reason, "reason");
            }

            /**
             * A refusal's clearing: only what the request carried, one {@code Set-Cookie} per session
             * cookie it carried; a name it did not carry is no cookie this browser sends here.
             */
            ClearAll(String reason, String fingerprintOf) {
                this(reason, fingerprintOf, false);
            }

            @Override
            public String toString() {
                return "ClearAll[" + reason + ", token=[PROTECTED]]";
            }
        }
    }
}
