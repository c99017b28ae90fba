package io.github.sessiongate.engine;

import io.github.sessiongate.CookieSealSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.CookieSealSettings;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.GateConfigTest;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.Session;
import io.github.sessiongate.StateStore;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.rotation.Bulkhead;
import io.github.sessiongate.rotation.RefreshOutcome;
import io.github.sessiongate.rotation.Refresher;
import io.github.sessiongate.rotation.Validations;
import io.github.sessiongate.store.InMemoryStateStore;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.web.LoginDelay;
import io.github.sessiongate.web.LoginLimiter;
import io.github.sessiongate.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine runs its shared state on the configured {@link StateStore}: a store named by the
 * builder (or {@code state-store}) carries the validation cache, the refresh lease and the
 * grace memo; a shared store gets only sealed token-carrying values and refuses to start without
 * {@code state-store-key}; an unavailable store degrades to this node's memory and never throws; the
 * default keeps objects.
 */
class SharedStateTest {
    private static final String KEY = Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]).replace('A', 'q');

    private final MutableClock clock = new MutableClock();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** Valid for {@code acc-*}; rotates {@code ref-N} to {@code acc-N+1}/{@code ref-N+1}; counts refreshes. */
    static final class Rotating extends TokenValidator {
        final AtomicInteger refreshes = new AtomicInteger();
        private final Clock clock;

        Rotating(Clock clock) {
            this.clock = clock;
        }

        @Override
        protected ValidationResult doValidate(String token) {
            if (!token.startsWith("acc-")) {
                return ValidationResult.invalid(ValidationResult.Reason.REJECTED_BY_BACKEND);
            }
            Map<String, Object> claims = new LinkedHashMap<>();
            claims.put("sub", "alice");
            claims.put("n", 42L);
            claims.put("scope", List.of("read", "write"));
            return ValidationResult.valid(Session.builder("alice", token).roles(Set.of("user")).claims(claims)
                    .expiresAt(clock.instant().plus(Duration.ofMinutes(10))).build());
        }

        @Override
        protected RefreshResult doRefresh(String refreshToken) {
            refreshes.incrementAndGet();
            int n = Integer.parseInt(refreshToken.substring("ref-".length())) + 1;
            return RefreshResult.refreshed(new TokenPair("acc-" + n, "ref-" + n, clock.instant().plus(Duration.ofMinutes(10))));
        }
    }

    /** A store that records every operation (and every value written) and forwards to an in-memory one. */
    public static class CountingStore implements StateStore {
        final InMemoryStateStore inner;
        final boolean shared;
        final List<String> ops = Collections.synchronizedList(new ArrayList<>());
        final List<byte[]> written = Collections.synchronizedList(new ArrayList<>());
        volatile boolean closed;
        volatile int inits;

        CountingStore(Clock clock, boolean shared) {
            this.inner = new InMemoryStateStore(1_000, 1_000, clock);
            this.shared = shared;
        }

        long count(String op, String prefix) {
            synchronized (ops) {
                return ops.stream().filter(o -> o.startsWith(op + " " + prefix)).count();
            }
        }

        @Override
        public void init(InitParams params) {
            inits++;
        }

        @Override
        public boolean sharedAcrossNodes() {
            return shared;
        }

        @Override
        public Optional<byte[]> get(String key) {
            ops.add("get " + key);
            return inner.get(key);
        }

        @Override
        public Map<String, byte[]> getAll(Collection<String> keys) {
            keys.forEach(k -> ops.add("getAll " + k));
            return inner.getAll(keys);
        }

        @Override
        public WriteResult put(String key, byte[] value, Duration ttl, EntryClass entryClass) {
            ops.add("put " + key);
            written.add(value.clone());
            return inner.put(key, value, ttl, entryClass);
        }

        @Override
        public WriteResult putIfAbsent(String key, byte[] value, Duration ttl, EntryClass entryClass) {
            ops.add("putIfAbsent " + key);
            written.add(value.clone());
            return inner.putIfAbsent(key, value, ttl, entryClass);
        }

        @Override
        public void delete(String key) {
            ops.add("delete " + key);
            inner.delete(key);
        }

        @Override
        public java.util.OptionalLong increment(String key, long delta, Duration ttl, EntryClass entryClass) {
            ops.add("increment " + key);
            return inner.increment(key, delta, ttl, entryClass);
        }

        @Override
        public Optional<Lease> lease(String key, String owner, Duration ttl) {
            ops.add("lease " + key);
            return inner.lease(key, owner, ttl);
        }

        @Override
        public Optional<Lease> renew(Lease lease, Duration ttl) {
            ops.add("renew " + lease.key());
            return inner.renew(lease, ttl);
        }

        @Override
        public boolean release(Lease lease) {
            ops.add("release " + lease.key());
            return inner.release(lease);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** A shared store for {@code state-store}: a public no-arg constructor. */
    public static final class SharedCountingStore extends CountingStore {
        public SharedCountingStore() {
            super(Clock.systemUTC(), true);
        }
    }

    /** A store whose server is down: every read throws, every write says so. */
    static final class DownStore implements StateStore {
        @Override
        public boolean sharedAcrossNodes() {
            return true;
        }

        @Override
        public Optional<byte[]> get(String key) {
            throw new UnavailableException("down");
        }

        @Override
        public Map<String, byte[]> getAll(Collection<String> keys) {
            throw new UnavailableException("down");
        }

        @Override
        public WriteResult put(String key, byte[] value, Duration ttl, EntryClass entryClass) {
            return WriteResult.UNAVAILABLE;
        }

        @Override
        public WriteResult putIfAbsent(String key, byte[] value, Duration ttl, EntryClass entryClass) {
            return WriteResult.UNAVAILABLE;
        }

        @Override
        public void delete(String key) {
            throw new UnavailableException("down");
        }

        @Override
        public java.util.OptionalLong increment(String key, long delta, Duration ttl, EntryClass entryClass) {
            throw new UnavailableException("down");
        }

        @Override
        public Optional<Lease> lease(String key, String owner, Duration ttl) {
            throw new UnavailableException("down");
        }

        @Override
        public Optional<Lease> renew(Lease lease, Duration ttl) {
            throw new UnavailableException("down");
        }

        @Override
        public boolean release(Lease lease) {
            throw new UnavailableException("down");
        }
    }

    private RequestSteps gate(GateConfig.Builder builder) {
        RequestSteps gate = new RequestSteps(Components.fromConfig(builder.clock(clock).build()), "", "shared-state-test");
        open.add(gate);
        return gate;
    }

    private static ValidationResult.Valid valid(Validations.Checked checked) {
        assertTrue(checked.result() instanceof ValidationResult.Valid, checked.toString());
        return (ValidationResult.Valid) checked.result();
    }

    @Test
    void aStoreNamedByTheBuilderCarriesTheCacheTheLeaseAndTheGraceMemo() {
        CountingStore store = new CountingStore(clock, false);
        Rotating validator = new Rotating(clock);
        RequestSteps gate = gate(GateConfig.builder().validator(validator).stateStore(store).stateStoreKey(KEY));

        Session first = valid(gate.validations.validate("acc-1")).session();
        Validations.Checked again = gate.validations.validate("acc-1");
        assertEquals(Validations.Source.CACHE, again.source());
        Session cached = valid(again).session();
        assertNotSame(first, cached, "decoded from the store's bytes");
        assertEquals(first.subject(), cached.subject());
        assertEquals(first.roles(), cached.roles());
        assertEquals(first.claims(), cached.claims());
        assertEquals(first.expiresAt(), cached.expiresAt());
        assertEquals("acc-1", cached.token());
        assertTrue(store.count("put", SharedState.VALIDATIONS) >= 1, store.ops.toString());
        // Read in the request's one revocation lookup (a getAll), not by a GET of its own.
        assertTrue(store.count("getAll", SharedState.VALIDATIONS) >= 1, store.ops.toString());

        RefreshOutcome rotated = gate.refresher.refresh("ref-1");
        assertEquals(RefreshOutcome.Kind.ROTATED, rotated.kind(), rotated.toString());
        assertEquals("acc-2", rotated.tokens().accessToken());
        assertEquals(1, store.count("lease", SharedState.FLIGHTS), store.ops.toString());
        assertEquals(1, store.count("release", SharedState.FLIGHTS), store.ops.toString());
        assertTrue(store.count("put", SharedState.PAIRS) >= 1, store.ops.toString());
        assertTrue(store.count("put", SharedState.LINKS) >= 1, store.ops.toString());

        RefreshOutcome replay = gate.refresher.refresh("ref-1"); // a parallel tab, still on the old cookie
        assertEquals(RefreshOutcome.Kind.ROTATED, replay.kind());
        assertEquals(RefreshOutcome.Via.GRACE, replay.via());
        assertEquals("ref-2", replay.tokens().refreshToken());
        assertEquals(1, validator.refreshes.get(), "the grace pair came back from the store's bytes");

        assertTrue(gate.refresher.end("ref-2", "acc-2", null, false));
        assertTrue(store.count("put", SharedState.TOMBSTONES) >= 1, store.ops.toString());
        assertTrue(store.count("put", SharedState.REVOCATIONS) >= 1, store.ops.toString());
        assertEquals(Validations.Source.REVOKED, gate.validations.validate("acc-2").source());
        assertEquals(RefreshOutcome.Kind.REFUSED, gate.refresher.refresh("ref-2").kind());

        gate.close();
        open.remove(gate);
        assertFalse(store.closed, "a store handed to the builder stays its owner's");
    }

    @Test
    void aSharedStoreReceivesNoTokenInTheClear() {
        CountingStore store = new CountingStore(clock, true);
        RequestSteps gate = gate(GateConfig.builder().validator(new Rotating(clock)).stateStore(store).stateStoreKey(KEY));

        valid(gate.validations.validate("acc-1"));
        assertEquals(Validations.Source.CACHE, gate.validations.validate("acc-1").source());
        assertEquals(RefreshOutcome.Kind.ROTATED, gate.refresher.refresh("ref-1").kind());
        assertEquals(RefreshOutcome.Via.GRACE, gate.refresher.refresh("ref-1").via());
        assertTrue(gate.refresher.end("ref-2", "acc-2", null, false));

        assertFalse(store.written.isEmpty());
        int sealed = 0;
        for (byte[] value : store.written) {
            String text = new String(value, StandardCharsets.ISO_8859_1);
            for (String token : List.of("acc-1", "acc-2", "ref-1", "ref-2")) {
                assertFalse(text.contains(token), "a value written to the shared store holds " + token);
            }
            sealed += text.startsWith("eyJ") ? 1 : 0;
        }
        assertTrue(sealed >= 3, "cache entry, grace pair and links are sealed JWEs; sealed: " + sealed);
    }

    @Test
    void aSealedValueMovedToAnotherKeyDoesNotOpen() {
        CountingStore store = new CountingStore(clock, true);
        RequestSteps gate = gate(GateConfig.builder().validator(new Rotating(clock)).stateStore(store).stateStoreKey(KEY));
        valid(gate.validations.validate("acc-1"));
        String key = store.ops.stream().filter(o -> o.startsWith("put " + SharedState.VALIDATIONS)).findFirst()
                .orElseThrow().substring("put ".length());
        byte[] sealedEntry = store.inner.get(key).orElseThrow();
        String otherKey = SharedState.VALIDATIONS + io.github.sessiongate.rotation.TokenKey.of("acc-9");
        store.inner.put(otherKey, sealedEntry, Duration.ofSeconds(1), StateStore.EntryClass.CACHE);
        assertEquals(Validations.Source.CALLED, gate.validations.validate("acc-9").source());
        assertEquals("acc-9", valid(gate.validations.validate("acc-9")).session().token());
    }

    @Test
    void anyStoreButTheBuiltInOneWithoutAKeyFailsAtBuildNamingStateStoreKey() {
        for (boolean shared : new boolean[] {true, false}) {
            ConfigException e = assertThrows(ConfigException.class, () -> GateConfig.builder().validator(new Rotating(clock))
                    .stateStore(new CountingStore(clock, shared)).build());
            assertEquals(GateConfig.PARAM_STATE_STORE_KEY, e.parameter());
            assertTrue(e.getMessage().contains(GateConfig.PARAM_STATE_STORE_KEY), e.getMessage());
        }
        // The built-in store needs none, and a key without a store is refused as a mistake.
        GateConfig.builder().validator(new Rotating(clock)).stateStore(new InMemoryStateStore(1_000, 1_000, clock)).build();
        ConfigException keyAlone = assertThrows(ConfigException.class, () -> GateConfig.builder()
                .validator(new Rotating(clock)).stateStoreKey(KEY).build());
        assertEquals(GateConfig.PARAM_STATE_STORE_KEY, keyAlone.parameter());
    }

    @Test
    void stateStoreClassWithoutKeyFailsStartUpAndWithTheKeyIsInitialisedOnceAndClosedWithTheFilter() {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put(GateConfig.PARAM_VALIDATOR_CLASS, GateConfigTest.RecordingValidator.class.getName());
        raw.put("recording.endpoint", "http://127.0.0.1:1/");
        raw.put(GateConfig.PARAM_STATE_STORE, SharedCountingStore.class.getName());
        ConfigException e = assertThrows(ConfigException.class, () -> Components.fromInitParams(raw, clock));
        assertEquals(GateConfig.PARAM_STATE_STORE_KEY, e.parameter());

        raw.put(GateConfig.PARAM_STATE_STORE_KEY, KEY);
        Components components = Components.fromInitParams(raw, clock);
        CountingStore store = (CountingStore) components.config().stateStore().orElseThrow();
        assertEquals(1, store.inits);
        assertFalse(components.config().describe().contains(KEY), "the key is never shown");
        components.close();
        assertTrue(store.closed, "a store made from state-store is the filter's to close");
    }

    @Test
    void aBadStateStoreClassOrKeyFailsNamingItsParameter() {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put(GateConfig.PARAM_VALIDATOR_CLASS, GateConfigTest.RecordingValidator.class.getName());
        raw.put("recording.endpoint", "http://127.0.0.1:1/");
        raw.put(GateConfig.PARAM_STATE_STORE, String.class.getName());
        assertEquals(GateConfig.PARAM_STATE_STORE,
                assertThrows(ConfigException.class, () -> Components.fromInitParams(raw, clock)).parameter());
        for (String bad : List.of("too-short", "not base64url!", Base64.getUrlEncoder().encodeToString(new byte[16]))) {
            ConfigException e = assertThrows(ConfigException.class, () -> GateConfig.builder().validator(new Rotating(clock))
                    .stateStoreKey(bad).build());
            assertEquals(GateConfig.PARAM_STATE_STORE_KEY, e.parameter());
            assertFalse(e.getMessage().contains(bad), "the key is never echoed");
        }
    }

    @Test
    void anUnavailableStoreDegradesToThisNodesOwnMemory() {
        try (LogCapture log = new LogCapture(SharedState.class, io.github.sessiongate.SessionFilter.class)) {
            Rotating validator = new Rotating(clock);
            RequestSteps gate = gate(GateConfig.builder().validator(validator).stateStore(new DownStore()).stateStoreKey(KEY));
            valid(gate.validations.validate("acc-1"));
            RefreshOutcome r = gate.refresher.refresh("ref-1");
            assertEquals(RefreshOutcome.Kind.ROTATED, r.kind(), "refreshes without the cross-node lease");
            assertEquals(Validations.Source.CACHE, gate.validations.validate("acc-1").source(), "cached on this node");
            assertTrue(gate.refresher.end("ref-2", "acc-2", null, false), "the logout's state is held on this node");
            assertEquals(Validations.Source.REVOKED, gate.validations.validate("acc-2").source());
            assertEquals(RefreshOutcome.Kind.REFUSED, gate.refresher.refresh("ref-2").kind(), "tombstoned on this node");
            assertEquals(1, validator.refreshes.get());
            assertTrue(log.text().contains("state store cannot answer"), log.text());
            for (String secret : List.of("acc-1", "acc-2", "ref-1", "ref-2", KEY)) {
                assertFalse(log.text().contains(secret), "logged: " + secret);
            }
        }
    }

    @Test
    void theInMemoryDefaultKeepsTheCachedSessionObjectItself() {
        RequestSteps gate = gate(GateConfig.builder().validator(new Rotating(clock)));
        Session first = valid(gate.validations.validate("acc-1")).session();
        Validations.Checked again = gate.validations.validate("acc-1");
        assertEquals(Validations.Source.CACHE, again.source());
        assertSame(first, valid(again).session(), "no copy, no decoding on a hit");
        SharedState state = gate.components.state();
        assertSame(gate.validations.revocations(), state.revocations(), "one revocation list per filter, whoever asks");
        assertSame(state.graceMemo(), state.graceMemo());
        assertSame(state.flightLease(), state.flightLease());
    }

    private LoginLimiter limiterOn(StateStore store) {
        Components components = Components.fromConfig(GateConfig.builder().validator(new Rotating(clock)).clock(clock)
                .stateStore(store).stateStoreKey(KEY).build());
        open.add(components);
        return components.state().loginLimiter(components.endpoints());
    }

    @Test
    void loginFailuresOnOneNodeLimitThePairOnAnother() {
        CountingStore store = new CountingStore(clock, true);
        LoginLimiter nodeA = limiterOn(store);
        LoginLimiter nodeB = limiterOn(store);
        int max = io.github.sessiongate.EndpointSettings.defaults().loginMaxFailures();
        for (int i = 0; i < max; i++) {
            try (LoginLimiter.Ticket t = nodeA.begin("alice", "203.0.113.9")) {
                assertEquals(LoginLimiter.Status.GRANTED, t.status());
                t.failed();
            }
        }
        assertTrue(store.count("increment", SharedState.LOGIN_FAILURES) >= max, store.ops.toString());
        assertTrue(store.ops.stream().noneMatch(o -> o.contains("alice") || o.contains("203.0.113.9")), "keys are digests");
        try (LoginLimiter.Ticket t = nodeB.begin("alice", "203.0.113.9")) {
            assertEquals(LoginLimiter.Status.LIMITED, t.status(), "node B never saw a failure itself");
            assertTrue(t.retryAfterSeconds() >= 1);
        }
        assertTrue(nodeB.retryAfterSeconds("ALICE", "203.0.113.9") >= 1);
        try (LoginLimiter.Ticket t = nodeB.begin("bob", "203.0.113.9")) {
            assertEquals(LoginLimiter.Status.GRANTED, t.status(), "another user from the address is under its ceiling");
        }
    }

    @Test
    void loginLimitsHoldPerNodeWhenTheStoreIsDown() {
        LoginLimiter node = limiterOn(new DownStore());
        int max = io.github.sessiongate.EndpointSettings.defaults().loginMaxFailures();
        for (int i = 0; i < max; i++) {
            try (LoginLimiter.Ticket t = node.begin("alice", "203.0.113.9")) {
                assertEquals(LoginLimiter.Status.GRANTED, t.status());
                t.failed();
            }
        }
        try (LoginLimiter.Ticket t = node.begin("alice", "203.0.113.9")) {
            assertEquals(LoginLimiter.Status.LIMITED, t.status());
        }
    }

    /** A node's refresher over the shared store, waiting through {@code sleeper} for other nodes' rotations. */
    private Refresher nodeRefresher(StateStore store, Rotating validator, LoginDelay.Sleeper sleeper) {
        return nodeRefresher(store, validator, sleeper, () -> { });
    }

    /** As above, telling {@code securityStoreFull} each time security state could not be recorded. */
    private Refresher nodeRefresher(StateStore store, Rotating validator, LoginDelay.Sleeper sleeper, Runnable securityStoreFull) {
        GateConfig config = GateConfig.builder().validator(validator).clock(clock).stateStore(store).stateStoreKey(KEY).build();
        SharedState state = SharedState.create(config, sleeper);
        Bulkhead bulkhead = new Bulkhead(4);
        Validations validations = new Validations(validator, state.validationCache(), bulkhead, Duration.ofMillis(100),
                state.revocations());
        return new Refresher(validator, validations, state.graceMemo(), bulkhead, Duration.ofMillis(100), token -> { },
                securityStoreFull, state.flightLease());
    }

    @Test
    void aRefreshLeasedByAnotherNodeIsNotRepeatedHereButAwaitedThroughTheStore() {
        CountingStore store = new CountingStore(clock, true);
        Rotating validatorA = new Rotating(clock);
        Rotating validatorB = new Rotating(clock);
        RequestSteps nodeA = gate(GateConfig.builder().validator(validatorA).stateStore(store).stateStoreKey(KEY));
        String leaseKey = leaseKey("ref-1");
        // Node A is rotating ref-1 (its lease taken by hand); it finishes while node B waits.
        StateStore.Lease inFlight = store.lease(leaseKey, "node-a:1", Duration.ofSeconds(60)).orElseThrow();
        AtomicInteger sleeps = new AtomicInteger();
        Refresher nodeB = nodeRefresher(store, validatorB, d -> {
            assertEquals(SharedState.POLL, d);
            if (sleeps.incrementAndGet() == 1) {
                assertTrue(store.release(inFlight));
                assertEquals(RefreshOutcome.Kind.ROTATED, nodeA.refresher.refresh("ref-1").kind());
            }
        });

        RefreshOutcome onB = nodeB.refresh("ref-1"); // the old cookie, at the other node, during the rotation
        assertEquals(RefreshOutcome.Kind.ROTATED, onB.kind(), onB.toString());
        assertEquals("ref-2", onB.tokens().refreshToken());
        assertEquals(0, validatorB.refreshes.get(), "node B never asks the backend while another node rotates");
        assertEquals(1, validatorA.refreshes.get());
        assertEquals(1, sleeps.get());
        assertTrue(store.inner.get(leaseKey).isEmpty(), "node A released its lease");
    }

    @Test
    void aLeaseHeldPastTheWaitAnswersTransientlyWithoutABackendCall() {
        CountingStore store = new CountingStore(clock, true);
        Rotating validator = new Rotating(clock);
        store.lease(leaseKey("ref-1"), "node-a:1",
                Duration.ofSeconds(60)).orElseThrow();
        AtomicInteger sleeps = new AtomicInteger();
        Refresher node = nodeRefresher(store, validator, d -> sleeps.incrementAndGet());
        RefreshOutcome r = node.refresh("ref-1");
        assertEquals(RefreshOutcome.Kind.UNAVAILABLE, r.kind(), "no verdict, so no cookie is cleared");
        assertEquals(0, validator.refreshes.get());
        assertEquals(Duration.ofMillis(100).toMillis() / SharedState.POLL.toMillis(), sleeps.get(), "bounded by the wait");
    }

    @Test
    void waitersBackOffBetweenLooksUpToABound() {
        CountingStore store = new CountingStore(clock, true);
        Rotating validator = new Rotating(clock);
        store.lease(leaseKey("ref-1"), "node-a:1", Duration.ofSeconds(60)).orElseThrow();
        java.util.List<Duration> pauses = new java.util.ArrayList<>();
        Refresher node = nodeRefresher(store, validator, d -> {
            pauses.add(d);
            clock.advance(d);
        });
        RefreshOutcome r = node.refresh("ref-1");
        assertEquals(RefreshOutcome.Kind.UNAVAILABLE, r.kind(), r.toString());
        assertEquals(0, validator.refreshes.get(), "a waiter never starts a second refresh");
        assertTrue(pauses.size() >= 3, pauses.toString());
        assertEquals(SharedState.POLL, pauses.get(0));
        assertEquals(SharedState.POLL.multipliedBy(2), pauses.get(1));
        assertTrue(pauses.stream().allMatch(d -> d.compareTo(SharedState.MAX_POLL) <= 0), pauses.toString());
    }

    @Test
    void aLeaseReleasedWithoutAPairEndsTheWaitAtOnce() {
        CountingStore store = new CountingStore(clock, true);
        Rotating validator = new Rotating(clock);
        StateStore.Lease held = store.lease(leaseKey("ref-1"),
                "node-a:1", Duration.ofSeconds(60)).orElseThrow();
        AtomicInteger sleeps = new AtomicInteger();
        Refresher node = nodeRefresher(store, validator, d -> {
            sleeps.incrementAndGet();
            store.release(held); // node A's backend call failed: no pair, no tombstone
        });
        assertEquals(RefreshOutcome.Kind.UNAVAILABLE, node.refresh("ref-1").kind());
        assertEquals(1, sleeps.get());
        assertEquals(0, validator.refreshes.get(), "this request still does not rotate: the next one will");
    }

    @Test
    void theStateKeyServesNoOtherPurpose() {
        byte[] random = new byte[32];
        new java.security.SecureRandom().nextBytes(random);
        String raw = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Map<String, String> params = new LinkedHashMap<>();
        params.put(GateConfig.PARAM_VALIDATOR_CLASS, GateConfigTest.RecordingValidator.class.getName());
        params.put("recording.endpoint", "http://127.0.0.1:1/");
        params.put(CookieSealSettings.PARAM_KEYS, "k1:" + raw);
        params.put(GateConfig.PARAM_STATE_STORE_KEY, raw);
        ConfigException e = assertThrows(ConfigException.class, () -> Components.fromInitParams(params, clock));
        assertEquals(GateConfig.PARAM_STATE_STORE_KEY, e.parameter(), e.getMessage());
        assertFalse(e.getMessage().contains(raw));
    }

    /** A store whose client fails with its own runtime exception (not {@link StateStore.UnavailableException}), quoting a "key". */
    static final class ThrowingStore implements StateStore {
        static final String QUOTED = "sg:secret-key-quoted-by-the-client";

        private static RuntimeException boom() {
            return new IllegalStateException("connection reset while reading " + QUOTED);
        }

        @Override
        public boolean sharedAcrossNodes() {
            return true;
        }

        @Override
        public Optional<byte[]> get(String key) {
            throw boom();
        }

        @Override
        public Map<String, byte[]> getAll(Collection<String> keys) {
            throw boom();
        }

        @Override
        public WriteResult put(String key, byte[] value, Duration ttl, EntryClass entryClass) {
            throw boom();
        }

        @Override
        public WriteResult putIfAbsent(String key, byte[] value, Duration ttl, EntryClass entryClass) {
            throw boom();
        }

        @Override
        public void delete(String key) {
            throw boom();
        }

        @Override
        public java.util.OptionalLong increment(String key, long delta, Duration ttl, EntryClass entryClass) {
            throw boom();
        }

        @Override
        public Optional<Lease> lease(String key, String owner, Duration ttl) {
            throw boom();
        }

        @Override
        public Optional<Lease> renew(Lease lease, Duration ttl) {
            throw boom();
        }

        @Override
        public boolean release(Lease lease) {
            throw boom();
        }
    }

    @Test
    void aStoreClientsOwnRuntimeExceptionIsAnOutageNeverAnError() {
        try (LogCapture log = new LogCapture(SharedState.class, io.github.sessiongate.SessionFilter.class)) {
            Rotating validator = new Rotating(clock);
            RequestSteps gate = gate(GateConfig.builder().validator(validator).stateStore(new ThrowingStore()).stateStoreKey(KEY));
            valid(gate.validations.validate("acc-1"));
            assertEquals(Validations.Source.CACHE, gate.validations.validate("acc-1").source(), "cached on this node");
            RefreshOutcome r = gate.refresher.refresh("ref-1");
            assertEquals(RefreshOutcome.Kind.ROTATED, r.kind(), "refreshes without the cross-node lease");
            assertEquals(RefreshOutcome.Via.GRACE, gate.refresher.refresh("ref-1").via(), "the grace pair is held on this node");
            assertTrue(gate.refresher.end("ref-2", "acc-2", null, false), "the logout's state is held on this node");
            assertEquals(Validations.Source.REVOKED, gate.validations.validate("acc-2").source());
            assertEquals(RefreshOutcome.Kind.REFUSED, gate.refresher.refresh("ref-2").kind(), "tombstoned on this node");
            assertEquals(1, validator.refreshes.get());

            LoginLimiter limiter = gate.components.state().loginLimiter(gate.components.endpoints());
            int max = io.github.sessiongate.EndpointSettings.defaults().loginMaxFailures();
            for (int i = 0; i < max; i++) {
                try (LoginLimiter.Ticket t = limiter.begin("alice", "203.0.113.9")) {
                    assertEquals(LoginLimiter.Status.GRANTED, t.status());
                    t.failed();
                }
            }
            try (LoginLimiter.Ticket t = limiter.begin("alice", "203.0.113.9")) {
                assertEquals(LoginLimiter.Status.LIMITED, t.status(), "this node's own counts hold");
            }
            try (LoginLimiter.Ticket t = limiter.begin("bob", "198.51.100.7")) {
                assertEquals(LoginLimiter.Status.GRANTED, t.status());
                t.succeeded();
            }

            String text = log.text();
            assertTrue(text.contains("state store cannot answer"), text);
            assertTrue(text.contains(IllegalStateException.class.getName()), "names the exception's class: " + text);
            List<String> warnings = text.lines().filter(l -> l.contains("WARN") && l.contains("state store cannot answer")).toList();
            assertEquals(1, warnings.size(), "one warning, rate-limited: " + warnings);
            for (String secret : List.of(ThrowingStore.QUOTED, "connection reset", "acc-1", "acc-2", "ref-1", "ref-2", KEY)) {
                assertFalse(text.contains(secret), "logged: " + secret);
            }
        }
    }

    /** A shared store whose every read takes {@code roundTrip} of the test's clock, as a remote one does. */
    static final class SlowStore extends CountingStore {
        private final MutableClock clock;
        private final Duration roundTrip;

        SlowStore(MutableClock clock, Duration roundTrip) {
            super(clock, true);
            this.clock = clock;
            this.roundTrip = roundTrip;
        }

        @Override
        public Optional<byte[]> get(String key) {
            clock.advance(roundTrip);
            return super.get(key);
        }
    }

    @Test
    void theWaitForAnotherNodeEndsAtTheDeadlineWhateverEachLookCosts() {
        SlowStore store = new SlowStore(clock, Duration.ofMillis(30));
        Rotating validator = new Rotating(clock);
        store.lease(leaseKey("ref-1"), "node-a:1",
                Duration.ofSeconds(60)).orElseThrow();
        AtomicInteger sleeps = new AtomicInteger();
        Refresher node = nodeRefresher(store, validator, d -> {
            assertTrue(d.compareTo(SharedState.MAX_POLL) <= 0 && !d.isNegative() && !d.isZero(), d.toString());
            sleeps.incrementAndGet();
            clock.advance(d);
        });
        store.ops.clear();
        java.time.Instant before = clock.instant();
        RefreshOutcome r = node.refresh("ref-1");
        assertEquals(RefreshOutcome.Kind.UNAVAILABLE, r.kind(), r.toString());
        assertEquals(0, validator.refreshes.get());
        // Each look costs several round trips (the grace memo's and the lease's): counting looks
        // (100 ms / 20 ms = 5) would wait 5 x (looks + sleep), several times the backend wait.
        Duration waited = Duration.between(before, clock.instant());
        long looksBeforeWait = 10; // generous: the reads before the lease (tombstones, grace pair, links)
        assertTrue(waited.compareTo(Duration.ofMillis(100 + 30 * (looksBeforeWait + 4))) <= 0,
                "waited " + waited + " with " + sleeps.get() + " sleeps; ops " + store.ops);
        assertTrue(sleeps.get() < 5, "sleeps " + sleeps.get());
    }

    /** A shared store full of entries it may not evict: it takes no lease, and nobody holds one. */
    static final class FullLeaseStore extends CountingStore {
        FullLeaseStore(Clock clock) {
            super(clock, true);
        }

        @Override
        public Optional<Lease> lease(String key, String owner, Duration ttl) {
            ops.add("lease " + key);
            return Optional.empty();
        }
    }

    @Test
    void aFullStoreThatCannotTakeTheLeaseFailsClosedAsSecurityStoreFullNotAsAnotherNodesFlight() {
        FullLeaseStore store = new FullLeaseStore(clock);
        Rotating validator = new Rotating(clock);
        AtomicInteger sleeps = new AtomicInteger();
        AtomicInteger full = new AtomicInteger();
        Refresher node = nodeRefresher(store, validator, d -> sleeps.incrementAndGet(), full::incrementAndGet);
        RefreshOutcome r = node.refresh("ref-1");
        assertEquals(RefreshOutcome.Kind.UNAVAILABLE, r.kind(), "no verdict, so no cookie is cleared");
        assertFalse(r.toString().contains("another node"), r.toString());
        assertEquals(RefreshOutcome.Via.CALLED, r.via(), "not counted as a wait for another request's flight");
        assertEquals(1, full.get(), "counted and warned as a full security store");
        assertEquals(0, sleeps.get(), "nobody holds the lease: nothing to wait for");
        assertEquals(0, validator.refreshes.get(), "no rotation without the lease");
    }

    @Test
    void aLeaseHeldByAnotherNodeIsStillAwaitedNotTakenForAFullStore() {
        CountingStore store = new CountingStore(clock, true);
        store.lease(leaseKey("ref-1"), "node-a:1",
                Duration.ofSeconds(60)).orElseThrow();
        AtomicInteger full = new AtomicInteger();
        AtomicInteger sleeps = new AtomicInteger();
        Refresher node = nodeRefresher(store, new Rotating(clock), d -> sleeps.incrementAndGet(), full::incrementAndGet);
        RefreshOutcome r = node.refresh("ref-1");
        assertEquals(RefreshOutcome.Kind.UNAVAILABLE, r.kind());
        assertEquals(RefreshOutcome.Via.SHARED, r.via());
        assertEquals(0, full.get());
        assertTrue(sleeps.get() > 0);
    }

    /** The limiter's pre-HMAC shared name: kind letter, then the 128-bit SHA-256 prefix in hex. */
    private static String plainDigestName(String kind, String text) throws Exception {
        byte[] d = java.security.MessageDigest.getInstance("SHA-256")
                .digest((kind + "\u0000" + text).getBytes(StandardCharsets.UTF_8));
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(d);
        return kind.charAt(0) + Long.toHexString(b.getLong()) + ":" + Long.toHexString(b.getLong());
    }

    @Test
    void loginCounterKeysInASharedStoreAreKeyedNotPlainDigestsOfUsernameOrAddress() throws Exception {
        CountingStore store = new CountingStore(clock, true);
        LoginLimiter node = limiterOn(store);
        try (LoginLimiter.Ticket t = node.begin("alice", "203.0.113.9")) {
            t.failed();
        }
        List<String> keys = store.ops.stream().filter(o -> o.startsWith("increment " + SharedState.LOGIN_FAILURES))
                .map(o -> o.substring(("increment " + SharedState.LOGIN_FAILURES).length())).distinct().toList();
        assertEquals(3, keys.size(), keys.toString());
        String user = LoginLimiter.normaliseUsername("alice");
        String address = LoginLimiter.addressKey("203.0.113.9");
        List<String> plain = List.of(plainDigestName("USER", user), plainDigestName("ADDRESS", address),
                plainDigestName("PAIR", user + "\u0000" + address));
        for (String k : keys) {
            assertTrue(k.matches("[A-Za-z0-9_-]{43}"), "an HMAC-SHA256, base64url: " + k);
            for (String p : plain) {
                assertFalse(k.contains(p.substring(1, 9)), "a plain SHA-256 name: " + k);
            }
        }

        byte[] other = new byte[32];
        other[0] = 7;
        CountingStore elsewhere = new CountingStore(clock, true);
        Components components = Components.fromConfig(GateConfig.builder().validator(new Rotating(clock)).clock(clock)
                .stateStore(elsewhere).stateStoreKey(Base64.getUrlEncoder().withoutPadding().encodeToString(other)).build());
        open.add(components);
        try (LoginLimiter.Ticket t = components.state().loginLimiter(components.endpoints()).begin("alice", "203.0.113.9")) {
            t.failed();
        }
        List<String> otherKeys = elsewhere.ops.stream().filter(o -> o.startsWith("increment ")).map(o -> o.substring(
                ("increment " + SharedState.LOGIN_FAILURES).length())).toList();
        assertTrue(Collections.disjoint(keys, otherKeys), "another state key names the same counters otherwise");
    }

    @Test
    void theLeaseOutlivesAnyRefreshCallSoTwoNodesNeverSpendOneRefreshToken() {
        List<Duration> ttls = Collections.synchronizedList(new ArrayList<>());
        CountingStore store = new CountingStore(clock, true) {
            @Override
            public Optional<Lease> lease(String key, String owner, Duration ttl) {
                ttls.add(ttl);
                return super.lease(key, owner, ttl);
            }
        };
        Rotating validator = new Rotating(clock);
        RequestSteps gate = gate(GateConfig.builder().validator(validator).stateStore(store).stateStoreKey(KEY)
                .backendConnectTimeout(Duration.ofSeconds(1)).backendReadTimeout(Duration.ofSeconds(3)));
        assertEquals(RefreshOutcome.Kind.ROTATED, gate.refresher.refresh("ref-1").kind());
        // The longest read timeout any refresher may have, whatever backend-read-timeout says.
        assertEquals(List.of(Duration.ofSeconds(1).plus(GateConfig.MAX_BACKEND_TIMEOUT).plus(SharedState.LEASE_MARGIN)), ttls);
        assertTrue(ttls.get(0).compareTo(GateConfig.MAX_BACKEND_TIMEOUT) > 0, "no refresh call outlives its lease");
    }

    /** The store key of the refresh lease on {@code refreshToken}: its digest, named under the state key {@link #KEY}. */
    private static String leaseKey(String refreshToken) {
        javax.crypto.SecretKey key = new javax.crypto.spec.SecretKeySpec(java.util.Base64.getUrlDecoder().decode(KEY), "AES");
        return SharedState.FLIGHTS + new io.github.sessiongate.store.KeyedNames(key, io.github.sessiongate.store.KeyedNames.STATE_KEYS)
                .name(io.github.sessiongate.rotation.TokenKey.of(refreshToken));
    }
}
