package io.github.sessiongate.engine;

import io.github.sessiongate.AuditEvent.Event;
import io.github.sessiongate.Session;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.audit.AuditLog;
import io.github.sessiongate.audit.GateMetrics;
import io.github.sessiongate.cookie.CookieSeal;
import io.github.sessiongate.engine.Resolution.Anonymous;
import io.github.sessiongate.engine.Resolution.Authenticated;
import io.github.sessiongate.engine.Resolution.CookieWrite;
import io.github.sessiongate.engine.Resolution.Ended;
import io.github.sessiongate.engine.Resolution.NoVerdict;
import io.github.sessiongate.engine.Resolution.Refresh;
import io.github.sessiongate.guest.GuestTokens;
import io.github.sessiongate.internal.RateLimitedWarning;
import io.github.sessiongate.lifetime.SessionLifetime;
import io.github.sessiongate.rotation.RefreshOutcome;
import io.github.sessiongate.rotation.Refresher;
import io.github.sessiongate.rotation.SessionClues;
import io.github.sessiongate.rotation.Validations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides a request's session from what it presents: validates the access token, enforces the
 * server-side lifetime, refreshes in place when allowed and needed, and returns the decision as a
 * {@link Resolution}; it writes nothing to the response. The store side effects a decision needs
 * happen here, each in one named place: counting and auditing, revoking the presented token on a
 * refusal ({@link #applyRefresh}), discarding tokens a rotation must not hand out, and forgetting
 * the tokens of an ended chain ({@link #end}). Thread-safe.
 */
final class Resolver {
    private static final Logger LOG = LoggerFactory.getLogger(FilterEngine.LOG_NAME);

    /** Where a request comes from, for audit lines and logs: a request's {@link Exchange} is one. */
    interface Where {
        String path();

        String client();

        /** A place given by its parts, without an exchange. */
        static Where of(String path, String client) {
            return new Place(path, client);
        }
    }

    /** {@link Where#of}. */
    private record Place(String path, String client) implements Where { }

    private final Validations validations;
    private final Refresher refresher;
    private final Optional<SessionLifetime> lifetime;
    private final Optional<GuestTokens> guests;
    private final AuditLog audit;
    private final GateMetrics metrics;
    private final Duration refreshAhead;
    private final Clock clock;
    private final Runnable securityStoreFull;
    /** Opens the provider-facts cookie for the session markers; empty when that cookie is not configured. */
    private final Optional<CookieSeal> factsSeal;
    private final RateLimitedWarning refreshedTokenRefusedWarning;

    /**
     * @param securityStoreFull counts a full security store and warns; the caller fails closed
     */
    Resolver(Validations validations, Refresher refresher, Optional<SessionLifetime> lifetime,
            Optional<GuestTokens> guests, AuditLog audit, GateMetrics metrics, Duration refreshAhead, Clock clock,
            Runnable securityStoreFull) {
        this(validations, refresher, lifetime, guests, audit, metrics, refreshAhead, clock, securityStoreFull, Optional.empty());
    }

    /**
     * @param factsSeal opens the provider-facts cookie (its {@code sid} and {@code sub} name the
     *     session's markers); empty when that cookie is not configured
     */
    Resolver(Validations validations, Refresher refresher, Optional<SessionLifetime> lifetime,
            Optional<GuestTokens> guests, AuditLog audit, GateMetrics metrics, Duration refreshAhead, Clock clock,
            Runnable securityStoreFull, Optional<CookieSeal> factsSeal) {
        this.factsSeal = Objects.requireNonNull(factsSeal, "factsSeal");
        this.validations = Objects.requireNonNull(validations, "validations");
        this.refresher = Objects.requireNonNull(refresher, "refresher");
        this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
        this.guests = Objects.requireNonNull(guests, "guests");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.refreshAhead = Objects.requireNonNull(refreshAhead, "refreshAhead");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.securityStoreFull = Objects.requireNonNull(securityStoreFull, "securityStoreFull");
        this.refreshedTokenRefusedWarning = new RateLimitedWarning(LOG, clock, Duration.ofMinutes(1),
                "The validator refuses the access token the refresh has just minted ({}; the audit log's invalid_token"
                + " line says what was expected): the token endpoint and the validator's settings (issuer, audience,"
                + " keys) disagree; affected requests answer 503 and keep their cookies");
    }

    /** Each refusal reason as the audit line spells it (lower case), made once rather than per junk token. */
    private static final String[] REASONS = java.util.Arrays.stream(ValidationResult.Reason.values())
            .map(r -> r.name().toLowerCase(Locale.ROOT)).toArray(String[]::new);

    /**
     * A refusal as the audit line gives it: the reason in lower case, then the validator's detail
     * if it has one ({@code wrong_issuer: expected "https://a", got "https://b"}); concatenated on
     * refusals with a detail only.
     */
    static String reasonText(ValidationResult.Invalid invalid) {
        String reason = REASONS[invalid.reason().ordinal()];
        return invalid.detail() == null ? reason : reason + ": " + invalid.detail();
    }

    /** An invalid token's cookies cleared, its fingerprint left out (the audit records nothing): made once. */
    private static final Anonymous INVALID_CLEARED = new Anonymous(new CookieWrite.ClearAll("invalid token", null), Refresh.NONE);

    /** Validates and decides in one call: {@link #validate} then {@link #resolve(Credentials, ValidationResult, boolean, Where)}. */
    Resolution resolve(Credentials credentials, boolean refreshAllowed, Where where) {
        return resolve(credentials, validate(credentials, where), refreshAllowed, where);
    }

    /**
     * The presented access token's validation result (counted; an invalid one audited), or
     * {@code null} when the request presents none.
     */
    ValidationResult validate(Credentials credentials, Where where) {
        ValidationResult result;
        ValidationResult.Reason onSight = credentials.refusedOnSight();
        if (onSight != null) {
            result = count(Validations.refusedOnSight(onSight)); // junk, refused before it was copied
        } else {
            String token = credentials.token();
            if (token == null) {
                return null;
            }
            result = count(validations.validate(token, clues(credentials), credentials.passedSight()));
        }
        if (result instanceof ValidationResult.Invalid invalid) {
            metrics.tokenRefused(invalid.reason());
            audit.record(Event.INVALID_TOKEN, reasonText(invalid), where.path(), where.client(), credentials.tokenFor(audit));
        } else if (result instanceof ValidationResult.Unavailable u) {
            LOG.debug("no verdict on {}: {}", where.path(), u.cause());
        }
        return result;
    }

    /**
     * Decides the session of a request whose access token validated to {@code result}.
     *
     * @param result the presented access token's validation result, {@code null} for none
     * @param refreshAllowed whether this request may refresh (protected paths, endpoints, page
     *     navigations; never sub-resources of public pages)
     */
    Resolution resolve(Credentials credentials, ValidationResult result, boolean refreshAllowed, Where where) {
        if (result == Validations.SESSION_REVOKED) {
            return endRevoked(credentials, where);
        }
        // A token refused on sight stays in its header: here it is only ever fingerprinted for an audit line.
        String token = credentials.refusedOnSight() != null ? credentials.tokenFor(audit) : credentials.token();
        Session session = result instanceof ValidationResult.Valid v && !v.session().isGuest()
                ? v.session() : null; // a guest token in the access cookie is not a user's session
        boolean unavailable = result instanceof ValidationResult.Unavailable;

        // Server-enforced lifetime: past the idle or absolute limit, no refresh; sign in again.
        Optional<SessionLifetime> lt = lifetimeFor(credentials);
        SessionLifetime.Verdict life = null;
        if (lt.isPresent() && (credentials.presentsToken() || credentials.refreshToken() != null)) {
            life = lt.get().check(lifetimeRecord(credentials), session == null ? null : session.subject());
            if (life.mustSignIn()) {
                return end(credentials, "session lifetime over", Refresh.ENDED); // the refresh endpoint must not try again
            }
        }

        // Rotation in place. With a server-enforced lifetime, only a session whose lifetime
        // record is present and alive may refresh: dropping the lifetime cookie restarts nothing.
        String refreshToken = credentials.refreshToken();
        boolean refreshing = refreshToken != null && refreshAllowed && wantsRefresh(result, session);
        if (refreshing && lt.isPresent() && (life == null || life.kind() != SessionLifetime.Verdict.Kind.ALIVE)) {
            if (credentials.cookies().hasDuplicates()) {
                // A duplicated (perhaps planted) lifetime cookie reads as missing: no session, but
                // nothing cleared or forgotten; the real cookies work again once the planted ones go.
                return new Anonymous(CookieWrite.NONE, Refresh.ENDED);
            }
            return end(credentials, "no lifetime record to refresh with", Refresh.ENDED);
        }
        if (refreshing) {
            Session presented = session;
            SessionLifetime.Verdict checked = life;
            Supplier<Resolution> noVerdict = () -> {
                Session kept = presented != null ? presented : lapsedWithinSkew(token, result);
                return keepCurrent(credentials, checked, kept, kept == null, Refresh.UNAVAILABLE);
            };
            RefreshOutcome outcome = refresh(credentials);
            switch (outcome.kind()) {
                case ROTATED, REFUSED -> {
                    // Tokens and lifetime cookie to write, or cookies to clear, or 503 without a verdict;
                    // new tokens that do not fit the cookie budget give no verdict on the new session.
                    return applyRefresh(credentials, result, outcome, "rotated", where, noVerdict);
                }
                case UNAVAILABLE -> {
                    if (outcome.refusal() != null) {
                        refreshedTokenRefused(outcome, where, refreshToken);
                        Session kept = presented != null ? presented : lapsedWithinSkew(token, result);
                        return keepCurrent(credentials, checked, kept, kept == null, Refresh.REFRESHED_TOKEN_REFUSED);
                    }
                    LOG.debug("refresh on {} gave no verdict: {}", where.path(), outcome.cause());
                    return noVerdict.get();
                }
                case UNSUPPORTED -> {
                    LOG.debug("validator cannot refresh; {} continues without", where.path());
                    Session kept = presented != null ? presented : lapsedWithinSkew(token, result);
                    return keepCurrent(credentials, life, kept, unavailable, Refresh.UNSUPPORTED);
                }
                default -> throw new IllegalStateException(outcome.kind().name());
            }
        }
        if (result instanceof ValidationResult.Invalid && credentials.fromCookie() && refreshToken == null
                && !credentials.cookies().hasDuplicates()) {
            // Not with duplicated session cookies: the invalid value may be one a sibling domain
            // planted, and a host-only clearing header would remove the user's real cookie while
            // the planted one (set for a parent domain) stays. Ambiguity gives no session, never a sign-out.
            return token == null ? INVALID_CLEARED : new Anonymous(new CookieWrite.ClearAll("invalid token", token), Refresh.NONE);
        }
        if (session == null && refreshToken == null) {
            session = lapsedWithinSkew(token, result); // no refresh possible: the clock skew may serve
        }
        return keepCurrent(credentials, life, session, unavailable, Refresh.NONE);
    }

    /**
     * The session as it stands, with the lifetime cookie kept current: tokens and lifetime cookie
     * in one write (sliding expiry), else the lifetime cookie alone.
     */
    private Resolution keepCurrent(Credentials credentials, SessionLifetime.Verdict life, Session session,
            boolean unavailable, Refresh refresh) {
        if (session == null) {
            return unavailable ? new NoVerdict(refresh) : new Anonymous(CookieWrite.NONE, refresh);
        }
        Optional<SessionLifetime> lt = lifetimeFor(credentials);
        if (lt.isEmpty()) {
            return Authenticated.as(session, refresh);
        }
        String meta = lifetimeRecord(credentials);
        SessionLifetime.Verdict now = life != null && life.subjectChecked() ? life : lt.get().check(meta, session.subject());
        if (now.mustSignIn()) {
            return end(credentials, "session lifetime over", refresh);
        }
        // Only a login starts a lifetime record: valid tokens without one pass until they
        // expire, but start none (that would restart the absolute timeout) and cannot refresh.
        String nextMeta = now.kind() == SessionLifetime.Verdict.Kind.ALIVE
                ? lt.get().touch(meta, session.subject()).orElse(null) : null;
        if (nextMeta == null) {
            return Authenticated.as(session, refresh);
        }
        Duration slidingMaxAge = lt.get().slidingMaxAge(nextMeta).orElse(null);
        Authenticated metaAlone = new Authenticated(session, new CookieWrite.Lifetime(nextMeta), refresh,
                () -> Authenticated.as(session, refresh)); // a lifetime cookie over budget is logged; the session stands
        if (slidingMaxAge != null && credentials.fromCookie()) {
            // Tokens and lifetime cookie in one write, so one size check covers what the browser will keep.
            return new Authenticated(session, new CookieWrite.Tokens(credentials.token(), credentials.refreshToken(),
                    slidingMaxAge, nextMeta, false), refresh, () -> metaAlone);
        }
        return metaAlone;
    }

    /**
     * Decides on a refresh outcome this request obtained, the one way for every caller (rotation
     * in place, the explicit refresh endpoint). Rotated: checks the lifetime record, then (last,
     * just before the pair is handed out) that no logout ended the chain meanwhile; the tokens
     * and the lifetime cookie are then to be written together. Refused: revokes the presented
     * access token on this node when its signature verified (valid or expired; an unverified token
     * is junk and writes no security state), then ends the session. Unavailable: no verdict,
     * nothing cleared.
     *
     * @param presented the presented access token's validation result, {@code null} for none
     * @param reason how the audit line names a rotation ("rotated", "explicit")
     * @param ifUnwritable what the request resolves to when the new tokens do not fit the cookie budget
     */
    Resolution applyRefresh(Credentials credentials, ValidationResult presented, RefreshOutcome outcome, String reason,
            Where where, Supplier<Resolution> ifUnwritable) {
        String refreshToken = credentials.refreshToken();
        String token = credentials.token();
        switch (outcome.kind()) {
            case ROTATED -> {
                return rotated(credentials, outcome, reason, where, ifUnwritable);
            }
            case REFUSED -> {
                if (token != null && (presented instanceof ValidationResult.Valid
                        || presented instanceof ValidationResult.Expired)) {
                    // The chain is over (Refresher.end revoked what it minted): so is the token presented with it.
                    Instant exp = presented instanceof ValidationResult.Valid v ? v.session().expiresAt().orElse(null) : null;
                    if (!validations.revocations().revoke(token, exp)) {
                        securityStoreFull.run(); // fail closed transiently: a retry ends it all
                        audit.record(Event.UNAVAILABLE, "security store full", where.path(), where.client(), refreshToken);
                        return new NoVerdict(Refresh.FAILED_CLOSED);
                    }
                }
                return end(credentials, "refresh refused", Refresh.ENDED);
            }
            case UNAVAILABLE -> {
                if (outcome.refusal() != null) {
                    refreshedTokenRefused(outcome, where, refreshToken);
                    return new NoVerdict(Refresh.REFRESHED_TOKEN_REFUSED);
                }
                return new NoVerdict(Refresh.UNAVAILABLE);
            }
            default -> {
                return new Anonymous(CookieWrite.NONE, Refresh.UNSUPPORTED); // the caller says so; nothing to write
            }
        }
    }

    /**
     * The backend rotated, but the validator refuses the access token it minted: a configuration
     * error (issuer, audience, keys of the token endpoint and the validator disagree), so it is
     * audited as the refusal it is, with its reason and detail, and warned about once per minute;
     * never reported as an outage. The request gets no verdict (503 on a protected path, nothing
     * cleared): a key the JWKS cache has not fetched yet refuses the same way and passes once it
     * has, so the cookies stay, and the grace memo answers the retries without a backend call.
     */
    private void refreshedTokenRefused(RefreshOutcome outcome, Where where, String refreshToken) {
        String reason = reasonText(outcome.refusal());
        audit.record(Event.INVALID_TOKEN, "refreshed token refused: " + reason, where.path(), where.client(), refreshToken);
        refreshedTokenRefusedWarning.warn(REASONS[outcome.refusal().reason().ordinal()]); // the detail: audit log only
    }

    private Resolution rotated(Credentials credentials, RefreshOutcome outcome, String reason, Where where,
            Supplier<Resolution> ifUnwritable) {
        String refreshToken = credentials.refreshToken();
        TokenPair pair = outcome.tokens();
        Session session = outcome.session();
        audit.record(Event.REFRESHED, reason + " " + outcome.via().name().toLowerCase(Locale.ROOT), where.path(),
                where.client(), refreshToken);
        String meta = lifetimeRecord(credentials);
        String metaToWrite = meta;
        Duration slidingMaxAge = null;
        Optional<SessionLifetime> lt = lifetimeFor(credentials);
        if (lt.isPresent()) {
            SessionLifetime.Verdict now = lt.get().check(meta, session.subject());
            if (now.mustSignIn() || now.kind() != SessionLifetime.Verdict.Kind.ALIVE) {
                // Over, or the record is not this subject's (checked before the rotation without
                // a subject: a genuine record of another login must not keep this one refreshing).
                refresher.refuse(pair);
                return end(credentials, now.mustSignIn() ? "session lifetime over" : "lifetime record of another session",
                        Refresh.ENDED);
            }
            String nextMeta = lt.get().touch(meta, session.subject()).orElse(null);
            slidingMaxAge = nextMeta == null ? null : lt.get().slidingMaxAge(nextMeta).orElse(null);
            metaToWrite = nextMeta != null ? nextMeta : meta;
        }
        // Checked last, just before the pair is handed out: a logout may have ended the chain meanwhile.
        if (!refresher.stillLive(refreshToken, pair)) {
            return end(credentials, "signed out during refresh", Refresh.ENDED);
        }
        return new Authenticated(session, new CookieWrite.Tokens(pair.accessToken(), pair.refreshToken(), slidingMaxAge,
                metaToWrite, false), Refresh.ROTATED, ifUnwritable);
    }

    /**
     * A definitive end: forgets the refresh token and evicts the access token now (store side
     * effects), and returns what the writer clears (every session cookie, never for a bearer request).
     */
    Ended end(Credentials credentials, String reason, Refresh refresh) {
        return end(credentials, reason, refresh, false);
    }

    /**
     * As {@link #end(Credentials, String, Refresh)}; {@code everyName} (a logout) clears the canonical
     * names the request did not carry too, a refusal only what it carried.
     */
    Ended end(Credentials credentials, String reason, Refresh refresh, boolean everyName) {
        String refreshToken = credentials.refreshToken();
        if (refreshToken != null) {
            refresher.forget(refreshToken);
        }
        String token = credentials.token();
        if (token != null) {
            validations.evict(token);
        }
        return new Ended(reason, refreshToken != null ? refreshToken : token, !credentials.fromBearer(), refresh, everyName);
    }

    /**
     * A session a sid or sub marker revoked ends like one whose refresh was refused: the chain of
     * every presented refresh token is tombstoned (nothing goes to the backend), the cookies are
     * cleared. A full security store fails closed (503, nothing cleared).
     */
    private Resolution endRevoked(Credentials credentials, Where where) {
        if (!refresher.endRevoked(credentials.presentedRefreshTokens())) {
            securityStoreFull.run();
            audit.record(Event.UNAVAILABLE, "security store full", where.path(), where.client(), credentials.refreshToken());
            return new NoVerdict(Refresh.FAILED_CLOSED);
        }
        if (credentials.cookies().hasDuplicates()) {
            // Ambiguous cookies clear nothing (one may be planted); the chains above are ended all the same.
            return new Anonymous(CookieWrite.NONE, Refresh.ENDED);
        }
        return end(credentials, "session revoked", Refresh.ENDED);
    }

    /** What the request tells of its session besides its token: the provider facts and the meta's first login. */
    SessionClues clues(Credentials credentials) {
        return RequestClues.of(credentials, factsSeal, lifetimeFor(credentials));
    }

    /**
     * Whether the session lifetime lets this request refresh at all: with a server-enforced
     * lifetime, only a request whose lifetime record is present and alive may. Checked before the
     * backend is asked, so dropping the lifetime cookie restarts nothing.
     */
    boolean lifetimeAllowsRefresh(Credentials credentials, Session session) {
        Optional<SessionLifetime> lt = lifetimeFor(credentials);
        return lt.isEmpty() || lt.get().check(lifetimeRecord(credentials), session == null ? null : session.subject())
                .kind() == SessionLifetime.Verdict.Kind.ALIVE;
    }

    /**
     * Guests: resume a valid guest cookie, or (when {@code mayStart}: a public page navigation)
     * start a guest session. For a request without a session and with a verdict, never a bearer one.
     */
    Resolution guest(Credentials credentials, boolean mayStart) {
        if (guests.isEmpty()) {
            return Anonymous.PLAIN;
        }
        GuestTokens g = guests.get();
        Optional<String> cookie = credentials.cookies().guestToken();
        boolean clear = false;
        if (cookie.isPresent()) {
            ValidationResult r = g.mintsLocally() ? g.verify(cookie.get()) : check(cookie.get());
            if (r instanceof ValidationResult.Valid v && v.session().isGuest()) {
                return Authenticated.as(v.session(), Refresh.NONE);
            }
            clear = r.kind() != ValidationResult.Kind.UNAVAILABLE;
        }
        Anonymous without = clear ? new Anonymous(new CookieWrite.ClearGuest(), Refresh.NONE) : Anonymous.PLAIN;
        if (!mayStart) {
            return without;
        }
        Optional<GuestTokens.Issued> issued = g.issue();
        if (issued.isEmpty()) {
            return without;
        }
        String token = issued.get().token();
        ValidationResult r = g.mintsLocally() ? g.verify(token) : validations.validate(token).result();
        CookieWrite write = new CookieWrite.Guest(token, issued.get().maxAge(), clear);
        if (r instanceof ValidationResult.Valid v && v.session().isGuest()) {
            return new Authenticated(v.session(), write, Refresh.NONE, () -> Anonymous.PLAIN);
        }
        return new Anonymous(write, Refresh.NONE);
    }

    /** The request's refresh through the single flight and grace, counted; the new session is checked against its markers. */
    RefreshOutcome refresh(Credentials credentials) {
        return refresh(credentials.refreshToken(), clues(credentials));
    }

    /** A refresh through the single flight and grace, counted. */
    RefreshOutcome refresh(String refreshToken) {
        return refresh(refreshToken, SessionClues.NONE);
    }

    private RefreshOutcome refresh(String refreshToken, SessionClues clues) {
        long started = System.nanoTime();
        RefreshOutcome outcome = refresher.refresh(refreshToken, clues);
        switch (outcome.via()) {
            case GRACE -> metrics.graceHit();
            case SHARED -> metrics.dedupWait();
            case TOMBSTONE -> metrics.refreshRefused();
            case CALLED -> {
                if (outcome.kind() != RefreshOutcome.Kind.UNSUPPORTED) {
                    metrics.refreshCall(System.nanoTime() - started); // the backend's answer or failure
                }
                switch (outcome.kind()) {
                    case ROTATED -> metrics.refreshOk();
                    case REFUSED -> metrics.refreshRefused();
                    case UNAVAILABLE -> metrics.refreshFailed();
                    case UNSUPPORTED -> { }
                }
            }
        }
        return outcome;
    }

    /** A token's validation result through the cache and single flight, counted. */
    ValidationResult check(String token) {
        return count(validations.validate(token, SessionClues.NONE));
    }

    /** Counts a verdict by where it came from, a validator call with the time it took; its result. */
    private ValidationResult count(Validations.Checked checked) {
        switch (checked.source()) {
            case CACHE -> metrics.cacheHit();
            case SHARED -> metrics.dedupWait();
            case CALLED -> metrics.validation(checked.nanos());
            case REVOKED, MARKED -> metrics.revoked(); // refused from the revocation list or a marker
        }
        return checked.result();
    }

    /** The session of a token that expired within the clock skew and was not signed out here, or {@code null}. */
    private Session lapsedWithinSkew(String token, ValidationResult result) {
        Session lapsed = result instanceof ValidationResult.Expired e ? e.lapsedWithinSkew().orElse(null) : null;
        return lapsed == null || validations.isRevoked(token) ? null : lapsed;
    }

    /**
     * Refresh when the access token is missing, expired or invalid, or (with refresh-ahead) about
     * to expire. Never on a transient validation failure: the access token may be fine.
     */
    private boolean wantsRefresh(ValidationResult result, Session session) {
        if (result == null) {
            return true;
        }
        return switch (result.kind()) {
            case EXPIRED, INVALID -> true;
            case VALID -> session == null || !refreshAhead.isZero() && session.expiresAt()
                    .map(e -> !e.minus(refreshAhead).isAfter(clock.instant())).orElse(false);
            default -> false;
        };
    }

    /** The server-enforced lifetime, for cookie requests only (a bearer request has no lifetime record). */
    private Optional<SessionLifetime> lifetimeFor(Credentials credentials) {
        return credentials.fromBearer() ? Optional.empty() : lifetime;
    }

    private static String lifetimeRecord(Credentials credentials) {
        return credentials.cookies().meta().orElse(null);
    }
}
