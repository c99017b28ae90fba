package io.github.sessiongate.jwt;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.internal.BackendHttp;
import io.github.sessiongate.internal.BackendUrls;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.security.Key;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jose4j.http.Get;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwk.OctetKeyPairJsonWebKey;
import org.jose4j.keys.EdDsaKeyUtil;
import org.jose4j.lang.JoseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Public keys published at a JWKS URL ({@code jwt.jwks-url}), fetched with jose4j's
 * {@link HttpsJwks} and chosen by jose4j's {@link VerificationJwkSelector} (by {@code kid}, key type
 * and curve for the algorithm, {@code use} and {@code alg}), as jose4j's
 * {@code HttpsJwksVerificationKeyResolver} chooses them: a {@code kid} not in the set triggers one
 * refetch (rate-limited, see below) before it is unknown; a token without {@code kid} is checked
 * against each key of its type.
 *
 * <p>Differences from jose4j's defaults, each for a reason:
 * <ul>
 *   <li>One HTTP attempt with short timeouts ({@code jwt.jwks-timeout}) instead of 20 s timeouts
 *       and three retries: a request thread waits for the fetch.</li>
 *   <li>Keys are kept when a refresh fails ({@code jwt.jwks-retain-on-error}), so tokens signed
 *       with known keys still validate while the JWKS host is down.</li>
 *   <li>Network fetches are limited to one per {@code jwt.jwks-refetch-interval}, measured on the
 *       injected {@link Clock} (jose4j's own reprieve threshold uses the system clock and does not
 *       apply before the first successful fetch). A {@code kid} that is not in the key set
 *       therefore costs at most one fetch per interval, and an unreachable host is not hammered.
 *       Inside the interval a missing key is definitive ({@code UNKNOWN_KEY}) if the last fetch
 *       succeeded, and "unavailable" if it failed or is still running.</li>
 * </ul>
 *
 * <p>The URL must be {@code https}, except for loopback hosts (tests, sidecars), as
 * {@link BackendUrls} checks it (a {@code #fragment} is tolerated here). HMAC algorithms
 * are refused: a JWKS publishes public keys.
 *
 * <p><b>Key types:</b> RSA and EC keys, and {@code OKP} keys with {@code crv: Ed25519} for
 * {@code EdDSA} (only when {@code jwt.algorithms} lists it; no default does). Any other {@code OKP}
 * key ({@code Ed448}, {@code X25519}, {@code X448}) is ignored: it is dropped from the fetched set
 * ({@link #usable(JsonWebKey)}), so a token naming it is refused as {@code UNKNOWN_KEY}, and an
 * unknown {@code kid} never reaches it.
 */
final class JwksKeySource implements KeySource {
    private static final Logger LOG = LoggerFactory.getLogger(JwksKeySource.class);

    private static final Set<String> FITTING = Set.of(
            AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.RSA_USING_SHA384,
            AlgorithmIdentifiers.RSA_USING_SHA512, AlgorithmIdentifiers.RSA_PSS_USING_SHA256,
            AlgorithmIdentifiers.RSA_PSS_USING_SHA384, AlgorithmIdentifiers.RSA_PSS_USING_SHA512,
            AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256,
            AlgorithmIdentifiers.ECDSA_USING_P384_CURVE_AND_SHA384,
            AlgorithmIdentifiers.ECDSA_USING_P521_CURVE_AND_SHA512,
            AlgorithmIdentifiers.EDDSA);

    private final URI uri;
    /** {@link #uri} for log lines: without userinfo, query or fragment. */
    private final String shownUri;
    private final ThrottledHttpsJwks jwks;
    private final VerificationJwkSelector selector = new VerificationJwkSelector();

    /** Fetch settings; durations already range-checked by the caller. */
    record Settings(Duration timeout, Duration retainOnError, Duration refetchInterval, Duration cacheDuration) {
    }

    private JwksKeySource(URI uri, Settings settings, Clock clock) {
        this.uri = uri;
        this.shownUri = BackendHttp.withoutQuery(uri);
        Get get = new Get();
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis());
        get.setConnectTimeout(timeoutMillis);
        get.setReadTimeout(timeoutMillis);
        get.setRetries(0);
        get.setProgressiveRetryWait(false);
        this.jwks = new ThrottledHttpsJwks(uri.toString(), shownUri, clock, settings.refetchInterval().toMillis());
        jwks.setSimpleHttpGet(get);
        jwks.setRetainCacheOnErrorDuration(settings.retainOnError().toSeconds());
        jwks.setDefaultCacheDuration(settings.cacheDuration().toSeconds());
        jwks.setRefreshReprieveThreshold(0); // replaced by ThrottledHttpsJwks, on the injected clock
    }

    /**
     * @param parameter the init-param name, for error messages
     * @param value the URL: https, or http to a loopback host
     */
    static JwksKeySource create(String parameter, String value, Settings settings, Clock clock) {
        return new JwksKeySource(check(parameter, value), settings, clock);
    }

    /** The URL, when allowed: https, or http to a loopback host. */
    static URI check(String parameter, String value) {
        return BackendUrls.checkAllowingFragment(parameter, value, "keys fetched over plain http can be replaced in transit");
    }

    @Override
    public List<String> defaultAlgorithms() {
        return List.of(AlgorithmIdentifiers.RSA_USING_SHA256, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
    }

    @Override
    public void checkAlgorithm(String algorithm) {
        checkJwksAlgorithm(algorithm);
    }

    /** The current key set (fetched when the cache has expired); a new list after each successful fetch. */
    @Override
    public Object generation() throws IOException {
        return keySet();
    }

    @Override
    public KeyMatch resolve(String algorithm, String kid) throws IOException {
        List<JsonWebKey> set = keySet();
        List<Key> found = select(set, algorithm, kid);
        if (found.isEmpty()) {
            // As jose4j's resolver: one refetch, which ThrottledHttpsJwks limits to one per interval.
            try {
                jwks.refresh();
            } catch (JoseException e) {
                throw new IOException("JWKS " + shownUri + " is not a JWK set", e);
            }
            set = keySet();
            found = select(set, algorithm, kid);
        }
        return new KeyMatch(set, found);
    }

    private List<JsonWebKey> keySet() throws IOException {
        try {
            return jwks.getJsonWebKeys();
        } catch (JoseException e) {
            throw new IOException("JWKS " + shownUri + " is not a JWK set", e);
        }
    }

    /** jose4j's choice for a header of just {@code alg} and {@code kid}: the same filters as its resolver. */
    private List<Key> select(List<JsonWebKey> set, String algorithm, String kid) throws IOException {
        if (kid != null && set.stream().noneMatch(jwk -> kid.equals(jwk.getKeyId()))) {
            return List.of(); // what jose4j's selector would find, without building anything: junk kids are cheap
        }
        JsonWebSignature header = new JsonWebSignature();
        header.setAlgorithmHeaderValue(algorithm);
        if (kid != null) {
            header.setKeyIdHeaderValue(kid);
        }
        try {
            List<Key> keys = new ArrayList<>();
            for (JsonWebKey jwk : selector.selectList(header, set)) {
                keys.add(jwk.getKey());
            }
            return List.copyOf(keys);
        } catch (JoseException e) {
            throw new IOException("JWKS key selection failed", e);
        }
    }

    /** Refuses an algorithm that keys from a JWKS cannot have (HMAC). */
    static void checkJwksAlgorithm(String algorithm) {
        if (!FITTING.contains(algorithm)) {
            throw new ConfigException(JwtTokenValidator.PARAM_ALGORITHMS, algorithm + " does not fit keys from "
                    + JwtTokenValidator.PARAM_JWKS_URL + "; use RS*, PS*, ES* or EdDSA algorithms (an HMAC secret "
                    + "belongs in " + JwtTokenValidator.PARAM_SECRET + ")");
        }
    }

    /**
     * Whether a fetched key may verify anything: every key but an {@code OKP} key on another curve
     * than Ed25519 ({@code Ed448}, {@code X25519}, {@code X448}), which is ignored.
     */
    static boolean usable(JsonWebKey key) {
        return !(key instanceof OctetKeyPairJsonWebKey okp) || EdDsaKeyUtil.ED25519.equals(okp.getSubtype());
    }

    /** {@code keys} without the unusable ones; the same list when all are usable. */
    static List<JsonWebKey> usable(List<JsonWebKey> keys) {
        for (JsonWebKey key : keys) {
            if (!usable(key)) {
                return keys.stream().filter(JwksKeySource::usable).toList();
            }
        }
        return keys;
    }

    /**
     * Fetches the key set once, for start-up: a failure is logged at WARN with the URL and the HTTP
     * status (by the fetch itself) and never thrown, and does not count against the refetch
     * interval: the first request tries again at once (a provider that was back a second later
     * would otherwise leave requests without keys for the whole interval), then the usual
     * rate-limited refetch goes on.
     */
    @Override
    public void warmUp() {
        try {
            jwks.refresh();
        } catch (JoseException | IOException | RuntimeException e) {
            jwks.againAtOnce();
            LOG.debug("JWKS start-up fetch from {} failed; the first request fetches again", shownUri);
        }
    }

    @Override
    public String describe() {
        return "jwks=" + shownUri;
    }

    @Override
    public String toString() {
        return "JwksKeySource[" + describe() + "]";
    }

    /** jose4j's {@code Get}: "Non 200 status code (404 Not Found) returned from ...". */
    private static final Pattern NON_200 = Pattern.compile("Non 200 status code \\((\\d{3})");

    /**
     * What went wrong, for a log line: {@code answered HTTP 500} (the status from jose4j's
     * message, the only part of it used: the rest may quote the URL's query), {@code answered no
     * JWK set}, or {@code unreachable (ConnectException)}.
     */
    static String failure(Exception e) {
        if (e instanceof JoseException) {
            return "answered no JWK set (" + e.getClass().getSimpleName() + ")";
        }
        Matcher status = NON_200.matcher(String.valueOf(e.getMessage()));
        return status.lookingAt() ? "answered HTTP " + status.group(1) : "unreachable (" + e.getClass().getSimpleName() + ")";
    }

    /**
     * {@link HttpsJwks} whose {@link #refresh()} makes at most one network fetch per interval on
     * the injected clock. Never blocks on a lock of its own, so it cannot deadlock with jose4j's
     * internal refresh lock: a caller that finds a fetch running or done within the interval
     * returns at once (if the last fetch succeeded) or throws (if it failed or has not finished),
     * which jose4j and the validator turn into "use cached keys" or "unavailable".
     */
    static final class ThrottledHttpsJwks extends HttpsJwks {
        private static final long NEVER = Long.MIN_VALUE;

        private final Clock clock;
        private final long intervalMillis;
        private final AtomicBoolean inFlight = new AtomicBoolean();
        private volatile long lastAttempt = NEVER;
        private volatile boolean lastSucceeded;
        /** The last key list jose4j returned and its usable keys; recomputed when jose4j's list changes. */
        private volatile Filtered filtered;

        private record Filtered(List<JsonWebKey> fetched, List<JsonWebKey> usable) {
        }

        /** The location for log lines: without userinfo, query or fragment. */
        private final String shown;
        /** Why the last fetch failed ({@link #failure}), for the next caller's "unavailable"; {@code null} after a success. */
        private volatile String lastFailure;

        ThrottledHttpsJwks(String location, String shown, Clock clock, long intervalMillis) {
            super(location);
            this.shown = shown;
            this.clock = clock;
            this.intervalMillis = intervalMillis;
        }

        @Override
        public void refresh() throws JoseException, IOException {
            long now = clock.millis();
            boolean claimed = isDue(now) && inFlight.compareAndSet(false, true);
            if (claimed && !isDue(now)) {
                // Another thread fetched between our check and our claim.
                inFlight.set(false);
                claimed = false;
            }
            if (!claimed) {
                // Read inFlight before lastSucceeded: a finished fetch sets them in the other order.
                if (inFlight.get() || !lastSucceeded) {
                    String failure = lastFailure;
                    throw new IOException("JWKS " + shown + (failure != null && !inFlight.get() ? " " + failure
                            : " fetch in progress") + "; next attempt after the refetch interval");
                }
                LOG.trace("JWKS refetch from {} skipped: within the refetch interval", shown);
                return;
            }
            try {
                lastAttempt = now;
                super.refresh();
                lastSucceeded = true;
                lastFailure = null;
                LOG.debug("Fetched JWKS from {}", shown);
            } catch (JoseException | IOException | RuntimeException e) {
                lastSucceeded = false;
                String failure = failure(e);
                lastFailure = failure;
                // Once per interval at most, since fetches are.
                LOG.warn("Fetching JWKS from {} failed: {}; cached keys, if any, stay in use; next attempt "
                        + "in {} ms at the earliest", shown, failure, intervalMillis);
                if (e instanceof IOException) {
                    throw new IOException("JWKS " + shown + " " + failure, e); // jose4j's message may quote the query
                }
                throw e;
            } finally {
                inFlight.set(false);
            }
        }

        /**
         * The cached keys without the ignored ones ({@link JwksKeySource#usable(JsonWebKey)}): every
         * key lookup, jose4j's resolver included, sees only keys that may verify. Filters once per
         * fetched set (jose4j hands out the same list until it refetches).
         */
        @Override
        public List<JsonWebKey> getJsonWebKeys() throws JoseException, IOException {
            List<JsonWebKey> fetched = super.getJsonWebKeys();
            Filtered f = filtered;
            if (f == null || f.fetched() != fetched) {
                f = new Filtered(fetched, usable(Objects.requireNonNull(fetched, "keys")));
                filtered = f;
            }
            return f.usable();
        }

        /**
         * Due when never tried, or an interval has passed; a clock stepped back by an interval or
         * more also counts, so a clock step cannot stall fetching.
         */
        /** The next refresh fetches, whatever the interval (after a failed start-up fetch). */
        void againAtOnce() {
            lastAttempt = NEVER;
        }

        private boolean isDue(long now) {
            long last = lastAttempt;
            return last == NEVER || now - last >= intervalMillis || last - now >= intervalMillis;
        }
    }
}
