package io.github.sessiongate;

import io.github.sessiongate.engine.ClientKeys;
import io.github.sessiongate.engine.SettingsChecks;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * OpenID Connect sign-in (authorization code with PKCE), turned on by {@code oidc.issuer}: the
 * filter reads the provider's discovery document, sends browsers without a session to its
 * authorization endpoint, and starts the session at {@code oidc.callback-path}. It replaces the
 * password login. Immutable, checked by {@link Builder#build()} with the init-params' rules and
 * messages; {@link #toString()} never shows the client secret.
 */
public final class OidcSettings {
    /** The provider's issuer identifier; discovery reads {@code <issuer>/.well-known/openid-configuration}. */
    public static final String PARAM_ISSUER = "oidc.issuer";
    /** The client id registered at the provider. */
    public static final String PARAM_CLIENT_ID = "oidc.client-id";
    /**
     * The client secret, sent as HTTP Basic ({@code client_secret_basic}, the default) or in the form
     * body ({@code client_secret_post}) per {@value #PARAM_CLIENT_AUTH}; not with {@code private_key_jwt}.
     * Never logged.
     */
    public static final String PARAM_CLIENT_SECRET = "oidc.client-secret";
    /** The scopes asked for, space-separated; must include {@code openid}. */
    public static final String PARAM_SCOPE = "oidc.scope";
    public static final String DEFAULT_SCOPE = "openid";
    /** The redirect URI's path, to register at the provider. */
    public static final String PARAM_CALLBACK_PATH = "oidc.callback-path";
    public static final String DEFAULT_CALLBACK_PATH = "/auth/callback";
    /**
     * Where the provider posts back-channel logout tokens (OpenID Connect Back-Channel Logout 1.0), a
     * plain path inside the application to register at the provider, or {@value #BACKCHANNEL_LOGOUT_OFF}.
     */
    public static final String PARAM_BACKCHANNEL_LOGOUT_PATH = "oidc.backchannel-logout-path";
    public static final String DEFAULT_BACKCHANNEL_LOGOUT_PATH = "/auth/backchannel-logout";
    /** The {@value #PARAM_BACKCHANNEL_LOGOUT_PATH} value that turns the endpoint off. */
    public static final String BACKCHANNEL_LOGOUT_OFF = "off";
    /** How long a started sign-in may take (the login-transaction cookie's {@code Max-Age}). */
    public static final String PARAM_TRANSACTION_MAX_AGE = "oidc.transaction-max-age";
    public static final Duration DEFAULT_TRANSACTION_MAX_AGE = Duration.ofSeconds(600);
    public static final Duration MIN_TRANSACTION_MAX_AGE = Duration.ofSeconds(30);
    public static final Duration MAX_TRANSACTION_MAX_AGE = Duration.ofHours(1);

    // Client authentication, endpoints by hand, audience and resource.
    /** How the client authenticates at the token and revocation endpoints; see {@link ClientAuth}. */
    public static final String PARAM_CLIENT_AUTH = "oidc.client-auth";
    /** The private key of {@code private_key_jwt}: PEM PKCS#8 or a private JWK, as {@code ${env:NAME}} or {@code file:/path}. */
    public static final String PARAM_CLIENT_KEY = "oidc.client-key";
    /** The {@code kid} header of the client assertion; default: the JWK's {@code kid}, else none. */
    public static final String PARAM_CLIENT_KEY_ID = "oidc.client-key-id";
    /** The client assertion's {@code aud}: {@code issuer} (default) or {@code token-endpoint}. */
    public static final String PARAM_CLIENT_ASSERTION_AUDIENCE = "oidc.client-assertion-audience";
    /** The authorization endpoint, overriding discovery. */
    public static final String PARAM_AUTHORIZATION_ENDPOINT = "oidc.authorization-endpoint";
    /** The token endpoint, overriding discovery. */
    public static final String PARAM_TOKEN_ENDPOINT = "oidc.token-endpoint";
    /** The JWK set of the ID tokens (and, by default, of the access tokens), overriding discovery. */
    public static final String PARAM_JWKS_URI = "oidc.jwks-uri";
    /** The end-session endpoint (RP-initiated logout), overriding discovery. */
    public static final String PARAM_END_SESSION_ENDPOINT = "oidc.end-session-endpoint";
    /** The revocation endpoint (RFC 7009), overriding discovery. */
    public static final String PARAM_REVOCATION_ENDPOINT = "oidc.revocation-endpoint";
    /** The endpoint settings that override discovery, in this order ({@link #endpoint(String)}, {@link Builder#endpoint}). */
    public static final List<String> ENDPOINT_PARAMS = List.of(PARAM_AUTHORIZATION_ENDPOINT, PARAM_TOKEN_ENDPOINT, PARAM_JWKS_URI,
            PARAM_END_SESSION_ENDPOINT, PARAM_REVOCATION_ENDPOINT);
    /** An {@code audience} parameter (Auth0) sent on the authorization request, the code exchange and refresh. */
    public static final String PARAM_AUDIENCE = "oidc.audience";
    /** {@code resource} indicators (RFC 8707), absolute URIs, sent on the authorization request, the code exchange and refresh. */
    public static final String PARAM_RESOURCE = "oidc.resource";

    /** How the client authenticates at the provider (OIDC Core 9). */
    public enum ClientAuth {
        /** HTTP Basic with the client secret, the default ({@code client_secret_basic}). */
        CLIENT_SECRET_BASIC("client_secret_basic"),
        /** {@code client_id} and {@code client_secret} in the form body ({@code client_secret_post}). */
        CLIENT_SECRET_POST("client_secret_post"),
        /** A JWT signed with the client's private key (RFC 7523 3, {@code private_key_jwt}); no secret. */
        PRIVATE_KEY_JWT("private_key_jwt");

        private final String value;

        ClientAuth(String value) {
            this.value = value;
        }

        /** The init-param value, e.g. {@code client_secret_post}. */
        public String value() {
            return value;
        }

        /** The method an init-param value names. */
        public static ClientAuth of(String value) {
            for (ClientAuth a : values()) {
                if (a.value.equals(value)) {
                    return a;
                }
            }
            throw new ConfigException(PARAM_CLIENT_AUTH, "must be client_secret_basic, client_secret_post or private_key_jwt, not '"
                    + value + "'");
        }
    }

    /** What a {@code private_key_jwt} assertion names as its {@code aud}. */
    public enum AssertionAudience {
        /** The provider's issuer identifier, as RFC 7523 3 and the newer OAuth drafts advise (default). */
        ISSUER("issuer"),
        /** The URL of the endpoint the request goes to (token, or revocation), for providers that expect it. */
        TOKEN_ENDPOINT("token-endpoint");

        private final String value;

        AssertionAudience(String value) {
            this.value = value;
        }

        /** The init-param value. */
        public String value() {
            return value;
        }
    }
    // Extra authorization-request parameters (OIDC Core 3.1.2.1) and the ID token checks they bring.
    /** {@code prompt} sent with every authorization request: space-separated, among {@link #PROMPT_VALUES}; {@code none} alone. */
    public static final String PARAM_PROMPT = "oidc.prompt";
    /** The {@code prompt} values the filter accepts (OIDC Core 3.1.2.1; {@code create} from OIDC Prompt Create 1.0). */
    public static final Set<String> PROMPT_VALUES = Set.of("none", "login", "consent", "select_account", "create");
    /** {@code acr_values} sent with every authorization request, space-separated, in order of preference. */
    public static final String PARAM_ACR_VALUES = "oidc.acr-values";
    /** Whether the ID token's {@code acr} must be one of {@value #PARAM_ACR_VALUES} (else the request is only a wish). */
    public static final String PARAM_REQUIRE_ACR = "oidc.require-acr";
    /** {@code max_age} sent with every authorization request; the ID token's {@code auth_time} must then be within it. */
    public static final String PARAM_MAX_AGE = "oidc.max-age";
    public static final Duration MAX_MAX_AGE = Duration.ofDays(366);
    /** Whether {@code GET <login endpoint>?login_hint=...} is passed on to the provider; off by default. */
    public static final String PARAM_LOGIN_HINT_FROM_REQUEST = "oidc.login-hint-from-request";
    /**
     * Whether {@code scope} ({@value #PARAM_SCOPE}) is also sent on the code exchange and on refresh; off by
     * default (RFC 6749 6: no scope on refresh means "as originally granted"). Entra ID needs it to pick the
     * API of the access token ({@code api://<app>/.default}).
     */
    public static final String PARAM_TOKEN_REQUEST_SCOPE = "oidc.token-request-scope";
    /** Longest {@code acr_values}, in characters. */
    static final int MAX_ACR_VALUES = 512;

    private static final String OVER_PLAIN_HTTP = "tokens and client secrets sent over plain http can be read in transit";

    private final URI issuer;
    private final String clientId;
    /** The secret and how it is sent; null with {@code private_key_jwt}. */
    private final ClientCredentials secretCredentials;
    private final String scope;
    private final String callbackPath;
    private final Optional<String> backChannelLogoutPath;
    private final Duration transactionMaxAge;
    private final ClientAuth clientAuth;
    private final ClientKeys.SigningKey clientKey;
    private final AssertionAudience assertionAudience;
    private final Map<String, URI> endpointsByHand;
    private final String audience;
    private final List<URI> resources;
    private final Optional<String> prompt;
    private final List<String> acrValues;
    private final boolean requireAcr;
    private final Optional<Duration> maxAge;
    private final boolean loginHintFromRequest;
    private final boolean tokenRequestScope;

    private OidcSettings(Builder b) {
        if (b.issuer == null) {
            throw new ConfigException(PARAM_ISSUER, "is required for OpenID Connect sign-in");
        }
        String issuerText = b.issuer.strip();
        this.issuer = SettingsChecks.backendUrl(PARAM_ISSUER, issuerText, OVER_PLAIN_HTTP);
        if (issuer.getRawQuery() != null || issuer.getRawFragment() != null) {
            throw new ConfigException(PARAM_ISSUER, "must not have a query or fragment (OpenID Connect Discovery 1.0, 3)");
        }
        if (b.clientId == null) {
            throw new ConfigException(PARAM_CLIENT_ID, "is required with " + PARAM_ISSUER);
        }
        this.clientAuth = b.clientAuth == null ? ClientAuth.CLIENT_SECRET_BASIC : b.clientAuth;
        if (clientAuth == ClientAuth.PRIVATE_KEY_JWT) {
            if (b.clientSecret != null) {
                throw new ConfigException(PARAM_CLIENT_SECRET, "is not used with " + PARAM_CLIENT_AUTH
                        + "=private_key_jwt; remove it (the client signs with " + PARAM_CLIENT_KEY + ")");
            }
            if (b.clientKeyText == null && b.clientKeyObject == null) {
                throw new ConfigException(PARAM_CLIENT_KEY, "is required with " + PARAM_CLIENT_AUTH + "=private_key_jwt: "
                        + "a PEM PKCS#8 or JWK private key, e.g. ${env:OIDC_CLIENT_KEY} or file:/etc/app/client-key.pem");
            }
            ClientKeys.SigningKey key = b.clientKeyObject != null
                    ? ClientKeys.of(PARAM_CLIENT_KEY, b.clientKeyObject, Optional.empty())
                    : ClientKeys.read(PARAM_CLIENT_KEY, b.clientKeyText);
            String kid = b.clientKeyId != null ? b.clientKeyId.strip() : key.keyId().orElse(null);
            if (kid != null && (kid.isEmpty() || kid.length() > 256 || !kid.chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
                throw new ConfigException(PARAM_CLIENT_KEY_ID, "must be 1 to 256 printable ASCII characters without spaces");
            }
            this.clientKey = new ClientKeys.SigningKey(key.key(), key.algorithm(),
                    Optional.ofNullable(kid));
            this.clientId = clientId(b.clientId);
            this.secretCredentials = null;
        } else {
            if (b.clientSecret == null) {
                throw new ConfigException(PARAM_CLIENT_SECRET, "is required with " + PARAM_ISSUER + " (" + clientAuth.value()
                        + "); or set " + PARAM_CLIENT_AUTH + "=private_key_jwt with " + PARAM_CLIENT_KEY);
            }
            String unused = b.clientKeyText != null || b.clientKeyObject != null ? PARAM_CLIENT_KEY
                    : b.clientKeyId != null ? PARAM_CLIENT_KEY_ID : b.assertionAudience != null ? PARAM_CLIENT_ASSERTION_AUDIENCE : null;
            if (unused != null) {
                throw new ConfigException(unused, "applies only with " + PARAM_CLIENT_AUTH + "=private_key_jwt");
            }
            this.clientKey = null;
            this.secretCredentials = credentials(b.clientId, b.clientSecret, clientAuth == ClientAuth.CLIENT_SECRET_POST
                    ? ClientCredentials.AuthMethod.CLIENT_SECRET_POST : ClientCredentials.AuthMethod.CLIENT_SECRET_BASIC);
            this.clientId = secretCredentials.clientId();
        }
        this.assertionAudience = b.assertionAudience == null ? AssertionAudience.ISSUER : b.assertionAudience;
        Map<String, URI> byHand = new LinkedHashMap<>();
        b.endpoints.forEach((name, value) -> {
            URI uri = SettingsChecks.backendUrl(name, value.strip(), OVER_PLAIN_HTTP);
            if ("https".equalsIgnoreCase(issuer.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                throw new ConfigException(name, "must be https while " + PARAM_ISSUER + " is");
            }
            byHand.put(name, uri);
        });
        this.endpointsByHand = Collections.unmodifiableMap(byHand);
        if (b.audience != null && (b.audience.isBlank() || b.audience.length() > 1024
                || !b.audience.strip().chars().allMatch(c -> c > 0x20 && c < 0x7f))) {
            throw new ConfigException(PARAM_AUDIENCE, "must be one audience value: printable ASCII without spaces, at most 1024 characters");
        }
        this.audience = b.audience == null ? null : b.audience.strip();
        List<URI> rs = new ArrayList<>();
        for (String r : b.resources) {
            URI uri;
            try {
                uri = new URI(r);
            } catch (URISyntaxException e) {
                throw new ConfigException(PARAM_RESOURCE, "must be absolute URIs without a fragment (RFC 8707, 2); '"
                        + r.replaceAll("[^\\x20-\\x7e]", "?") + "' is not a URI");
            }
            if (!uri.isAbsolute() || uri.getRawFragment() != null || r.length() > 1024) {
                throw new ConfigException(PARAM_RESOURCE, "must be absolute URIs without a fragment (RFC 8707, 2), such as "
                        + "https://api.example.com/");
            }
            if (!rs.contains(uri)) {
                rs.add(uri);
            }
        }
        this.resources = List.copyOf(rs);
        String s = b.scope == null ? DEFAULT_SCOPE : b.scope.strip().replaceAll("\\s+", " ");
        if (s.isEmpty() || !s.chars().allMatch(c -> c == ' ' || c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e))) {
            throw new ConfigException(PARAM_SCOPE, "must be scope tokens separated by spaces (RFC 6749, 3.3)");
        }
        if (!List.of(s.split(" ")).contains("openid")) {
            throw new ConfigException(PARAM_SCOPE, "must include openid, else the provider returns no ID token");
        }
        this.scope = s;
        String path = b.callbackPath == null ? DEFAULT_CALLBACK_PATH : b.callbackPath;
        if (!SettingsChecks.isPlainPath(path) || path.indexOf('?') >= 0) {
            throw new ConfigException(PARAM_CALLBACK_PATH, "must be a plain path inside the application such as "
                    + DEFAULT_CALLBACK_PATH);
        }
        this.callbackPath = path;
        String logoutPath = b.backChannelLogoutPath == null ? DEFAULT_BACKCHANNEL_LOGOUT_PATH : b.backChannelLogoutPath.strip();
        if (logoutPath.equals(BACKCHANNEL_LOGOUT_OFF)) {
            this.backChannelLogoutPath = Optional.empty();
        } else if (!SettingsChecks.isPlainPath(logoutPath) || logoutPath.indexOf('?') >= 0 || logoutPath.indexOf('*') >= 0
                || logoutPath.indexOf(';') >= 0 || logoutPath.length() > 1 && logoutPath.endsWith("/")) {
            throw new ConfigException(PARAM_BACKCHANNEL_LOGOUT_PATH, "must be a plain path inside the application such as "
                    + DEFAULT_BACKCHANNEL_LOGOUT_PATH + ", or " + BACKCHANNEL_LOGOUT_OFF);
        } else if (logoutPath.equals(path)) {
            throw new ConfigException(PARAM_BACKCHANNEL_LOGOUT_PATH, "must differ from " + PARAM_CALLBACK_PATH);
        } else {
            this.backChannelLogoutPath = Optional.of(logoutPath);
        }
        this.transactionMaxAge = SettingsChecks.duration(PARAM_TRANSACTION_MAX_AGE,
                b.transactionMaxAge == null ? DEFAULT_TRANSACTION_MAX_AGE : b.transactionMaxAge,
                MIN_TRANSACTION_MAX_AGE, MAX_TRANSACTION_MAX_AGE);
        this.prompt = Optional.ofNullable(b.prompt).map(OidcSettings::prompt);
        this.acrValues = b.acrValues == null ? List.of() : acrValues(b.acrValues);
        if (b.requireAcr && acrValues.isEmpty()) {
            throw new ConfigException(PARAM_REQUIRE_ACR, "needs " + PARAM_ACR_VALUES + ": the acr values the ID token may carry");
        }
        this.requireAcr = b.requireAcr;
        if (b.maxAge != null && (b.maxAge.toNanosPart() != 0 || b.maxAge.isNegative())) {
            throw new ConfigException(PARAM_MAX_AGE, "must be whole seconds, 0 or more (max_age is sent in seconds)");
        }
        this.maxAge = Optional.ofNullable(b.maxAge).map(d -> SettingsChecks.duration(PARAM_MAX_AGE, d, Duration.ZERO,
                MAX_MAX_AGE));
        this.loginHintFromRequest = b.loginHintFromRequest;
        this.tokenRequestScope = b.tokenRequestScope;
    }

    private static boolean isToken(String v) {
        return !v.isEmpty() && v.chars().allMatch(c -> c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e));
    }

    private static String prompt(String value) {
        List<String> values = List.of(value.strip().split("\\s+"));
        if (value.isBlank() || !PROMPT_VALUES.containsAll(values) || values.size() != new HashSet<>(values).size()) {
            throw new ConfigException(PARAM_PROMPT, "must be space-separated values among " + new TreeSet<>(PROMPT_VALUES)
                    + ", each once, not '" + value + "'");
        }
        if (values.contains("none") && values.size() > 1) {
            throw new ConfigException(PARAM_PROMPT, "none must stand alone (OIDC Core 3.1.2.1)");
        }
        return String.join(" ", values);
    }

    private static List<String> acrValues(String value) {
        List<String> values = List.of(value.strip().split("\\s+"));
        if (value.isBlank() || value.length() > MAX_ACR_VALUES || !values.stream().allMatch(OidcSettings::isToken)
                || values.size() != new HashSet<>(values).size()) {
            throw new ConfigException(PARAM_ACR_VALUES, "must be distinct acr values (printable ASCII without spaces, quotes "
                    + "or backslashes) separated by spaces, at most " + MAX_ACR_VALUES + " characters");
        }
        return values;
    }

    /** The client id of {@code private_key_jwt}, checked as {@link ClientCredentials} checks one. */
    private static String clientId(String id) {
        if (id.isEmpty() || id.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new ConfigException(PARAM_CLIENT_ID, id.isEmpty() ? "is empty" : "must not contain control characters");
        }
        return id;
    }

    private static ClientCredentials credentials(String id, String secret, ClientCredentials.AuthMethod method) {
        try {
            return ClientCredentials.of(id, secret, method);
        } catch (ConfigException e) {
            // Name our own parameter, not oauth2.*.
            String name = ClientCredentials.PARAM_OAUTH2_CLIENT_ID.equals(e.parameter()) ? PARAM_CLIENT_ID : PARAM_CLIENT_SECRET;
            throw new ConfigException(name, e.getMessage().replaceFirst("^.*?: ", ""));
        }
    }

    /**
     * Starts OpenID Connect settings in code: {@link Builder#issuer} is required, and either
     * {@link Builder#client} (id and secret) or, with {@code private_key_jwt}, {@link Builder#clientId}
     * and {@link Builder#clientKey}.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** The issuer identifier exactly as configured; discovery must answer the same. */
    public URI issuer() {
        return issuer;
    }

    /**
     * The client id and secret with the method that sends them: HTTP Basic ({@code client_secret_basic})
     * or the form body ({@code client_secret_post}); empty with {@code private_key_jwt}, which has no
     * secret (see {@link #clientKey()}).
     */
    public Optional<ClientCredentials> secretCredentials() {
        return Optional.ofNullable(secretCredentials);
    }

    /** The client id registered at the provider. */
    public String clientId() {
        return clientId;
    }

    /** How the client authenticates at the token and revocation endpoints ({@value #PARAM_CLIENT_AUTH}). */
    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /** The private key of {@code private_key_jwt}; empty with a client secret. */
    public Optional<PrivateKey> clientKey() {
        return Optional.ofNullable(clientKey).map(ClientKeys.SigningKey::key);
    }

    /** The JWS algorithm the client key signs with: RS256, or ES256/384/512 by curve; empty with a client secret. */
    public Optional<String> clientKeyAlgorithm() {
        return Optional.ofNullable(clientKey).map(ClientKeys.SigningKey::algorithm);
    }

    /** The {@code kid} header of the client assertion, if any ({@value #PARAM_CLIENT_KEY_ID}, else the JWK's). */
    public Optional<String> clientKeyId() {
        return clientKey == null ? Optional.empty() : clientKey.keyId();
    }

    /** What the client assertion names as {@code aud} ({@value #PARAM_CLIENT_ASSERTION_AUDIENCE}). */
    public AssertionAudience clientAssertionAudience() {
        return assertionAudience;
    }

    /**
     * An endpoint set by hand, which wins over discovery.
     *
     * @param parameter one of {@link #PARAM_AUTHORIZATION_ENDPOINT}, {@link #PARAM_TOKEN_ENDPOINT},
     *        {@link #PARAM_JWKS_URI}, {@link #PARAM_END_SESSION_ENDPOINT}, {@link #PARAM_REVOCATION_ENDPOINT}
     */
    public Optional<URI> endpoint(String parameter) {
        return Optional.ofNullable(endpointsByHand.get(parameter));
    }

    /**
     * Whether the authorization, token and JWKS endpoints are all set by hand: discovery is then
     * never fetched, and end-session and revocation come from their settings only.
     */
    public boolean discoveryNeeded() {
        return !(endpointsByHand.containsKey(PARAM_AUTHORIZATION_ENDPOINT) && endpointsByHand.containsKey(PARAM_TOKEN_ENDPOINT)
                && endpointsByHand.containsKey(PARAM_JWKS_URI));
    }

    /** The {@code audience} parameter ({@value #PARAM_AUDIENCE}), if set. */
    public Optional<String> audience() {
        return Optional.ofNullable(audience);
    }

    /** The {@code resource} indicators ({@value #PARAM_RESOURCE}), in order; empty when none. */
    public List<URI> resources() {
        return resources;
    }

    /** The scopes, space-separated, {@code openid} among them. */
    public String scope() {
        return scope;
    }

    /** The callback route's path inside the application. */
    public String callbackPath() {
        return callbackPath;
    }

    /**
     * Where the provider posts back-channel logout tokens ({@value #PARAM_BACKCHANNEL_LOGOUT_PATH}); empty
     * when it is {@value #BACKCHANNEL_LOGOUT_OFF}.
     */
    public Optional<String> backChannelLogoutPath() {
        return backChannelLogoutPath;
    }

    /** How long a started sign-in stays valid. */
    public Duration transactionMaxAge() {
        return transactionMaxAge;
    }

    /** The {@code prompt} sent, if any. */
    public Optional<String> prompt() {
        return prompt;
    }

    /** The {@code acr_values} sent, in order; empty when none is sent. */
    public List<String> acrValues() {
        return acrValues;
    }

    /** Whether the ID token's {@code acr} must be one of {@link #acrValues()}. */
    public boolean requireAcr() {
        return requireAcr;
    }

    /** The {@code max_age} sent, if any; the ID token's {@code auth_time} is then required and checked. */
    public Optional<Duration> maxAge() {
        return maxAge;
    }

    /** Whether the login endpoint passes its {@code login_hint} query parameter on to the provider. */
    public boolean loginHintFromRequest() {
        return loginHintFromRequest;
    }

    /** Whether the code exchange and refresh send {@code scope} too ({@value #PARAM_TOKEN_REQUEST_SCOPE}). */
    public boolean tokenRequestScope() {
        return tokenRequestScope;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OidcSettings other && issuer.equals(other.issuer) && clientId.equals(other.clientId)
                && secret().equals(other.secret()) && scope.equals(other.scope)
                && clientAuth == other.clientAuth && Objects.equals(clientKey == null ? null : clientKey.key(),
                        other.clientKey == null ? null : other.clientKey.key())
                && clientKeyId().equals(other.clientKeyId()) && assertionAudience == other.assertionAudience
                && endpointsByHand.equals(other.endpointsByHand) && Objects.equals(audience, other.audience)
                && resources.equals(other.resources)
                && callbackPath.equals(other.callbackPath) && backChannelLogoutPath.equals(other.backChannelLogoutPath)
                && transactionMaxAge.equals(other.transactionMaxAge)
                && prompt.equals(other.prompt) && acrValues.equals(other.acrValues) && requireAcr == other.requireAcr
                && maxAge.equals(other.maxAge) && loginHintFromRequest == other.loginHintFromRequest
                && tokenRequestScope == other.tokenRequestScope;
    }

    private String secret() {
        return secretCredentials == null ? "" : secretCredentials.clientSecret();
    }

    @Override
    public int hashCode() {
        return Objects.hash(issuer, clientId, scope, callbackPath, transactionMaxAge, prompt, acrValues, maxAge);
    }

    @Override
    public String toString() {
        return "OidcSettings[" + issuer + ", " + (secretCredentials == null ? "client_id=" + clientId : secretCredentials) + ", scope=" + scope + ", callback=" + callbackPath
                + ", backchannel-logout=" + backChannelLogoutPath.orElse(BACKCHANNEL_LOGOUT_OFF)
                + ", transaction=" + transactionMaxAge + ", client-auth=" + clientAuth.value()
                + clientKeyId().map(k -> ", client-key-id=" + k).orElse("")
                + (endpointsByHand.isEmpty() ? "" : ", endpoints=" + endpointsByHand.keySet())
                + (audience == null ? "" : ", audience=" + audience) + (resources.isEmpty() ? "" : ", resource=" + resources)
                + (prompt.isEmpty() ? "" : ", prompt=" + prompt.get())
                + (acrValues.isEmpty() ? "" : ", acr_values=" + String.join(" ", acrValues) + (requireAcr ? " (required)" : ""))
                + maxAge.map(d -> ", max_age=" + d.toSeconds()).orElse("") + (loginHintFromRequest ? ", login_hint from request" : "")
                + (tokenRequestScope ? ", scope on token requests" : "") + "]";
    }

    /** OpenID Connect settings in code. Not thread-safe. */
    public static final class Builder {
        private String issuer;
        private String clientId;
        private String clientSecret;
        private String scope;
        private String callbackPath;
        private String backChannelLogoutPath;
        private Duration transactionMaxAge;
            private ClientAuth clientAuth;
        private String clientKeyText;
        private PrivateKey clientKeyObject;
        private String clientKeyId;
        private AssertionAudience assertionAudience;
        private final Map<String, String> endpoints = new LinkedHashMap<>();
        private String audience;
        private final List<String> resources = new ArrayList<>();
        private String prompt;
        private String acrValues;
        private boolean requireAcr;
        private Duration maxAge;
        private boolean loginHintFromRequest;
        private boolean tokenRequestScope;

        private Builder() {
        }

        /** The client id alone ({@value OidcSettings#PARAM_CLIENT_ID}), for {@code private_key_jwt}. */
        public Builder clientId(String clientId) {
            this.clientId = Objects.requireNonNull(clientId, "clientId");
            return this;
        }

        /** How the client authenticates ({@value OidcSettings#PARAM_CLIENT_AUTH}), default {@code client_secret_basic}. */
        public Builder clientAuth(ClientAuth method) {
            this.clientAuth = Objects.requireNonNull(method, "method");
            return this;
        }

        /**
         * The {@code private_key_jwt} key ({@value OidcSettings#PARAM_CLIENT_KEY}) as text: PEM
         * PKCS#8, a private JWK, or {@code file:/absolute/path} to either. Checked at {@link #build()}.
         */
        public Builder clientKey(String pemJwkOrFile) {
            this.clientKeyText = Objects.requireNonNull(pemJwkOrFile, "pemJwkOrFile");
            this.clientKeyObject = null;
            return this;
        }

        /** The {@code private_key_jwt} key as an RSA (2048 bits or more) or EC (P-256/384/521) private key. */
        public Builder clientKey(PrivateKey key) {
            this.clientKeyObject = Objects.requireNonNull(key, "key");
            this.clientKeyText = null;
            return this;
        }

        /** The assertion's {@code kid} header ({@value OidcSettings#PARAM_CLIENT_KEY_ID}). */
        public Builder clientKeyId(String kid) {
            this.clientKeyId = Objects.requireNonNull(kid, "kid");
            return this;
        }

        /** The assertion's {@code aud} ({@value OidcSettings#PARAM_CLIENT_ASSERTION_AUDIENCE}), default the issuer. */
        public Builder clientAssertionAudience(AssertionAudience audience) {
            this.assertionAudience = Objects.requireNonNull(audience, "audience");
            return this;
        }

        /**
         * An endpoint by hand, overriding discovery: https, or http to loopback (https while the
         * issuer is). Checked at {@link #build()}.
         *
         * @param parameter {@value OidcSettings#PARAM_AUTHORIZATION_ENDPOINT}, {@value OidcSettings#PARAM_TOKEN_ENDPOINT},
         *        {@value OidcSettings#PARAM_JWKS_URI}, {@value OidcSettings#PARAM_END_SESSION_ENDPOINT} or
         *        {@value OidcSettings#PARAM_REVOCATION_ENDPOINT}
         * @throws IllegalArgumentException for another parameter name
         */
        public Builder endpoint(String parameter, String url) {
            if (!ENDPOINT_PARAMS.contains(parameter)) {
                throw new IllegalArgumentException(parameter + " is not an OpenID endpoint setting");
            }
            endpoints.put(parameter, Objects.requireNonNull(url, "url"));
            return this;
        }

        /** The {@code audience} parameter ({@value OidcSettings#PARAM_AUDIENCE}). */
        public Builder audience(String audience) {
            this.audience = Objects.requireNonNull(audience, "audience");
            return this;
        }

        /** Adds {@code resource} indicators ({@value OidcSettings#PARAM_RESOURCE}): absolute URIs without a fragment. */
        public Builder resource(String... uris) {
            for (String u : uris) {
                resources.add(Objects.requireNonNull(u, "uri").strip());
            }
            return this;
        }

        /** The issuer identifier ({@value OidcSettings#PARAM_ISSUER}): https, or http to loopback. */
        public Builder issuer(String issuer) {
            this.issuer = Objects.requireNonNull(issuer, "issuer");
            return this;
        }

        /** The client id and secret ({@value OidcSettings#PARAM_CLIENT_ID}, {@value OidcSettings#PARAM_CLIENT_SECRET}). */
        public Builder client(String clientId, String clientSecret) {
            this.clientId = Objects.requireNonNull(clientId, "clientId");
            this.clientSecret = Objects.requireNonNull(clientSecret, "clientSecret");
            return this;
        }

        /** The scopes ({@value OidcSettings#PARAM_SCOPE}), default {@value OidcSettings#DEFAULT_SCOPE}. */
        public Builder scope(String scope) {
            this.scope = Objects.requireNonNull(scope, "scope");
            return this;
        }

        /** The callback path ({@value OidcSettings#PARAM_CALLBACK_PATH}), default {@value OidcSettings#DEFAULT_CALLBACK_PATH}. */
        public Builder callbackPath(String path) {
            this.callbackPath = Objects.requireNonNull(path, "path");
            return this;
        }

        /**
         * Where the provider posts back-channel logout tokens ({@value OidcSettings#PARAM_BACKCHANNEL_LOGOUT_PATH}):
         * a plain path inside the application, other than the callback path, or
         * {@value OidcSettings#BACKCHANNEL_LOGOUT_OFF}; default {@value OidcSettings#DEFAULT_BACKCHANNEL_LOGOUT_PATH}.
         * Checked at {@link #build()}.
         */
        public Builder backChannelLogoutPath(String pathOrOff) {
            this.backChannelLogoutPath = Objects.requireNonNull(pathOrOff, "pathOrOff");
            return this;
        }

        /** The login transaction's lifetime ({@value OidcSettings#PARAM_TRANSACTION_MAX_AGE}): 30 s to 1 h, default 600 s. */
        public Builder transactionMaxAge(Duration maxAge) {
            this.transactionMaxAge = Objects.requireNonNull(maxAge, "maxAge");
            return this;
        }

        /**
         * The {@code prompt} of every authorization request ({@value OidcSettings#PARAM_PROMPT}): space-separated
         * values among {@link OidcSettings#PROMPT_VALUES}, {@code none} alone; default: none sent.
         */
        public Builder prompt(String prompt) {
            this.prompt = Objects.requireNonNull(prompt, "prompt");
            return this;
        }

        /**
         * The {@code acr_values} of every authorization request ({@value OidcSettings#PARAM_ACR_VALUES}), space-separated,
         * preferred first; default: none sent. Without {@link #requireAcr} the provider may ignore them.
         */
        public Builder acrValues(String acrValues) {
            this.acrValues = Objects.requireNonNull(acrValues, "acrValues");
            return this;
        }

        /**
         * Whether the ID token's {@code acr} must be one of the {@link #acrValues} ({@value OidcSettings#PARAM_REQUIRE_ACR}),
         * else the sign-in is refused; default false; true needs {@link #acrValues}.
         */
        public Builder requireAcr(boolean require) {
            this.requireAcr = require;
            return this;
        }

        /**
         * The {@code max_age} of every authorization request ({@value OidcSettings#PARAM_MAX_AGE}): whole seconds from 0
         * to 366 days; default: none sent. When sent, the ID token must carry {@code auth_time} no older than this
         * (plus a 30 s skew).
         */
        public Builder maxAge(Duration maxAge) {
            this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
            return this;
        }

        /**
         * Whether {@code GET <login endpoint>?login_hint=...} passes the hint on to the provider
         * ({@value OidcSettings#PARAM_LOGIN_HINT_FROM_REQUEST}); default false, the parameter is then ignored. A hint
         * given twice, longer than 256 UTF-8 bytes or with control characters is answered {@code 400}.
         */
        public Builder loginHintFromRequest(boolean allow) {
            this.loginHintFromRequest = allow;
            return this;
        }

        /**
         * Whether the code exchange and refresh send {@code scope} ({@link #scope}) as well
         * ({@value OidcSettings#PARAM_TOKEN_REQUEST_SCOPE}); default false: the token requests then carry no
         * {@code scope}, which on refresh means "as originally granted". Entra ID needs it
         * ({@code scope=openid offline_access api://<app>/.default}).
         */
        public Builder tokenRequestScope(boolean send) {
            this.tokenRequestScope = send;
            return this;
        }

        /**
         * Checks and returns the settings.
         *
         * @throws ConfigException naming the parameter at fault
         */
        public OidcSettings build() {
            return new OidcSettings(this);
        }
    }
}
