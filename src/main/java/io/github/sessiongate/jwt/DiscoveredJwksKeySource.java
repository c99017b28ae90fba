package io.github.sessiongate.jwt;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.internal.BackendHttp;
import io.github.sessiongate.internal.OidcWellKnown;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jose4j.http.Get;
import org.jose4j.http.SimpleResponse;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The keys of an OpenID provider's {@code jwks_uri}, found through its discovery document
 * ({@code <issuer>/.well-known/openid-configuration}, whose {@code issuer} must equal the configured
 * one exactly) when first needed, or set by hand ({@code oidc.jwks-uri}); then a
 * {@link JwksKeySource} with the {@code jwt.jwks-*} settings. Used when {@code oidc.issuer} is set
 * and no {@code jwt.*} key source is. Tried once at start-up ({@link #warmUp}, web.xml only), never
 * failing it: while the provider does not answer, validations are "unavailable" (the filter answers {@code 503} and keeps cookies), and
 * discovery is retried at most every {@link #RETRY} (5 s). Thread-safe.
 */
final class DiscoveredJwksKeySource implements KeySource {
    private static final Logger LOG = LoggerFactory.getLogger(DiscoveredJwksKeySource.class);
    private static final long NEVER = Long.MIN_VALUE;
    /**
     * Longest wait before discovery is tried again (shorter if {@code jwt.jwks-refetch-interval}
     * is): the sign-in's own discovery retries as often, so a recovered provider is usable by both
     * at about the same time.
     */
    static final Duration RETRY = Duration.ofSeconds(5);

    private final String issuer;
    private final JwksKeySource.Settings settings;
    private final Clock clock;
    private final Object lock = new Object();
    private volatile JwksKeySource keys;
    private volatile long lastAttempt = NEVER;
    private volatile boolean failureLogged;
    /** The last discovery failure, URL and status, for the validator's "unavailable"; {@code null} before any. */
    private volatile String lastFailure;

    /**
     * @param issuer the provider's issuer identifier ({@code oidc.issuer})
     * @param jwksByHand {@code oidc.jwks-uri}, or {@code null} to discover it
     */
    DiscoveredJwksKeySource(String issuer, String jwksByHand, JwksKeySource.Settings settings, Clock clock) {
        this.issuer = issuer;
        this.settings = settings;
        this.clock = clock;
        if (jwksByHand != null) {
            this.keys = JwksKeySource.create("oidc.jwks-uri", jwksByHand, settings, clock);
        }
    }

    /** The JWKS key source, discovering its URL if due; {@code null} while discovery fails. */
    private JwksKeySource keys() {
        JwksKeySource k = keys;
        if (k != null) {
            return k;
        }
        synchronized (lock) {
            if (keys != null) {
                return keys;
            }
            long now = clock.millis();
            long last = lastAttempt;
            long interval = Math.min(settings.refetchInterval().toMillis(), RETRY.toMillis());
            if (last != NEVER && now - last < interval && last - now < interval) {
                return null;
            }
            lastAttempt = now;
            URI document = OidcWellKnown.documentUrl(issuer);
            String url = document.toString();
            String shown = BackendHttp.withoutQuery(document);
            try {
                Get get = new Get();
                int timeout = (int) Math.min(Integer.MAX_VALUE, settings.timeout().toMillis());
                get.setConnectTimeout(timeout);
                get.setReadTimeout(timeout);
                get.setRetries(0);
                SimpleResponse r = get.get(url);
                if (r.getStatusCode() != 200) {
                    return failed(shown, "answered HTTP " + r.getStatusCode());
                }
                Map<String, Object> doc = JsonUtil.parseJson(r.getBody());
                if (!OidcWellKnown.sameIssuer(issuer, doc.get("issuer"))) {
                    return failed(shown, "does not name issuer " + issuer + " exactly");
                }
                if (!(doc.get("jwks_uri") instanceof String jwks)) {
                    return failed(shown, "names no jwks_uri");
                }
                URI checked = JwksKeySource.check("jwks_uri", jwks);
                if (OidcWellKnown.downgrades(issuer, checked)) {
                    return failed(shown, "names a jwks_uri that is not https while the issuer is");
                }
                keys = JwksKeySource.create("jwks_uri", jwks, settings, clock);
                LOG.info("Access-token keys from the discovered jwks_uri {}", BackendHttp.withoutQuery(checked)); // a query may carry a key
                return keys;
            } catch (IOException e) {
                return failed(shown, JwksKeySource.failure(e)); // jose4j's Get throws for any status but 200
            } catch (JoseException | ClassCastException e) {
                return failed(shown, "answered no JSON object (" + e.getClass().getSimpleName() + ")");
            } catch (ConfigException e) {
                return failed(shown, "names a jwks_uri that is not https (or http to loopback)");
            }
        }
    }

    private JwksKeySource failed(String url, String why) {
        lastFailure = "OpenID discovery at " + url + " " + why;
        if (!failureLogged) {
            failureLogged = true;
            LOG.warn("OpenID discovery for the access-token keys at {} failed: {}; requests answer 503 until it succeeds", url, why);
        } else {
            LOG.debug("OpenID discovery for the access-token keys at {} failed: {}", url, why);
        }
        return null;
    }

    @Override
    public List<String> defaultAlgorithms() {
        return JwtTokenValidator.DEFAULT_ALGORITHMS_JWKS;
    }

    @Override
    public void checkAlgorithm(String algorithm) {
        // The same key types as any JWKS.
        JwksKeySource.checkJwksAlgorithm(algorithm);
    }

    @Override
    public Object generation() throws IOException {
        return discovered().generation();
    }

    @Override
    public KeyMatch resolve(String algorithm, String kid) throws IOException {
        return discovered().resolve(algorithm, kid);
    }

    /** The discovered key set; while discovery fails, an IOException: the validator reports "unavailable", never a refusal. */
    private JwksKeySource discovered() throws IOException {
        JwksKeySource k = keys();
        if (k == null) {
            String failure = lastFailure;
            throw new IOException(failure != null ? failure : "OpenID discovery unavailable");
        }
        return k;
    }

    /**
     * At start-up: discovery (a failure is logged at WARN with the document's URL and status), then
     * the discovered key set's own first fetch.
     */
    @Override
    public void warmUp() {
        JwksKeySource k = keys();
        if (k != null) {
            k.warmUp();
        }
    }

    @Override
    public String describe() {
        JwksKeySource k = keys;
        return k != null ? k.describe() + " (oidc)" : "jwks=discovered from " + issuer;
    }

    @Override
    public void close() {
        JwksKeySource k = keys;
        if (k != null) {
            k.close();
        }
    }
}
