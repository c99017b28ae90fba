package io.github.sessiongate.engine;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.StateStore;
import io.github.sessiongate.StateStore.EntryClass;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.internal.RateLimitedWarning;
import io.github.sessiongate.login.BackChannelLogout;
import io.github.sessiongate.rotation.FlightLease;
import io.github.sessiongate.rotation.GraceMemo;
import io.github.sessiongate.rotation.TokenKey;
import io.github.sessiongate.rotation.Revocations;
import io.github.sessiongate.rotation.SessionMarkers;
import io.github.sessiongate.rotation.ValidationCache;
import io.github.sessiongate.store.ExpiringStore;
import io.github.sessiongate.store.InMemoryStateStore;
import io.github.sessiongate.store.KeyedNames;
import io.github.sessiongate.store.OnceKeys;
import io.github.sessiongate.store.StateSeal;
import io.github.sessiongate.store.StateSlot;
import io.github.sessiongate.store.ValueCodec;
import io.github.sessiongate.EndpointSettings;
import io.github.sessiongate.web.LoginDelay;
import io.github.sessiongate.web.LoginLimiter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's shared state over the configured {@link StateStore}: the validation cache,
 * revocations, the session markers ({@code sid} and {@code sub}, {@link SessionMarkers}), the
 * grace memo's stores (pairs, chains, tombstones, the negative cache) and the refresh lease, each
 * a typed {@link StateSlot} under a key prefix of its own, and the login limiter's failure counts.
 * The validation cache is in the configured store only for a validator that calls a backend; a
 * local (JWT) validator keeps it in-process. Revocations and markers written to a configured store
 * are also kept in this node's memory, so a verdict computed across a logout here is voided
 * without a round trip.
 *
 * <p>Without a configured store each kind gets an {@link InMemoryStateStore} of its own, bounded
 * as before by {@code cache-max-entries}, {@code grace-max-entries}, {@code security-max-entries}
 * (each security kind) and {@code negative-cache-max-entries}; values stay objects. A configured
 * store holds every kind, encoded; token-carrying values are sealed under {@code state-store-key},
 * which a store shared across nodes must have.
 */
