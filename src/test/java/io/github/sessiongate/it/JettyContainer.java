package io.github.sessiongate.it;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;

/** Embedded Jetty 12 (ee10): one {@link WebAppContext} per webapp, parent-first class loading. */
final class JettyContainer implements Container {
    private final Map<String, WebAppContext> contexts = new LinkedHashMap<>();
    private Server server;

    @Override
    public String name() {
        return "jetty";
    }

    @Override
    public URI start(List<Webapp> webapps) throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server, 1, 1);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ContextHandlerCollection handlers = new ContextHandlerCollection();
        for (Webapp webapp : webapps) {
            WebAppContext context = new WebAppContext();
            context.setContextPath(webapp.contextPath().isEmpty() ? "/" : webapp.contextPath());
            context.setWar(webapp.dir().toAbsolutePath().toString());
            // The filter and the test servlets come from the test class path, not WEB-INF/classes.
            context.setParentLoaderPriority(true);
            // A webapp that fails (a refused web.xml) stays unavailable (503) instead of failing the server.
            context.setThrowUnavailableOnStartupException(false);
            handlers.addHandler(context);
            contexts.put(webapp.contextPath(), context);
        }
        server.setHandler(handlers);
        server.start();
        return URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    @Override
    public Optional<String> startupFailure(String contextPath) {
        WebAppContext context = contexts.get(contextPath);
        if (context == null || context.getUnavailableException() == null) {
            return Optional.empty();
        }
        StringWriter text = new StringWriter();
        context.getUnavailableException().printStackTrace(new PrintWriter(text));
        return Optional.of(text.toString());
    }

    @Override
    public void stop() throws Exception {
        if (server != null) {
            server.stop();
            server = null;
        }
    }
}
