package io.github.sessiongate.loadtest;

import io.github.sessiongate.SessionFilter;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.util.EnumSet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;

/**
 * One embedded Jetty 12 (ee10) on 127.0.0.1 with one context per {@link Variant}, each serving the
 * same {@link HelloServlet} at {@code /*} behind its filter. Jetty's defaults otherwise (thread
 * pool, acceptors, selectors), as an application would start it.
 *
 * <p>SessionGate is configured through its init-params with nothing but what a JWT cookie
 * deployment needs: the PEM key as a file, issuer and audience, {@code cookie-secure=auto} (plain
 * HTTP on loopback: the access cookie is {@code sg_access}), {@code login-redirect=false} (401
 * instead of a login page for a request without a token). Every other setting is its default, the
 * validation cache's included ({@code cache-ttl} 2 s, {@code cache-max-entries} 10,000): the load
 * test must never change them.
 */
final class LoadServer implements AutoCloseable {
    /** The SessionGate filter's name, part of its MBean's name. */
    static final String SESSIONGATE_FILTER = "sessiongate";

    private final Server server;
    private final ServerConnector connector;

    LoadServer(TokenFile tokens) throws Exception {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ContextHandlerCollection contexts = new ContextHandlerCollection();
        for (Variant variant : Variant.values()) {
            ServletContextHandler context = new ServletContextHandler(variant.contextPath());
            switch (variant) {
                case NONE -> { }
                case SESSIONGATE -> {
                    FilterHolder holder = new FilterHolder(SessionFilter.class);
                    holder.setName(SESSIONGATE_FILTER);
                    holder.setInitParameter("jwt.public-key", "file:" + tokens.publicPem().toAbsolutePath());
                    holder.setInitParameter("jwt.issuer", TokenFile.ISSUER);
                    holder.setInitParameter("jwt.audience", TokenFile.AUDIENCE);
                    holder.setInitParameter("cookie-secure", "auto");
                    holder.setInitParameter("login-redirect", "false");
                    context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
                }
                case JOSE4J -> add(context, new Jose4jFilter(tokens.publicKey(), TokenFile.ISSUER, TokenFile.AUDIENCE));
                case SPRING -> {
                    add(context, SpringSecurityFilters.contextCleaner());
                    add(context, SpringSecurityFilters.bearer(tokens.publicKey(), TokenFile.ISSUER, TokenFile.AUDIENCE));
                    add(context, SpringSecurityFilters.requireAuthentication());
                }
                case PAC4J -> add(context, new Pac4jFilter(tokens.publicKey(), TokenFile.ISSUER, TokenFile.AUDIENCE));
                case FLOOR -> add(context, new SignatureOnlyFilter(tokens.publicKey()));
            }
            context.addServlet(new ServletHolder(new HelloServlet()), "/*");
            contexts.addHandler(context);
        }
        server.setHandler(contexts);
        server.start();
    }

    private static void add(ServletContextHandler context, Filter filter) {
        context.addFilter(new FilterHolder(filter), "/*", EnumSet.of(DispatcherType.REQUEST));
    }

    /** The port the server listens on, on 127.0.0.1. */
    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
