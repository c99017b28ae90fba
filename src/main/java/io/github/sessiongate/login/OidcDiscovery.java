package io.github.sessiongate.login;

import io.github.sessiongate.OidcSettings;
import io.github.sessiongate.internal.BackendHttp;
import io.github.sessiongate.internal.Json;
import io.github.sessiongate.internal.OidcWellKnown;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.lang.JoseException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an OpenID provider says about itself: its discovery document
 * ({@code <issuer>/.well-known/openid-configuration}, whose {@code issuer} must equal the configured
 * one exactly) and its JWK set, each fetched when first needed and cached. A provider that is down
 * never fails start-up: callers get nothing (a {@code 503} to the browser) and the next try waits
 * {@link #RETRY}. Thread-safe.
 */
final class OidcDiscovery {
    private static final Logger LOG = LoggerFactory.getLogger(OidcLoginFlow.class);
    /** How long after a failed discovery or JWKS download the next request tries again. */
    static final Duration RETRY = Duration.ofSeconds(5);

    private final String issuer;
    private final Map<String, URI> byHand;
    private final BackendHttp http;
    private final Clock clock;
    private final Object lock = new Object();
    private volatile Provider provider;
    private volatile Instant nextDiscovery = Instant.MIN;
    private volatile boolean failureLogged;
    private volatile List<JsonWebKey> keys = List.of();
    private volatile Instant nextJwks = Instant.MIN;

    /** What discovery said: the endpoints the flow uses. */
    record Provider(URI authorization, URI token, URI jwks, Optional<URI> endSession, Optional<URI> revocation,
            boolean issParameterSupported) {
    }

    /** No key set to check a signature with: the provider's JWKS does not answer. */
    static final class Unavailable extends Exception {
        private static final long serialVersionUID = 1L;

        Unavailable() {
            super(null, null, false, false);
        }
    }

    /**
     * With the endpoints set by hand ({@code oidc.*-endpoint}, {@code oidc.jwks-uri}), which win over
     * the document's. When the authorization, token and JWKS endpoints are all set
     * ({@link OidcSettings#discoveryNeeded()} false), the document is never fetched: end-session and
     * revocation are then only those set by hand, and {@code authorization_response_iss_parameter_supported}
     * counts as not advertised (an {@code iss} that comes is still checked).
     */
    OidcDiscovery(OidcSettings settings, BackendHttp http, Clock clock) {
        this.issuer = settings.issuer().toString();
        Map<String, URI> set = new LinkedHashMap<>();
        for (String p : OidcSettings.ENDPOINT_PARAMS) {
            settings.endpoint(p).ifPresent(u -> set.put(p, u));
        }
        this.byHand = Map.copyOf(set);
        this.http = Objects.requireNonNull(http, "http");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (!settings.discoveryNeeded()) {
            this.provider = new Provider(byHand.get(OidcSettings.PARAM_AUTHORIZATION_ENDPOINT),
                    byHand.get(OidcSettings.PARAM_TOKEN_ENDPOINT), byHand.get(OidcSettings.PARAM_JWKS_URI),
                    Optional.ofNullable(byHand.get(OidcSettings.PARAM_END_SESSION_ENDPOINT)),
                    Optional.ofNullable(byHand.get(OidcSettings.PARAM_REVOCATION_ENDPOINT)), false);
        }
    }

    /** The provider if discovery already succeeded, without asking it; {@code null} otherwise. */
    Provider known() {
        return provider;
    }

    /** The discovered provider, fetched when first needed; empty while the provider does not answer. */
    Optional<Provider> provider() {
        Provider known = provider;
        if (known != null) {
            return Optional.of(known);
        }
        synchronized (lock) {
            if (provider != null) {
                return Optional.of(provider);
            }
            if (clock.instant().isBefore(nextDiscovery)) {
                return Optional.empty();
            }
            nextDiscovery = clock.instant().plus(RETRY);
            URI url = OidcWellKnown.documentUrl(issuer);
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
                if (!OidcWellKnown.sameIssuer(issuer, said.orElse(null))) {
                    return failed(url, "names issuer " + said.map(OidcText::printable).orElse("(none)") + ", not " + issuer
                            + " exactly");
                }
                Provider p = new Provider(endpoint(doc.get(), "authorization_endpoint", OidcSettings.PARAM_AUTHORIZATION_ENDPOINT),
                        endpoint(doc.get(), "token_endpoint", OidcSettings.PARAM_TOKEN_ENDPOINT),
                        endpoint(doc.get(), "jwks_uri", OidcSettings.PARAM_JWKS_URI),
                        optionalEndpoint(doc.get(), "end_session_endpoint", OidcSettings.PARAM_END_SESSION_ENDPOINT),
                        optionalEndpoint(doc.get(), "revocation_endpoint", OidcSettings.PARAM_REVOCATION_ENDPOINT),
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

    /**
     * Called under the lock: the pause counts from the failure, so callers that queued behind a fetch
     * slower than {@link #RETRY} return at once instead of each fetching again.
     */
    private Optional<Provider> failed(URI url, String why) {
        nextDiscovery = clock.instant().plus(RETRY);
        if (!failureLogged) {
            failureLogged = true;
            LOG.warn("OpenID discovery at {} failed: {}; sign-ins answer 503 until it succeeds", url, why);
        } else {
            LOG.debug("OpenID discovery at {} failed: {}", url, why);
        }
        return Optional.empty();
    }

    private URI endpoint(Map<String, Object> doc, String name, String setting) {
        return optionalEndpoint(doc, name, setting).orElseThrow(() -> new IllegalArgumentException("names no " + name));
    }

    /** The endpoint set by hand ({@code setting}) if any, which wins; else the document's. */
    private Optional<URI> optionalEndpoint(Map<String, Object> doc, String name, String setting) {
        URI set = byHand.get(setting);
        return set != null ? Optional.of(set) : optionalEndpoint(doc, name);
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
        if (OidcWellKnown.downgrades(issuer, uri)) {
            throw new IllegalArgumentException(name + " is not https while the issuer is");
        }
        return Optional.of(uri);
    }

    /** The JWKS, fetched when first needed and again (at most every {@link #RETRY}) for an unknown {@code kid}. */
    List<JsonWebKey> keys(Provider p, String kid) throws Unavailable {
        List<JsonWebKey> current = keys;
        boolean known = !current.isEmpty() && (kid == null || current.stream().anyMatch(k -> kid.equals(k.getKeyId())));
        if (known || clock.instant().isBefore(nextJwks)) {
            if (current.isEmpty()) {
                throw new Unavailable();
            }
            return current;
        }
        synchronized (lock) {
            nextJwks = clock.instant().plus(RETRY);
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
}
