package io.github.sessiongate.cookie;

import io.github.sessiongate.CookieSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The codec on real containers: embedded Jetty 12 (ee10) and embedded Tomcat 11 on 127.0.0.1, driven
 * over HTTP. Proves the exact Set-Cookie attributes each container emits (Partitioned included, whose
 * spelling the two disagree on) and that reading works from raw Cookie headers on both.
 */
class CookieContainerTest {

    /** Codecs the test servlet can use, chosen by the {@code config} query parameter. */
    static final Map<String, CookieCodec> CODECS = Map.of(
            "default", new CookieCodec(CookieSettings.defaults()),
            "custom", new CookieCodec(CookieSettings.builder()
                    .accessCookieName("at").refreshCookieName("rt")
                    .sameSite(CookieSettings.SameSite.STRICT).path("/app").domain("example.com")
                    .accessMaxAge(Duration.ofMinutes(5)).refreshMaxAge(Duration.ofDays(2))
                    .partitioned(true).build()),
            "none", new CookieCodec(CookieSettings.builder()
                    .secure(CookieSettings.SecureMode.AUTO).sameSite(CookieSettings.SameSite.NONE).build()),
            "insecure", new CookieCodec(CookieSettings.builder()
                    .secure(CookieSettings.SecureMode.NEVER).build()));

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private static Server jetty;
    private static Tomcat tomcat;
    private static Path tomcatBase;
    private static final List<Target> TARGETS = new ArrayList<>();

