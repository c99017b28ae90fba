package io.github.sessiongate.engine;

import io.github.sessiongate.AuditEvent.Event;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.audit.AuditLog;
import io.github.sessiongate.audit.GateMetrics;
import io.github.sessiongate.cookie.CookieCodec;
import io.github.sessiongate.cookie.CookieSeal;
import io.github.sessiongate.cookie.CookieTooLargeException;
import io.github.sessiongate.engine.Resolution.CookieWrite;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a {@link Resolution} to the response: cookies through the {@link CookieCodec} (tokens
 * sealed when configured), the response made private first, clearing audited. Tokens and the
 * lifetime cookie go in one write and one size check; a write that does not fit the cookie budget
 * writes nothing and the request resolves to the resolution's fallback. Thread-safe.
 */
final class SessionWriter {
    private static final Logger LOG = LoggerFactory.getLogger(FilterEngine.LOG_NAME);

    private final CookieCodec cookies;
    private final Optional<CookieSeal> seal;
    private final AuditLog audit;
    private final GateMetrics metrics;

    SessionWriter(CookieCodec cookies, Optional<CookieSeal> seal, AuditLog audit, GateMetrics metrics) {
        this.cookies = Objects.requireNonNull(cookies, "cookies");
        this.seal = Objects.requireNonNull(seal, "seal");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** Applies {@code resolution}; returns what the request resolved to (its fallback when a write did not fit). */
    Resolution apply(Exchange ex, Resolution resolution) {
        if (resolution instanceof Resolution.Authenticated a) {
            if (!write(ex, a.write())) {
                return apply(ex, a.ifUnwritable().get());
            }
            if (a.write() instanceof CookieWrite.Guest g) {
                audit.record(Event.GUEST_STARTED, "guest", ex.path, ex.client(), g.token());
            }
        } else if (resolution instanceof Resolution.Anonymous a) {
            write(ex, a.write());
        } else if (resolution instanceof Resolution.Ended e && e.clearCookies()) {
            write(ex, new CookieWrite.ClearAll(e.reason(), e.fingerprintOf(), e.everyName()));
        }
        return resolution; // NoVerdict: nothing cleared, nothing written
    }

    /**
     * Writes a login's cookies with the provider facts (sealed, or {@code null} to clear them) in one
     * size check that leaves {@code headroom} bytes free; {@code false} when they do not fit, logged
     * at WARN only when {@code last} (no smaller choice is left).
     */
    boolean writeLogin(Exchange ex, TokenPair tokens, String lifetime, String providerFacts, int headroom, boolean last) {
        try {
            cookies.replace(ex.privately(), ex.credentials.cookies(), ex.secure, sealed(tokens.accessToken()),
                    sealed(tokens.refreshToken()), lifetime, providerFacts, headroom);
            return true;
        } catch (CookieTooLargeException e) {
            if (last) {
                tooLarge(ex, e);
            }
            return false;
        }
    }

    /** A token as its cookie carries it: sealed when sealing is on; {@code null} stays {@code null}. */
    private String sealed(String token) {
        return token == null ? null : seal.map(s -> s.seal(token)).orElse(token);
    }

    private static void tooLarge(Exchange ex, CookieTooLargeException e) {
        LOG.warn("tokens on {} do not fit the cookie budget ({}); raise cookie-max-total-bytes or shrink the tokens",
                ex.path, e.getMessage());
    }

    /** Writes one cookie update; {@code false} (logged) if it does not fit the cookie budget. */
    boolean write(Exchange ex, CookieWrite write) {
        if (write instanceof CookieWrite.Tokens t) {
            String a = sealed(t.access());
            String r = sealed(t.refresh());
            try {
                if (t.replacing()) {
                    cookies.replace(ex.privately(), ex.credentials.cookies(), ex.secure, a, r, t.lifetime());
                } else {
                    cookies.write(ex.privately(), ex.credentials.cookies(), ex.secure, a, r, t.maxAge(), t.lifetime());
                }
                return true;
            } catch (CookieTooLargeException e) {
                tooLarge(ex, e);
                return false;
            }
        } else if (write instanceof CookieWrite.Lifetime l) {
            try {
                cookies.writeMeta(ex.privately(), ex.credentials.cookies(), ex.secure, l.value());
                return true;
            } catch (CookieTooLargeException e) {
                LOG.warn("the lifetime cookie on {} does not fit the cookie budget ({}); raise cookie-max-total-bytes",
                        ex.path, e.getMessage());
                return false;
            }
        } else if (write instanceof CookieWrite.Guest g) {
            if (g.clearFirst()) {
                cookies.clearGuest(ex.privately(), ex.credentials.cookies(), ex.secure);
            }
            try {
                cookies.writeGuest(ex.privately(), ex.credentials.cookies(), ex.secure, g.token(), g.maxAge());
            } catch (CookieTooLargeException e) {
                LOG.warn("a guest token does not fit the cookie budget ({})", e.getMessage());
                return false;
            }
            metrics.guestMint();
        } else if (write instanceof CookieWrite.ClearGuest) {
            cookies.clearGuest(ex.privately(), ex.credentials.cookies(), ex.secure);
        } else if (write instanceof CookieWrite.ClearAll c) {
            if (c.everyName()) {
                cookies.clear(ex.privately(), ex.credentials.cookies(), ex.secure);
            } else {
                cookies.clearCarried(ex.privately(), ex.credentials.cookies(), ex.secure);
            }
            audit.record(Event.COOKIES_CLEARED, c.reason(), ex.path, ex.client(), c.fingerprintOf());
        }
        return true; // Nothing
    }
}
