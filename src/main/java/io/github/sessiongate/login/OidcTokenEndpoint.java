package io.github.sessiongate.login;

import io.github.sessiongate.ClientCredentials;
import io.github.sessiongate.OidcSettings;
import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.audit.Fingerprint;
import io.github.sessiongate.internal.BackendHttp;
import io.github.sessiongate.internal.ClientAuth;
import io.github.sessiongate.internal.Json;
import io.github.sessiongate.internal.TokenFields;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenID provider's token and revocation endpoints: the code exchange (RFC 6749 4.1.3 with the
 * PKCE verifier), refresh (6) and revocation (RFC 7009), each with the configured client
 * authentication: {@code client_secret_basic} (HTTP Basic), {@code client_secret_post} (form
 * fields) or {@code private_key_jwt} (a fresh {@link ClientAssertion} per request). The code
 * exchange and refresh also carry {@code audience} and every {@code resource} (RFC 8707) when
 * configured, and {@code scope} only with {@code oidc.token-request-scope} (Entra ID's
 * {@code api://.../.default}); without it no {@code scope} is sent, which on refresh means "as
 * originally granted" (RFC 6749 6), so a user who granted fewer scopes than asked is not refused.
 *
 * <p>A refused request is logged with the provider's {@code error} (a plain token only) and
 * {@code error_description} (printable, at most 200 characters); never a code, token, secret or
 * assertion, only fingerprints. Thread-safe.
 */
final class OidcTokenEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(OidcLoginFlow.class);

    private final OidcSettings settings;
    private final String issuer;
    private final BackendHttp http;
    private final Clock clock;
    /** The secret methods' credentials, with the configured method; null with private_key_jwt. */
    private final ClientCredentials secret;
    private final ClientAssertion assertion;

    /** What the token endpoint answered to a code exchange. */
    sealed interface Answer {
    }

    /** {@code 200} with a JSON object (not yet checked for tokens). */
    record Tokens(Map<String, Object> json) implements Answer {
    }

    /**
     * A definitive refusal, logged already: {@code code_refused} for a {@code 4xx} ({@code invalid_grant},
     * {@code invalid_client}, ...), {@code token_type_unsupported} for a {@code 200} that is not a bearer answer.
     */
    record Refused(String reason) implements Answer {
    }

    /** Unreachable or {@code 5xx}: transient; logged already. */
    record Unavailable(String why) implements Answer {
    }

    OidcTokenEndpoint(OidcSettings settings, BackendHttp http, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.issuer = settings.issuer().toString();
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.secret = settings.secretCredentials().orElse(null);
        this.assertion = secret != null ? null : new ClientAssertion(settings.clientId(), settings.clientKey().orElseThrow(),
                settings.clientKeyAlgorithm().orElseThrow(), settings.clientKeyId(), clock);
    }

    /** The authorization code grant with the PKCE verifier and the {@code redirect_uri} of the authorization request. */
    Answer exchange(OidcDiscovery.Provider p, String code, String redirectUri, String verifier) {
        Form form = new Form();
        form.add("grant_type", "authorization_code");
        form.add("code", code);
        form.add("redirect_uri", redirectUri);
        form.add("code_verifier", verifier);
        extras(form);
        Sent sent = send(p.token(), form);
        if (sent.unreachable() != null) {
            LOG.warn("OpenID token endpoint {} unreachable: {}", BackendHttp.withoutQuery(p.token()), sent.unreachable());
            return new Unavailable("token endpoint unreachable");
        }
        if (sent.status() >= 500) {
            LOG.warn("OpenID token endpoint {} answered {} to a code exchange", BackendHttp.withoutQuery(p.token()), sent.status());
            return new Unavailable("token endpoint " + sent.status());
        }
        if (sent.status() != 200) {
            LOG.warn("OpenID code exchange refused by {}: {} ({}); client authentication {}; code {}", BackendHttp.withoutQuery(p.token()),
                    error(sent.json(), sent.status()), description(sent.json()), settings.clientAuth().value(), Fingerprint.of(code));
            return new Refused("code_refused");
        }
        if (!bearer(p, sent.json(), "code exchange")) {
            return new Refused("token_type_unsupported");
        }
        return new Tokens(sent.json());
    }

    /**
     * The refresh token grant. Only {@code invalid_grant} is a refusal (the session ends); any
     * other answer but {@code 200} is transient, so a misconfiguration never signs users out. A
     * {@code 200} whose {@code token_type} is not {@code Bearer} is "unavailable" too (WARN; the
     * session keeps its tokens until they expire and is refreshed again later): the provider's
     * configuration changed under a running session, which is not the user's doing; the refresh
     * token it returned is revoked, the one the session holds stays valid.
     */
    RefreshResult refresh(OidcDiscovery.Provider p, String refreshToken) {
        Form form = new Form();
        form.add("grant_type", "refresh_token");
        form.add("refresh_token", refreshToken);
        extras(form);
        URI token = p.token();
        Sent sent = send(token, form);
        if (sent.unreachable() != null) {
            LOG.debug("OpenID token endpoint {} unreachable for a refresh: {}", BackendHttp.withoutQuery(token), sent.unreachable());
            return RefreshResult.unavailable("token endpoint " + sent.unreachable());
        }
        Map<String, Object> json = sent.json();
        if (sent.status() == 200) {
            if (!bearer(p, json, "refresh")) {
                return RefreshResult.unavailable("token endpoint answered a token_type other than Bearer");
            }
            return TokenFields.of("access_token", "refresh_token", "expires_in", clock).read(json)
                    .map(RefreshResult::refreshed).orElseGet(() -> {
                        LOG.warn("OpenID token endpoint {} answered a refresh without a usable access_token",
                                BackendHttp.withoutQuery(token));
                        return RefreshResult.unavailable("token endpoint answer incomplete");
                    });
        }
        String error = error(json, sent.status());
        if (sent.status() == 400 && "invalid_grant".equals(error)) {
            // Routine: an expired or revoked refresh token ends its session.
            LOG.info("OpenID refresh refused by {}: invalid_grant ({}); refresh token {}", BackendHttp.withoutQuery(token),
                    description(json), Fingerprint.of(refreshToken));
            return RefreshResult.refused();
        }
        LOG.warn("OpenID refresh failed at {}: {} ({}); client authentication {}; the session is kept", BackendHttp.withoutQuery(token),
                error, description(json), settings.clientAuth().value());
        return RefreshResult.unavailable("token endpoint answered " + sent.status());
    }

    /**
     * Whether a {@code 200} token response is a bearer one ({@code token_type} {@code Bearer},
     * case-insensitive; RFC 6749 5.1, RFC 6750 6.1.1): the session's cookies carry bearer tokens only,
     * so a sender-constrained (DPoP, RFC 9449) or unnamed type is logged at WARN and the refresh
     * token issued with it, useless here, is revoked (when the provider has a revocation endpoint).
     */
    private boolean bearer(OidcDiscovery.Provider p, Map<String, Object> json, String what) {
        Optional<String> type = Json.string(json, "token_type");
        if (type.filter("Bearer"::equalsIgnoreCase).isPresent()) {
            return true;
        }
        LOG.warn("OpenID {} at {}: token_type expected Bearer, was {}", what, BackendHttp.withoutQuery(p.token()),
                type.map(OidcText::printable).orElse("absent"));
        Optional<String> issued = Json.string(json, "refresh_token");
        if (issued.isPresent() && p.revocation().isPresent()) {
            revoke(p.revocation().get(), issued.get());
        }
        return false;
    }

    /** RFC 7009 for a refresh token ({@code token_type_hint=refresh_token}), best effort: failures are logged at DEBUG with the token's fingerprint only. */
    void revoke(URI revocation, String refreshToken) {
        Form form = new Form();
        form.add("token", refreshToken);
        form.add("token_type_hint", "refresh_token");
        Sent sent = send(revocation, form);
        if (sent.unreachable() != null) {
            LOG.debug("OpenID revocation unreachable ({}) for {}", sent.unreachable(), Fingerprint.of(refreshToken));
        } else if (sent.status() != 200) {
            LOG.debug("OpenID revocation answered {} ({}) for {}", sent.status(), error(sent.json(), sent.status()),
                    Fingerprint.of(refreshToken));
        }
    }

    /** {@code scope} when {@code oidc.token-request-scope} is on, {@code audience} and each {@code resource}, when configured. */
    private void extras(Form form) {
        if (settings.tokenRequestScope()) {
            form.add("scope", settings.scope());
        }
        settings.audience().ifPresent(a -> form.add("audience", a));
        settings.resources().forEach(r -> form.add("resource", r.toString()));
    }

    /** What a POST got: the status and JSON object (empty when none), or why the endpoint was unreachable. */
    private record Sent(int status, Map<String, Object> json, String unreachable) {
    }

    /** POSTs the form with the client authentication; never throws for the network. */
    private Sent send(URI endpoint, Form form) {
        HttpRequest.Builder request = http.request(endpoint).header("Content-Type", "application/x-www-form-urlencoded");
        if (secret != null) {
            Map<String, String> fields = new LinkedHashMap<>();
            ClientAuth.apply(secret, request, fields);
            fields.forEach(form::add);
        } else {
            form.add("client_id", settings.clientId());
            form.add("client_assertion_type", ClientAssertion.TYPE);
            form.add("client_assertion", assertion.create(settings.clientAssertionAudience()
                    == OidcSettings.AssertionAudience.TOKEN_ENDPOINT ? endpoint.toString() : issuer));
        }
        try {
            BackendHttp.Response r = http.send(request.POST(HttpRequest.BodyPublishers.ofString(form.body())).build());
            return new Sent(r.status(), Json.object(r.body()).orElse(Map.of()), null);
        } catch (BackendHttp.Unreachable e) {
            return new Sent(0, Map.of(), String.valueOf(e.getMessage()));
        }
    }

    /** The provider's {@code error} when it is a plain token, else {@code status N}. */
    private static String error(Map<String, Object> json, int status) {
        return Json.string(json, "error").filter(e -> OidcText.ERROR_CODE.matcher(e).matches()).orElse("status " + status);
    }

    private static String description(Map<String, Object> json) {
        return Json.string(json, "error_description").map(OidcText::printable).orElse("no description");
    }

    /** Form fields in order; a name may repeat ({@code resource}). */
    private static final class Form {
        private final List<String[]> fields = new ArrayList<>();

        void add(String name, String value) {
            fields.add(new String[] {name, value});
        }

        String body() {
            StringBuilder b = new StringBuilder();
            for (String[] f : fields) {
                if (b.length() > 0) {
                    b.append('&');
                }
                b.append(URLEncoder.encode(f[0], StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(f[1], StandardCharsets.UTF_8));
            }
            return b.toString();
        }
    }
}
