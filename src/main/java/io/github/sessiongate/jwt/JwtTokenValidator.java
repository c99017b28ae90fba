package io.github.sessiongate.jwt;

import io.github.sessiongate.ClientCredentials;
import io.github.sessiongate.ConfigException;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.OidcSettings;
import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.Session;
import io.github.sessiongate.TokenRefresher;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.internal.BackendUrls;
import io.github.sessiongate.internal.Secrets;
import io.github.sessiongate.ValidationResult.Reason;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.internal.Bounds;
import io.github.sessiongate.internal.CompactJws;
import io.github.sessiongate.internal.JsonValues;
import io.github.sessiongate.internal.LogText;
import java.io.IOException;
import java.net.URI;
import java.security.Key;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jose4j.jca.ProviderContext;
import org.jose4j.jwa.AlgorithmFactoryFactory;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jws.JsonWebSignatureAlgorithm;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.MalformedClaimException;
import org.jose4j.jwx.Headers;
import org.jose4j.jwx.JsonWebStructure;
import org.jose4j.lang.InvalidAlgorithmException;
import org.jose4j.lang.InvalidKeyException;
import org.jose4j.lang.JoseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Validates signed JWT access tokens locally (<a href="https://www.rfc-editor.org/rfc/rfc7519">RFC
 * 7519</a>, following the <a href="https://www.rfc-editor.org/rfc/rfc8725">JWT best current
 * practices</a>) with jose4j: signature with an allow-listed algorithm, issuer, audience, times,
 * subject and token type. The key is exactly one of an HMAC secret, a PEM public key, or a JWKS URL.
 *
 * <p><b>Algorithms:</b> HS256/384/512 with a secret; RS*, PS* and ES* with RSA and EC keys; and
 * {@code EdDSA} (Ed25519 only: an Ed25519 PEM key or {@code OKP} JWKs with {@code crv: Ed25519})
 * only when {@code jwt.algorithms} lists it, since no default list holds it. An algorithm that does
 * not fit the key fails start-up. Ed448 is not supported: refused as a PEM key, ignored in a JWKS.
 *
 * <p>From code: {@code JwtTokenValidator.withJwkSetUri(URI.create("https://idp.example.com/jwks"))
 * .issuer("https://idp.example.com").audience("my-app").build()}; each builder method is named
 * after its init-param and checks the same bounds. In web.xml:
 *
 * <pre>{@code
 * <init-param><param-name>validator-class</param-name>
 *   <param-value>io.github.sessiongate.jwt.JwtTokenValidator</param-value></init-param>
 * <init-param><param-name>jwt.jwks-url</param-name>
 *   <param-value>https://idp.example.com/.well-known/jwks.json</param-value></init-param>
 * <init-param><param-name>jwt.issuer</param-name>
 *   <param-value>https://idp.example.com</param-value></init-param>
 * <init-param><param-name>jwt.audience</param-name>
 *   <param-value>my-app</param-value></init-param>
 * }</pre>
 *
 * <p><b>What is refused</b> (each a fixed {@link Reason}; nothing from the token is logged):
 * any spelling but the canonical one (padding, {@code +} or {@code /}, non-zero unused bits in a
 * segment's last character: {@link Reason#MALFORMED} before any signature work, so one token has
 * one string); an algorithm outside {@code jwt.algorithms} ({@code none} can never be allowed); a bad
 * signature; an unknown key; a wrong or missing issuer ({@code jwt.issuer} is required, since a
 * missing issuer check lets any token signed by a shared key in); a wrong or missing audience
 * ({@code jwt.audience} is required unless {@code jwt.allow-any-audience=true}); a missing
 * {@code exp}; {@code nbf} or {@code iat} later than now plus the clock skew; a lifetime over
 * {@code jwt.max-lifetime}; a missing or empty {@code sub}; a missing required claim; and a token
 * that is marked as something other than an access token: a {@code typ} header or claim naming a
 * refresh, ID, logout, guest or client token, a {@code token_use} other than {@code access}, or an
 * ID token's {@code nonce}, {@code at_hash} or {@code c_hash} claim. A plain {@code typ: JWT}
 * passes. Nested (signed-then-signed), encrypted and {@code crit}-bearing tokens are refused as
 * malformed.
 *
 * <p><b>Expiry:</b> a token past its {@code exp} whose every other check passes is reported as
 * {@linkplain ValidationResult#expired() expired}, and the clock skew is deliberately <em>not</em>
 * applied to {@code exp}: the filter refreshes as soon as the token has expired, so skew there
 * would only keep an expired token alive. Skew applies to {@code nbf} and a future {@code iat}.
 *
 * <p><b>Time</b> comes from the {@link Clock} given to {@link Builder#clock} or {@link #init}.
 *
 * <p><b>One signature check and one claims parse per new token.</b> An identity provider's tokens
 * share a few header segments, so each distinct header segment is parsed and checked once
 * ({@code alg} against {@code jwt.algorithms} and thus the key type, {@code typ} and
 * {@code jwt.require-type}, {@code crit}, {@code cty}, {@code enc}, {@code b64}, {@code kid}) and
 * its keys resolved once, then kept in a cache of {@value #HEADER_CACHE_SLOTS} slots (direct-mapped,
 * so bounded whatever arrives; a new header takes the slot of an old one). Only a header that
 * passed every check, found a key and carried a token whose signature verified enters it: a
 * refused header is refused again, in microseconds, each time, and a forged token (however
 * acceptable its header) can neither fill the cache nor evict the provider's headers. A header
 * whose {@code typ} refuses the token never enters it either; that refusal is applied where the
 * claims' {@code typ} is, after the signature and the issuer and audience checks, so each token
 * keeps the refusal reason it always had. The keys are kept with the key source's generation (the JWKS key set
 * as last fetched) and resolved again when it changes, so a rotation is seen as soon as the key
 * set is refetched. Per token there remain the canonical-spelling check, the signature (jose4j's
 * algorithm implementation, so its ECDSA and HMAC safeguards apply), and the claims, parsed once
 * by a strict parser (RFC 8259; duplicate names, a fractional {@code exp}, {@code nbf} or
 * {@code iat} and nesting deeper than 32 are malformed) straight into the immutable maps the
 * session carries. The signature is checked before the claims are read; claims that cannot be
 * parsed are still reported as malformed rather than as a bad signature.
 *
 * <p><b>JWKS</b> failures never refuse a token: when keys cannot be fetched and none are cached
 * the result is {@linkplain ValidationResult#unavailable(String) unavailable}, so the filter denies
 * the request but keeps the user's cookies.
 *
 * <p><b>Refresh</b> is remote: when {@code refresh-url} or {@code oauth2.token-url} is set, a
 * {@link TokenRefresher} (built in: {@code remote.HttpTokenRefresher}) trades refresh tokens at that backend (local validation, remote
 * refresh); otherwise refresh is {@linkplain RefreshResult#unsupported() unsupported}.
 *
 * <p><b>Extension:</b> {@link #roles(Map)} and {@link #checkClaims(Map)} are the hooks; the
 * checks above are not overridable.
 */
public class JwtTokenValidator extends TokenValidator {
    private static final Logger LOG = LoggerFactory.getLogger(JwtTokenValidator.class);

    /** HMAC secret for HS256/384/512; {@code base64:} prefix for binary. At least 32/48/64 bytes. */
    public static final String PARAM_SECRET = "jwt.secret";
    /** RSA, EC or Ed25519 public key: PEM text, or {@code file:/path} to a PEM file. */
    public static final String PARAM_PUBLIC_KEY = "jwt.public-key";
    /**
     * Optional key id of {@link #PARAM_PUBLIC_KEY}: a token whose {@code kid} header is missing or
     * different is refused as {@link Reason#UNKNOWN_KEY} before any signature work. Without it any
     * {@code kid} is ignored, so every well-formed token with an allowed {@code alg} costs one
     * signature check. Only with {@link #PARAM_PUBLIC_KEY}.
     */
    public static final String PARAM_PUBLIC_KEY_ID = "jwt.public-key-id";
    /**
     * Optional key id of {@link #PARAM_SECRET}: a token whose {@code kid} header is missing or
     * different is refused as {@link Reason#UNKNOWN_KEY} before any HMAC is computed. Without it
     * any {@code kid} is ignored, so every well-formed token with an allowed {@code alg} costs one
     * HMAC. Only with {@link #PARAM_SECRET}.
     */
    public static final String PARAM_SECRET_KEY_ID = "jwt.secret-key-id";
    /** URL of a JSON Web Key Set: https, or http to a loopback host. */
    public static final String PARAM_JWKS_URL = "jwt.jwks-url";

    /**
     * Allowed JWS algorithms; {@code none} is never allowed. Default depends on the key source;
     * {@code EdDSA} must always be listed (an Ed25519 {@link #PARAM_PUBLIC_KEY} has no default).
     */
    public static final String PARAM_ALGORITHMS = "jwt.algorithms";
    /** Default algorithms with {@link #PARAM_SECRET}. */
    public static final List<String> DEFAULT_ALGORITHMS_SECRET = List.of(AlgorithmIdentifiers.HMAC_SHA256);
    /** Default algorithms with an RSA {@link #PARAM_PUBLIC_KEY} (an EC key gets the ES algorithm of its curve). */
    public static final List<String> DEFAULT_ALGORITHMS_RSA = List.of(AlgorithmIdentifiers.RSA_USING_SHA256);
    /** Default algorithms with {@link #PARAM_JWKS_URL}. */
    public static final List<String> DEFAULT_ALGORITHMS_JWKS = List.of(
            AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);

    /** Required: the expected {@code iss}; several allowed (comma- or space-separated). */
    public static final String PARAM_ISSUER = "jwt.issuer";
    /** Required unless {@link #PARAM_ALLOW_ANY_AUDIENCE}: accepted {@code aud} values, one must match. */
    public static final String PARAM_AUDIENCE = "jwt.audience";
    /** Opt-in relaxation: accept any (or no) {@code aud}. Cannot be combined with {@link #PARAM_AUDIENCE}. */
    public static final String PARAM_ALLOW_ANY_AUDIENCE = "jwt.allow-any-audience";
    public static final boolean DEFAULT_ALLOW_ANY_AUDIENCE = false;
    /**
     * Interop opt-in: accept a {@code nonce} claim in an access token (Keycloak before 25 and
     * mock-oauth2-server put the ID token's nonce there). Off by default, because a nonce marks an
     * ID token. On, it needs the OpenID client id ({@code oauth2.client-id}), and a token carrying
     * {@code at_hash}, {@code c_hash} or an ID-token {@code typ}, or whose only audience is that
     * client id, is still refused: an ID token never passes as an access token.
     */
    public static final String PARAM_ACCEPT_ACCESS_TOKEN_NONCE = "jwt.accept-access-token-nonce";
    public static final boolean DEFAULT_ACCEPT_ACCESS_TOKEN_NONCE = false;

    /** Tolerance for {@code nbf} and a future {@code iat} (not for {@code exp}). */
    public static final String PARAM_CLOCK_SKEW = "jwt.clock-skew";
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);

    /** Longest accepted lifetime: {@code exp - iat}, or {@code exp - now} without {@code iat}. */
    public static final String PARAM_MAX_LIFETIME = "jwt.max-lifetime";
    public static final Duration DEFAULT_MAX_LIFETIME = Duration.ofHours(24);
    public static final Duration MIN_MAX_LIFETIME = Duration.ofMinutes(1);
    public static final Duration MAX_MAX_LIFETIME = Duration.ofDays(30);

    /** Claims that must be present and not null; a dotted name reaches into objects. */
    public static final String PARAM_REQUIRED_CLAIMS = "jwt.required-claims";
    public static final List<String> DEFAULT_REQUIRED_CLAIMS = List.of();

    /**
     * When set (e.g. {@code at+jwt}, RFC 9068), the {@code typ} header must equal it, compared
     * case-insensitively with or without {@code application/}. Default: not checked.
     */
    public static final String PARAM_REQUIRE_TYPE = "jwt.require-type";

    /** Claim holding the roles: a string array, a space-separated string, or a dotted path. */
    public static final String PARAM_ROLES_CLAIM = "jwt.roles-claim";
    public static final String DEFAULT_ROLES_CLAIM = "roles";

    /** Connect and read timeout of one JWKS fetch; there are no retries. */
    public static final String PARAM_JWKS_TIMEOUT = "jwt.jwks-timeout";
    public static final Duration DEFAULT_JWKS_TIMEOUT = Duration.ofSeconds(2);
    /** How long cached keys stay in use after a failed refresh; 0 disables. */
    public static final String PARAM_JWKS_RETAIN_ON_ERROR = "jwt.jwks-retain-on-error";
    public static final Duration DEFAULT_JWKS_RETAIN_ON_ERROR = Duration.ofHours(1);
    /** Minimum time between two JWKS fetches (unknown {@code kid}, expired cache or after a failure). */
    public static final String PARAM_JWKS_REFETCH_INTERVAL = "jwt.jwks-refetch-interval";
    public static final Duration DEFAULT_JWKS_REFETCH_INTERVAL = Duration.ofSeconds(30);
    /** How long fetched keys are cached when the response has no {@code Cache-Control: max-age} or {@code Expires}. */
    public static final String PARAM_JWKS_CACHE_DURATION = "jwt.jwks-cache-duration";
    public static final Duration DEFAULT_JWKS_CACHE_DURATION = Duration.ofHours(1);

    /** Deepest JSON nesting accepted in a header or payload; deeper is refused as malformed. */
    static final int MAX_JSON_DEPTH = 32;

    /** Slots of the header cache: far more than the distinct headers of an identity provider. */
    static final int HEADER_CACHE_SLOTS = 256;

    /** jose4j's default providers, as its JsonWebSignature uses them. */
    private static final ProviderContext PROVIDERS = new ProviderContext();

    private static final List<String> KNOWN_ALGORITHMS = List.of(
            AlgorithmIdentifiers.HMAC_SHA256, AlgorithmIdentifiers.HMAC_SHA384, AlgorithmIdentifiers.HMAC_SHA512,
            AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384,
            AlgorithmIdentifiers.RSA_USING_SHA512, AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA384, AlgorithmIdentifiers.RSA_PSS_USING_SHA512,
            AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
            AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
            AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512,
            AlgorithmIdentifiers.EDDSA);

    /**
     * {@code typ} values (lower case, {@code application/} and {@code +jwt} removed, then only
     * letters and digits kept) that mark a token which is not an access token.
     */
    private static final Set<String> NON_ACCESS_TYPES = Set.of(
            "refresh", "refreshtoken", "offline", "offlinetoken",
            "id", "idtoken", "logout", "logouttoken", "secevent",
            "guest", "guesttoken", "client", "clienttoken",
            "sessiongateguest", "sessiongateclient", "sessiongaterefresh");

    /** Claims only an OpenID Connect ID token carries. */
    private static final List<String> ID_TOKEN_CLAIMS = List.of("nonce", "at_hash", "c_hash");

    private static final Pattern MEDIA_TYPE = Pattern.compile("[a-z0-9!#$&^_.+-]+");

    /** When jose4j reports several problems, the first of these that applies is the reason. */
    private static final List<Reason> PRECEDENCE = List.of(
            Reason.DISALLOWED_ALGORITHM, Reason.BAD_SIGNATURE, Reason.MALFORMED, Reason.WRONG_ISSUER,
            Reason.WRONG_AUDIENCE, Reason.NO_SUBJECT, Reason.MISSING_CLAIM, Reason.WRONG_TOKEN_TYPE,
            Reason.NOT_YET_VALID, Reason.ISSUED_IN_FUTURE, Reason.LIFETIME_TOO_LONG);

    private volatile Config config;
    private volatile TokenRefresher refresh;
    /** The HMAC secret as text, when keyed by one; for the filter's key-reuse check only. */
    private volatile String secretText;
    private volatile Clock clock;
    private volatile boolean closed;
    /** Signature verifications made, for tests: a count, never a timing. */
    private final LongAdder signatureChecks = new LongAdder();
    /** Checked header segments and their keys; see the class comment. */
    private final HeaderCache<CheckedHeader> headers = new HeaderCache<>(HEADER_CACHE_SLOTS);

    /** Settings after {@link #start}; immutable. */
    private record Config(KeySource keys, List<String> algorithms, List<String> issuers, List<String> audiences,
            int skewSeconds, long maxLifetimeSeconds, List<String> requiredClaims, String requiredType,
            String rolesClaim, String nonceClientId) {
    }

    /**
     * A header segment that passed the header checks: its algorithm, {@code kid}, and whether its
     * {@code typ} refuses the token (applied where the claims' {@code typ} is, so reasons keep
     * their order); the keys are bound to the key source's generation they were resolved in.
     */
    private static final class CheckedHeader {
        /** The header segment, copied out of the token only when the header enters the cache; {@code null} before. */
        String segment;
        final String alg;
        final JsonWebSignatureAlgorithm algorithm;
        final String kid;
        final boolean typeRefused;
        volatile KeyBinding binding;

        CheckedHeader(String segment, String alg, JsonWebSignatureAlgorithm algorithm, String kid, boolean typeRefused) {
            this.segment = segment;
            this.alg = alg;
            this.algorithm = algorithm;
            this.kid = kid;
            this.typeRefused = typeRefused;
        }
    }

    /** A header's usable keys, as resolved in one generation of the key source. */
    private record KeyBinding(Object generation, List<Key> keys) {
    }

    /**
     * For the container ({@code validator-class}), which then calls {@link #init} once; from code,
     * use {@link #withJwkSetUri}, {@link #withPublicKey(PublicKey)} or {@link #withSecret(byte[])},
     * whose {@link Builder#build()} returns a ready validator.
     */
    public JwtTokenValidator() {
    }

    /**
     * Keys from a JSON Web Key Set ({@code jwt.jwks-url}): https, or http to a loopback host.
     * Default algorithms {@link #DEFAULT_ALGORITHMS_JWKS}.
     *
     * @throws ConfigException naming {@code jwt.jwks-url} when the URL is not allowed
     */
    public static Builder withJwkSetUri(URI jwkSetUri) {
        Objects.requireNonNull(jwkSetUri, "jwkSetUri");
        String url = jwkSetUri.toString();
        JwksKeySource.check(PARAM_JWKS_URL, url);
        return new Builder(PARAM_JWKS_URL, (jwks, clock) -> JwksKeySource.create(PARAM_JWKS_URL, url, jwks, clock));
    }

    /**
     * The keys of an OpenID provider, as the filter uses them when {@code oidc.issuer} is set and no
     * {@code jwt.*} key source is: its {@code jwks_uri}, read from its discovery document when
     * first needed (nothing is fetched now; while the provider does not answer, validations are
     * unavailable). The issuer defaults to {@code issuer}; the audience is still required.
     *
     * @param issuer the provider's issuer identifier, exactly as its discovery document names it
     * @throws ConfigException naming {@code oidc.issuer} when the URL is not allowed
     */
    public static Builder withOidcDiscovery(URI issuer) {
        String value = Objects.requireNonNull(issuer, "issuer").toString();
        BackendUrls.check(OidcSettings.PARAM_ISSUER, value, "keys fetched over plain http can be replaced in transit");
        Builder b = new Builder(OidcSettings.PARAM_ISSUER, (jwks, clock) -> new DiscoveredJwksKeySource(value, null, jwks, clock));
        return b.issuer(value);
    }

    /**
     * One RSA (2048 bits or more), EC (P-256, P-384, P-521) or Ed25519 public key
     * ({@code jwt.public-key}). Default algorithm RS256, or the ES algorithm of the key's curve; an
     * Ed25519 key has none and needs {@link Builder#algorithms(String...) algorithms("EdDSA")}.
     * Give {@link Builder#publicKeyId} too, so that a token with a foreign {@code kid} costs no
     * signature check.
     *
     * @throws ConfigException naming {@code jwt.public-key} when the key is weak or of another type
     *         (Ed448 included)
     */
    public static Builder withPublicKey(PublicKey publicKey) {
        PublicKeySource source = PublicKeySource.of(PARAM_PUBLIC_KEY, Objects.requireNonNull(publicKey, "publicKey"), "code");
        return new Builder(PARAM_PUBLIC_KEY, (jwks, clock) -> source);
    }

    /**
     * As {@link #withPublicKey(PublicKey)}, from PEM text ({@code BEGIN PUBLIC KEY} or
     * {@code BEGIN CERTIFICATE}) or {@code file:/absolute/path} to a PEM file.
     *
     * @throws ConfigException naming {@code jwt.public-key} when it cannot be read or is not a public key
     */
    public static Builder withPublicKeyPem(String pemOrFile) {
        PublicKeySource source = PublicKeySource.parse(PARAM_PUBLIC_KEY, Objects.requireNonNull(pemOrFile, "pemOrFile"));
        return new Builder(PARAM_PUBLIC_KEY, (jwks, clock) -> source);
    }

    /**
     * A shared HMAC secret ({@code jwt.secret}), at least 32, 48 or 64 random bytes for HS256,
     * HS384 or HS512 (checked at {@link Builder#build()}). Default algorithm HS256. The array is copied.
     * Give {@link Builder#secretKeyId} too, so that a token with a foreign {@code kid} costs no HMAC.
     *
     * @throws ConfigException naming {@code jwt.secret} when it is empty
     */
    public static Builder withSecret(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length == 0) {
            throw new ConfigException(PARAM_SECRET, "is empty");
        }
        byte[] copy = secret.clone();
        Builder b = new Builder(PARAM_SECRET, (jwks, clock) -> SecretKeySource.of(PARAM_SECRET, copy.clone()));
        b.secretText = Secrets.BASE64_PREFIX + Base64.getEncoder().encodeToString(copy);
        return b;
    }

    /**
     * As {@link #withSecret(byte[])}, written as in web.xml: UTF-8 text, or {@code base64:...}.
     *
     * @throws ConfigException naming {@code jwt.secret} when it is empty or its base64 is bad
     */
    public static Builder withSecret(String secret) {
        return withSecret(Secrets.decode(PARAM_SECRET, Objects.requireNonNull(secret, "secret")));
    }

    /**
     * Builds a configured validator from code, with the same parameter names as web.xml: a thin
     * mapping onto {@link Builder}. {@code ${env:NAME}} and {@code ${sys:name}} references are resolved.
     *
     * @param params parameter names to values; a name this validator does not know fails
     * @param clock the time source, {@code Clock.systemUTC()} outside tests
     * @throws ConfigException naming the parameter at fault
     */
    public static JwtTokenValidator fromParams(Map<String, String> params, Clock clock) {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(clock, "clock");
        InitParams resolved = InitParams.resolve(params);
        JwtTokenValidator validator = new JwtTokenValidator();
        validator.init(resolved, clock);
        Set<String> unread = resolved.unread();
        if (!unread.isEmpty()) {
            validator.close();
            throw new ConfigException(unread.iterator().next(), "is not a parameter of "
                    + JwtTokenValidator.class.getSimpleName() + " (check the spelling)");
        }
        return validator;
    }

    /**
     * Reads every {@code jwt.*} parameter (and the refresh parameters) onto a {@link Builder} and
     * starts this validator from it. Not overridable: the checks it sets up are the security contract.
     */
    @Override
    protected final void init(InitParams params, Clock clock) {
        Builder builder = builderFrom(params, clock);
        Optional<TokenRefresher> refresher = params.refresher(clock);
        try {
            refresher.ifPresent(builder::refresher);
            start(builder);
        } catch (RuntimeException e) {
            refresher.ifPresent(TokenRefresher::close);
            throw e;
        }
        warmUp(config.keys(), builder.jwksTimeout);
    }

    /**
     * The web application's start-up fetch of the JWKS (or discovery document): a wrong URL or an
     * error status shows at WARN, with the URL and the status, before the first request. Never fails
     * start-up, and waits at most {@code jwt.jwks-timeout}: a slower fetch goes on in the
     * background, ending within its own timeouts (or interrupted by {@link #close}). Nothing for a
     * fixed key or secret.
     */
    private void warmUp(KeySource keys, Duration timeout) {
        if (!(keys instanceof JwksKeySource || keys instanceof DiscoveredJwksKeySource)) {
            return;
        }
        Thread fetch = new Thread(keys::warmUp, "sessiongate-jwks-start-up");
        fetch.setDaemon(true);
        startUpFetch = fetch;
        fetch.start();
        try {
            fetch.join(Math.max(1, timeout.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (fetch.isAlive()) {
            LOG.warn("Start-up fetch of the keys ({}) takes longer than {} ({}); start-up goes on, and requests answer "
                    + "503 until the keys arrive", keys.describe(), timeout, PARAM_JWKS_TIMEOUT);
        }
    }

    /** The string-to-builder mapping: no default and no bound here, the builder has them all. */
    private static Builder builderFrom(InitParams params, Clock clock) {
        Optional<String> secret = params.get(PARAM_SECRET);
        Optional<String> publicKey = params.get(PARAM_PUBLIC_KEY);
        Optional<String> jwksUrl = params.get(PARAM_JWKS_URL);
        int sources = (secret.isPresent() ? 1 : 0) + (publicKey.isPresent() ? 1 : 0) + (jwksUrl.isPresent() ? 1 : 0);
        // OpenID sign-in without a jwt.* key source: the provider's keys and issuer (explicit jwt.* settings win).
        Optional<String> oidcIssuer = params.peek(OidcSettings.PARAM_ISSUER);
        if (sources == 0 && oidcIssuer.isPresent()) {
            Optional<String> jwksByHand = params.peek(OidcSettings.PARAM_JWKS_URI);
            Builder b = new Builder(OidcSettings.PARAM_ISSUER, (jwks, c) -> new DiscoveredJwksKeySource(oidcIssuer.get(), jwksByHand.orElse(null), jwks, c));
            readRest(b, params, clock);
            if (params.list(PARAM_ISSUER).isEmpty()) {
                b.issuer(oidcIssuer.get());
            }
            return b;
        }
        if (sources != 1) {
            String at = sources == 0 ? PARAM_JWKS_URL : jwksUrl.isPresent() ? PARAM_JWKS_URL : PARAM_PUBLIC_KEY;
            throw new ConfigException(at, "set exactly one key source of " + PARAM_SECRET + ", "
                    + PARAM_PUBLIC_KEY + " and " + PARAM_JWKS_URL + (sources == 0 ? "; none is set" : "; several are set"));
        }
        Builder b = secret.isPresent() ? withSecret(secret.get())
                : publicKey.isPresent() ? withPublicKeyPem(publicKey.get())
                : new Builder(PARAM_JWKS_URL, (jwks, c) -> JwksKeySource.create(PARAM_JWKS_URL, jwksUrl.get(), jwks, c));
        readRest(b, params, clock);
        return b;
    }

    /** Every setting but the key source. */
    private static void readRest(Builder b, InitParams params, Clock clock) {
        b.clock(clock);
        Bounds.duration(params, PARAM_JWKS_TIMEOUT).ifPresent(b::jwksTimeout);
        Bounds.duration(params, PARAM_JWKS_RETAIN_ON_ERROR).ifPresent(b::jwksRetainOnError);
        Bounds.duration(params, PARAM_JWKS_REFETCH_INTERVAL).ifPresent(b::jwksRefetchInterval);
        Bounds.duration(params, PARAM_JWKS_CACHE_DURATION).ifPresent(b::jwksCacheDuration);
        b.algorithms(params.list(PARAM_ALGORITHMS));
        b.issuers(params.list(PARAM_ISSUER));
        b.audiences(params.list(PARAM_AUDIENCE));
        b.allowAnyAudience(params.bool(PARAM_ALLOW_ANY_AUDIENCE, DEFAULT_ALLOW_ANY_AUDIENCE));
        Bounds.duration(params, PARAM_CLOCK_SKEW).ifPresent(b::clockSkew);
        Bounds.duration(params, PARAM_MAX_LIFETIME).ifPresent(b::maxLifetime);
        b.requiredClaims(params.list(PARAM_REQUIRED_CLAIMS));
        params.get(PARAM_REQUIRE_TYPE).ifPresent(b::requireType);
        params.get(PARAM_ROLES_CLAIM).ifPresent(b::rolesClaim);
        params.get(PARAM_PUBLIC_KEY_ID).ifPresent(b::publicKeyId);
        params.get(PARAM_SECRET_KEY_ID).ifPresent(b::secretKeyId);
        if (params.bool(PARAM_ACCEPT_ACCESS_TOKEN_NONCE, DEFAULT_ACCEPT_ACCESS_TOKEN_NONCE)) {
            b.acceptNonceInAccessTokens(params.get(ClientCredentials.PARAM_OAUTH2_CLIENT_ID)
                    .or(() -> params.peek(OidcSettings.PARAM_CLIENT_ID)).orElseThrow(() ->
                    new ConfigException(PARAM_ACCEPT_ACCESS_TOKEN_NONCE, "needs " + ClientCredentials.PARAM_OAUTH2_CLIENT_ID + " or "
                            + OidcSettings.PARAM_CLIENT_ID + ", the OpenID client id: "
                            + "a token whose only audience is that client is an ID token and stays refused")));
        }
    }

    /** Opens the key source and installs the settings; the builder's checks that need the key run here. */
    private void start(Builder b) {
        if (config != null || closed) {
            throw new IllegalStateException(getClass().getSimpleName() + " is already started");
        }
        Config c = b.config();
        this.clock = b.clock;
        this.refresh = b.refresher;
        this.secretText = b.secretText;
        this.config = c;
        LOG.info("{} ready", describe());
    }

    /** Opens the builder's key source once; the key-dependent checks run on it. */
    private interface KeyOpener {
        KeySource open(JwksKeySource.Settings jwks, Clock clock);
    }

    /**
     * The settings of a {@link JwtTokenValidator}, each method named after its {@code jwt.*}
     * init-param and checking the same bounds with the same messages. Not thread-safe; one
     * {@link #build()} per validator.
     */
    public static final class Builder {
        private final String keyParameter;
        private final KeyOpener keys;
        private Clock clock = Clock.systemUTC();
        private List<String> algorithms = List.of();
        private List<String> issuers = List.of();
        private List<String> audiences = List.of();
        private boolean allowAnyAudience = DEFAULT_ALLOW_ANY_AUDIENCE;
        private Duration clockSkew = DEFAULT_CLOCK_SKEW;
        private Duration maxLifetime = DEFAULT_MAX_LIFETIME;
        private List<String> requiredClaims = DEFAULT_REQUIRED_CLAIMS;
        private String requiredType;
        private String rolesClaim = DEFAULT_ROLES_CLAIM;
        /** The OpenID client id when a nonce is accepted in access tokens; null: refused. */
        private String nonceClientId;
        private Duration jwksTimeout = DEFAULT_JWKS_TIMEOUT;
        private Duration jwksRetainOnError = DEFAULT_JWKS_RETAIN_ON_ERROR;
        private Duration jwksRefetchInterval = DEFAULT_JWKS_REFETCH_INTERVAL;
        private Duration jwksCacheDuration = DEFAULT_JWKS_CACHE_DURATION;
        /** The JWKS-only settings that were set, in order: refused with another key source. */
        private final Set<String> jwksSettingsSet = new LinkedHashSet<>();
        private TokenRefresher refresher;
        /** The HMAC secret as text ({@code base64:...}), for the filter's key-reuse check; never logged. */
        private String secretText;
        /** {@code jwt.public-key-id}, or null. */
        private String publicKeyId;
        /** {@code jwt.secret-key-id}, or null. */
        private String secretKeyId;

        private Builder(String keyParameter, KeyOpener keys) {
            this.keyParameter = keyParameter;
            this.keys = keys;
        }

        /** The time source. Default {@code Clock.systemUTC()}. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * {@code jwt.algorithms}: the allowed JWS algorithms, which must fit the key (checked at
         * {@link #build()}). Default: by key source, see {@link JwtTokenValidator#DEFAULT_ALGORITHMS_JWKS}.
         *
         * @throws ConfigException naming {@code jwt.algorithms} for {@code none} or an unknown name
         */
        public Builder algorithms(String... algorithms) {
            return algorithms(List.of(algorithms));
        }

        /** As {@link #algorithms(String...)}; an empty list means the key source's default. */
        public Builder algorithms(Collection<String> algorithms) {
            Set<String> canonical = new LinkedHashSet<>();
            for (String name : algorithms) {
                if (name.equalsIgnoreCase(AlgorithmIdentifiers.NONE)) {
                    throw new ConfigException(PARAM_ALGORITHMS, "must not contain none: unsigned tokens are never accepted");
                }
                canonical.add(KNOWN_ALGORITHMS.stream().filter(name::equalsIgnoreCase).findFirst()
                        .orElseThrow(() -> new ConfigException(PARAM_ALGORITHMS, "names unknown algorithm '" + name
                                + "'; supported: " + String.join(", ", KNOWN_ALGORITHMS))));
            }
            this.algorithms = List.copyOf(canonical);
            return this;
        }

        /** {@code jwt.issuer}, required: the accepted {@code iss} values, one must match. */
        public Builder issuer(String... issuers) {
            return issuers(List.of(issuers));
        }

        /** As {@link #issuer(String...)}. */
        public Builder issuers(Collection<String> issuers) {
            this.issuers = List.copyOf(issuers);
            return this;
        }

        /**
         * {@code jwt.audience}, required unless {@link #allowAnyAudience()}: the accepted
         * {@code aud} values, one must match.
         */
        public Builder audience(String... audiences) {
            return audiences(List.of(audiences));
        }

        /** As {@link #audience(String...)}. */
        public Builder audiences(Collection<String> audiences) {
            this.audiences = List.copyOf(audiences);
            return this;
        }

        /** {@code jwt.allow-any-audience=true}: the opt-in relaxation that accepts any (or no) {@code aud}. */
        public Builder allowAnyAudience() {
            return allowAnyAudience(true);
        }

        /** {@code jwt.allow-any-audience}. Default {@code false}; {@code true} excludes {@link #audience}. */
        public Builder allowAnyAudience(boolean allow) {
            this.allowAnyAudience = allow;
            return this;
        }

        /**
         * {@code jwt.clock-skew}: tolerance for {@code nbf} and a future {@code iat}, never for
         * {@code exp}. Default 30 s, at most 5 min.
         *
         * @throws ConfigException naming {@code jwt.clock-skew} when out of range
         */
        public Builder clockSkew(Duration skew) {
            this.clockSkew = Bounds.duration(PARAM_CLOCK_SKEW, skew, Duration.ZERO, MAX_CLOCK_SKEW);
            return this;
        }

        /**
         * {@code jwt.max-lifetime}: longest accepted {@code exp - iat}. Default 24 h, from 1 min to 30 days.
         *
         * @throws ConfigException naming {@code jwt.max-lifetime} when out of range
         */
        public Builder maxLifetime(Duration maxLifetime) {
            this.maxLifetime = Bounds.duration(PARAM_MAX_LIFETIME, maxLifetime, MIN_MAX_LIFETIME, MAX_MAX_LIFETIME);
            return this;
        }

        /** {@code jwt.required-claims}: claims that must be present and not null; dotted names reach into objects. Default none. */
        public Builder requiredClaims(String... claims) {
            return requiredClaims(List.of(claims));
        }

        /** As {@link #requiredClaims(String...)}. */
        public Builder requiredClaims(Collection<String> claims) {
            this.requiredClaims = List.copyOf(claims);
            return this;
        }

        /**
         * {@code jwt.require-type}: the {@code typ} header every token must have, e.g. {@code at+jwt}
         * (RFC 9068). Default: not checked.
         *
         * @throws ConfigException naming {@code jwt.require-type} for a non-media type or a non-access type
         */
        public Builder requireType(String type) {
            this.requiredType = readRequiredType(Objects.requireNonNull(type, "type"));
            return this;
        }

        /** {@code jwt.roles-claim}: the claim holding the roles, or a dotted path. Default {@code roles}. */
        /**
         * Accepts a {@code nonce} claim in access tokens ({@value JwtTokenValidator#PARAM_ACCEPT_ACCESS_TOKEN_NONCE}),
         * for providers that copy the ID token's nonce there; off by default. A token with
         * {@code at_hash}, {@code c_hash} or an ID-token {@code typ}, or whose only audience is
         * {@code openIdClientId}, is still refused.
         *
         * @param openIdClientId the client id the provider issues ID tokens to
         */
        public Builder acceptNonceInAccessTokens(String openIdClientId) {
            Objects.requireNonNull(openIdClientId, "openIdClientId");
            if (openIdClientId.isBlank()) {
                throw new ConfigException(PARAM_ACCEPT_ACCESS_TOKEN_NONCE, "needs the OpenID client id (oauth2.client-id)");
            }
            this.nonceClientId = openIdClientId;
            return this;
        }

        public Builder rolesClaim(String claim) {
            this.rolesClaim = Objects.requireNonNull(claim, "claim");
            return this;
        }

        /**
         * {@code jwt.public-key-id}: the {@code kid} of the public key. A token whose {@code kid}
         * header is missing or different is then refused as {@link Reason#UNKNOWN_KEY} before any
         * signature work (compared exactly, case-sensitive). Default: not set, any {@code kid} is
         * ignored. Only with {@link JwtTokenValidator#withPublicKey(PublicKey) a public key}
         * (checked at {@link #build()}).
         *
         * @throws ConfigException naming {@code jwt.public-key-id} when empty, longer than 256
         *         characters or holding control characters
         */
        public Builder publicKeyId(String keyId) {
            Objects.requireNonNull(keyId, "keyId");
            this.publicKeyId = SingleKey.checkKeyId(PARAM_PUBLIC_KEY_ID, keyId);
            return this;
        }

        /**
         * {@code jwt.secret-key-id}: the {@code kid} of the HMAC secret. A token whose {@code kid}
         * header is missing or different is then refused as {@link Reason#UNKNOWN_KEY} before any
         * HMAC is computed (compared exactly, case-sensitive). Default: not set, any {@code kid} is
         * ignored. Only with {@link JwtTokenValidator#withSecret(byte[]) a secret} (checked at
         * {@link #build()}).
         *
         * @throws ConfigException naming {@code jwt.secret-key-id} when empty, longer than 256
         *         characters or holding control characters
         */
        public Builder secretKeyId(String keyId) {
            Objects.requireNonNull(keyId, "keyId");
            this.secretKeyId = SingleKey.checkKeyId(PARAM_SECRET_KEY_ID, keyId);
            return this;
        }

        /** {@code jwt.jwks-timeout}: connect and read timeout of one fetch. Default 2 s, from 100 ms to 30 s. JWKS only. */
        public Builder jwksTimeout(Duration timeout) {
            this.jwksTimeout = jwks(PARAM_JWKS_TIMEOUT, timeout, Duration.ofMillis(100), Duration.ofSeconds(30));
            return this;
        }

        /** {@code jwt.jwks-retain-on-error}: how long keys stay in use after a failed fetch. Default 1 h, 0 to 7 days. JWKS only. */
        public Builder jwksRetainOnError(Duration retain) {
            this.jwksRetainOnError = jwks(PARAM_JWKS_RETAIN_ON_ERROR, retain, Duration.ZERO, Duration.ofDays(7));
            return this;
        }

        /** {@code jwt.jwks-refetch-interval}: least time between two fetches. Default 30 s, 1 s to 1 h. JWKS only. */
        public Builder jwksRefetchInterval(Duration interval) {
            this.jwksRefetchInterval = jwks(PARAM_JWKS_REFETCH_INTERVAL, interval, Duration.ofSeconds(1), Duration.ofHours(1));
            return this;
        }

        /** {@code jwt.jwks-cache-duration}: key cache time when the answer says none. Default 1 h, 0 to 1 day. JWKS only. */
        public Builder jwksCacheDuration(Duration duration) {
            this.jwksCacheDuration = jwks(PARAM_JWKS_CACHE_DURATION, duration, Duration.ZERO, Duration.ofDays(1));
            return this;
        }

        /**
         * Where refreshes go ({@code refresh-url} or {@code oauth2.token-url}), e.g. a
         * {@code remote.HttpTokenRefresher}; the validator closes it. Default: none, refresh is
         * {@linkplain RefreshResult#unsupported() unsupported}.
         */
        public Builder refresher(TokenRefresher refresher) {
            this.refresher = Objects.requireNonNull(refresher, "refresher");
            return this;
        }

        /**
         * A ready validator.
         *
         * @throws ConfigException naming the parameter at fault, as the init-params would
         */
        public JwtTokenValidator build() {
            return build(JwtTokenValidator::new);
        }

        /**
         * A ready subclass (for its {@link #roles} or {@link #checkClaims} hooks), e.g.
         * {@code build(TenantValidator::new)}; the supplier returns a new, unstarted instance.
         *
         * @throws ConfigException naming the parameter at fault
         */
        public <V extends JwtTokenValidator> V build(Supplier<V> constructor) {
            V validator = Objects.requireNonNull(constructor.get(), "constructor.get()");
            ((JwtTokenValidator) validator).start(this);
            return validator;
        }

        private Duration jwks(String parameter, Duration value, Duration min, Duration max) {
            Duration checked = Bounds.duration(parameter, value, min, max);
            jwksSettingsSet.add(parameter);
            return checked;
        }

        /**
         * Refuses a key id that was set ({@code id} not null) without the single key it names:
         * {@code idParameter} belongs to {@code key}, as {@code otherIdParameter} to {@code otherKey}.
         */
        private void keyIdOnlyWith(String key, String idParameter, String id, String otherKey, String otherIdParameter) {
            if (id != null && !keyParameter.equals(key)) {
                throw new ConfigException(idParameter, "applies only with " + key + " (a JWKS names its keys' kid "
                        + "itself; with " + otherKey + " set " + otherIdParameter + " instead)");
            }
        }

        /** Every cross-check, then the key source; closes the key source if a later check fails. */
        private Config config() {
            if (!keyParameter.equals(PARAM_JWKS_URL) && !keyParameter.equals(OidcSettings.PARAM_ISSUER) && !jwksSettingsSet.isEmpty()) {
                throw new ConfigException(jwksSettingsSet.iterator().next(), "applies only with " + PARAM_JWKS_URL);
            }
            keyIdOnlyWith(PARAM_PUBLIC_KEY, PARAM_PUBLIC_KEY_ID, publicKeyId, PARAM_SECRET, PARAM_SECRET_KEY_ID);
            keyIdOnlyWith(PARAM_SECRET, PARAM_SECRET_KEY_ID, secretKeyId, PARAM_PUBLIC_KEY, PARAM_PUBLIC_KEY_ID);
            KeySource source = keys.open(new JwksKeySource.Settings(jwksTimeout, jwksRetainOnError,
                    jwksRefetchInterval, jwksCacheDuration), clock);
            if (publicKeyId != null) {
                source = ((PublicKeySource) source).withKeyId(PARAM_PUBLIC_KEY_ID, publicKeyId);
            } else if (secretKeyId != null) {
                source = ((SecretKeySource) source).withKeyId(PARAM_SECRET_KEY_ID, secretKeyId);
            }
            try {
                List<String> allowed = algorithms.isEmpty() ? source.defaultAlgorithms() : algorithms;
                // Defaults are checked too: that is where a short HMAC secret is caught.
                allowed.forEach(source::checkAlgorithm);
                if (issuers.isEmpty()) {
                    throw new ConfigException(PARAM_ISSUER, "is required: the iss value your identity provider "
                            + "puts in its tokens, e.g. https://idp.example.com/realms/main");
                }
                if (audiences.isEmpty() && !allowAnyAudience) {
                    throw new ConfigException(PARAM_AUDIENCE, "is required: the aud value(s) that name this "
                            + "application; to accept tokens for any audience set " + PARAM_ALLOW_ANY_AUDIENCE + "=true instead");
                }
                if (!audiences.isEmpty() && allowAnyAudience) {
                    throw new ConfigException(PARAM_ALLOW_ANY_AUDIENCE, "cannot be true while " + PARAM_AUDIENCE + " is set");
                }
                return new Config(source, List.copyOf(allowed), issuers, audiences, (int) clockSkew.toSeconds(),
                        maxLifetime.toSeconds(), requiredClaims, requiredType, rolesClaim, nonceClientId);
            } catch (RuntimeException e) {
                source.close();
                throw e;
            }
        }
    }

    private static String readRequiredType(String value) {
        String type = normalizeType(value);
        if (!MEDIA_TYPE.matcher(type).matches()) {
            throw new ConfigException(PARAM_REQUIRE_TYPE, "must be a media type such as at+jwt, not '" + value + "'");
        }
        if (isNonAccessType(type)) {
            throw new ConfigException(PARAM_REQUIRE_TYPE, "names a type that is not an access token: '" + value + "'");
        }
        return type;
    }

    /**
     * Checks the token. Never throws for any input: hostile input yields {@code Invalid}, a key
     * source failure {@code Unavailable}.
     *
     * <p>In order: three segments and the header segment's canonical spelling; the header, from
     * the header cache or parsed and checked ({@code alg}, {@code cty}, {@code crit}, {@code enc},
     * {@code b64}, {@code kid}, and the one {@code kid} a single key was given); the whole token's
     * canonical spelling (which refuses every character outside base64url); its keys (an unknown
     * {@code kid} is refused here, before any signature work or claims parsing); the signature, with
     * jose4j's algorithm; then the claims, parsed once by {@link StrictJson}; then jose4j's claim
     * checks as its consumer made them, and ours.
     */
    @Override
    protected final ValidationResult doValidate(String token) {
        Config c = config;
        if (c == null) {
            return ValidationResult.unavailable(closed ? "JwtTokenValidator is closed" : "JwtTokenValidator is not configured");
        }
        int headerEnd = CompactJws.headerEnd(token, 0, token.length());
        if (headerEnd < 0) {
            return refuse(Reason.MALFORMED); // not three segments, or a header segment not spelled canonically
        }
        CheckedHeader header = headers.get(token, headerEnd);
        boolean cached = header != null;
        if (!cached) {
            Object checked = checkHeader(token, headerEnd, c);
            if (checked == Reason.UNKNOWN_KEY) {
                // No token value in the detail (nothing verified yet): only where the keys came from.
                return ValidationResult.invalid(Reason.UNKNOWN_KEY, "no key for the token's kid and alg among " + c.keys().describe());
            }
            if (checked instanceof Reason reason) {
                return refuse(reason);
            }
            header = (CheckedHeader) checked;
        }
        if (!CompactJws.isCanonical(token)) {
            return refuse(Reason.MALFORMED); // padding, '+' or '/', non-zero pad bits, or not three segments
        }
        int payloadEnd = token.indexOf('.', headerEnd + 1);

        List<Key> keys;
        try {
            keys = keysFor(header, c.keys());
        } catch (IOException e) {
            // The key sources (sealed: all ours) say it in their own words: the URL without user info
            // or query, and the status; never jose4j's message, which may quote the query.
            String why = String.valueOf(e.getMessage());
            LOG.debug("JWT not checked: JWKS keys unavailable: {}", why);
            return ValidationResult.unavailable("JWKS keys unavailable: " + why);
        }
        if (keys.isEmpty()) {
            if (cached) {
                headers.remove(header.segment, header); // its key left the key set
            }
            // No token value in the detail (nothing verified yet): only where the keys came from.
            return ValidationResult.invalid(Reason.UNKNOWN_KEY, "no key for the token's kid and alg among " + c.keys().describe());
        }

        signatureChecks.increment();
        Reason signature = verify(header, keys, token, payloadEnd);
        if (signature == null && !cached && !header.typeRefused) {
            // Only once a token with it verified (without the key nobody can fill or flush the
            // cache), and never a header whose typ refuses every token that carries it.
            header.segment = token.substring(0, headerEnd); // before put publishes it
            headers.put(header.segment, header);
        }
        Map<String, Object> claims;
        try {
            claims = StrictJson.parseObject(CompactJws.decode(token, headerEnd + 1, payloadEnd), MAX_JSON_DEPTH);
        } catch (StrictJson.Refused e) {
            return refuse(Reason.MALFORMED); // unparsable claims outrank a bad signature, as with jose4j's consumer
        }
        if (signature != null) {
            return refuse(signature);
        }
        return decide(token, header, claims, Math.floorDiv(clock.millis(), 1000L), c);
    }

    /**
     * Junk refused on sight, before the filter's cache and revocation bookkeeping and without
     * allocating, in {@link #doValidate}'s order: a token longer than {@link #MAX_TOKEN_LENGTH}, not
     * of three segments or whose header segment is not canonical ({@link Reason#MALFORMED}); a
     * header (not one of the header cache) that {@link HeaderGlance} refuses: not strict JSON, an
     * algorithm outside {@code jwt.algorithms}, a {@code kid} the key source cannot know; then a
     * token not canonical as a whole, for the reason the full header check gives when its header is
     * not one of the cache (the glance passes what it cannot read; only this junk allocates). A junk
     * header is refused without reading the rest of the token. Anything else, and every token while
     * not started, takes {@link #doValidate}, which refuses the same tokens for the same reasons.
     */
    @Override
    protected final Reason refuseOnSight(String text, int from, int to) {
        Config c = config;
        if (c == null) {
            return null;
        }
        // The header segment first, as doValidate: a junk header (the usual junk) is refused without
        // reading the rest of the token. Then the whole spelling, which the default format check also needs.
        int headerEnd = to - from > MAX_TOKEN_LENGTH ? -1 : CompactJws.headerEnd(text, from, to);
        if (headerEnd < 0) {
            return refusedOnSight(Reason.MALFORMED);
        }
        boolean cached = headers.get(text, from, headerEnd) != null; // a header a verified token carried
        if (!cached) {
            Reason reason = HeaderGlance.refusal(text, from, headerEnd, c.algorithms(), c.keys().requiredKeyId());
            if (reason != null) {
                return refusedOnSight(reason);
            }
        }
        if (CompactJws.isCanonical(text, from, to)) {
            return null;
        }
        if (!cached && checkHeader(text.substring(from, headerEnd), headerEnd - from, c) instanceof Reason reason) {
            // The glance passes what it cannot read (a number, an escape, a cty): doValidate refuses
            // the header before the spelling, so the full check decides here too (rare junk: it allocates).
            return refusedOnSight(reason);
        }
        return refusedOnSight(Reason.MALFORMED);
    }

    private static Reason refusedOnSight(Reason reason) {
        LOG.debug("JWT refused on sight: {}", reason);
        return reason;
    }

    /**
     * The header segment {@code token[0, end)} parsed and checked: a {@link CheckedHeader}, or the
     * {@link Reason} to refuse it. Runs once per distinct header segment while it stays cached.
     */
    private static Object checkHeader(String token, int end, Config c) {
        Map<String, Object> h;
        try {
            h = StrictJson.parseObject(CompactJws.decode(token, 0, end), MAX_JSON_DEPTH);
        } catch (StrictJson.Refused e) {
            return Reason.MALFORMED;
        }
        if (!(h.get("alg") instanceof String alg) || !c.algorithms().contains(alg)) {
            return Reason.DISALLOWED_ALGORITHM;
        }
        Object cty = h.get("cty");
        if (cty != null && (!(cty instanceof String s) || normalizeType(s).equals("jwt"))) {
            return Reason.MALFORMED; // a nested JWT
        }
        if (h.get("crit") != null || h.get("enc") != null || h.get("b64") != null) {
            return Reason.MALFORMED; // no critical extension understood; JWE; unencoded payload (RFC 7797)
        }
        Object kid = h.get("kid");
        if (kid != null && !(kid instanceof String)) {
            return Reason.MALFORMED;
        }
        JsonWebSignatureAlgorithm algorithm;
        try {
            algorithm = AlgorithmFactoryFactory.getInstance().getJwsAlgorithmFactory().getAlgorithm(alg);
        } catch (InvalidAlgorithmException e) {
            return Reason.DISALLOWED_ALGORITHM; // not available in this JVM
        }
        String requiredKeyId = c.keys().requiredKeyId();
        if (requiredKeyId != null && !requiredKeyId.equals(kid)) {
            return Reason.UNKNOWN_KEY; // jwt.public-key-id or jwt.secret-key-id: no other kid has a key
        }
        Object typ = h.get("typ");
        boolean typeRefused = (typ != null && (!(typ instanceof String s) || isNonAccessType(normalizeType(s))))
                || (c.requiredType() != null && !(typ instanceof String s && normalizeType(s).equals(c.requiredType())));
        return new CheckedHeader(null, alg, algorithm, (String) kid, typeRefused);
    }

    /** The header's usable keys, resolved again only when the key source's generation moved on. */
    private static List<Key> keysFor(CheckedHeader header, KeySource source) throws IOException {
        Object generation = source.generation();
        KeyBinding bound = header.binding;
        if (bound != null && bound.generation() == generation) {
            return bound.keys();
        }
        KeySource.KeyMatch match = source.resolve(header.alg, header.kid);
        if (match.keys().isEmpty()) {
            return List.of(); // refused at once (a cached header leaves the cache): nothing to bind
        }
        List<Key> usable = new ArrayList<>(match.keys().size());
        for (Key key : match.keys()) {
            try {
                header.algorithm.validateVerificationKey(key); // e.g. an RSA key under 2048 bits in a JWKS
                usable.add(key);
            } catch (InvalidKeyException e) {
                LOG.debug("JWT key unusable with {}", header.alg);
            }
        }
        List<Key> keys = List.copyOf(usable);
        header.binding = new KeyBinding(match.generation(), keys);
        return keys;
    }

    /**
     * jose4j's signature check of {@code header.payload} against each key (several only for a JWKS
     * token without {@code kid}): {@code null} when one verifies, else the reason.
     */
    private static Reason verify(CheckedHeader header, List<Key> keys, String token, int payloadEnd) {
        byte[] signature = CompactJws.decode(token, payloadEnd + 1, token.length());
        byte[] input = new byte[payloadEnd];
        for (int i = 0; i < payloadEnd; i++) {
            input[i] = (byte) token.charAt(i); // ASCII: the canonical check passed
        }
        for (Key key : keys) {
            try {
                if (header.algorithm.verifySignature(signature, key, input, PROVIDERS)) {
                    return null;
                }
            } catch (InvalidKeyException e) {
                return Reason.UNKNOWN_KEY; // the resolved key cannot be used with this algorithm
            } catch (JoseException e) {
                return Reason.MALFORMED;
            }
        }
        // Without kid, several candidates and none verifies: jose4j's resolver finds no key.
        return keys.size() > 1 ? Reason.UNKNOWN_KEY : Reason.BAD_SIGNATURE;
    }

    /**
     * The claim checks of the jose4j consumer this validator used (issuer, audience, subject,
     * times; of several problems the first in {@link #PRECEDENCE}, expiry aside), then ours, then
     * the hook, then expiry, then the session.
     */
    private ValidationResult decide(String token, CheckedHeader header, Map<String, Object> claims, long now, Config c) {
        Reason reason = consumerChecks(claims, now, c);
        if (reason == null) {
            reason = check(claims, header, now, c);
        }
        if (reason != null) {
            return refuseVerified(reason, token, claims, c);
        }
        Optional<Reason> custom = checkClaims(claims);
        if (custom.isPresent()) {
            return refuse(custom.get());
        }
        long exp = numericDate(claims.get("exp"));
        Session session = Session.builder((String) claims.get("sub"), token)
                .roles(roles(claims))
                .claims(claims)
                .expiresAt(Instant.ofEpochSecond(exp))
                .guest(false)
                .build();
        if (now >= exp) {
            LOG.debug("JWT expired");
            // Within the skew the session may still serve, but only where no refresh is possible.
            return now < exp + c.skewSeconds() ? ValidationResult.expired(session) : ValidationResult.expired();
        }
        return ValidationResult.valid(session);
    }

    /**
     * What jose4j's consumer (required issuer and audience, required {@code exp} and {@code sub},
     * {@code iat} at most the skew ahead) reported, reduced to one reason by {@link #PRECEDENCE}:
     * {@code null} when nothing but expiry was wrong. Each of its validators reports one problem.
     */
    private static Reason consumerChecks(Map<String, Object> claims, long now, Config c) {
        Reason best = null;
        if (!c.audiences().isEmpty()) {
            Object aud = claims.get("aud");
            if (aud == null) {
                best = Reason.WRONG_AUDIENCE;
            } else {
                List<String> audiences = audiences(aud);
                if (audiences == null) {
                    best = Reason.MALFORMED;
                } else if (audiences.stream().noneMatch(a -> a != null && c.audiences().contains(a))) {
                    best = Reason.WRONG_AUDIENCE;
                }
            }
        }
        Object iss = claims.get("iss");
        best = worst(best, iss == null ? Reason.WRONG_ISSUER : !(iss instanceof String s) ? Reason.MALFORMED
                : c.issuers().contains(s) ? null : Reason.WRONG_ISSUER);
        best = worst(best, times(claims, now, c.skewSeconds()));
        Object sub = claims.get("sub");
        best = worst(best, sub == null ? Reason.NO_SUBJECT : sub instanceof String ? null : Reason.MALFORMED);
        return best;
    }

    /** jose4j's NumericDateValidator with exp required, iat at most 0 s ahead and {@code Integer.MAX_VALUE} s back. */
    private static Reason times(Map<String, Object> claims, long now, int skew) {
        try {
            Long exp = numericDateOrNull(claims.get("exp"));
            Long iat = numericDateOrNull(claims.get("iat"));
            Long nbf = numericDateOrNull(claims.get("nbf"));
            if (exp == null) {
                return Reason.MISSING_CLAIM;
            }
            if (Math.subtractExact(now, skew) >= exp) {
                return null; // expired: decided after every other check
            }
            if ((iat != null && exp < iat) || (nbf != null && exp < nbf)) {
                return Reason.MALFORMED;
            }
            if (nbf != null && Math.addExact(now, skew) < nbf) {
                return Reason.NOT_YET_VALID;
            }
            if (iat != null && Math.subtractExact(Math.subtractExact(iat, now), skew) > 0) {
                return Reason.ISSUED_IN_FUTURE;
            }
            if (iat != null && Math.subtractExact(Math.subtractExact(now, iat), skew) > Integer.MAX_VALUE) {
                return Reason.LIFETIME_TOO_LONG;
            }
            return null;
        } catch (ArithmeticException e) {
            return Reason.MALFORMED; // an overflow: jose4j reports it as a miscellaneous problem
        }
    }

    private static Reason worst(Reason a, Reason b) {
        if (a == null || b == null) {
            return a == null ? b : a;
        }
        return PRECEDENCE.indexOf(b) < PRECEDENCE.indexOf(a) ? b : a;
    }

    /** {@code aud} as jose4j reads it: a string, or an array of strings (null elements kept); else {@code null}. */
    private static List<String> audiences(Object aud) {
        if (aud instanceof String s) {
            return List.of(s);
        }
        if (aud instanceof List<?> list) {
            for (Object item : list) {
                if (item != null && !(item instanceof String)) {
                    return null;
                }
            }
            @SuppressWarnings("unchecked")
            List<String> strings = (List<String>) list;
            return strings;
        }
        return null;
    }

    /**
     * A NumericDate claim in whole seconds, or {@code null} when absent. A fraction is refused (a
     * token's times are integers); an integral value beyond a long saturates when written with an
     * exponent ({@code 1e20}, as jose4j reads it) and is refused when written out.
     *
     * @throws ArithmeticException for anything else
     */
    private static Long numericDateOrNull(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Long l) {
            return l;
        }
        if (value instanceof Double d && d == Math.rint(d)) {
            return (long) d.doubleValue();
        }
        throw new ArithmeticException("not a NumericDate");
    }

    /** {@link #numericDateOrNull} of a claim already checked present and well-formed. */
    private static long numericDate(Object value) {
        return numericDateOrNull(value);
    }

    /** Our checks after jose4j's: blank subject, time order, token type, required claims, lifetime. */
    private static Reason check(Map<String, Object> claims, CheckedHeader header, long now, Config c) {
        if (((String) claims.get("sub")).isBlank()) {
            return Reason.NO_SUBJECT; // jose4j's setRequireSubject accepted ""
        }
        long exp = numericDate(claims.get("exp"));
        Long iat = numericDateOrNull(claims.get("iat"));
        Long nbf = numericDateOrNull(claims.get("nbf"));
        if ((iat != null && iat > exp) || (nbf != null && nbf > exp)) {
            return Reason.MALFORMED;
        }

        Object claimType = claims.get("typ");
        if (header.typeRefused || (claimType != null && (!(claimType instanceof String s) || isNonAccessType(normalizeType(s))))) {
            return Reason.WRONG_TOKEN_TYPE; // header typ and jwt.require-type were checked once per header
        }
        Object use = claims.get("token_use");
        if (use != null && !(use instanceof String s && s.strip().equalsIgnoreCase("access"))) {
            return Reason.WRONG_TOKEN_TYPE;
        }
        for (String idClaim : ID_TOKEN_CLAIMS) {
            if (claims.get(idClaim) != null && !(idClaim.equals("nonce") && c.nonceClientId() != null)) {
                return Reason.WRONG_TOKEN_TYPE;
            }
        }
        if (c.nonceClientId() != null) {
            // With the nonce accepted, the audience tells an ID token apart: it is issued to the client alone.
            Object aud = claims.get("aud");
            List<String> audiences = aud == null ? List.of() : audiences(aud);
            if (audiences == null) {
                return Reason.MALFORMED;
            }
            if (audiences.size() == 1 && c.nonceClientId().equals(audiences.get(0))) {
                return Reason.WRONG_TOKEN_TYPE;
            }
        }

        for (String name : c.requiredClaims()) {
            if (JsonValues.at(claims, name) == null) {
                return Reason.MISSING_CLAIM;
            }
        }

        long start = iat != null ? iat : now;
        if (saturatedMinus(exp, start) > c.maxLifetimeSeconds()) {
            return Reason.LIFETIME_TOO_LONG;
        }
        if (exp < Instant.MIN.getEpochSecond()) {
            return Reason.MALFORMED; // no instant has it: an expiry no session can carry
        }
        return null;
    }

    /**
     * Which check failed, expected versus actual, read from the refused token's unverified header
     * and claims: {@code iss}, {@code aud}, {@code alg}, {@code kid}, the ID-token marks, the
     * lifetime, a missing claim. Values are printable ASCII, each at most 100 characters; never the
     * token, its signature or a key.
     */
    @Override
    protected final Optional<String> describeRefusal(String token, Reason reason) {
        Config c = config;
        if (c == null || token == null) {
            return Optional.empty();
        }
        try {
            if (!(JsonWebStructure.fromCompactSerialization(token) instanceof JsonWebSignature jws)) {
                return Optional.empty();
            }
            JwtClaims claims = JwtClaims.parse(jws.getUnverifiedPayload());
            Headers h = jws.getHeaders();
            return Optional.ofNullable(switch (reason) {
                case WRONG_ISSUER -> "iss: expected " + shown(c.issuers()) + ", was " + shown(claims.getClaimValue("iss"));
                case WRONG_AUDIENCE -> "aud: expected " + shown(c.audiences()) + ", was " + shown(claims.getAudience())
                        + " (check jwt.audience and the provider's audience mapper, oidc.audience or oidc.resource)";
                case DISALLOWED_ALGORITHM -> "alg: expected one of " + shown(c.algorithms()) + ", was " + shown(h.getObjectHeaderValue("alg"));
                case UNKNOWN_KEY -> "kid " + shown(h.getObjectHeaderValue("kid")) + " is not among the keys of " + c.keys().describe();
                case NO_SUBJECT -> "sub: missing or empty";
                case MISSING_CLAIM -> "required claims " + shown(c.requiredClaims().stream()
                        .filter(n -> JsonValues.at(claims.getClaimsMap(), n) == null).toList()) + " missing";
                case LIFETIME_TOO_LONG -> "exp - iat: at most " + c.maxLifetimeSeconds() + " s (jwt.max-lifetime)";
                case WRONG_TOKEN_TYPE -> typeDetail(claims, h, c);
                default -> null;
            });
        } catch (JoseException | org.jose4j.jwt.consumer.InvalidJwtException | MalformedClaimException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static String typeDetail(JwtClaims claims, Headers h, Config c) {
        for (String idClaim : ID_TOKEN_CLAIMS) {
            if (claims.hasClaim(idClaim) && !(idClaim.equals("nonce") && c.nonceClientId() != null)) {
                return "carries " + idClaim + ", an ID token's claim" + (idClaim.equals("nonce")
                        ? " (providers that copy the nonce into access tokens need jwt.accept-access-token-nonce=true)" : "");
            }
        }
        return "typ " + shown(h.getObjectHeaderValue("typ")) + ", claim typ " + shown(claims.getClaimValue("typ"))
                + ", token_use " + shown(claims.getClaimValue("token_use"))
                + (c.requiredType() != null ? ", expected typ " + c.requiredType() : "")
                + (c.nonceClientId() != null ? " (an ID token's only audience is " + c.nonceClientId() + ")" : "");
    }

    /** A value for a log line: printable ASCII, at most 100 characters; lists as {@code [a, b]}. */
    private static String shown(Object value) {
        String s = value == null ? "(none)" : value instanceof Collection<?> list
                ? list.stream().map(String::valueOf).toList().toString() : String.valueOf(value);
        s = s.replaceAll("[^\\x20-\\x7e]", "?");
        return s.length() > 100 ? s.substring(0, 100) + "..." : s;
    }

    /**
     * Hook: the user's roles. Default: the {@code jwt.roles-claim} claim, looked up first as a
     * top-level name and then as a dotted path ({@code realm_access.roles}); a string array gives
     * its string elements, a string is split at whitespace ({@code scope}, {@code scp}); absent or
     * anything else gives no roles. Must be thread-safe; called only for valid tokens.
     *
     * @param claims the verified claims, immutable
     */
    protected Set<String> roles(Map<String, Object> claims) {
        Config c = config;
        return c == null ? Set.of() : JsonValues.roles(JsonValues.at(claims, c.rolesClaim()));
    }

    /**
     * Hook: extra checks on claims that passed every built-in check, such as a tenant claim.
     * Called before the expiry decision, so a token refused here is never reported as expired.
     * Default: no extra checks. Must be thread-safe.
     *
     * @param claims the verified claims, immutable
     * @return a reason to refuse the token, or empty to accept it
     */
    protected Optional<Reason> checkClaims(Map<String, Object> claims) {
        return Optional.empty();
    }

    /**
     * Through the {@link TokenRefresher} configured with {@code refresh-url} or
     * {@code oauth2.token-url}; {@linkplain RefreshResult#unsupported() unsupported} without one.
     */
    @Override
    protected final RefreshResult doRefresh(String refreshToken) {
        if (!super.looksLikeToken(refreshToken)) {
            return RefreshResult.refused(); // the default format check, which looksLikeToken leaves to doValidate
        }
        TokenRefresher r = refresh;
        if (r == null) {
            return closed ? RefreshResult.unavailable("JwtTokenValidator is closed") : RefreshResult.unsupported();
        }
        return r.refresh(refreshToken);
    }

    /**
     * Only the length: {@link #doValidate} checks every character as it checks the spelling, after
     * the header segment, in the order {@link #refuseOnSight} uses, so both give one token one
     * reason (a refused header with junk after it is refused for its header, on sight as here); a
     * refresh token keeps the default check ({@link #doRefresh}). Also one pass fewer over a new token.
     */
    @Override
    protected final boolean looksLikeToken(String token) {
        return token != null && !token.isEmpty() && token.length() <= MAX_TOKEN_LENGTH;
    }

    /** Local: signatures are checked against cached keys; the JWKS fetch is rate-limited on its own. */
    @Override
    public boolean callsBackendToValidate() {
        return false;
    }

    /** The configured {@code jwt.clock-skew}; {@link #MAX_CLOCK_SKEW} before it is started. */
    @Override
    public Duration clockSkew() {
        Config c = config;
        return c == null ? MAX_CLOCK_SKEW : Duration.ofSeconds(c.skewSeconds());
    }

    /** Key source, issuer, audience, algorithms and refresh endpoint; never a secret. */
    /** {@code jwt.secret} when keyed by an HMAC secret, and the refresher's client secret. */
    @Override
    protected Map<String, String> heldSecrets() {
        Map<String, String> held = new LinkedHashMap<>();
        TokenRefresher r = refresh;
        if (r != null) {
            held.putAll(r.heldSecrets());
        }
        String s = secretText;
        if (s != null) {
            held.put(PARAM_SECRET, s);
        }
        return held;
    }

    @Override
    public String describe() {
        Config c = config;
        if (c == null) {
            return getClass().getSimpleName() + (closed ? "[closed]" : "[not configured]");
        }
        String issuer = c.issuers().size() == 1 ? c.issuers().get(0) : c.issuers().toString();
        String audience = c.audiences().isEmpty() ? "any" : c.audiences().toString();
        return getClass().getSimpleName() + "[" + c.keys().describe() + ", issuer=" + issuer
                + ", audience=" + audience + ", algorithms=" + c.algorithms()
                + (refresh != null ? ", refresh=" + refresh.describe() : "") + "]";
    }

    /** Drops the key source, header cache and refresh endpoint; later validations are unavailable. */
    @Override
    public void close() {
        closed = true;
        Config c = config;
        config = null;
        TokenRefresher r = refresh;
        refresh = null;
        headers.clear();
        Thread fetch = startUpFetch;
        if (fetch != null) {
            fetch.interrupt();
        }
        if (c != null) {
            c.keys().close();
        }
        if (r != null) {
            r.close();
        }
    }

    @Override
    public String toString() {
        return describe();
    }

    /**
     * A refusal of a token whose signature verified: for a wrong issuer, audience or token type,
     * with the audit detail naming what was expected and what the token had ({@link LogText});
     * built here, on refusal only. Any other reason is the shared refusal.
     */
    private static ValidationResult refuseVerified(Reason reason, String token, Map<String, Object> claims, Config c) {
        String detail = switch (reason) {
            case WRONG_ISSUER -> "expected " + expected(c.issuers()) + ", got " + LogText.quoted(claims.get("iss"));
            case WRONG_AUDIENCE -> "expected " + expected(c.audiences()) + ", got " + LogText.quoted(claims.get("aud"));
            case WRONG_TOKEN_TYPE -> typeClaim(token, claims, c);
            default -> null;
        };
        if (detail == null) {
            return refuse(reason);
        }
        LOG.debug("JWT refused: {} ({})", reason, detail);
        return ValidationResult.invalid(reason, detail);
    }

    private static String expected(Collection<String> values) {
        return values.size() == 1 ? LogText.quoted(values.iterator().next()) : "one of " + LogText.quoted(values);
    }

    /**
     * Which claim made a verified token the wrong type, in {@link #check}'s order: the header's
     * {@code typ} (a non-access type, or not {@code jwt.require-type}), the claim {@code typ}, the
     * claim {@code token_use}, an ID token's claim, an audience of the client alone.
     */
    private static String typeClaim(String token, Map<String, Object> claims, Config c) {
        Object typ;
        try {
            typ = StrictJson.parseObject(CompactJws.decode(token, 0, token.indexOf('.')), MAX_JSON_DEPTH).get("typ");
        } catch (StrictJson.Refused e) {
            typ = null; // parsed once already: cannot happen
        }
        if (typ != null && (!(typ instanceof String s) || isNonAccessType(normalizeType(s)))) {
            return "header typ " + LogText.quoted(typ) + " is not an access token's type";
        }
        if (c.requiredType() != null && !(typ instanceof String s && normalizeType(s).equals(c.requiredType()))) {
            return "header typ: expected " + LogText.quoted(c.requiredType()) + " (" + PARAM_REQUIRE_TYPE + "), got "
                    + LogText.quoted(typ);
        }
        Object claimType = claims.get("typ");
        if (claimType != null && (!(claimType instanceof String s) || isNonAccessType(normalizeType(s)))) {
            return "claim typ " + LogText.quoted(claimType) + " is not an access token's type";
        }
        Object use = claims.get("token_use");
        if (use != null && !(use instanceof String s && s.strip().equalsIgnoreCase("access"))) {
            return "claim token_use: expected \"access\", got " + LogText.quoted(use);
        }
        for (String idClaim : ID_TOKEN_CLAIMS) {
            if (claims.get(idClaim) != null && !(idClaim.equals("nonce") && c.nonceClientId() != null)) {
                return "claim " + idClaim + " marks an ID token" + (idClaim.equals("nonce")
                        ? " (providers that copy the nonce into access tokens need jwt.accept-access-token-nonce=true)" : "");
            }
        }
        if (c.nonceClientId() != null) {
            return "claim aud names only the client " + LogText.quoted(c.nonceClientId()) + ", as an ID token's does";
        }
        return null;
    }

    /** The start-up fetch ({@link #warmUp}), interrupted by {@link #close} if still running. */
    private volatile Thread startUpFetch;

    private static ValidationResult refuse(Reason reason) {
        LOG.debug("JWT refused: {}", reason);
        return REFUSALS[reason.ordinal()];
    }

    /**
     * One refusal per reason, made once: a flood of junk allocates no result. {@code REVOKED} is a
     * fresh instance like every other, never {@code Validations.SESSION_REVOKED}, which callers
     * recognise by identity (this validator does not refuse for revocation anyway).
     */
    private static final ValidationResult[] REFUSALS = java.util.Arrays.stream(Reason.values())
            .map(ValidationResult::invalid).toArray(ValidationResult[]::new);

    /** Lower case, without a leading {@code application/}. */
    static String normalizeType(String type) {
        String t = type.strip().toLowerCase(Locale.ROOT);
        return t.startsWith("application/") ? t.substring("application/".length()) : t;
    }

    /** Whether a normalized {@code typ} marks a refresh, ID, logout, guest or client token. */
    static boolean isNonAccessType(String normalized) {
        int end = normalized.endsWith("+jwt") ? normalized.length() - 4 : normalized.length();
        StringBuilder kept = new StringBuilder(end);
        for (int i = 0; i < end; i++) {
            char ch = normalized.charAt(i);
            if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
                kept.append(ch);
            }
        }
        return NON_ACCESS_TYPES.contains(kept.toString());
    }

    /** For tests: how many header segments the cache holds. */
    int cachedHeaders() {
        return headers.size();
    }

    /** For tests: whether the token's header segment is in the cache. */
    boolean headerCached(String token) {
        return headers.get(token, token.indexOf('.')) != null;
    }

    /** For tests: how many tokens reached the signature check. */
    long signatureChecks() {
        return signatureChecks.sum();
    }

    private static long saturatedMinus(long a, long b) {
        try {
            return Math.subtractExact(a, b);
        } catch (ArithmeticException e) {
            return a > b ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
    }
}
