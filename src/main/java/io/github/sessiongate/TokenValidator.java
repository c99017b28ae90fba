package io.github.sessiongate;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides whether a token proves a session, and (where the backend allows) trades a refresh token
 * for new tokens. Subclass it for a custom backend; the built-in ones are
 * {@link io.github.sessiongate.jwt.JwtTokenValidator} (local JWT checks) and the remote validators.
 *
 * <p>The public methods are final templates: they run a cheap format check, call the protected
 * hooks, and turn anything a hook throws into {@link ValidationResult.Unavailable} or
 * {@link RefreshResult.Unavailable}, so a failing validator denies the request but never clears a
 * user's cookies. A subclass writes only what differs:
 *
 * <pre>{@code
 * public final class AcmeValidator extends TokenValidator {
 *     private URI endpoint;
 *
 *     protected void init(InitParams params, Clock clock) {
 *         endpoint = URI.create(params.require("acme.url", "the Acme session endpoint"));
 *     }
 *
 *     protected ValidationResult doValidate(String token) throws Exception {
 *         // ask Acme; return valid(session), expired(), invalid(reason) or unavailable(cause)
 *     }
 * }
 * }</pre>
 *
 * <p>Named in web.xml with the {@code validator-class} init-param, a subclass needs a public
 * no-argument constructor; it then receives every init-param of the filter through
 * {@link #init(InitParams, Clock)} and reads the ones it documents. A parameter nobody reads fails
 * start-up as unknown.
 *
 * <p><b>Threading:</b> {@link #doValidate} and {@link #doRefresh} are called concurrently from
 * request threads and must be thread-safe; {@link #init} is called once, before any of them.
 */
public abstract class TokenValidator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TokenValidator.class);

    /** Longest token accepted before any hook runs: far above what fits in a cookie jar. */
    public static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private final AtomicBoolean initialized = new AtomicBoolean();

    /** For subclasses. */
    protected TokenValidator() {
    }

    /**
     * The composition root's one call into {@link #init}, for a validator it instantiated from
     * {@code validator-class}: right after construction, before any request. A second call is a
     * programming error. Validators built in code are ready when built and never get this call.
     *
     * @throws ConfigException when a parameter the validator needs is missing or bad
     */
    final void initOnce(InitParams params, Clock clock) {
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(clock, "clock");
        if (!initialized.compareAndSet(false, true)) {
            throw new IllegalStateException(getClass().getName() + " is already initialised");
        }
        init(params, clock);
    }

    /**
     * Reads the validator's own parameters and builds anything it reuses (clients, key sets).
     * Called exactly once, right after construction and before any validation, for a validator
     * named by {@code validator-class}; a validator built in code is ready when constructed and
     * is not called here. Default: nothing. Throw {@link ConfigException} naming the parameter
     * on a bad value.
     *
     * @param params every init-param of the filter, references already resolved
     * @param clock the filter's clock; use it instead of the system clock so tests control time
     */
    protected void init(InitParams params, Clock clock) {
    }

    /**
     * The secrets this validator holds, by the init-param that names each ({@code jwt.secret},
     * {@code oauth2.client-secret}), so that the filter refuses a key that serves two purposes
     * however the validator was made. Values as configured ({@code base64:} allowed); the filter
     * compares them and never logs them. Default: none.
     */
    protected Map<String, String> heldSecrets() {
        return Map.of();
    }

    /**
     * Hook: for a token this validator has just refused for {@code reason}, which check failed,
     * expected versus actual where it can say (e.g. {@code aud: expected [api], was [web]}), so an
     * operator can tell a misconfigured audience from an outage. The filter asks only where a
     * fresh token from a sign-in is refused, and logs the answer at WARN. Never include the token,
     * a signature or a secret; claim values such as {@code iss} and {@code aud} are fine. Must not
     * throw. Default: empty (the reason alone is logged).
     */
    protected Optional<String> describeRefusal(String token, ValidationResult.Reason reason) {
        return Optional.empty();
    }

    /**
     * Validates an access token. Never throws, never returns {@code null}.
     */
    public final ValidationResult validate(String token) {
        if (!looksLikeToken(token)) {
            return ValidationResult.invalid(ValidationResult.Reason.MALFORMED);
        }
        try {
            ValidationResult result = doValidate(token);
            return result != null ? result : ValidationResult.unavailable("validator returned null");
        } catch (Exception | LinkageError | AssertionError e) {
            // The exception's message may quote the token: log only its type.
            LOG.debug("{} threw {} while validating; treated as unavailable", describe(), e.getClass().getName());
            return ValidationResult.unavailable(getClass().getSimpleName() + " threw " + e.getClass().getSimpleName());
        }
    }

    /**
     * Trades a refresh token for new tokens. Never throws, never returns {@code null}.
     */
    public final RefreshResult refresh(String refreshToken) {
        if (!looksLikeToken(refreshToken)) {
            return RefreshResult.refused();
        }
        try {
            RefreshResult result = doRefresh(refreshToken);
            return result != null ? result : RefreshResult.unavailable("validator returned null");
        } catch (Exception | LinkageError | AssertionError e) {
            LOG.debug("{} threw {} while refreshing; treated as unavailable", describe(), e.getClass().getName());
            return RefreshResult.unavailable(getClass().getSimpleName() + " threw " + e.getClass().getSimpleName());
        }
    }

    /**
     * The reason to refuse a token that cannot be valid, decided on sight: from its text alone,
     * without I/O or a backend, and without allocating; {@code null} when it takes {@link #validate}.
     * The filter asks on a validation-cache miss, before its revocation, session-marker and cache
     * bookkeeping, so junk costs a look at its text and nothing more. Never throws: a hook that
     * throws counts as {@code null}.
     */
    public final ValidationResult.Reason refusalOnSight(String token) {
        return token == null ? null : refusalOnSight(token, 0, token.length());
    }

    /**
     * As {@link #refusalOnSight(String)}, for the token {@code text[from, to)} still inside a longer
     * text (a {@code Cookie} header): junk refused before it is copied out.
     *
     * @throws IndexOutOfBoundsException when {@code [from, to)} is not within {@code text}
     */
    public final ValidationResult.Reason refusalOnSight(String text, int from, int to) {
        Objects.checkFromToIndex(from, to, text.length());
        try {
            return refuseOnSight(text, from, to);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            LOG.debug("{} threw {} looking at a token; it takes a full validation", describe(), e.getClass().getName());
            return null;
        }
    }

    /**
     * Hook behind {@link #refusalOnSight(String)}: the token is {@code text[from, to)}. Must refuse
     * only what {@link #validate} refuses for the same token, for the same reason, and must not
     * call a backend. Default: {@code null} for every token (each one takes the full path). Must
     * be thread-safe.
     */
    protected ValidationResult.Reason refuseOnSight(String text, int from, int to) {
        return null;
    }

    /**
     * Checks one access token. Must be thread-safe. Anything thrown counts as unavailable.
     */
    protected abstract ValidationResult doValidate(String token) throws Exception;

    /**
     * Refreshes. Default: {@link RefreshResult#unsupported()}. Must be thread-safe.
     */
    protected RefreshResult doRefresh(String refreshToken) throws Exception {
        return RefreshResult.unsupported();
    }

    /**
     * Cheap check run before any hook, so junk never reaches a backend: by default 1 to
     * {@link #MAX_TOKEN_LENGTH} characters, each a printable ASCII character other than space,
     * quote, comma, semicolon or backslash (the cookie-value alphabet of RFC 6265).
     */
    protected boolean looksLikeToken(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            return false;
        }
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c >= 0x7f || !TOKEN_CHARACTERS[c]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The characters {@link #looksLikeToken} allows, by code below 0x7f: one load per character of a
     * cold token rather than six comparisons. The cookie reader's table says the same; the API keeps
     * its own rather than reach into the cookie package.
     */
    private static final boolean[] TOKEN_CHARACTERS = new boolean[0x7f];

    static {
        for (char c = 0x21; c < 0x7f; c++) {
            TOKEN_CHARACTERS[c] = c != '"' && c != ',' && c != ';' && c != '\\';
        }
    }

    /**
     * Whether {@link #doValidate} calls a backend over the network. The filter bounds such calls
     * with its bulkhead and de-duplicates them; purely local validators (a JWT checked against
     * cached keys) skip the bulkhead. Default: {@code true}, the safe assumption.
     */
    public boolean callsBackendToValidate() {
        return true;
    }

    /**
     * How long after a token's {@code exp} this validator may still return its session as
     * {@linkplain ValidationResult#expired(Session) lapsed within the clock skew}: the filter keeps
     * a signed-out access token on its revocation list until {@code exp} plus this. Default: 5
     * minutes, the most any built-in validator allows; the JWT validator answers its
     * {@code jwt.clock-skew}.
     */
    public Duration clockSkew() {
        return Duration.ofMinutes(5);
    }

    /** One line for the start-up summary, e.g. the key source and issuer. Never a secret. */
    public String describe() {
        return getClass().getSimpleName();
    }

    /** Releases threads and clients. Default: nothing. Called from the filter's {@code destroy()}. */
    @Override
    public void close() {
    }
}
