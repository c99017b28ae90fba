package io.github.sessiongate.sample;

import static io.github.sessiongate.sample.HeadlessChromium.hasLeft;
import static io.github.sessiongate.sample.HeadlessChromium.pathOf;
import static io.github.sessiongate.sample.HeadlessChromium.queryParameters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jose4j.json.JsonUtil;
import org.jose4j.lang.JoseException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The demo end to end in a real headless Chromium: sign-in through the login form, HttpOnly token
 * cookies that page script cannot read, a token rotated in place once the access token expires,
 * the dashboard's notes panel calling the demo's backend API through the filter's proxy, and
 * sign-out.
 *
 * <p>The whole demo (identity provider and webapp) runs in this JVM on free ports, with a 3 s
 * access token lifetime. The browser is Debian's {@code chromium} driven by its
 * {@code chromedriver}, both named explicitly (system properties {@code sample.chromium} and
 * {@code sample.chromedriver}, default {@code /usr/bin/...}): Selenium Manager, which would try to
 * download a driver, never runs. Without them the test is skipped, except under {@code CI=true},
 * where it fails: a browser test is never silently skipped in CI ({@code .ci/install-browser}
 * installs them).
 *
 * <p>The login form and sign-out are found by what they are, not by layout: the form holding the
 * {@code username} field must post to {@code /auth/login}, the filter's endpoint, and sign-out is
 * the form posting to {@code /auth/logout}. Token values are never printed, only cookie names.
 */
class BrowserFlowTest {

    private static final int ACCESS_TTL_SECONDS = 3;
    /** How long past the access token's {@code exp} to wait before expecting a rotation. */
    private static final Duration PAST_EXPIRY = Duration.ofMillis(1500);
    private static final Duration WAIT = Duration.ofSeconds(15);

    private static final String USER = "alice";
    private static final String PASSWORD = "alice-password";
    private static final String LOGIN_ENDPOINT = "/auth/login";
    private static final String LOGOUT_ENDPOINT = "/auth/logout";
    /** Fallback refresh cookie names (the defaults; {@code __Host-} when the cookies are Secure). */
    private static final List<String> DEFAULT_REFRESH_NAMES = List.of("sg_refresh", "__Host-sg_refresh");

    /** Why there is no browser, or {@code null}. */
    private static String noBrowser;
    private static HeadlessChromium browser;
    private static WebDriver driver;

    @BeforeAll
    static void startBrowser() throws IOException {
        noBrowser = HeadlessChromium.unavailable("BrowserFlowTest");
        if (noBrowser != null) {
            return; // Each test is skipped, with the reason (see requireBrowser).
        }
        browser = HeadlessChromium.start("sessiongate-chromium-", "chromedriver.log");
        driver = browser.driver();
    }

