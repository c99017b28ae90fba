package io.github.sessiongate.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.catalina.Context;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.scan.StandardJarScanner;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the demo: the {@link DemoIdentityProvider}, then the sample webapp (its
 * {@code WEB-INF/web.xml} configures the SessionGate filter) in Jetty 12 or Tomcat 11, both on
 * 127.0.0.1 only. Blocks until the process is stopped (Ctrl-C or SIGTERM).
 *
 * <p>Environment: {@code PORT} (webapp, default 8080), {@code IDP_PORT} (identity provider,
 * 8081), {@code SAMPLE_CONTAINER} ({@code jetty}, the default, or {@code tomcat}),
 * {@code DEMO_ACCESS_TTL_SECONDS} (access token lifetime, 300). System properties:
 * {@code sample.webapp} (the webapp directory, default {@code samples/src/main/webapp}) and
 * {@code sample.workdir} (Tomcat's scratch directory). Sets {@value #IDP_URL_PROPERTY}, which
 * web.xml reads as {@code ${sys:sample.idp.url}}.
 */
public final class SampleMain {
    private static final Logger LOG = LoggerFactory.getLogger(SampleMain.class);

    /** System property holding the identity provider's base URL, for web.xml. */
    public static final String IDP_URL_PROPERTY = "sample.idp.url";
    private static final String HOST = "127.0.0.1";

    private SampleMain() {
    }

    /** The settings from the environment; {@code null} after printing what is wrong. */
    private record Settings(int port, int idpPort, String container, Duration accessTtl, Path webapp, Path workdir) {
        static Settings from(Map<String, String> env) {
            try {
                int port = number(env, "PORT", 8080, 1, 65535);
                int idpPort = number(env, "IDP_PORT", 8081, 1, 65535);
                if (port == idpPort) {
                    throw new IllegalArgumentException("PORT and IDP_PORT must differ");
                }
                String container = env.getOrDefault("SAMPLE_CONTAINER", "jetty").strip().toLowerCase(Locale.ROOT);
                if (!container.equals("jetty") && !container.equals("tomcat")) {
                    throw new IllegalArgumentException("SAMPLE_CONTAINER must be jetty or tomcat");
                }
                int ttl = number(env, "DEMO_ACCESS_TTL_SECONDS", 300, 1, 86_400);
                Path webapp = Path.of(System.getProperty("sample.webapp", "samples/src/main/webapp"))
                        .toAbsolutePath().normalize();
                if (!Files.isRegularFile(webapp.resolve("WEB-INF/web.xml"))) {
                    throw new IllegalArgumentException("no WEB-INF/web.xml in " + webapp
                            + "; run samples/run, or set -Dsample.webapp");
                }
                Path workdir = Path.of(System.getProperty("sample.workdir",
                        Path.of(System.getProperty("java.io.tmpdir"), "sessiongate-sample").toString()))
                        .toAbsolutePath().normalize();
                return new Settings(port, idpPort, container, Duration.ofSeconds(ttl), webapp, workdir);
            } catch (IllegalArgumentException e) {
                System.err.println("SessionGate sample: " + e.getMessage());
                return null;
            }
        }

        private static int number(Map<String, String> env, String name, int defaultValue, int min, int max) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                return defaultValue;
            }
            try {
                int n = Integer.parseInt(value.strip());
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // Reported below.
            }
            throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max);
        }
    }

    /** A started container. */
    private interface Running {
        void stop() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.from(System.getenv());
        if (settings == null) {
            System.exit(2);
            return;
        }
        DemoIdentityProvider idp;
        try {
            idp = DemoIdentityProvider.start(settings.idpPort(), settings.accessTtl(), Clock.systemUTC());
        } catch (IOException e) {
            LOG.error("cannot start the demo identity provider on {}:{}: {}", HOST, settings.idpPort(), e.toString());
            System.exit(1);
            return;
        }
        System.setProperty(IDP_URL_PROPERTY, idp.issuer());

        Running container;
        try {
            container = settings.container().equals("tomcat") ? startTomcat(settings) : startJetty(settings);
        } catch (Exception e) {
            LOG.error("cannot start the sample webapp in {} on {}:{}", settings.container(), HOST, settings.port(), e);
            idp.close();
            System.exit(1);
            return;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                container.stop();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", settings.container(), e.toString());
            }
            idp.close();
            stopped.countDown();
        }, "sample-shutdown"));

        LOG.info("SessionGate sample ready ({}): open http://{}:{}/ ; identity provider {} ; users alice and admin "
                + "(passwords in samples/README.md) ; Ctrl-C stops", settings.container(), HOST, settings.port(),
                idp.issuer());
        stopped.await();
    }

    private static Running startJetty(Settings settings) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(HOST);
        connector.setPort(settings.port());
        server.addConnector(connector);

        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setWar(settings.webapp().toString());
        // Fail start-up, not just the webapp, when the filter refuses its configuration.
        webapp.setThrowUnavailableOnStartupException(true);
        webapp.setInitParameter("org.eclipse.jetty.servlet.Default.dirAllowed", "false");
        server.setHandler(webapp);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        return server::stop;
    }

    private static Running startTomcat(Settings settings) throws Exception {
        Path base = settings.workdir().resolve("tomcat-" + settings.port());
        Files.createDirectories(base.resolve("webapps"));
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setPort(settings.port());
        connector.setProperty("address", HOST);
        tomcat.setConnector(connector);

        // Tomcat's embedded defaults add a JSP servlet, which fails to load without Jasper: add
        // only the file servlet (for /static/*) and the MIME types.
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Context context = tomcat.addWebapp("", settings.webapp().toString());
        context.addLifecycleListener(event -> {
            if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
                Wrapper files = Tomcat.addServlet(context, "default", "org.apache.catalina.servlets.DefaultServlet");
                files.setLoadOnStartup(1);
                context.addServletMapping("/", "default");
                Tomcat.addDefaultMimeTypeMappings(context);
            }
        });
        // web.xml declares everything (metadata-complete): no need to scan the class path.
        StandardJarScanner scanner = new StandardJarScanner();
        scanner.setScanClassPath(false);
        scanner.setScanManifest(false);
        context.setJarScanner(scanner);
        // Leak detection is for redeploying into a long-lived Tomcat; here it only asks for JVM
        // flags (--add-opens) when the webapp stops.
        if (context instanceof StandardContext standard) {
            standard.setClearReferencesRmiTargets(false);
            standard.setClearReferencesThreadLocals(false);
        }

        tomcat.start();
        // Tomcat logs a failed connector or webapp and carries on; a demo that serves 404s is worse.
        LifecycleState connectorState = connector.getState();
        LifecycleState contextState = context.getState();
        if (connectorState != LifecycleState.STARTED || contextState != LifecycleState.STARTED) {
            tomcat.stop();
            tomcat.destroy();
            throw new IllegalStateException("Tomcat did not start: connector " + connectorState
                    + ", webapp " + contextState + " (see the log above)");
        }
        return () -> {
            tomcat.stop();
            tomcat.destroy();
        };
    }
}
