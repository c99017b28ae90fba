package io.github.sessiongate;

import java.util.Objects;

/**
 * What a {@link TokenValidator} concluded about one token. Exactly one of four outcomes, so the
 * filter's decision is a switch over {@link #kind()} that the compiler checks for completeness.
 *
 * <ul>
 *   <li>{@link Valid}: the token proves a {@link Session}.</li>
 *   <li>{@link Expired}: well-formed and genuine, but past its expiry: worth a refresh.</li>
 *   <li>{@link Invalid}: definitively refused, for a {@link Reason}.</li>
 *   <li>{@link Unavailable}: no verdict, because a backend or key source failed; transient, so
 *       nothing may be cleared.</li>
 * </ul>
 */
public sealed interface ValidationResult {

    /** The four outcomes. */
    enum Kind { VALID, EXPIRED, INVALID, UNAVAILABLE }

    /** Why a token was refused. Fixed, token-free descriptions for logs and audits. */
    enum Reason {
        MALFORMED,
        BAD_SIGNATURE,
        DISALLOWED_ALGORITHM,
        UNKNOWN_KEY,
        NOT_YET_VALID,
        LIFETIME_TOO_LONG,
        ISSUED_IN_FUTURE,
        WRONG_ISSUER,
        WRONG_AUDIENCE,
        MISSING_CLAIM,
        NO_SUBJECT,
        WRONG_TOKEN_TYPE,
        REJECTED_BY_BACKEND,
        /** Signed out on this node (logout, or a refusal of its session's refresh token). */
        REVOKED
    }

    Kind kind();

    static ValidationResult valid(Session session) {
        return new Valid(session);
    }

    static ValidationResult expired() {
        return Expired.INSTANCE;
    }

    /**
     * Expired, but no longer ago than the validator's allowed clock skew: the filter refreshes at
     * once, and uses {@code lapsed} only when no refresh is possible (no refresh token, or the
     * backend cannot say). Clock skew thus widens acceptance only where nothing better exists.
     */
    static ValidationResult expired(Session lapsed) {
        return new Expired(Objects.requireNonNull(lapsed, "lapsed"));
    }

    static ValidationResult invalid(Reason reason) {
        return new Invalid(reason);
    }

    /**
     * Refused, with a detail for the audit log saying what was expected and what the token had
     * (e.g. {@code expected "https://a", got "https://b"}). Only from a token whose signature
     * verified (or a backend's own answer); never a token, signature or secret; never sent in an
     * HTTP answer. Build it only on refusal: the valid path allocates nothing for it.
     *
     * @param detail the detail, or {@code null} for none
     */
    static ValidationResult invalid(Reason reason, String detail) {
        return new Invalid(reason, detail);
    }

    static ValidationResult unavailable(String cause) {
        return new Unavailable(cause);
    }

    /** The token proves this session. */
    record Valid(Session session) implements ValidationResult {
        public Valid {
            Objects.requireNonNull(session, "session");
        }

        @Override
        public Kind kind() {
            return Kind.VALID;
        }
    }

    /**
     * Genuine but expired.
     *
     * @param lapsed the session the token proved, when it expired within the clock skew; else {@code null}
     */
    record Expired(Session lapsed) implements ValidationResult {
        static final Expired INSTANCE = new Expired(null);

        /** The session, if the token expired no longer ago than the allowed clock skew. */
        public java.util.Optional<Session> lapsedWithinSkew() {
            return java.util.Optional.ofNullable(lapsed);
        }

        @Override
        public Kind kind() {
            return Kind.EXPIRED;
        }
    }

    /**
     * Definitively refused. Two refusals are equal when their reasons are: the detail is commentary
     * for the audit log, not part of the verdict.
     *
     * @param detail what was expected and what the token had, for the audit log only; {@code null} for none
     */
    record Invalid(Reason reason, String detail) implements ValidationResult {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }

        /** Refused without a detail. */
        public Invalid(Reason reason) {
            this(reason, null);
        }

        @Override
        public Kind kind() {
            return Kind.INVALID;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Invalid i && i.reason == reason;
        }

        @Override
        public int hashCode() {
            return reason.hashCode();
        }

        @Override
        public String toString() {
            return "Invalid[reason=" + reason + "]"; // the detail stays in the audit log
        }
    }

    /**
     * No verdict: the backend or key source could not be reached or answered nonsense.
     *
     * @param cause a short description for logs; must not contain the token
     */
    record Unavailable(String cause) implements ValidationResult {
        public Unavailable {
            Objects.requireNonNull(cause, "cause");
        }

        @Override
        public Kind kind() {
            return Kind.UNAVAILABLE;
        }
    }
}
