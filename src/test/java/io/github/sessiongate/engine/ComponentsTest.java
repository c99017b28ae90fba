package io.github.sessiongate.engine;

import io.github.sessiongate.BackendClient;
import io.github.sessiongate.ConfigException;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.login.LoginResult;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The composition root: one transport per filter start, closed with exactly what it made. */
class ComponentsTest {
    private static final Pattern SELECTOR = Pattern.compile("HttpClient-\\d+-SelectorManager");
    /** Never contacted: nothing here sends a request. */
    private static final String BACKEND = "http://127.0.0.1:9";

    /** Every outbound client at once: remote validation, refresh, login, revoke, guests, BackendClient. */
    private static Map<String, String> everyOutboundClient() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(GateConfig.PARAM_VALIDATOR_CLASS, "io.github.sessiongate.remote.HttpTokenValidator");
        m.put("validate-url", BACKEND + "/me");
        m.put("refresh-url", BACKEND + "/refresh");
        m.put("login-url", BACKEND + "/login");
        m.put("revoke-url", BACKEND + "/revoke");
        m.put("guest-tokens", "true");
        m.put("guest-url", BACKEND + "/guest");
        m.put(BackendClient.PARAM_BACKEND_ORIGINS, BACKEND);
        return m;
    }

    @Test
    void everyOutboundClientSharesOneHttpClientThatCloseStops() {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        Components components = Components.fromInitParams(everyOutboundClient(), Clock.systemUTC());
        try {
            long selectors = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> !before.contains(t) && SELECTOR.matcher(t.getName()).matches()).count();
            assertEquals(1, selectors, "one HttpClient for validation, refresh, login, revoke, guests and BackendClient");
            assertTrue(components.login().isPresent());
            assertTrue(components.revoke().isPresent());
            assertTrue(components.guests().isPresent());
            assertTrue(components.backendClient().isPresent());
        } finally {
            components.close();
        }

        assertTrue(components.transport().isClosed());
        assertInstanceOf(LoginResult.Unavailable.class, components.login().get().login("alice", "pw"));
        assertFalse(components.revoke().get().revoke("a-refresh-token"));
        assertInstanceOf(ValidationResult.Unavailable.class, components.config().validator().validate("a.b.c"));
        assertThrows(IllegalStateException.class, () -> components.backendClient().get()
                .sendAnonymous(HttpRequest.newBuilder(URI.create(BACKEND + "/x"))));
        components.close(); // idempotent
    }

    @Test
    void aConfigBuiltInCodeServesASecondFilterWithFreshComponents() {
        CountingValidator validator = new CountingValidator();
        try (BackendClient given = BackendClient.builder().allowOrigin(BACKEND).build()) {
            GateConfig config = GateConfig.builder().validator(validator).backendClient(given).build();

            Components first = Components.fromConfig(config);
            first.close();
            Components second = Components.fromConfig(config);
            try {
                assertTrue(first.transport().isClosed());
                assertFalse(second.transport().isClosed(), "the second filter got a live transport");
                assertNotSame(first.transport(), second.transport());
                assertSame(given, second.backendClient().get());
                assertFalse(given.toString().contains("closed"), "a client handed in ready-made stays its owner's");
                assertEquals(0, validator.inits.get(), "a validator built in code is ready as built: no init call");
                assertEquals(1, validator.closes.get(), "closed at the first destroy, as TokenValidator.close() says");
            } finally {
                second.close();
            }
        }
    }

    @Test
    void initParamsShareOneValuePerTypeAndStoreNothingWhenTheReadFails() {
        InitParams params = InitParams.resolve(Map.of());
        AtomicInteger reads = new AtomicInteger();

        assertThrows(ConfigException.class, () -> params.shared(StringBuilder.class, () -> {
            reads.incrementAndGet();
            throw new ConfigException("x", "bad");
        }));
        StringBuilder first = params.shared(StringBuilder.class, () -> new StringBuilder("" + reads.incrementAndGet()));
        StringBuilder again = params.shared(StringBuilder.class, () -> new StringBuilder("" + reads.incrementAndGet()));

        assertSame(first, again);
        assertEquals(2, reads.get());
    }

    /** Counts init and close calls. */
    private static final class CountingValidator extends TokenValidator {
        final AtomicInteger inits = new AtomicInteger();
        final AtomicInteger closes = new AtomicInteger();

        @Override
        protected void init(InitParams params, Clock clock) {
            inits.incrementAndGet();
        }

        @Override
        protected ValidationResult doValidate(String token) {
            return ValidationResult.invalid(ValidationResult.Reason.REJECTED_BY_BACKEND);
        }

        @Override
        public void close() {
            closes.incrementAndGet();
        }
    }
}
