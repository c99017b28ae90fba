package io.github.sessiongate.engine;

import io.github.sessiongate.cookie.CookieCodec;
import io.github.sessiongate.cookie.CookieKind;
import io.github.sessiongate.cookie.CookieSeal;
import io.github.sessiongate.cookie.HeldTokens;
import io.github.sessiongate.cookie.SessionCookies;
import io.github.sessiongate.cookie.TokenSight;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.audit.AuditLog;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The credentials one request presents: its session cookies and, where allowed, a bearer header.
 * A bearer header (when accepted) wins over cookies and marks a non-browser client: such a
 * request never receives cookies and is never subject to the cookie CSRF rule.
 */
final class Credentials {
    private static final Pattern BEARER = Pattern.compile("(?i)bearer +([A-Za-z0-9\\-._~+/]+=*)");

    private final SessionCookies cookies;
    private final boolean bearerPresented;
    /**
     * The access token when it is not the cookie's value as read: the bearer header's ({@code null}
     * for a malformed one), or the sealed cookie's opened ({@link #UNOPENABLE} when it does not open).
     */
    private String presented;
    /** Opens sealed cookie values; {@code null} when cookies are not sealed. */
    private CookieSeal sealWith;
    /** The opened refresh token, with sealed cookies. */
    private String refresh;

    private Credentials(SessionCookies cookies, String bearer, boolean bearerPresented) {
        this.cookies = cookies;
        this.presented = bearer;
        this.bearerPresented = bearerPresented;
    }

    /**
     * @param seal opens sealed cookie values; {@code null} when cookies are not sealed. A value that
     *     does not open counts as an invalid token.
     */
    static Credentials read(HttpServletRequest request, CookieCodec codec, boolean secure, boolean acceptBearer,
            CookieSeal seal) {
        return read(request, codec, secure, acceptBearer, seal, HeldTokens.NONE);
    }

    /**
     * As {@link #read(HttpServletRequest, CookieCodec, boolean, boolean, CookieSeal)}; an unsealed
     * access cookie equal to a token {@code held} has is read as that string (a warm request copies
     * no token out of the header).
     */
    static Credentials read(HttpServletRequest request, CookieCodec codec, boolean secure, boolean acceptBearer,
            CookieSeal seal, HeldTokens held) {
        return read(request, codec, secure, acceptBearer, seal, held, TokenSight.NONE);
    }

    /**
     * As {@link #read(HttpServletRequest, CookieCodec, boolean, boolean, CookieSeal, HeldTokens)}; an
     * unsealed access cookie that {@code sight} refuses is not copied out of the header
     * ({@link #refusedOnSight()}).
     */
    static Credentials read(HttpServletRequest request, CookieCodec codec, boolean secure, boolean acceptBearer,
            CookieSeal seal, HeldTokens held, TokenSight sight) {
        if (acceptBearer) {
            List<String> authorization = Collections.list(request.getHeaders("Authorization"));
            if (!authorization.isEmpty()) {
                // One well-formed bearer header, or none at all: never a choice between several.
                String token = null;
                if (authorization.size() == 1) {
                    var m = BEARER.matcher(authorization.get(0).strip());
                    if (m.matches()) {
                        token = m.group(1);
                    }
                }
                if (token != null || authorization.get(0).regionMatches(true, 0, "bearer", 0, 6)) {
                    return new Credentials(SessionCookies.none(), token, true);
                }
            }
        }
        SessionCookies cookies = seal == null ? codec.read(request, secure, held, sight)
                : codec.read(request, secure, HeldTokens.NONE, TokenSight.NONE);
        Credentials c = new Credentials(cookies, null, false);
        if (seal != null) {
            c.presented = cookies.accessToken().map(v -> seal.open(v).orElse(UNOPENABLE)).orElse(null);
            c.refresh = cookies.refreshToken().map(v -> seal.open(v).orElse(null)).orElse(null);
            c.sealWith = seal;
        }
        return c;
    }

    /** Stands for a sealed access cookie that did not open: fails the validator's format check. */
    static final String UNOPENABLE = " unopenable";

    /** The access token to validate, or {@code null}. */
    String token() {
        return bearerPresented || sealed() ? presented : cookies.valueOrNull(CookieKind.ACCESS);
    }

    /** The refresh token from its cookie; never with a bearer header. */
    String refreshToken() {
        if (bearerPresented) {
            return null;
        }
        return sealed() ? refresh : cookies.refreshToken().orElse(null);
    }

    /**
     * Every refresh token the request presented, duplicated cookies included (each value), for a
     * logout that must end them all; never with a bearer header. A sealed value that does not open is left out.
     */
    List<String> presentedRefreshTokens() {
        if (bearerPresented) {
            return List.of();
        }
        List<String> values = cookies.presentedRefreshTokens();
        if (!sealed()) {
            return values;
        }
        List<String> opened = new java.util.ArrayList<>(values.size());
        for (String v : values) {
            sealWith.open(v).ifPresent(opened::add);
        }
        return opened;
    }

    /**
     * Why the validator refused the access cookie on sight while it was read (its value never
     * copied), or {@code null}: then {@link #token()} takes the usual validation.
     */
    ValidationResult.Reason refusedOnSight() {
        return bearerPresented || sealed() ? null : cookies.accessRefusedOnSight();
    }

    /** Whether the validator looked at {@link #token()} while it was read and refused nothing. */
    boolean passedSight() {
        return !bearerPresented && !sealed() && cookies.accessPassedSight();
    }

    /**
     * {@link #token()} for an audit line: {@code null} when {@code audit} records nothing, so a
     * token refused on sight is never copied for a line nobody writes.
     */
    String tokenFor(AuditLog audit) {
        return audit.records() ? token() : null;
    }

    private boolean sealed() {
        return sealWith != null;
    }

    SessionCookies cookies() {
        return cookies;
    }

    boolean fromCookie() {
        return !bearerPresented && cookies.carries(CookieKind.ACCESS);
    }

    /** Whether the request presents an access token ({@link #token()} is not {@code null}), without making it. */
    boolean presentsToken() {
        return bearerPresented || sealed() ? presented != null : cookies.carries(CookieKind.ACCESS);
    }

    boolean fromBearer() {
        return bearerPresented;
    }

    /** Whether the request carried any session cookie (and no bearer header): subject to CSRF checks. */
    boolean carriesCookies() {
        return !bearerPresented && !cookies.isEmpty();
    }

    /** Whether the request carried anything session-like, so its response must stay private. */
    boolean carriesSession() {
        return bearerPresented || !cookies.isEmpty();
    }
}
