package io.github.sessiongate.it;

import java.net.URI;
import java.util.List;

/** The {@code gate} webapp ({@link Tokens}' HS256 secret) at {@code /app} in a container, stopped by the teardown. */
final class GateServer {
    static final String APP = "/app";

    private GateServer() {
    }

    /** Starts {@code container} serving the {@code gate} webapp; {@code teardown} stops it and restores the properties set. */
    static URI start(Teardown teardown, Container container) throws Exception {
        teardown.add(new ScenarioProperties()).set(Tokens.SECRET_PROPERTY, Tokens.SECRET);
        return teardown.add(container).startServing(List.of(Container.Webapp.of(APP, "gate")));
    }
}