final class SharedState implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SharedState.class);


    /** Key prefixes, one per kind, so kinds never collide in one store. */
    static final String VALIDATIONS = "sg:v:";
    static final String REVOCATIONS = "sg:r:";
    static final String PAIRS = "sg:g:";
    static final String PREDECESSORS = "sg:p:";
    static final String TOMBSTONES = "sg:t:";
    static final String NEGATIVE = "sg:n:";
    static final String LINKS = "sg:l:";
    static final String ISSUED_WITH = "sg:i:";
    static final String FLIGHTS = "sg:f:";
    static final String LOGIN_FAILURES = "sg:c:";
    static final String SID_MARKERS = "sg:s:";
    static final String SUBJECT_MARKERS = "sg:u:";
    /** Used {@code jti}s of back-channel logout tokens (security). */
    static final String LOGOUT_JTIS = "sg:j:";

    private final GateConfig config;
    private final Clock clock;
    /** The configured store, or {@code null} for the per-kind in-memory default. */
    private final StateStore shared;
    private final StateSeal seal;
    private final Consumer<String> unavailable;
    /** Counts each operation the store could not answer (JMX); set once by the request steps. */
    private volatile Runnable storeFaults = () -> { };
    /** This node's name in lease owners; a random id per filter start. */
    private final String node = UUID.randomUUID().toString();
    private final AtomicLong flights = new AtomicLong();
    /**
     * How long a refresh lease lasts unless released: longer than the refresh call may take (the
     * configured connect and read timeouts, plus {@link #LEASE_MARGIN}), so no second node rotates
     * a token while the first still may. A node that dies holding it delays that token's refresh
     * elsewhere this long, and no longer.
     */
    private final Duration leaseTtl;
    /**
     * Names the token-derived keys in a configured store: HMAC-SHA-256 under a subkey of
     * {@code state-store-key}, so the store holds no plain digest of any token (which anyone holding
     * the token, or a log line's fingerprint, could match); {@code null} without a store or key.
     */
    private final KeyedNames storeNames;
    /** Renews the leases this node holds while their refresh calls run; {@code null} without a configured store. */
    private final LeaseKeeper leaseKeeper;
    /** Added to the backend timeouts in a lease's TTL: the lease's own round trips and clock drift between nodes. */
    static final Duration LEASE_MARGIN = Duration.ofSeconds(2);
    /** Names of the login limiter's counters in a store that has a state key; {@code null} keeps the limiter's digests. */
    private final KeyedNames loginNames;
    /** How a request waits between looks for another node's rotation; a seam so tests never sleep. */
    private final LoginDelay.Sleeper sleeper;
    /** The first pause before a request looks again for another node's rotation while that node holds the lease. */
    static final Duration POLL = Duration.ofMillis(20);
    /** The longest pause between two looks for another node's rotation. */
    static final Duration MAX_POLL = Duration.ofMillis(160);

    /** Made once per filter: every caller shares the same cache, revocation list, memo and lease. */
    private ValidationCache validationCache;
    private Revocations revocations;
    private GraceMemo graceMemo;
    private FlightLease flightLease;
    private LoginLimiter loginLimiter;
    private SessionMarkers sessionMarkers;
    private BackChannelLogout.Replays logoutTokenIds;

    private SharedState(GateConfig config, StateStore shared, StateSeal seal, LoginDelay.Sleeper sleeper) {
        this.config = config;
        this.sleeper = sleeper;
        this.clock = config.clock();
        this.shared = shared;
        this.seal = seal;
        RateLimitedWarning warning = new RateLimitedWarning(LOG, clock, Duration.ofMinutes(1),
                "The state store cannot answer ({}): until it is back this node keeps its state in its own "
                + "memory and refreshes without the cross-node lease, so its promises hold per node only");
        this.unavailable = cause -> {
            storeFaults.run();
            warning.warn(cause);
        };
        this.leaseTtl = leaseTtl(config);
        this.storeNames = shared == null ? null
                : ApiAccess.hooks().stateStoreKey(config).map(k -> new KeyedNames(k, KeyedNames.STATE_KEYS)).orElse(null);
        this.leaseKeeper = shared == null ? null : new LeaseKeeper(shared, leaseTtl, e -> storeFailed("renew", e));
        this.loginNames = shared == null ? null
                : ApiAccess.hooks().stateStoreKey(config).map(k -> new KeyedNames(k, KeyedNames.LOGIN_LIMITER)).orElse(null);
    }

    /**
     * The refresh lease's TTL: the connect timeout, plus the longest read timeout any refresher may
     * be given ({@link GateConfig#MAX_BACKEND_TIMEOUT}), plus {@link #LEASE_MARGIN}. A rotation never
     * outlives its lease, so two nodes never spend one rotating refresh token (which would sign
     * the user out); the price is that a node dying mid-rotation delays that one token's refresh
     * elsewhere by up to this long, answered as unavailable, never a sign-out.
     */
    static Duration leaseTtl(GateConfig config) {
        return config.backendConnectTimeout().plus(GateConfig.MAX_BACKEND_TIMEOUT).plus(LEASE_MARGIN);
    }

    /**
     * What the store's failure tells the rate-limited warning: the operation and the exception's
     * class, never its message (a client's message may quote a key or value).
     */
    private void storeFailed(String operation, RuntimeException e) {
        unavailable.accept(operation + ": " + e.getClass().getName());
    }

    /**
     * The state of the configured store, or the in-memory default.
     *
     * @throws ConfigException naming {@code state-store-key} when a store shared across nodes has no key
     */
    static SharedState create(GateConfig config) {
        return create(config, LoginDelay.Sleeper.THREAD);
    }

    /** As {@link #create(GateConfig)}, with the wait between looks for another node's rotation (tests). */
    static SharedState create(GateConfig config, LoginDelay.Sleeper sleeper) {
        Optional<StateStore> store = config.stateStore();
        if (store.isPresent() && store.get().sharedAcrossNodes() && ApiAccess.hooks().stateStoreKey(config).isEmpty()) {
            throw new ConfigException(GateConfig.PARAM_STATE_STORE_KEY, "is required: the state store "
                    + store.get().getClass().getName() + " is shared across nodes, and token-carrying state "
                    + "is sealed before it leaves the JVM; set the same base64url 32-byte key on every node");
        }
        return new SharedState(config, store.orElse(null), ApiAccess.hooks().stateStoreKey(config).map(StateSeal::new).orElse(null), sleeper);
    }

    /** Counts each operation the store could not answer, besides the rate-limited warning. */
    void countStoreFaults(Runnable counter) {
        this.storeFaults = java.util.Objects.requireNonNull(counter, "counter");
    }

    /** Stops the lease renewals (the filter's {@code destroy()}); the store itself is closed by its owner. */
    @Override
    public void close() {
        if (leaseKeeper != null) {
            leaseKeeper.close();
        }
    }

    /** The lease renewals, for tests; {@code null} without a configured store. */
    LeaseKeeper leaseKeeper() {
        return leaseKeeper;
    }

    /** The store key of the refresh lease on the token whose digest is {@code key}. */
    private String flightKey(String key) {
        return FLIGHTS + (storeNames == null ? key : storeNames.name(key));
    }

    /** Whether the in-memory default holds the state (one node). */
    boolean isLocal() {
        return shared == null;
    }

    /** The validation cache ({@code cache} class); the same one on every call. */
    synchronized ValidationCache validationCache() {
        if (validationCache == null) {
            validationCache = newValidationCache();
        }
        return validationCache;
    }

    /** The revocation list of signed-out access tokens (security); the same one on every call. */
    synchronized Revocations revocations() {
        if (revocations == null) {
            revocations = newRevocations();
        }
        return revocations;
    }

    /**
     * The sid and sub markers (security), which revoke whole sessions on every node sharing the
     * store (back-channel logout, a user's logout of an OIDC session); the same ones on every call.
     */
    synchronized SessionMarkers sessionMarkers() {
        if (sessionMarkers == null) {
            sessionMarkers = newSessionMarkers();
        }
        return sessionMarkers;
    }

    /**
     * How long a session marker lasts: the absolute session lifetime ({@code absolute-timeout})
     * when configured, since no session outlives it; else the refresh cookie's Max-Age, the
     * longest a browser keeps a session's cookies.
     */
    static Duration markerTtl(GateConfig config) {
        return config.lifetime().flatMap(l -> l.absoluteTimeout()).orElse(config.cookies().refreshMaxAge());
    }

    /** The grace memo: pairs, chains and tombstones (security), and the negative cache; the same one on every call. */
    synchronized GraceMemo graceMemo() {
        if (graceMemo == null) {
            graceMemo = newGraceMemo();
        }
        return graceMemo;
    }

    /** The cross-node refresh lease; the same one on every call. */
    synchronized FlightLease flightLease() {
        if (flightLease == null) {
            flightLease = newFlightLease();
        }
        return flightLease;
    }

    /**
     * The login limiter of these endpoint settings (the filter's one set): the first call makes it,
     * later calls return it. On a configured store its failure counts are shared ({@code cache}
     * class counters, one window each); attempts in flight stay per node.
     */
    synchronized LoginLimiter loginLimiter(EndpointSettings settings) {
        if (loginLimiter == null) {
            loginLimiter = newLoginLimiter(settings);
        }
        return loginLimiter;
    }

    /**
     * The ledger of used logout-token {@code jti}s (security, {@code security-max-entries} in this
     * node's memory); the same one on every call. Keys are the HMAC of issuer and {@code jti} under a
     * subkey of the state key when one is set, else their SHA-256.
     */
    synchronized BackChannelLogout.Replays logoutTokenIds() {
        if (logoutTokenIds == null) {
            OnceKeys keys = new OnceKeys(shared, new InMemoryStateStore(1, config.securityMaxEntries(), clock), LOGOUT_JTIS,
                    unavailable);
            KeyedNames names = ApiAccess.hooks().stateStoreKey(config).map(k -> new KeyedNames(k, KeyedNames.LOGOUT_JTI))
                    .orElse(null);
            BiFunction<String, String, String> name = (iss, jti) -> names != null
                    ? names.name(iss + "\n" + jti) : TokenKey.of(iss + "\n" + jti);
            logoutTokenIds = new BackChannelLogout.Replays() {
                @Override
                public Claim claim(String issuer, String jti, Duration ttl) {
                    return switch (keys.claim(name.apply(issuer, jti), ttl)) {
                        case FIRST -> Claim.FIRST;
                        case SEEN -> Claim.SEEN;
                        case FULL -> Claim.FULL;
                    };
                }

                @Override
                public void release(String issuer, String jti) {
                    keys.release(name.apply(issuer, jti));
                }
            };
        }
        return logoutTokenIds;
    }

    /**
     * In the configured store only for a validator that calls a backend
     * ({@link io.github.sessiongate.TokenValidator#callsBackendToValidate()}): there a shared hit
     * saves a backend call, and it is read in the request's one revocation round trip. A local
     * validator (JWT signatures) keeps an in-process cache even with a shared store: a store
     * round trip costs more than an RS256 check.
     */
    private ValidationCache newValidationCache() {
        if (shared != null && config.validator().callsBackendToValidate()) {
            return new ValidationCache(slot(VALIDATIONS, EntryClass.CACHE, ValidationCache.CODEC, config.cacheMaxEntries()),
                    config.cacheTtl(), clock);
        }
        // In-process: keyed by the token itself, so a hit costs no digest (ValidationCache's table).
        return new ValidationCache(config.cacheMaxEntries(), config.cacheTtl(), clock);
    }

    private Revocations newRevocations() {
        return new Revocations(security(REVOCATIONS, ValueCodec.PRESENCE, config.securityMaxEntries()), here(ValueCodec.PRESENCE),
                config.validator().clockSkew(), clock);
    }

    private SessionMarkers newSessionMarkers() {
        int max = config.securityMaxEntries();
        java.util.Optional<javax.crypto.SecretKey> key = ApiAccess.hooks().stateStoreKey(config);
        // Their names are keyed by SessionMarkers already: the slots store them as given, so a request's
        // marker lookup computes one HMAC per marker, not two.
        return new SessionMarkers(slot(SID_MARKERS, EntryClass.SECURITY, ValueCodec.PRESENCE, max, null),
                slot(SUBJECT_MARKERS, EntryClass.SECURITY, SessionMarkers.INSTANT, max, null), here(ValueCodec.PRESENCE), here(SessionMarkers.INSTANT),
                key.map(k -> new KeyedNames(k, KeyedNames.SID_MARKERS)).orElse(null),
                key.map(k -> new KeyedNames(k, KeyedNames.SUBJECT_MARKERS)).orElse(null), markerTtl(config), clock);
    }

    /**
     * This node's own memory of the security entries it writes to a configured store, so a
     * validation that ran while this node signed a session out is voided without a round trip;
     * {@code null} on the in-memory default (the state is this memory already). Bounded like a
     * security kind; a full one skips the copy (the store's entry is what counts).
     */
    private <V> ExpiringStore<V> here(ValueCodec<V> codec) {
        return shared == null ? null : new StateSlot<>(new InMemoryStateStore(1, config.securityMaxEntries(), clock), "",
                EntryClass.SECURITY, codec, seal, clock, unavailable);
    }

    private GraceMemo newGraceMemo() {
        int security = config.securityMaxEntries();
        ExpiringStore<TokenPair> pairs = security(PAIRS, ValueCodec.TOKEN_PAIR, config.graceMaxEntries());
        return new GraceMemo(pairs, security(PREDECESSORS, ValueCodec.TOKEN, security),
                security(TOMBSTONES, ValueCodec.PRESENCE, security),
                slot(NEGATIVE, EntryClass.CACHE, ValueCodec.PRESENCE, config.negativeCacheMaxEntries()),
                security(LINKS, GraceMemo.LINK_CODEC, security), security(ISSUED_WITH, ValueCodec.TOKEN, security),
                config.refreshGrace(), config.validator().clockSkew(), clock,
                // On a configured store a seen-valid refresh token's tombstone lasts its remaining life (the
                // session lifetime when opaque): a copy stays refused on every node even if the backend's
                // revocation failed. The bounded in-memory default keeps the short hold; there the
                // backend's revocation at logout is what ends a refresh token for good.
                shared == null ? Duration.ZERO : markerTtl(config));
    }

    /**
     * In-process de-duplication alone on the default; on a configured store a lease per token,
     * released by its owner when the rotation is recorded. Any failure of the store (its own
     * {@link StateStore.UnavailableException} or any other runtime exception of its client) is an
     * outage: the refresh goes ahead without the lease.
     */
    private FlightLease newFlightLease() {
        if (shared == null) {
            return FlightLease.LOCAL;
        }
        return new FlightLease() {
            @Override
            public Optional<Held> acquire(String key) {
                Attempt a = attempt(key);
                return a.answer() == Answer.ACQUIRED ? Optional.of(a.held()) : Optional.empty();
            }

            @Override
            public Attempt attempt(String key) {
                String k = flightKey(key);
                try {
                    // The SPI answers empty both when another owner holds the lease and when a full
                    // store cannot take it: a live holder tells the two apart. One more try covers a
                    // holder that released between the two looks.
                    for (int tries = 0; tries < 2; tries++) {
                        Optional<StateStore.Lease> lease = shared.lease(k, node + ":" + flights.incrementAndGet(), leaseTtl);
                        if (lease.isPresent()) {
                            return Attempt.acquired(releasing(lease.get()));
                        }
                        if (shared.get(k).isPresent()) {
                            return Attempt.HELD_ELSEWHERE;
                        }
                    }
                    return Attempt.STORE_FULL;
                } catch (RuntimeException e) {
                    storeFailed("lease", e);
                    return Attempt.acquired(FlightLease.NOTHING);
                }
            }

            private Held releasing(StateStore.Lease lease) {
                Runnable stopRenewing = leaseKeeper.keep(lease); // renewed while the refresh call is in flight
                return () -> {
                    stopRenewing.run();
                    try {
                        shared.release(lease);
                    } catch (RuntimeException e) {
                        storeFailed("release", e); // it lapses after its TTL
                    }
                };
            }

            /**
             * Looks after {@link #POLL}, then after twice the last pause up to {@link #MAX_POLL} (a
             * bounded backoff: a quick rotation is seen at once, a slow one costs few round trips),
             * until {@code done} answers, the lease ends, or {@code maxWait} has passed by the clock
             * (each look costs store round trips on top of the sleep, so counting looks would
             * overrun); at most {@code maxWait / POLL} looks all the same.
             */
            @Override
            public <T> Optional<T> awaitOther(String key, Supplier<Optional<T>> done, Duration maxWait) {
                Instant deadline = clock.instant().plus(maxWait);
                long polls = Math.max(1, maxWait.toMillis() / POLL.toMillis());
                Duration pause = POLL;
                for (long i = 0; i < polls; i++) {
                    Optional<T> result = done.get();
                    if (result.isPresent()) {
                        return result;
                    }
                    try {
                        if (shared.get(flightKey(key)).isEmpty()) {
                            return done.get(); // released (or lapsed) without a pair: nothing more will show
                        }
                    } catch (RuntimeException e) {
                        storeFailed("lease", e);
                        return Optional.empty();
                    }
                    Duration left = Duration.between(clock.instant(), deadline);
                    if (left.isNegative() || left.isZero()) {
                        return Optional.empty(); // the last look found nothing; no time for another
                    }
                    try {
                        sleeper.sleep(left.compareTo(pause) < 0 ? left : pause);
                        pause = pause.multipliedBy(2).compareTo(MAX_POLL) > 0 ? MAX_POLL : pause.multipliedBy(2);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return Optional.empty();
                    }
                    if (!clock.instant().isBefore(deadline)) {
                        return done.get();
                    }
                }
                return done.get();
            }
        };
    }

    private LoginLimiter newLoginLimiter(EndpointSettings settings) {
        return new LoginLimiter(settings.loginMaxFailures(), settings.loginAddressMaxFailures(),
                settings.loginFailureWindow(), settings.loginUsernameMaxDelay(), LoginLimiter.DEFAULT_MAX_TRACKED, clock,
                LoginLimiter.DEFAULT_MAX_WAITING, LoginLimiter.Waiter.CONDITION,
                shared == null ? LoginLimiter.SharedCounts.NONE : new StoredCounts());
    }

    /**
     * Login failure counts as {@link StateStore#increment} counters. Never throws for the store: any
     * runtime exception of its client is an outage (this node's own counts still hold). With a state
     * key the counters are named by {@link KeyedNames} (HMAC under a subkey of the state key), so a
     * dump of a shared store cannot be matched against digests of usernames or addresses.
     */
    private final class StoredCounts implements LoginLimiter.SharedCounts {
        private String stored(String key) {
            return LOGIN_FAILURES + (loginNames == null ? key : loginNames.name(key));
        }

        @Override
        public Map<String, Long> failures(Collection<String> keys) {
            Map<String, String> byStored = new HashMap<>();
            keys.forEach(k -> byStored.put(stored(k), k));
            Map<String, byte[]> found;
            try {
                found = shared.getAll(List.copyOf(byStored.keySet()));
            } catch (RuntimeException e) {
                storeFailed("login counts", e);
                return Map.of();
            }
            Map<String, Long> out = new HashMap<>();
            if (found == null) {
                return out;
            }
            found.forEach((k, v) -> {
                String key = byStored.get(k);
                if (key == null || v == null) {
                    return;
                }
                try {
                    out.put(key, Long.parseLong(new String(v, StandardCharsets.US_ASCII)));
                } catch (NumberFormatException e) {
                    // not a counter: no failures
                }
            });
            return out;
        }

        @Override
        public void failed(Collection<String> keys, Duration window) {
            try {
                for (String k : keys) {
                    shared.increment(stored(k), 1, window, EntryClass.CACHE);
                }
            } catch (RuntimeException e) {
                storeFailed("login counts", e); // this node's own count still holds
            }
        }

        @Override
        public void cleared(String key) {
            try {
                shared.delete(stored(key));
            } catch (RuntimeException e) {
                storeFailed("login counts", e);
            }
        }
    }

    private <V> ExpiringStore<V> security(String prefix, ValueCodec<V> codec, int maxEntries) {
        return slot(prefix, EntryClass.SECURITY, codec, maxEntries);
    }

    private <V> ExpiringStore<V> slot(String prefix, EntryClass entryClass, ValueCodec<V> codec, int maxEntries) {
        return slot(prefix, entryClass, codec, maxEntries, storeNames);
    }

    /** As {@link #slot(String, EntryClass, ValueCodec, int)}, its keys named by {@code names} in a configured store ({@code null}: as given). */
    private <V> ExpiringStore<V> slot(String prefix, EntryClass entryClass, ValueCodec<V> codec, int maxEntries,
            KeyedNames names) {
        IntFunction<InMemoryStateStore> own = max -> entryClass == EntryClass.CACHE
                ? new InMemoryStateStore(max, 1, clock) : new InMemoryStateStore(1, max, clock);
        if (shared == null) {
            return new StateSlot<>(own.apply(maxEntries), prefix, entryClass, codec, seal, clock, unavailable);
        }
        // This node's memory for the time the store cannot answer: per-node promises still hold.
        return new StateSlot<>(shared, prefix, entryClass, codec, seal, clock, unavailable,
                own.apply(maxEntries), names);
    }
}
