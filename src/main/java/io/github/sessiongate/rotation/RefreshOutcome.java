package io.github.sessiongate.rotation;

import io.github.sessiongate.Session;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.ValidationResult;
import java.util.Objects;

/**
 * What a refresh attempt means for the request that made it.
 *
 * @param kind the outcome
 * @param tokens the new pair, for {@link Kind#ROTATED}
 * @param session the session the new access token proves, for {@link Kind#ROTATED}
 * @param cause a short description for logs, for {@link Kind#UNAVAILABLE}; never a token
 * @param via how this request got the outcome
 * @param refusal for {@link Kind#UNAVAILABLE} only: the validator's refusal of the access token the
 *     backend has just minted (a configuration error, not an outage); else {@code null}
 */
public record RefreshOutcome(Kind kind, TokenPair tokens, Session session, String cause, Via via,
        ValidationResult.Invalid refusal) {

    /** The outcomes. */
    public enum Kind {
        /** New tokens, already validated: write them and continue. */
        ROTATED,
        /** The backend definitively refused the refresh token: clear cookies. */
        REFUSED,
        /** No verdict: clear nothing. */
        UNAVAILABLE,
        /** The validator cannot refresh. */
        UNSUPPORTED
    }

    /** How the outcome reached this request. */
    public enum Via {
        /** This request called the backend. */
        CALLED,
        /** Another request's call in flight was shared. */
        SHARED,
        /** The grace memo answered; no backend call. */
        GRACE,
        /** The token (in some spelling) was tombstoned at a logout or refusal; no backend call. */
        TOMBSTONE
    }

    public RefreshOutcome {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(via, "via");
    }

    /** An outcome without a refusal of the refreshed token. */
    public RefreshOutcome(Kind kind, TokenPair tokens, Session session, String cause, Via via) {
        this(kind, tokens, session, cause, via, null);
    }

    static RefreshOutcome rotated(TokenPair tokens, Session session, Via via) {
        return new RefreshOutcome(Kind.ROTATED, Objects.requireNonNull(tokens), Objects.requireNonNull(session), null, via);
    }

    static RefreshOutcome refused(Via via) {
        return new RefreshOutcome(Kind.REFUSED, null, null, null, via);
    }

    static RefreshOutcome unavailable(String cause, Via via) {
        return new RefreshOutcome(Kind.UNAVAILABLE, null, null, cause, via);
    }

    /**
     * The backend rotated, but the validator refuses the new access token: no verdict for the
     * request (nothing cleared: a key the JWKS cache has not seen yet refuses too), named as what it is.
     */
    static RefreshOutcome refreshedTokenRefused(ValidationResult.Invalid refusal, Via via) {
        return new RefreshOutcome(Kind.UNAVAILABLE, null, null, "the validator refuses the refreshed access token ("
                + refusal.reason() + ")", via, Objects.requireNonNull(refusal, "refusal"));
    }

    static RefreshOutcome unsupported() {
        return new RefreshOutcome(Kind.UNSUPPORTED, null, null, null, Via.CALLED);
    }

    /** Returns the same outcome marked as shared from another request's call. */
    RefreshOutcome shared() {
        return via == Via.CALLED ? new RefreshOutcome(kind, tokens, session, cause, Via.SHARED, refusal) : this;
    }

    @Override
    public String toString() {
        return "RefreshOutcome[" + kind + ", via " + via + (cause == null ? "" : ", " + cause) + "]";
    }
}
