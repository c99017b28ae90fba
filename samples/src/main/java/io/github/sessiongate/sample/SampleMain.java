package io.github.sessiongate.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 * {@code DEMO_ACCESS_TTL_SECONDS} (access token lifetime, 300), and how users sign in
 * ({@code SAMPLE_LOGIN} and {@code OIDC_*}, see {@link SignIn}: the password form by default; with
 * {@code SAMPLE_LOGIN=oidc} the webapp uses {@value #OIDC_DESCRIPTOR} and signs in through OpenID
 * Connect, at a mock-oauth2-server on {@code IDP_PORT} or at {@code OIDC_ISSUER}). System properties:
 * {@code sample.webapp} (the webapp directory, default {@code samples/src/main/webapp}) and
 * {@code sample.workdir} (Tomcat's scratch directory). Sets {@value #IDP_URL_PROPERTY}, which
 * web.xml reads as {@code ${sys:sample.idp.url}}, and {@value #API_URL_PROPERTY}, the base URL of
 * the demo's backend API ({@link DemoApi}, served on {@code IDP_PORT} by node 1's identity side),
 * which both descriptors' proxy route reads as {@code ${sys:sample.api.url}}.
 *
 * <p>As one of two nodes ({@code SAMPLE_NODES=2 samples/run} starts two of these JVMs), it reads
 * {@link NodeSetup}'s variables: node 2 starts nothing on {@code IDP_PORT} and uses node 1's
 * identity provider there; with {@code SAMPLE_REDIS_URL} the filter keeps its shared state in
 * that Redis ({@link SharedStateParams} adds the init-params); the shared keys the script
 * generated replace the per-process ones. Two JVMs rather than two connectors in one: the nodes
 * then share nothing but Redis and the keys, as two servers behind a load balancer do.
 *
 * <p>{@link #start} does the same in-process for tests, on given ports and container, and returns
 * a {@link Demo} to close.
 */
public final class SampleMain {
    private static final Logger LOG = LoggerFactory.getLogger(SampleMain.class);

    /** System property holding the identity provider's base URL, for web.xml. */
    public static final String IDP_URL_PROPERTY = "sample.idp.url";
    /** System property holding the demo backend API's base URL, for the proxy route in the descriptors. */
    public static final String API_URL_PROPERTY = "sample.api.url";
    private static final String HOST = "127.0.0.1";

    private SampleMain() {
    }

    /** The settings: from the environment for {@link #main}, from arguments for {@link #start}. */
    private record Settings(int port, int idpPort, String container, Duration accessTtl, Path webapp, Path workdir,
            SignIn signIn, NodeSetup node) {
        /** The settings from the environment; {@code null} after printing what is wrong. */
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
                return withPaths(port, idpPort, container, ttl, SignIn.from(env), NodeSetup.from(env));
            } catch (IllegalArgumentException e) {
                System.err.println("SessionGate sample: " + e.getMessage());
                return null;
            }
        }

        /** The settings from arguments; a port of 0 means any free port. */
        static Settings of(int port, int idpPort, String container, int accessTtlSeconds, SignIn signIn, NodeSetup node) {
            if (port < 0 || port > 65535 || idpPort < 0 || idpPort > 65535) {
                throw new IllegalArgumentException("ports must be from 0 (any free port) to 65535");
            }
            if (port != 0 && port == idpPort) {
                throw new IllegalArgumentException("port and idpPort must differ");
            }
            String c = container == null ? "jetty" : container.strip().toLowerCase(Locale.ROOT);
            if (!c.equals("jetty") && !c.equals("tomcat")) {
                throw new IllegalArgumentException("container must be jetty or tomcat");
            }
            if (accessTtlSeconds < 1 || accessTtlSeconds > 86_400) {
                throw new IllegalArgumentException("accessTtlSeconds must be from 1 to 86400");
            }
            return withPaths(port, idpPort, c, accessTtlSeconds, signIn, node);
        }

        /** Adds the webapp and work directories from the system properties. */
        private static Settings withPaths(int port, int idpPort, String container, int ttl, SignIn signIn,
                NodeSetup node) {
            if (!node.runsIdentityProvider() && idpPort == 0) {
                throw new IllegalArgumentException("node " + node.node() + " uses node 1's identity provider: give its port");
            }
            Path webapp = Path.of(System.getProperty("sample.webapp", "samples/src/main/webapp"))
                    .toAbsolutePath().normalize();
            if (!Files.isRegularFile(webapp.resolve("WEB-INF/web.xml"))) {
                throw new IllegalArgumentException("no WEB-INF/web.xml in " + webapp
                        + "; run samples/run, or set -Dsample.webapp");
            }
            Path workdir = Path.of(System.getProperty("sample.workdir",
                    Path.of(System.getProperty("java.io.tmpdir"), "sessiongate-sample").toString()))
                    .toAbsolutePath().normalize();
            if (signIn.mode() != SignIn.Mode.PASSWORD && !Files.isRegularFile(webapp.resolve(OIDC_DESCRIPTOR))) {
                throw new IllegalArgumentException("no " + OIDC_DESCRIPTOR + " in " + webapp);
            }
            return new Settings(port, idpPort, container, Duration.ofSeconds(ttl), webapp, workdir, signIn, node);
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
        /** The port the webapp listens on (the bound one when 0 was asked for). */
        int port();

        void stop() throws Exception;
    }

    /** A running demo, from {@link #start}: the identity provider and the webapp. */
    public static final class Demo implements AutoCloseable {
        private final String container;
        private final Provider idp;
        private final Running running;
        private boolean closed;

        private Demo(String container, Provider idp, Running running) {
            this.container = container;
            this.idp = idp;
            this.running = running;
        }

        /** {@code jetty} or {@code tomcat}. */
        public String container() {
            return container;
        }

        /** The webapp's port. */
        public int port() {
            return running.port();
        }

        /** The webapp's base URL, {@code http://127.0.0.1:port} (no trailing slash; context root). */
        public String baseUrl() {
            return "http://" + HOST + ":" + port();
        }

        /**
         * The issuer the webapp trusts: the demo identity provider's base URL, the in-process
         * mock-oauth2-server's issuer ({@code SAMPLE_LOGIN=oidc}), or {@code OIDC_ISSUER}.
         */
        public String idpUrl() {
            return idp.issuer();
        }

        /**
         * The demo backend API's base URL, {@code http://127.0.0.1:<identity port>/api/}: what
         * the webapp's proxy route {@code /api/backend/*} forwards to.
         */
        public String apiUrl() {
            return idp.apiUrl();
        }

        /**
         * Stops the webapp, then the identity provider. Idempotent.
         *
         * @throws IllegalStateException when the container does not stop cleanly (the identity
         *         provider is stopped anyway)
         */
        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            try {
                running.stop();
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("stopping " + container + " failed", e);
            } finally {
                idp.close();
            }
        }
    }

    /**
     * Starts the whole demo in this JVM, as {@link #main} does but without the environment, the
     * shutdown hook or blocking: the identity provider on 127.0.0.1:{@code idpPort}, then the
     * webapp in {@code container} ({@code jetty} or {@code tomcat}) on 127.0.0.1:{@code port}.
     * A port of 0 means any free port ({@link Demo#port()} says which). The webapp directory and
     * Tomcat's scratch directory come from the system properties {@code sample.webapp} and
     * {@code sample.workdir}, as for {@link #main}.
     *
     * <p>Sets the system property {@value #IDP_URL_PROPERTY}, which web.xml reads when the
     * filter starts: start one demo at a time (calls are serialised).
     *
     * @throws IllegalArgumentException for bad arguments or a missing webapp directory
     * @throws Exception when the identity provider or the container does not start (nothing is
     *         left running then)
     */
    public static Demo start(int port, int idpPort, String container, int accessTtlSeconds) throws Exception {
        return start(port, idpPort, container, accessTtlSeconds, Map.of());
    }

    /**
     * As {@link #start(int, int, String, int)}, set up as {@code environment} says, read as
     * {@link #main} reads the environment: how users sign in ({@code SAMPLE_LOGIN} and the
     * {@code OIDC_*} variables; {@code Map.of("SAMPLE_LOGIN", "oidc")} for the in-process
     * mock-oauth2-server on {@code idpPort}), and the node's part in a demo of several nodes
     * ({@code SAMPLE_NODE}, {@code SAMPLE_REDIS_URL} and the shared keys, see {@link NodeSetup}:
     * node 2 starts nothing on {@code idpPort} but uses node 1's identity provider there).
     *
     * @throws IllegalArgumentException for bad arguments, a bad combination of variables or a
     *         missing webapp directory
     */
    public static synchronized Demo start(int port, int idpPort, String container, int accessTtlSeconds,
            Map<String, String> environment) throws Exception {
        Settings settings = Settings.of(port, idpPort, container, accessTtlSeconds, SignIn.from(environment),
                NodeSetup.from(environment));
        Provider idp = startProvider(settings);
        try {
            Running running = startContainer(settings, idp);
            LOG.info("SessionGate sample started ({}, {}, {}): http://{}:{}/ ; identity provider {}", settings.container(),
                    settings.signIn().mode(), settings.node(), HOST, running.port(), idp.issuer());
            return new Demo(settings.container(), idp, running);
        } catch (Exception | Error e) {
            idp.close();
            throw e;
        }
    }

    /**
     * What runs on {@code IDP_PORT}, the issuer the webapp trusts and that issuer's key set, and
     * the URL of the demo's backend API ({@link DemoApi}) on the same port.
     */
    private record Provider(String issuer, String jwksUrl, String apiUrl, AutoCloseable running) {
        void close() {
            try {
                running.close();
            } catch (Exception e) {
                LOG.warn("stopping the identity provider failed: {}", e.toString());
            }
        }
    }

    /**
     * Starts what serves {@code IDP_PORT}: the demo identity provider (the password demo; with
     * {@code OIDC_ISSUER} it still serves the demo's own backend there), or the mock-oauth2-server.
     * Sets {@value #IDP_URL_PROPERTY} to the demo identity provider's URL when it runs. Either
     * also serves the demo's backend API, trusting the tokens the webapp trusts.
     */
    private static Provider startProvider(Settings settings) throws IOException {
        SignIn signIn = settings.signIn();
        if (!settings.node().runsIdentityProvider()) {
            return usingNodeOnesProvider(settings);
        }
        if (signIn.mode() == SignIn.Mode.MOCK_OIDC) {
            MockOidcProvider mock = MockOidcProvider.start(settings.idpPort(), settings.accessTtl());
            return new Provider(mock.issuer(), mock.jwksUrl(), origin(mock.issuer()) + DemoApi.PATH, mock);
        }
        // The provider's keys before anything is started: a wrong OIDC_ISSUER fails at once.
        String providerJwks = signIn.mode() == SignIn.Mode.PROVIDER_OIDC ? SignIn.discoverJwksUri(signIn.issuer()) : null;
        DemoIdentityProvider backend = DemoIdentityProvider.start(settings.idpPort(), settings.accessTtl(), Clock.systemUTC());
        System.setProperty(IDP_URL_PROPERTY, backend.issuer());
        String apiUrl = backend.issuer() + DemoApi.PATH;
        Provider provider = providerJwks == null
                ? new Provider(backend.issuer(), backend.issuer() + "/.well-known/jwks.json", apiUrl, backend)
                : new Provider(signIn.issuer(), providerJwks, apiUrl, backend);
        String audience = providerJwks == null ? DemoIdentityProvider.AUDIENCE : signIn.audience();
        backend.serveApi(new DemoApi(provider.issuer(), audience, provider.jwksUrl()));
        return provider;
    }

    /**
     * What node 2 uses: the identity side node 1 runs on {@code IDP_PORT} (the demo identity
     * provider, or the mock-oauth2-server), at the URLs node 1 serves it under; nothing is
     * started, so there is nothing to close. With {@code OIDC_ISSUER} the provider is discovered
     * as on node 1.
     */
    private static Provider usingNodeOnesProvider(Settings settings) throws IOException {
        String base = "http://" + HOST + ":" + settings.idpPort();
        AutoCloseable nothing = () -> { };
        switch (settings.signIn().mode()) {
            case MOCK_OIDC -> {
                String issuer = base + "/" + MockOidcProvider.ISSUER_ID;
                return new Provider(issuer, MockOidcProvider.jwksUrl(issuer), base + DemoApi.PATH, nothing);
            }
            case PROVIDER_OIDC -> {
                String issuer = settings.signIn().issuer();
                return new Provider(issuer, SignIn.discoverJwksUri(issuer), base + DemoApi.PATH, nothing);
            }
            default -> {
                System.setProperty(IDP_URL_PROPERTY, base);
                return new Provider(base, base + "/.well-known/jwks.json", base + DemoApi.PATH, nothing);
            }
        }
    }

    /** The webapp descriptor of the OpenID Connect modes, next to WEB-INF/web.xml. */
    static final String OIDC_DESCRIPTOR = "WEB-INF/web-oidc.xml";
    /** Prefix of the system properties web-oidc.xml reads. */
    private static final String OIDC_PROPERTY = "sample.oidc.";
    /** System property web-oidc.xml reads as the cookie-sealing key. */
    private static final String COOKIE_KEYS_PROPERTY = "sample.cookie-keys";

    /**
     * Sets what web-oidc.xml reads: in-process system properties, never the command line (a
     * secret there is visible in the process list). The mock's client secret and the sealing key
     * are fresh per start.
     */
    private static void setOidcProperties(SignIn signIn, Provider provider, Optional<String> cookieKeys) {
        boolean mock = signIn.mode() == SignIn.Mode.MOCK_OIDC;
        System.setProperty(OIDC_PROPERTY + "issuer", provider.issuer());
        System.setProperty(OIDC_PROPERTY + "client-id", signIn.clientId());
        System.setProperty(OIDC_PROPERTY + "client-secret", mock ? "demo-" + randomBase64(24) : signIn.clientSecret());
        System.setProperty(OIDC_PROPERTY + "jwks-url", provider.jwksUrl());
        System.setProperty(OIDC_PROPERTY + "audience", signIn.audience());
        System.setProperty(OIDC_PROPERTY + "roles-claim", signIn.rolesClaim());
        // Blank is unset: the nonce opt-in and the roles hook are for the in-process mock only.
        System.setProperty(OIDC_PROPERTY + "accept-access-token-nonce", mock ? "true" : "");
        System.setProperty(OIDC_PROPERTY + "validator-class", mock ? MockProviderValidator.class.getName() : "");
        // Shared by the nodes when samples/run gave one (SAMPLE_COOKIE_KEYS), else fresh.
        System.setProperty(COOKIE_KEYS_PROPERTY, cookieKeys.orElseGet(() -> "demo:" + randomBase64(32)));
    }

    /** {@code scheme://host[:port]} of a URL, for the pages' Content-Security-Policy. */
    private static String origin(String url) {
        java.net.URI u = java.net.URI.create(url);
        return u.getScheme() + "://" + u.getRawAuthority();
    }

    private static String randomBase64(int bytes) {
        byte[] b = new byte[bytes];
        new java.security.SecureRandom().nextBytes(b);
        return java.util.Base64.getEncoder().encodeToString(b);
    }

    /** System property web.xml reads as the client-token signing key. */
    public static final String CLIENT_TOKEN_SECRET_PROPERTY = "sample.client-token-secret";

    private static Running startContainer(Settings settings, Provider provider) throws Exception {
        NodeSetup node = settings.node();
        if (settings.signIn().mode() != SignIn.Mode.PASSWORD) {
            setOidcProperties(settings.signIn(), provider, node.cookieKeys());
        }
        System.setProperty(API_URL_PROPERTY, provider.apiUrl());
        node.clientTokenSecret().ifPresent(secret -> System.setProperty(CLIENT_TOKEN_SECRET_PROPERTY, secret));
        node.redisUrl().ifPresent(url -> System.setProperty(SharedStateParams.REDIS_URL_PROPERTY, url));
        node.stateStoreKey().ifPresent(key -> System.setProperty(SharedStateParams.STATE_STORE_KEY_PROPERTY, key));
        if (System.getProperty(CLIENT_TOKEN_SECRET_PROPERTY) == null) {
            // A fresh key per JVM: client tokens are short-lived and never outlive the demo.
            byte[] key = new byte[32];
            new java.security.SecureRandom().nextBytes(key);
            System.setProperty(CLIENT_TOKEN_SECRET_PROPERTY, "base64:" + java.util.Base64.getEncoder().encodeToString(key));
        }
        return settings.container().equals("tomcat") ? startTomcat(settings, provider) : startJetty(settings, provider);
    }

    public static void main(String[] args) throws Exception {
        silenceTomcatUserDataLog(); // before any Tomcat class loads
        Settings settings = Settings.from(System.getenv());
        if (settings == null) {
            System.exit(2);
            return;
        }
        Provider idp;
        try {
            idp = startProvider(settings);
        } catch (IOException e) {
            LOG.error("cannot start the identity provider side of the demo ({} on {}:{}): {}", settings.signIn(), HOST,
                    settings.idpPort(), e.getMessage());
            System.exit(1);
            return;
        }

        Running container;
        try {
            container = startContainer(settings, idp);
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

        String users = switch (settings.signIn().mode()) {
            case PASSWORD -> "users alice and admin (passwords in samples/README.md)";
            case MOCK_OIDC -> "OpenID Connect at the in-process mock-oauth2-server: type any name, admin is an admin";
            case PROVIDER_OIDC -> "OpenID Connect at your provider; register the redirect URI http://" + HOST + ":"
                    + settings.port() + "/auth/callback";
        };
        LOG.info("SessionGate sample ready ({}, {}): open http://{}:{}/ ; identity provider {} ; {} ; Ctrl-C stops",
                settings.container(), settings.node(), HOST, settings.port(), idp.issuer(), users);
        stopped.await();
    }

    private static Running startJetty(Settings settings, Provider provider) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(HOST);
        connector.setPort(settings.port());
        server.addConnector(connector);

        WebAppContext webapp = new WebAppContext();
        webapp.setContextPath("/");
        webapp.setWar(settings.webapp().toString());
        if (settings.signIn().mode() != SignIn.Mode.PASSWORD) {
            webapp.setDescriptor(settings.webapp().resolve(OIDC_DESCRIPTOR).toString());
            webapp.setInitParameter(Html.PROVIDER_ORIGIN_PARAM, origin(provider.issuer()));
        }
        if (settings.node().redisUrl().isPresent()) {
            webapp.addServletContainerInitializer(new SharedStateParams());
        }
        // Fail start-up, not just the webapp, when the filter refuses its configuration.
        webapp.setThrowUnavailableOnStartupException(true);
        webapp.setInitParameter("org.eclipse.jetty.servlet.Default.dirAllowed", "false");
        // Error pages say what failed, never why: no stack traces or causes to the browser.
        org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler errors = new org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler() {
            @Override
            protected void writeErrorJson(jakarta.servlet.http.HttpServletRequest request, java.io.PrintWriter writer,
                    int code, String message) {
                writer.append("{\"status\":").append(Integer.toString(code)).append('}'); // never the causes
            }
        };
        errors.setShowStacks(false);
        errors.setShowMessageInTitle(false);
        webapp.setErrorHandler(errors);
        server.setHandler(webapp);
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        return new Running() {
            @Override
            public int port() {
                return connector.getLocalPort();
            }

            @Override
            public void stop() throws Exception {
                server.stop();
            }
        };
    }

    /**
     * The system property that Tomcat's {@code UserDataHelper} reads once, when a Tomcat class that
     * logs user data (its cookie parser among them) is first loaded.
     */
    public static final String TOMCAT_USER_DATA_LOG_PROPERTY = "org.apache.juli.logging.UserDataHelper.CONFIG";

    /**
     * Stops Tomcat from ever logging user-supplied data. Its cookie parser runs before any filter
     * and logs a whole malformed {@code Cookie} header (tokens included) at INFO, e.g. when a client
     * joins cookies with commas. {@code NONE} must be set before those classes load, so this runs
     * before Tomcat is created. Outside the demo, set it in {@code conf/catalina.properties} or
     * {@code CATALINA_OPTS} in {@code setenv.sh}.
     */
    static void silenceTomcatUserDataLog() {
        System.setProperty(TOMCAT_USER_DATA_LOG_PROPERTY, "NONE");
    }

    private static Running startTomcat(Settings settings, Provider provider) throws Exception {
        silenceTomcatUserDataLog();
        Path base = settings.workdir().resolve("tomcat-" + settings.port());
        Files.createDirectories(base.resolve("webapps"));
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toString());
        Connector connector = new Connector();
        connector.setPort(settings.port());
        connector.setProperty("address", HOST);
        tomcat.setConnector(connector);
        // Error pages say what failed, never why: no stack traces or server version to the browser.
        org.apache.catalina.valves.ErrorReportValve errors = new org.apache.catalina.valves.ErrorReportValve();
        errors.setShowReport(false);
        errors.setShowServerInfo(false);
        tomcat.getHost().getPipeline().addValve(errors);

        // Tomcat's embedded defaults add a JSP servlet, which fails to load without Jasper: add
        // only the file servlet (for /static/*) and the MIME types.
        tomcat.setAddDefaultWebXmlToWebapp(false);
        Context context = tomcat.addWebapp("", settings.webapp().toString());
        if (settings.signIn().mode() != SignIn.Mode.PASSWORD) {
            context.setAltDDName(settings.webapp().resolve(OIDC_DESCRIPTOR).toString());
            context.addParameter(Html.PROVIDER_ORIGIN_PARAM, origin(provider.issuer()));
        }
        if (settings.node().redisUrl().isPresent()) {
            context.addServletContainerInitializer(new SharedStateParams(), null);
        }
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
        return new Running() {
            @Override
            public int port() {
                return connector.getLocalPort();
            }

            @Override
            public void stop() throws Exception {
                tomcat.stop();
                tomcat.destroy();
            }
        };
    }
}