    record Target(String name, String base) {
        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * {@code /write?config=&access=&refresh=}, {@code /clear?config=}, {@code /read?config=}, and
     * {@code /raw?partitioned=} which adds a plain cookie with that Partitioned attribute value.
     */
    static final class CodecServlet extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            String op = req.getPathInfo();
            if ("/raw".equals(op)) {
                Cookie c = new Cookie("raw", "v");
                c.setAttribute("Partitioned", req.getParameter("partitioned"));
                resp.addCookie(c);
                resp.getWriter().print("ok");
                return;
            }
            CookieCodec codec = CODECS.get(String.valueOf(req.getParameter("config")));
            boolean plainHttpToLoopback = !req.isSecure() && "127.0.0.1".equals(req.getRemoteAddr());
            boolean secure = codec.settings().secure(plainHttpToLoopback);
            SessionCookies current = codec.read(req, secure);
            switch (String.valueOf(op)) {
                case "/write":
                    try {
                        codec.write(resp, current, secure, req.getParameter("access"), req.getParameter("refresh"));
                        resp.getWriter().print("ok");
                    } catch (CookieTooLargeException e) {
                        resp.setStatus(413);
                        resp.getWriter().print("too large");
                    }
                    break;
                case "/guest-meta":
                    codec.writeGuest(resp, current, secure, req.getParameter("guest"), Duration.ofMinutes(30));
                    codec.writeMeta(resp, current, secure, req.getParameter("meta"));
                    resp.getWriter().print("ok");
                    break;
                case "/clear":
                    codec.clear(resp, current, secure);
                    resp.getWriter().print("ok");
                    break;
                case "/clear-carried":
                    codec.clearCarried(resp, current, secure);
                    resp.getWriter().print("ok");
                    break;
                default:
                    resp.getWriter().print("access=" + current.accessToken().orElse("-")
                            + " refresh=" + current.refreshToken().orElse("-")
                            + (current.guestToken().isPresent() ? " guest=" + current.guestToken().get() : "")
                            + (current.meta().isPresent() ? " meta=" + current.meta().get() : "")
                            + " duplicates=" + current.duplicateNames() + " present=" + current.presentNames());
            }
        }
    }

    @BeforeAll
    static void startContainers() throws Exception {
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(new CodecServlet()), "/*");
        jetty.setHandler(context);
        jetty.start();
        TARGETS.add(new Target("jetty", "http://127.0.0.1:" + connector.getLocalPort()));

        tomcatBase = Files.createTempDirectory("sg-tomcat");
        tomcat = new Tomcat();
        tomcat.setBaseDir(tomcatBase.toString());
        Connector tc = new Connector();
        tc.setPort(0);
        tc.setProperty("address", "127.0.0.1");
        tomcat.setConnector(tc);
        Context ctx = tomcat.addContext("", null);
        // Embedded, no webapp class loader to clean up: skip the leak checks that warn without --add-opens.
        ((org.apache.catalina.core.StandardContext) ctx).setClearReferencesThreadLocals(false);
        ((org.apache.catalina.core.StandardContext) ctx).setClearReferencesRmiTargets(false);
        Tomcat.addServlet(ctx, "codec", new CodecServlet()).addMapping("/*");
        tomcat.start();
        TARGETS.add(new Target("tomcat", "http://127.0.0.1:" + tc.getLocalPort()));
    }

    @AfterAll
    static void stopContainers() throws Exception {
        if (jetty != null) {
            jetty.stop();
        }
        if (tomcat != null) {
            tomcat.stop();
            tomcat.destroy();
        }
        if (tomcatBase != null) {
            try (Stream<Path> files = Files.walk(tomcatBase)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    static List<Target> targets() {
        return TARGETS;
    }

    // ------------------------------------------------------------------ attributes

    @ParameterizedTest
    @MethodSource("targets")
    void defaultSettingsWriteHostPrefixedHttpOnlySecureLaxCookies(Target t) throws Exception {
        HttpResponse<String> r = get(t, "/write?config=default&access=acc.ess-1&refresh=ref_resh-2");
        assertEquals(200, r.statusCode());
        List<SetCookie> cookies = setCookies(r);
        assertEquals(2, cookies.size(), cookies::toString);
        SetCookie access = find(cookies, "__Host-sg_access");
        assertEquals("acc.ess-1", access.value);
        assertEquals(Map.of("max-age", "3600", "expires", "*", "path", "/", "secure", "", "httponly", "",
                "samesite", "Lax"), access.attributes);
        SetCookie refresh = find(cookies, "__Host-sg_refresh");
        assertEquals("ref_resh-2", refresh.value);
        assertEquals("1209600", refresh.attributes.get("max-age"));
    }

    @ParameterizedTest
    @MethodSource("targets")
    void customSettingsEmitStrictPathDomainMaxAgeAndPartitioned(Target t) throws Exception {
        HttpResponse<String> r = get(t, "/write?config=custom&access=a1&refresh=r1");
        List<SetCookie> cookies = setCookies(r);
        SetCookie access = find(cookies, "at");
        assertEquals(Map.of("max-age", "300", "expires", "*", "domain", "example.com", "path", "/app",
                "secure", "", "httponly", "", "samesite", "Strict", "partitioned", ""), access.attributes);
        SetCookie refresh = find(cookies, "rt");
        assertEquals("172800", refresh.attributes.get("max-age"));
        assertTrue(refresh.attributes.containsKey("partitioned"), refresh::toString);
    }

    @ParameterizedTest
    @MethodSource("targets")
    void sameSiteNoneIsSecureEvenOnPlainHttpToLoopbackInAutoMode(Target t) throws Exception {
        SetCookie access = find(setCookies(get(t, "/write?config=none&access=a1")), "__Host-sg_access");
        assertEquals("None", access.attributes.get("samesite"));
        assertTrue(access.attributes.containsKey("secure"));
    }

    @ParameterizedTest
    @MethodSource("targets")
    void insecureSettingsWriteNoSecureAttributeAndNoPrefix(Target t) throws Exception {
        SetCookie access = find(setCookies(get(t, "/write?config=insecure&access=a1")), "sg_access");
        assertEquals(Map.of("max-age", "3600", "expires", "*", "path", "/", "httponly", "", "samesite", "Lax"),
                access.attributes);
    }

    /**
     * Both containers expire the cookie with the same Path, Domain and other attributes; Jetty writes
     * {@code Max-Age=0} and an epoch {@code Expires}, Tomcat 11 only an {@code Expires} in 1970 for
     * {@code setMaxAge(0)}. Browsers delete the cookie either way (RFC 6265 section 5.3).
     */
    @ParameterizedTest
    @MethodSource("targets")
    void clearRepeatsPathDomainAndPartitionedAndExpiresTheCookie(Target t) throws Exception {
        HttpResponse<String> r = get(t, "/clear?config=custom", "at.0=x; at.1=y; other=z");
        List<SetCookie> cookies = setCookies(r);
        assertEquals(List.of("at.0", "at.1", "at", "rt", "sg_guest", "sg_meta"), cookies.stream().map(c -> c.name).toList());
        Map<String, String> expected = new LinkedHashMap<>(Map.of("expires", "*", "domain", "example.com",
                "path", "/app", "secure", "", "httponly", "", "samesite", "Strict", "partitioned", ""));
        if (t.name.equals("jetty")) {
            expected.put("max-age", "0");
        }
        for (SetCookie c : cookies) {
            assertEquals("", c.value);
            assertEquals(expected, c.attributes, c::toString);
            assertTrue(c.expires.contains("1970"), c::toString);
        }
    }

    /**
     * A refusal's clearing goes out as the header value the codec made, on both containers alike:
     * the carried names only, with a logout's attributes, {@code Max-Age=0} and an epoch
     * {@code Expires} both, {@code Partitioned} as itself.
     */
    @ParameterizedTest
    @MethodSource("targets")
    void clearCarriedWritesTheSameHeaderOnEveryContainer(Target t) throws Exception {
        HttpResponse<String> r = get(t, "/clear-carried?config=custom", "at.0=x; at.1=y; other=z");
        List<SetCookie> cookies = setCookies(r);
        assertEquals(List.of("at.0", "at.1"), cookies.stream().map(c -> c.name).toList());
        Map<String, String> expected = new LinkedHashMap<>(Map.of("expires", "*", "domain", "example.com",
                "path", "/app", "secure", "", "httponly", "", "samesite", "Strict", "partitioned", "", "max-age", "0"));
        for (SetCookie c : cookies) {
            assertEquals("", c.value);
            assertEquals(expected, c.attributes, c::toString);
            assertTrue(c.expires.contains("1970"), c::toString);
        }
    }

    @ParameterizedTest
    @MethodSource("targets")
    void guestAndMetaCookiesCarryTheSameAttributesAndReadBack(Target t) throws Exception {
        List<SetCookie> cookies = setCookies(get(t, "/guest-meta?config=custom&guest=g.1-x&meta=m_2"));
        assertEquals(List.of("sg_guest", "sg_meta"), cookies.stream().map(c -> c.name).toList());
        SetCookie guest = find(cookies, "sg_guest");
        assertEquals(Map.of("max-age", "1800", "expires", "*", "domain", "example.com", "path", "/app",
                "secure", "", "httponly", "", "samesite", "Strict", "partitioned", ""), guest.attributes);
        assertEquals("172800", find(cookies, "sg_meta").attributes.get("max-age"), "meta follows the refresh cookie");
        assertEquals("access=- refresh=- guest=g.1-x meta=m_2 duplicates=[] present=[__Host-sg_guest, __Host-sg_meta]",
                get(t, "/read?config=default", "__Host-sg_guest=g.1-x; __Host-sg_meta=m_2").body());
    }

    /** Documents why the codec picks the Partitioned attribute value per container. */
    @ParameterizedTest
    @MethodSource("targets")
    void containersDisagreeOnThePartitionedAttributeValue(Target t) throws Exception {
        boolean withEmpty = find(setCookies(get(t, "/raw?partitioned=")), "raw").attributes.containsKey("partitioned");
        boolean withTrue = find(setCookies(get(t, "/raw?partitioned=true")), "raw").attributes.containsKey("partitioned");
        if (t.name.equals("jetty")) {
            assertFalse(withEmpty, "Jetty 12 ee10 ignores Partitioned=\"\"");
            assertTrue(withTrue, "Jetty 12 ee10 emits Partitioned for \"true\"");
        } else {
            assertTrue(withEmpty, "Tomcat 11 emits Partitioned for \"\"");
            assertFalse(withTrue, "Tomcat 11 ignores Partitioned=\"true\"");
        }
    }

    // ------------------------------------------------------------------ reading

    @ParameterizedTest
    @MethodSource("targets")
    void readsTokensFromRawHeaderWithTabsQuotesAndJunk(Target t) throws Exception {
        String header = "junk; =x; other=a\tb; \t__Host-sg_access=\"acc.1\"\t; bad(=1; __Host-sg_refresh=ref.2";
        assertEquals("access=acc.1 refresh=ref.2 duplicates=[] present=[__Host-sg_access, __Host-sg_refresh]",
                get(t, "/read?config=default", header).body());
    }

    @ParameterizedTest
    @MethodSource("targets")
    void readsAcrossMultipleCookieHeaders(Target t) throws Exception {
        assertEquals("access=acc.1 refresh=ref.2 duplicates=[] present=[__Host-sg_access, __Host-sg_refresh]",
                get(t, "/read?config=default", "a=1; __Host-sg_access=acc.1", "__Host-sg_refresh=ref.2; b=2").body());
    }

    @ParameterizedTest
    @MethodSource("targets")
    void duplicatedNameInTwoHeadersMakesThatTokenAbsent(Target t) throws Exception {
        assertEquals("access=- refresh=ref.2 duplicates=[__Host-sg_access] "
                + "present=[__Host-sg_access, __Host-sg_refresh]",
                get(t, "/read?config=default", "__Host-sg_access=mine; __Host-sg_refresh=ref.2",
                        "__Host-sg_access=tossed").body());
    }

    @ParameterizedTest
    @MethodSource("targets")
    void largeTokenIsChunkedAndReadBack(Target t) throws Exception {
        String token = CookieCodecTest.token(5000);
        List<SetCookie> written = setCookies(get(t, "/write?config=default&access=" + token));
        assertEquals(List.of("__Host-sg_access.0", "__Host-sg_access.1"), written.stream().map(c -> c.name).toList());
        String header = written.stream().map(c -> c.name + "=" + c.value).collect(Collectors.joining("; "));
        assertEquals("access=" + token + " refresh=- duplicates=[] present=[__Host-sg_access.0, __Host-sg_access.1]",
                get(t, "/read?config=default", header).body());
    }

    @ParameterizedTest
    @MethodSource("targets")
    void tokenOverTheCapIsRefusedAndNothingWritten(Target t) throws Exception {
        HttpResponse<String> r = get(t, "/write?config=default&access=" + CookieCodecTest.token(6200));
        assertEquals(413, r.statusCode());
        assertEquals(List.of(), r.headers().allValues("Set-Cookie"));
    }

    // ------------------------------------------------------------------ helpers

    private static HttpResponse<String> get(Target t, String pathAndQuery, String... cookieHeaders) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(t.base + pathAndQuery)).timeout(Duration.ofSeconds(10));
        for (String h : cookieHeaders) {
            b.header("Cookie", h);
        }
        return CLIENT.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A parsed Set-Cookie header: attribute names lower-cased, Expires' date replaced by "*". */
    static final class SetCookie {
        final String raw;
        final String name;
        final String value;
        final Map<String, String> attributes = new LinkedHashMap<>();
        String expires = "";

        SetCookie(String raw) {
            this.raw = raw;
            String[] parts = raw.split(";");
            int eq = parts[0].indexOf('=');
            name = parts[0].substring(0, eq).trim();
            value = parts[0].substring(eq + 1).trim();
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                int e = p.indexOf('=');
                String key = (e < 0 ? p : p.substring(0, e)).trim().toLowerCase(Locale.ROOT);
                String val = e < 0 ? "" : p.substring(e + 1).trim();
                attributes.put(key, key.equals("expires") ? "*" : val);
                if (key.equals("expires")) {
                    expires = val;
                }
            }
        }

        @Override
        public String toString() {
            return raw;
        }
    }

    static List<SetCookie> setCookies(HttpResponse<?> r) {
        List<SetCookie> out = new ArrayList<>();
        for (String h : r.headers().allValues("Set-Cookie")) {
            out.add(new SetCookie(h));
            if (Boolean.getBoolean("sg.printSetCookie")) {
                System.out.println("Set-Cookie: " + h);
            }
        }
        return out;
    }

    static SetCookie find(List<SetCookie> cookies, String name) {
        return cookies.stream().filter(c -> c.name.equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no Set-Cookie for " + name + " in " + cookies));
    }
}
