package io.github.sessiongate.login;

import io.github.sessiongate.AuditEvent.Event;
import io.github.sessiongate.EndpointSettings;
import io.github.sessiongate.LoginFlow;
import io.github.sessiongate.OidcSettings;
import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.Session;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.TokenRefresher;
import io.github.sessiongate.audit.Fingerprint;
import io.github.sessiongate.internal.BackendHttp;
import io.github.sessiongate.internal.ClientAuth;
import io.github.sessiongate.internal.Json;
import io.github.sessiongate.internal.TokenFields;
import io.github.sessiongate.web.LoginRedirect;
import io.github.sessiongate.web.RequestOrigin;
import io.github.sessiongate.web.SafeRedirect;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.ErrorCodeValidator;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.jwt.consumer.JwtContext;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;
import org.jose4j.lang.JoseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OpenID Connect sign-in, the authorization code flow with PKCE (OIDC Core 3.1, RFC 7636), on the
 * {@link LoginFlow} seam. A page without a session, or a {@code GET} of the login endpoint, is sent
 * to the provider's authorization endpoint with a fresh state, nonce and S256 code challenge kept
 * in a sealed login-transaction cookie; the callback checks state (constant time) and {@code iss},
 * exchanges the code with the verifier and HTTP Basic client authentication, validates the ID token
 * (signature through the discovered JWKS, {@code iss}, {@code aud}, {@code azp}, {@code exp},
 * {@code iat}, {@code nonce}, {@code at_hash}) and starts the session from the access and refresh
 * tokens, which the filter's validator validates as any other.
 *
 * <p>The provider's endpoints come from discovery ({@code <issuer>/.well-known/openid-configuration},
 * whose {@code issuer} must equal the configured one exactly), read when first needed and cached:
 * a provider that is down never fails start-up; the requests that need it get {@code 503} until it
 * answers, retried at most every {@link #RETRY_DISCOVERY}. Refusals are {@code 400} JSON
 * ({@code {"error": ...}}) without a session cookie; only an unreachable provider or a 5xx gives
 * {@code 503}. No code, token, verifier or state is ever logged. Thread-safe.
 */
public final class OidcLoginFlow implements LoginFlow {
    private static final Logger LOG = LoggerFactory.getLogger(OidcLoginFlow.class);
    /** How long after a failed discovery or JWKS download the next request tries again. */
    public static final Duration RETRY_DISCOVERY = Duration.ofSeconds(5);
    /** Tolerance for {@code iat} in the future and {@code exp} just past. */
    static final Duration SKEW = Duration.ofSeconds(30);
    private static final String VERSION = "o1";
    /** Longest {@code from} kept in a login transaction; a longer one sends the user home after sign-in. */
    static final int MAX_FROM = 512;
    private static final Pattern ERROR_CODE = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern B64URL = Pattern.compile("[A-Za-z0-9_-]{22,128}");
    private static final String[] ID_TOKEN_ALGORITHMS = {AlgorithmIdentifiers.RSA_USING_SHA256,
        AlgorithmIdentifiers.RSA_USING_SHA384, AlgorithmIdentifiers.RSA_USING_SHA512, AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
        AlgorithmIdentifiers.RSA_PSS_USING_SHA384, AlgorithmIdentifiers.RSA_PSS_USING_SHA512,
        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256, AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
        AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512};

    private final OidcSettings settings;
    private final EndpointSettings endpoints;
    private final RequestOrigin.Resolver origins;
    private final BackendHttp http;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final List<Route> routes;
    private final String issuer;
    private final Object discoveryLock = new Object();
    private volatile Provider provider;
    private volatile Instant nextDiscovery = Instant.MIN;
    private volatile boolean failureLogged;
    private volatile List<JsonWebKey> keys = List.of();
    private volatile Instant nextJwks = Instant.MIN;

    /** What discovery said: the endpoints this flow uses. */
    record Provider(URI authorization, URI token, URI jwks, Optional<URI> endSession, Optional<URI> revocation,
            boolean issParameterSupported) {
    }

    /**
     * @param settings the OpenID Connect settings
     * @param endpoints the filter's endpoints: the login route (a {@code GET} starts a sign-in), the success and logout paths
     * @param origins resolves the origin of {@code redirect_uri} ({@code public-origin}, else the request through trusted proxies)
     * @param http the filter's transport with the backend timeouts; not closed here
     */
    public OidcLoginFlow(OidcSettings settings, EndpointSettings endpoints, RequestOrigin.Resolver origins, BackendHttp http,
            Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.origins = Objects.requireNonNull(origins, "origins");
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.issuer = settings.issuer().toString();
        List<Route> r = new ArrayList<>();
        r.add(new Route(settings.callbackPath(), Csrf.OWN_DEFENCE));
        endpoints.path(EndpointSettings.Endpoint.LOGIN).filter(p -> !p.equals(settings.callbackPath()))
                .ifPresent(p -> r.add(new Route(p, Csrf.OWN_DEFENCE)));
        this.routes = List.copyOf(r);
    }

    @Override
    public List<Route> routes() {
        return routes;
    }

    @Override
    public boolean usesLoginTransactions() {
        return true;
    }

    @Override
    public String describe() {
        return "oidc{" + issuer + ", client_id=" + settings.client().clientId() + ", callback=" + settings.callbackPath() + "}";
    }

    @Override
    public Map<String, Object> sessionDetails(Session session) {
        return Map.of("flow", "oidc", "provider", issuer);
    }

    /** A {@code 302} to the provider's authorization endpoint, the transaction saved; {@code 503} while discovery fails. */
    @Override
    public void enter(Context context) throws IOException {
        String query = context.request().getQueryString();
        String target = context.request().getContextPath() + context.path() + (query == null ? "" : "?" + query);
        start(context, context.safeTarget(target));
    }

    @Override
    public void handle(Route route, Context context) throws IOException {
        if (!"GET".equals(context.request().getMethod())) {
            context.methodNotAllowed("GET");
            return;
        }
        if (route.path().equals(settings.callbackPath())) {
            callback(context);
        } else {
            start(context, single(context, "from").flatMap(context::safeTarget));
        }
    }

    // ------------------------------------------------------------------ the authorization request

    private void start(Context context, Optional<String> from) throws IOException {
        Optional<Provider> p = provider();
        if (p.isEmpty()) {
            unavailable(context, "discovery unavailable");
            return;
        }
        String state = randomToken(32);
        String nonce = randomToken(32);
        String verifier = randomToken(48); // 64 characters, RFC 7636 4.1
        String redirectUri = origins.resolve(context.request()).origin() + context.request().getContextPath()
                + settings.callbackPath();
        // A long from would crowd out the other tabs' sign-ins: past MAX_FROM it is dropped (home instead).
        String kept = from.filter(f -> f.length() <= MAX_FROM).orElse("");
        String head = String.join("|", VERSION, state, nonce, verifier, Long.toString(clock.instant().getEpochSecond()),
                b64(redirectUri));
        if (context.saveLoginTransaction(head + "|" + b64(kept)) < 0 && context.saveLoginTransaction(head + "|") < 0) {
            context.audit(Event.LOGIN_FAILED, "oidc: login transaction does not fit the cookie budget", null);
            context.json(HttpServletResponse.SC_BAD_REQUEST, Map.of("error", "login_too_large"));
            return;
        }
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", settings.client().clientId());
        q.put("redirect_uri", redirectUri);
        q.put("scope", settings.scope());
        q.put("state", state);
        q.put("nonce", nonce);
        q.put("code_challenge", b64(sha256(verifier)));
        q.put("code_challenge_method", "S256");
        context.redirect(HttpServletResponse.SC_FOUND, withQuery(p.get().authorization(), q));
    }

    // ------------------------------------------------------------------ the callback

    private void callback(Context context) throws IOException {
        Optional<String> state = single(context, "state");
        Optional<Transaction> found = state.flatMap(s -> find(context, s));
        if (found.isEmpty()) {
            refuse(context, null, state.isEmpty() ? "missing_state" : context.loginTransactions().isEmpty()
                    ? "login_transaction_missing" : "state_mismatch", null);
            return;
        }
        Transaction tx = found.get();
        Pending pending = Pending.parse(tx.value()).orElse(null);
        if (pending == null) {
            refuse(context, tx, "login_transaction_invalid", null);
            return;
        }
        Instant now = clock.instant();
        if (now.isAfter(pending.issuedAt().plus(settings.transactionMaxAge())) || pending.issuedAt().isAfter(now.plus(SKEW))) {
            refuse(context, tx, "login_transaction_expired", null);
            return;
        }
        // RFC 9207 2.4: the issuer first, error responses included (a mix-up attacker's error is not ours).
        Optional<Provider> p = provider();
        if (p.isEmpty()) {
            unavailable(context, "discovery unavailable");
            return;
        }
        String[] iss = context.request().getParameterValues("iss");
        if (iss != null ? iss.length != 1 || !iss[0].equals(issuer) : p.get().issParameterSupported()) {
            refuse(context, tx, "issuer_mismatch", null);
            return;
        }
        Optional<String> error = single(context, "error");
        if (error.isPresent() || context.request().getParameterValues("error") != null) {
            String code = error.filter(e -> ERROR_CODE.matcher(e).matches()).orElse("invalid");
            refuse(context, tx, "provider_error", code);
            return;
        }
        Optional<String> code = single(context, "code");
        if (code.isEmpty()) {
            refuse(context, tx, "missing_code", null);
            return;
        }
        exchange(context, tx, pending, p.get(), code.get());
    }

    private void exchange(Context context, Transaction tx, Pending pending, Provider p, String code) throws IOException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "authorization_code");
        form.put("code", code);
        form.put("redirect_uri", pending.redirectUri());
        form.put("code_verifier", pending.verifier());
        HttpRequest.Builder request = http.request(p.token()).header("Content-Type", "application/x-www-form-urlencoded");
        ClientAuth.apply(settings.client(), request, form);
        BackendHttp.Response answer;
        try {
            answer = http.send(request.POST(HttpRequest.BodyPublishers.ofString(ClientAuth.formBody(form))).build());
        } catch (BackendHttp.Unreachable e) {
            LOG.warn("OpenID token endpoint {} unreachable: {}", BackendHttp.withoutQuery(p.token()), e.getMessage());
            unavailable(context, "token endpoint unreachable");
            return;
        }
        Map<String, Object> json = Json.object(answer.body()).orElse(Map.of());
        if (answer.status() >= 500) {
            LOG.warn("OpenID token endpoint {} answered {}", BackendHttp.withoutQuery(p.token()), answer.status());
            unavailable(context, "token endpoint " + answer.status());
            return;
        }
        if (answer.status() != 200) {
            String error = Json.string(json, "error").filter(e -> ERROR_CODE.matcher(e).matches()).orElse("status " + answer.status());
            LOG.warn("OpenID code exchange refused by {}: {} ({}); code {}", BackendHttp.withoutQuery(p.token()), error,
                    Json.string(json, "error_description").map(OidcLoginFlow::printable).orElse("no description"),
                    Fingerprint.of(code));
            refuse(context, tx, "code_refused", null);
            return;
        }
        Optional<TokenPair> tokens = TokenFields.of("access_token", "refresh_token", "expires_in", clock).read(json);
        Optional<String> idToken = Json.string(json, "id_token");
        if (tokens.isEmpty() || idToken.isEmpty()) {
            LOG.warn("OpenID token endpoint {} answered 200 without {}", BackendHttp.withoutQuery(p.token()),
                    idToken.isEmpty() ? "an id_token" : "a usable access_token");
            refuse(context, tx, "token_response_invalid", null);
            return;
        }
        IdToken checked;
        try {
            checked = validate(p, idToken.get(), pending, tokens.get().accessToken());
        } catch (Unavailable e) {
            context.clearLoginTransaction(tx.slot()); // the code is spent: a retry starts a new sign-in
            unavailable(context, "jwks unavailable");
            return;
        } catch (Refused e) {
            LOG.warn("OpenID ID token refused: {}", e.getMessage());
            refuse(context, tx, "id_token_invalid", null);
            return;
        }
        started(context, tx, pending, tokens.get(), checked, idToken.get());
    }

    private void started(Context context, Transaction tx, Pending pending, TokenPair tokens, IdToken id, String idToken)
            throws IOException {
        SessionStart start = context.startSession(tokens, Optional.of(new ProviderFacts(id.issuer(), id.subject(), id.sid(),
                Optional.of(idToken))));
        switch (start.outcome()) {
            case STARTED -> {
                context.clearLoginTransaction(tx.slot());
                context.audit(Event.LOGIN_SUCCEEDED, "oidc", tokens.accessToken());
                String home = context.request().getContextPath() + endpoints.loginSuccessPath();
                Optional<String> from = pending.from().isEmpty() ? Optional.empty() : context.safeTarget(pending.from());
                context.redirect(HttpServletResponse.SC_SEE_OTHER, from.flatMap(f -> LoginRedirect.within(f,
                        Math.min(SafeRedirect.MAX_LENGTH, context.locationRoom()))).orElse(home));
            }
            case TOKEN_NOT_VALID -> {
                // The provider and the filter disagree (audience, issuer): a refused sign-in, not an outage.
                LOG.warn("OpenID sign-in: the access token from {} did not pass the filter's validator (check jwt.issuer, "
                        + "jwt.audience and jwt.accept-access-token-nonce); token {}", issuer, Fingerprint.of(tokens.accessToken()));
                if (tokens.refreshToken() != null) {
                    revoker().ifPresent(r -> r.revoke(tokens.refreshToken())); // issued for nothing
                }
                refuse(context, tx, "access_token_invalid", null);
            }
            case VALIDATOR_UNAVAILABLE -> {
                context.clearLoginTransaction(tx.slot()); // the code is spent: a retry starts a new sign-in
                unavailable(context, "validator unavailable");
            }
            case STATE_FULL -> {
                context.clearLoginTransaction(tx.slot());
                unavailable(context, "security store full");
            }
            case TOO_LARGE -> {
                context.clearLoginTransaction(tx.slot());
                context.audit(Event.LOGIN_FAILED, "tokens too large for cookies", tokens.accessToken());
                context.json(HttpServletResponse.SC_BAD_GATEWAY, Map.of("error", "tokens_too_large"));
            }
        }
    }

    /** A refused callback: its transaction cleared (when known), audited, {@code 400} JSON; no session cookie. */
    private static void refuse(Context context, Transaction tx, String reason, String providerError) throws IOException {
        if (tx != null) {
            context.clearLoginTransaction(tx.slot());
        }
        context.audit(Event.LOGIN_FAILED, "oidc callback: " + reason + (providerError == null ? "" : " " + providerError), null);
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", reason);
        if (providerError != null) {
            body.put("provider_error", providerError);
        }
        context.json(HttpServletResponse.SC_BAD_REQUEST, body);
    }

    private static void unavailable(Context context, String reason) throws IOException {
        context.audit(Event.UNAVAILABLE, "oidc: " + reason, null);
        context.countUnavailable();
        context.unavailable();
    }

    /** The transaction whose state equals {@code state}, compared in constant time. */
    private static Optional<Transaction> find(Context context, String state) {
        byte[] wanted = state.getBytes(StandardCharsets.UTF_8);
        Transaction match = null;
        for (Transaction t : context.loginTransactions()) {
            Optional<Pending> p = Pending.parse(t.value());
            if (p.isPresent() && MessageDigest.isEqual(wanted, p.get().state().getBytes(StandardCharsets.UTF_8))) {
                match = t;
            }
        }
        return Optional.ofNullable(match);
    }

    /** A query parameter given exactly once. */
    private static Optional<String> single(Context context, String name) {
        String[] values = context.request().getParameterValues(name);
        return values != null && values.length == 1 ? Optional.of(values[0]) : Optional.empty();
    }

    // ------------------------------------------------------------------ the ID token

    /** What the session keeps of a valid ID token. */
    record IdToken(String issuer, String subject, Optional<String> sid) {
    }

    private static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable() {
            super(null, null, false, false);
        }
    }

    /** OIDC Core 3.1.3.7: signature, iss, aud, azp, exp, iat, nonce, at_hash. */
    IdToken validate(Provider p, String idToken, Pending pending, String accessToken) throws Refused, Unavailable {
        JwtContext parsed;
        try {
            parsed = new JwtConsumerBuilder().setSkipAllValidators().setDisableRequireSignature().setSkipSignatureVerification()
                    .build().process(idToken);
        } catch (InvalidJwtException e) {
            throw new Refused("not a JWT");
        }
        String kid = parsed.getJoseObjects().isEmpty() ? null : parsed.getJoseObjects().get(0).getKeyIdHeaderValue();
        List<JsonWebKey> known = keys(p, kid);
        NumericDate now = NumericDate.fromMilliseconds(clock.millis());
        JwtConsumer consumer = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(known))
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT, ID_TOKEN_ALGORITHMS)
                .setExpectedIssuer(true, issuer)
                .setExpectedAudience(true, settings.client().clientId())
                .setRequireExpirationTime()
                .setRequireIssuedAt()
                .setRequireSubject()
                .setAllowedClockSkewInSeconds((int) SKEW.toSeconds())
                .setEvaluationTime(now)
                .build();
        JwtClaims claims;
        String algorithm;
        try {
            JwtContext checked = consumer.process(idToken);
            claims = checked.getJwtClaims();
            algorithm = checked.getJoseObjects().get(0).getAlgorithmHeaderValue();
        } catch (InvalidJwtException e) {
            List<String> why = e.getErrorDetails().stream().map(ErrorCodeValidator.Error::getErrorMessage)
                    .map(m -> m.replaceAll("JWT \\(claims->\\{.*?\\}\\) ", "")).toList();
            throw new Refused(why.isEmpty() ? e.getClass().getSimpleName() : String.join("; ", why));
        }
        try {
            List<String> aud = claims.getAudience();
            String azp = claims.getStringClaimValue("azp");
            if (azp != null ? !azp.equals(settings.client().clientId()) : aud.size() > 1) {
                throw new Refused("azp: expected " + settings.client().clientId() + ", was " + (azp == null ? "absent with "
                        + aud.size() + " audiences" : printable(azp)));
            }
            Instant iat = Instant.ofEpochSecond(claims.getIssuedAt().getValue());
            if (iat.isAfter(clock.instant().plus(SKEW)) || iat.isBefore(pending.issuedAt().minus(SKEW))) {
                throw new Refused("iat " + iat + " is not within the sign-in started at " + pending.issuedAt());
            }
            String nonce = claims.getStringClaimValue("nonce");
            if (nonce == null || !MessageDigest.isEqual(nonce.getBytes(StandardCharsets.UTF_8),
                    pending.nonce().getBytes(StandardCharsets.UTF_8))) {
                throw new Refused("nonce: " + (nonce == null ? "absent" : "not the one this sign-in sent"));
            }
            String atHash = claims.getStringClaimValue("at_hash");
            if (atHash != null && !MessageDigest.isEqual(atHash.getBytes(StandardCharsets.US_ASCII),
                    leftHalfHash(algorithm, accessToken).getBytes(StandardCharsets.US_ASCII))) {
                throw new Refused("at_hash does not match the access token");
            }
            String sid = claims.getStringClaimValue("sid");
            return new IdToken(claims.getIssuer(), claims.getSubject(), Optional.ofNullable(sid));
        } catch (MalformedClaimException e) {
            throw new Refused("malformed claim: " + e.getMessage());
        }
    }

    private static String leftHalfHash(String algorithm, String token) throws Refused {
        String bits = algorithm.substring(algorithm.length() - 3);
        String digest = switch (bits) {
            case "256" -> "SHA-256";
            case "384" -> "SHA-384";
            case "512" -> "SHA-512";
            default -> throw new Refused("at_hash with algorithm " + algorithm);
        };
        try {
            byte[] hash = MessageDigest.getInstance(digest).digest(token.getBytes(StandardCharsets.US_ASCII));
            return b64(Arrays.copyOf(hash, hash.length / 2));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JWKS, fetched when first needed and again (at most every {@link #RETRY_DISCOVERY}) for an unknown {@code kid}. */
    private List<JsonWebKey> keys(Provider p, String kid) throws Unavailable {
        List<JsonWebKey> current = keys;
        boolean known = !current.isEmpty() && (kid == null || current.stream().anyMatch(k -> kid.equals(k.getKeyId())));
        if (known || clock.instant().isBefore(nextJwks)) {
            if (current.isEmpty()) {
                throw new Unavailable();
            }
            return current;
        }
        synchronized (discoveryLock) {
            nextJwks = clock.instant().plus(RETRY_DISCOVERY);
            try {
                BackendHttp.Response r = http.send(http.request(p.jwks()).GET().build());
                if (r.status() == 200) {
                    keys = List.copyOf(new JsonWebKeySet(r.body()).getJsonWebKeys());
                } else {
                    LOG.warn("OpenID JWKS {} answered {}", BackendHttp.withoutQuery(p.jwks()), r.status());
                }
            } catch (BackendHttp.Unreachable e) {
                LOG.warn("OpenID JWKS {} unreachable: {}", BackendHttp.withoutQuery(p.jwks()), e.getMessage());
            } catch (JoseException | RuntimeException e) {
                LOG.warn("OpenID JWKS {} is not a JWK set", BackendHttp.withoutQuery(p.jwks()));
            }
        }
        if (keys.isEmpty()) {
            throw new Unavailable();
        }
        return keys;
    }

    // ------------------------------------------------------------------ discovery

    /** The discovered provider, fetched when first needed; empty while the provider does not answer. */
    Optional<Provider> provider() {
        Provider known = provider;
        if (known != null) {
            return Optional.of(known);
        }
        synchronized (discoveryLock) {
            if (provider != null) {
                return Optional.of(provider);
            }
            if (clock.instant().isBefore(nextDiscovery)) {
                return Optional.empty();
            }
            nextDiscovery = clock.instant().plus(RETRY_DISCOVERY);
            URI url = URI.create((issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer)
                    + "/.well-known/openid-configuration");
            try {
                BackendHttp.Response r = http.send(http.request(url).GET().build());
                if (r.status() != 200) {
                    return failed(url, "answered " + r.status());
                }
                Optional<Map<String, Object>> doc = Json.object(r.body());
                if (doc.isEmpty()) {
                    return failed(url, "answered no JSON object");
                }
                Optional<String> said = Json.string(doc.get(), "issuer");
                if (!said.map(issuer::equals).orElse(false)) {
                    return failed(url, "names issuer " + said.map(OidcLoginFlow::printable).orElse("(none)") + ", not " + issuer
                            + " exactly");
                }
                Provider p = new Provider(endpoint(doc.get(), "authorization_endpoint"), endpoint(doc.get(), "token_endpoint"),
                        endpoint(doc.get(), "jwks_uri"), optionalEndpoint(doc.get(), "end_session_endpoint"),
                        optionalEndpoint(doc.get(), "revocation_endpoint"),
                        Boolean.TRUE.equals(doc.get().get("authorization_response_iss_parameter_supported")));
                provider = p;
                LOG.info("OpenID provider {} discovered: authorization {}, token {}", issuer,
                        BackendHttp.withoutQuery(p.authorization()), BackendHttp.withoutQuery(p.token()));
                return Optional.of(p);
            } catch (BackendHttp.Unreachable e) {
                return failed(url, "unreachable: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                return failed(url, e.getMessage());
            }
        }
    }

    private Optional<Provider> failed(URI url, String why) {
        if (!failureLogged) {
            failureLogged = true;
            LOG.warn("OpenID discovery at {} failed: {}; sign-ins answer 503 until it succeeds", url, why);
        } else {
            LOG.debug("OpenID discovery at {} failed: {}", url, why);
        }
        return Optional.empty();
    }

    private URI endpoint(Map<String, Object> doc, String name) {
        return optionalEndpoint(doc, name).orElseThrow(() -> new IllegalArgumentException("names no " + name));
    }

    /**
     * An endpoint of the discovery document: https, or http to loopback only while the issuer
     * itself is plain http (a test provider). The client secret and refresh tokens go where the
     * document says, so it is trusted as much as the issuer that serves it.
     */
    private Optional<URI> optionalEndpoint(Map<String, Object> doc, String name) {
        Optional<String> value = Json.string(doc, name);
        if (value.isEmpty()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = BackendHttp.checkUrl(name, value.get());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " is not an https URL (or http to loopback)");
        }
        if (issuer.startsWith("https:") && !"https".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException(name + " is not https while the issuer is");
        }
        return Optional.of(uri);
    }

    // ------------------------------------------------------------------ logout, refresh, revoke

    /** The provider's end-session endpoint with {@code client_id} and {@code post_logout_redirect_uri}, when discovered. */
    @Override
    public Optional<String> logoutLocation(Context context, Optional<ProviderFacts> ended) {
        Provider p = provider;
        if (p == null || p.endSession().isEmpty()) {
            return Optional.empty();
        }
        Map<String, String> q = new LinkedHashMap<>();
        q.put("client_id", settings.client().clientId());
        q.put("post_logout_redirect_uri", origins.resolve(context.request()).origin() + context.request().getContextPath()
                + endpoints.logoutRedirectPath());
        return Optional.of(withQuery(p.endSession().get(), q));
    }

    /** Refreshes at the discovered token endpoint with the client credentials (RFC 6749 6). */
    @Override
    public Optional<TokenRefresher> refresher() {
        return Optional.of(new TokenRefresher() {
            @Override
            public RefreshResult refresh(String refreshToken) {
                return refreshAt(refreshToken);
            }

            @Override
            public String describe() {
                return "oidc-refresh{" + issuer + "}";
            }
        });
    }

    private RefreshResult refreshAt(String refreshToken) {
        Optional<Provider> p = provider();
        if (p.isEmpty()) {
            return RefreshResult.unavailable("OpenID discovery unavailable");
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "refresh_token");
        form.put("refresh_token", refreshToken);
        HttpRequest.Builder request = http.request(p.get().token()).header("Content-Type", "application/x-www-form-urlencoded");
        ClientAuth.apply(settings.client(), request, form);
        BackendHttp.Response answer;
        try {
            answer = http.send(request.POST(HttpRequest.BodyPublishers.ofString(ClientAuth.formBody(form))).build());
        } catch (BackendHttp.Unreachable e) {
            return RefreshResult.unavailable("token endpoint " + e.getMessage());
        }
        Map<String, Object> json = Json.object(answer.body()).orElse(Map.of());
        if (answer.status() == 200) {
            return TokenFields.of("access_token", "refresh_token", "expires_in", clock).read(json)
                    .map(RefreshResult::refreshed).orElseGet(() -> RefreshResult.unavailable("token endpoint answer incomplete"));
        }
        if (answer.status() == 400 && Json.string(json, "error").filter("invalid_grant"::equals).isPresent()) {
            return RefreshResult.refused();
        }
        return RefreshResult.unavailable("token endpoint answered " + answer.status());
    }

    /** RFC 7009 at the discovered {@code revocation_endpoint}, best effort. */
    @Override
    public Optional<Revoker> revoker() {
        return Optional.of(token -> {
            Provider p = provider;
            if (p == null || p.revocation().isEmpty()) {
                return;
            }
            Map<String, String> form = new LinkedHashMap<>();
            form.put("token", token);
            form.put("token_type_hint", "refresh_token");
            HttpRequest.Builder request = http.request(p.revocation().get())
                    .header("Content-Type", "application/x-www-form-urlencoded");
            ClientAuth.apply(settings.client(), request, form);
            try {
                BackendHttp.Response r = http.send(request.POST(HttpRequest.BodyPublishers.ofString(ClientAuth.formBody(form))).build());
                if (r.status() != 200) {
                    LOG.debug("OpenID revocation answered {} for {}", r.status(), Fingerprint.of(token));
                }
            } catch (BackendHttp.Unreachable e) {
                LOG.debug("OpenID revocation unreachable ({}) for {}", e.getMessage(), Fingerprint.of(token));
            }
        });
    }

    // ------------------------------------------------------------------ the transaction

    /** One pending sign-in as its cookie carries it. */
    record Pending(String state, String nonce, String verifier, Instant issuedAt, String redirectUri, String from) {
        static Optional<Pending> parse(String value) {
            String[] f = value.split("\\|", -1);
            if (f.length != 7 || !VERSION.equals(f[0]) || !B64URL.matcher(f[1]).matches() || !B64URL.matcher(f[2]).matches()
                    || !B64URL.matcher(f[3]).matches()) {
                return Optional.empty();
            }
            try {
                return Optional.of(new Pending(f[1], f[2], f[3], Instant.ofEpochSecond(Long.parseLong(f[4])), unb64(f[5]),
                        unb64(f[6])));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }

        @Override
        public String toString() {
            return "Pending[issuedAt=" + issuedAt + ", state/nonce/verifier=[PROTECTED]]";
        }
    }

    private String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return b64(b);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static String b64(String s) {
        return b64(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String unb64(String s) {
        return new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
    }

    private static String withQuery(URI base, Map<String, String> params) {
        StringBuilder b = new StringBuilder(base.toString());
        char sep = base.getRawQuery() == null ? '?' : '&';
        for (Map.Entry<String, String> e : params.entrySet()) {
            b.append(sep).append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
            sep = '&';
        }
        return b.toString();
    }

    /** A provider's text for a log line: printable ASCII, at most 200 characters. */
    private static String printable(String s) {
        String p = s.replaceAll("[^\\x20-\\x7e]", "?");
        return p.length() > 200 ? p.substring(0, 200) + "..." : p;
    }
}
