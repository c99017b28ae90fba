package io.github.sessiongate.it;

import io.github.sessiongate.testing.FakeAuthBackend;
import java.util.ArrayList;
import java.util.List;

/**
 * The system properties a scenario class sets for the {@code ${sys:...}} placeholders of its
 * webapps' web.xml files before the container starts, remembered so that {@link #close()} clears
 * them all afterwards.
 */
final class ScenarioProperties implements AutoCloseable {
    private final String prefix;
    private final List<String> names = new ArrayList<>();

    /** Properties without a prefix: {@link #set} only. */
    ScenarioProperties() {
        this("");
    }

    /** @param prefix what {@link #prefixed} puts before a name, such as {@code "sessiongate.it.ep."} */
    ScenarioProperties(String prefix) {
        this.prefix = prefix;
    }

    /** Sets {@code name} as given. */
    ScenarioProperties set(String name, String value) {
        System.setProperty(name, value);
        names.add(name);
        return this;
    }

    /** Sets the prefix followed by {@code name}. */
    ScenarioProperties prefixed(String name, String value) {
        return set(prefix + name, value);
    }

    /** The backend's JWKS, issuer, audience and login, refresh and revoke URLs, under the prefix. */
    ScenarioProperties backend(FakeAuthBackend backend) {
        return prefixed("jwks-url", backend.jwksUrl())
                .prefixed("issuer", backend.issuer())
                .prefixed("audience", backend.audience())
                .prefixed("login-url", backend.url(FakeAuthBackend.LOGIN))
                .prefixed("refresh-url", backend.url(FakeAuthBackend.REFRESH))
                .prefixed("revoke-url", backend.url(FakeAuthBackend.REVOKE));
    }

    /** Clears every property this object set. */
    @Override
    public void close() {
        names.forEach(System::clearProperty);
        names.clear();
    }
}