    @BeforeEach
    void requireBrowser() {
        Assumptions.assumeTrue(noBrowser == null, () -> noBrowser);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
            driver = null;
        }
    }

    @Test
    @Timeout(120)
    void jetty() throws Exception {
        signInRotateSignOut("jetty");
    }

    @Test
    @Timeout(120)
    void tomcat() throws Exception {
        signInRotateSignOut("tomcat");
    }

    private void signInRotateSignOut(String container) throws Exception {
        try (SampleMain.Demo demo = SampleMain.start(0, 0, container, ACCESS_TTL_SECONDS)) {
            String base = demo.baseUrl();
            // Cookies belong to the host, not the port: start clean even after another container's run.
            driver.get(base + "/");
            driver.manage().deleteAllCookies();

            // 1. A protected page sends the browser to the login page, saying where it came from.
            driver.get(base + "/dashboard");
            assertAt("/login", "opening /dashboard without a session");
            assertEquals("/dashboard", queryParameters(driver.getCurrentUrl()).get("from"),
                    "the login redirect carries from=/dashboard; the browser is at " + where());

            // 2. Sign in with the form; the browser lands back on the dashboard.
            WebElement username = find(By.name("username"), "the login page's username field");
            WebElement form = username.findElement(By.xpath("./ancestor::form"));
            assertEquals(LOGIN_ENDPOINT, pathOf(form.getDomProperty("action")),
                    "the login form posts to the filter's endpoint " + LOGIN_ENDPOINT);
            assertEquals("post", form.getDomProperty("method"), "the login form's method");
            username.clear();
            username.sendKeys(USER);
            WebElement password = form.findElement(By.name("password"));
            password.clear();
            password.sendKeys(PASSWORD);
            submit(form, "signing in from the login form");
            assertAt("/dashboard", "after signing in from the login form");
            assertText("Hello, " + USER, "the dashboard after signing in");

            // 3. The token cookies are HttpOnly: the browser has them, page script does not.
            Cookie access = accessCookie();
            Cookie refresh = refreshCookie(access.getName());
            assertTrue(access.isHttpOnly(), access.getName() + " is HttpOnly");
            assertTrue(refresh.isHttpOnly(), refresh.getName() + " is HttpOnly");
            assertScriptCannotRead(access, refresh);

            // 4. Past the access token's expiry the next page still shows the session, on rotated tokens.
            long expiresAtMillis = expiresAtSeconds(access.getValue()) * 1000L;
            long sleep = expiresAtMillis + PAST_EXPIRY.toMillis() - System.currentTimeMillis();
            assertTrue(sleep <= (ACCESS_TTL_SECONDS * 1000L) + PAST_EXPIRY.toMillis() + 1000,
                    "the access token lives about " + ACCESS_TTL_SECONDS + " s; it expires in " + sleep + " ms");
            Thread.sleep(Math.max(0, sleep));
            driver.get(base + "/dashboard");
            assertAt("/dashboard", "opening /dashboard after the access token expired (the filter must "
                    + "refresh it with the refresh cookie instead of sending the browser to the login page)");
            assertText("Hello, " + USER, "the dashboard after the access token expired");
            Cookie rotated = accessCookie();
            assertEquals(access.getName(), rotated.getName(), "the access cookie keeps its name");
            assertNotEquals(access.getValue(), rotated.getValue(), "the expired access token was replaced");
            assertTrue(expiresAtSeconds(rotated.getValue()) > expiresAtSeconds(access.getValue()),
                    "the new access token expires later than the old one");
            assertTrue(rotated.isHttpOnly(), "the rotated " + rotated.getName() + " is HttpOnly");
            Cookie rotatedRefresh = refreshCookie(rotated.getName());
            assertNotEquals(refresh.getValue(), rotatedRefresh.getValue(),
                    "the refresh cookie holds the identity provider's new (rotated) refresh token");
            assertTrue(rotatedRefresh.isHttpOnly(), "the rotated " + rotatedRefresh.getName() + " is HttpOnly");
            assertScriptCannotRead(rotated, rotatedRefresh);

            // 5. The dashboard's "Notes via the API proxy" panel: its script's fetch goes through
            //    the filter's proxy to the demo's backend API, which sees the user's token and no
            //    cookie; the backend's own cookie never reaches the browser.
            assertApiProxyPanel();

            // 6. Sign out with the form (a POST); afterwards the dashboard wants a sign-in again.
            WebElement logout = logoutForm(base);
            assertEquals("post", logout.getDomProperty("method"), "the sign-out form's method");
            submit(logout, "signing out");
            assertAt("/", "after signing out");
            Set<String> left = browser.cookieNames();
            assertFalse(left.contains(rotated.getName()) || left.contains(rotatedRefresh.getName()),
                    "signing out clears the token cookies; the browser still has " + left);
            driver.get(base + "/dashboard");
            assertAt("/login", "opening /dashboard after signing out");
        }
    }

    /** On the dashboard: the panel lists, adds a note through the proxy; echo shows what the backend got. */
    private static void assertApiProxyPanel() {
        until(d -> !d.findElement(By.id("api-notes-status")).getText().isEmpty(), "the API notes panel loads its notes");
        assertText("No notes yet.", "the API notes panel before adding one");
        WebElement text = find(By.cssSelector("#api-notes-form input[name=text]"), "the API notes panel's text field");
        text.sendKeys("through the proxy");
        text.findElement(By.xpath("./ancestor::form")).findElement(By.tagName("button")).click();
        until(d -> d.findElements(By.cssSelector("#api-notes-list li")).stream()
                .anyMatch(li -> li.getText().equals("through the proxy")), "the added note is listed by the API");

        Object echo = ((JavascriptExecutor) driver).executeAsyncScript(
                "var done = arguments[arguments.length - 1];"
                        + "fetch('/api/backend/echo?from=page', {method: 'PUT', credentials: 'same-origin', body: 'x'})"
                        + ".then(function (r) { return r.text(); }).then(done, function (e) { done('failed: ' + e); });");
        Map<String, Object> seen;
        try {
            seen = JsonUtil.parseJson(String.valueOf(echo));
        } catch (JoseException e) {
            seen = fail("echo through the proxy answered " + echo);
        }
        assertEquals("valid", seen.get("bearer"), "the backend got the user's token: " + echo);
        assertEquals(USER, seen.get("sub"), String.valueOf(echo));
        assertEquals("PUT", seen.get("method"), String.valueOf(echo));
        assertEquals("from=page", seen.get("query"), String.valueOf(echo));
        assertFalse(String.valueOf(seen.get("headers")).contains("cookie"), "no cookie reached the backend: " + echo);
        assertFalse(browser.cookieNames().contains("backend"), "the backend's Set-Cookie never reached the browser: "
                + browser.cookieNames());
    }

    // ---- the browser's cookies -------------------------------------------------------------------

    /** The cookie holding a JWT whose {@code sub} is the user: the access token. */
    private static Cookie accessCookie() {
        List<Cookie> found = driver.manage().getCookies().stream()
                .filter(c -> USER.equals(jwtClaims(c.getValue()).map(claims -> claims.get("sub")).orElse(null)))
                .toList();
        if (found.size() != 1) {
            fail("expected one cookie holding a JWT with sub " + USER + ", found " + found.size()
                    + "; the browser's cookies: " + browser.cookieNames());
        }
        return found.get(0);
    }

    /** The refresh cookie: named like the access cookie with "refresh", else a default name. */
    private static Cookie refreshCookie(String accessName) {
        List<String> names = new ArrayList<>();
        if (accessName.contains("access")) {
            names.add(accessName.replace("access", "refresh"));
        }
        names.addAll(DEFAULT_REFRESH_NAMES);
        for (String name : names) {
            Cookie cookie = driver.manage().getCookieNamed(name);
            if (cookie != null) {
                return cookie;
            }
        }
        return fail("no refresh cookie (looked for " + names + "); the browser's cookies: " + browser.cookieNames());
    }

    /** Page script sees neither cookie, while {@code document.cookie} does work on this page. */
    private static void assertScriptCannotRead(Cookie access, Cookie refresh) {
        JavascriptExecutor js = (JavascriptExecutor) driver;
        String probe = (String) js.executeScript(
                "document.cookie = 'sg_test_probe=1; path=/; SameSite=Lax'; return document.cookie;");
        assertNotNull(probe, "document.cookie");
        assertTrue(probe.contains("sg_test_probe=1"), "script can set and read an ordinary cookie on this page");
        js.executeScript("document.cookie = 'sg_test_probe=; path=/; max-age=0';");

        String visible = (String) js.executeScript("return document.cookie;");
        Set<String> visibleNames = Stream.of(visible.split(";"))
                .map(String::strip).filter(s -> !s.isEmpty())
                .map(s -> s.contains("=") ? s.substring(0, s.indexOf('=')) : s)
                .collect(Collectors.toCollection(TreeSet::new));
        for (Cookie cookie : List.of(access, refresh)) {
            assertFalse(visibleNames.contains(cookie.getName()),
                    "document.cookie shows " + cookie.getName() + "; script sees " + visibleNames);
            assertFalse(visible.contains(cookie.getValue()),
                    "document.cookie holds the value of " + cookie.getName() + "; script sees " + visibleNames);
        }
    }

    /** A JWS's claims (payload only, nothing verified), or empty when the value is not one. */
    private static Optional<Map<String, Object>> jwtClaims(String value) {
        String[] parts = value.split("\\.", -1);
        if (parts.length != 3) {
            return Optional.empty();
        }
        try {
            String json = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
            return Optional.of(JsonUtil.parseJson(json));
        } catch (IllegalArgumentException | JoseException e) {
            return Optional.empty();
        }
    }

    private static long expiresAtSeconds(String jwt) {
        Object exp = jwtClaims(jwt).map(claims -> claims.get("exp")).orElse(null);
        if (exp instanceof Number n) {
            return n.longValue();
        }
        return fail("the access token has no numeric exp claim");
    }

    // ---- pages -----------------------------------------------------------------------------------

    /** The form posting to the sign-out endpoint, on the current page or else on the home page. */
    private static WebElement logoutForm(String base) {
        Optional<WebElement> form = formPostingTo(LOGOUT_ENDPOINT);
        if (form.isEmpty()) {
            driver.get(base + "/");
            assertAt("/", "opening the home page to find the sign-out form");
            form = formPostingTo(LOGOUT_ENDPOINT);
        }
        return form.orElseGet(() -> fail("no form posting to " + LOGOUT_ENDPOINT + " on /dashboard or /; the "
                + "browser is at " + where() + "; forms post to " + driver.findElements(By.tagName("form")).stream()
                        .map(f -> pathOf(f.getDomProperty("action"))).toList()));
    }

    private static Optional<WebElement> formPostingTo(String path) {
        return driver.findElements(By.tagName("form")).stream()
                .filter(f -> path.equals(pathOf(f.getDomProperty("action"))))
                .findFirst();
    }

    /**
     * Clicks the form's submit button and waits until the browser has left the page and loaded
     * the next one (redirects included).
     */
    private static void submit(WebElement form, String what) {
        form.findElement(By.cssSelector("button[type=submit], input[type=submit], button:not([type])")).click();
        until(d -> hasLeft(form), what + ": the browser did not leave the page");
        until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")),
                what + ": the next page did not finish loading");
    }

    /**
     * The browser is at {@code path}. Checked at once: {@code get} returns and {@link #submit}
     * waits only once the page, after any redirects, has loaded.
     */
    private static void assertAt(String path, String when) {
        String at = pathOf(driver.getCurrentUrl());
        if (!path.equals(at)) {
            fail(when + ": expected to be at " + path + ", the browser is at " + where());
        }
    }

    private static void assertText(String text, String what) {
        if (!driver.findElement(By.tagName("body")).getText().contains(text)) {
            fail(what + ": expected the page to say \"" + text + "\"; the browser is at " + where());
        }
    }

    private static WebElement find(By by, String what) {
        List<WebElement> found = driver.findElements(by);
        if (found.isEmpty()) {
            fail("expected " + what + "; the browser is at " + where());
        }
        return found.get(0);
    }

    private static <T> T until(Function<WebDriver, T> condition, String message) {
        try {
            return new WebDriverWait(driver, WAIT).until(condition::apply);
        } catch (TimeoutException e) {
            return fail(message + " within " + WAIT.toSeconds() + " s; the browser is at " + where(), e);
        }
    }

    /** Where the browser is: path and query, title and the start of the page's text. */
    private static String where() {
        String url = driver.getCurrentUrl();
        URI uri = URI.create(url);
        String pathAndQuery = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return pathAndQuery + " " + browser.titleAndText();
    }
}
