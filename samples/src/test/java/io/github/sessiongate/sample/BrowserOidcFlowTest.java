package io.github.sessiongate.sample;

import static io.github.sessiongate.sample.HeadlessChromium.hasLeft;
import static io.github.sessiongate.sample.HeadlessChromium.pathOf;
import static io.github.sessiongate.sample.HeadlessChromium.queryParameters;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
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
 * The OpenID Connect demo ({@code SAMPLE_LOGIN=oidc}) end to end in a real headless Chromium:
 * a protected page sends the browser to mock-oauth2-server's interactive login page, where only a
 * name is typed; the browser lands back on the page with that name as the principal, and signs
 * out through the provider's end-session endpoint. {@code admin} typed there gets the admin role
 * (the demo's hook sees the typed name), and a provider error ends on the sample's {@code /login}
 * with the error code and a "Sign in again" link, never back at the provider by itself.
 *
 * <p>The demo (mock-oauth2-server and webapp) runs in this JVM on free ports. The browser is set
 * up as in {@link BrowserFlowTest}: Debian's {@code chromium} and {@code chromedriver}, named
 * explicitly; without them the test is skipped, except under {@code CI=true}, where it fails.
 * Token values are never printed, only cookie names.
 */
class BrowserOidcFlowTest {
    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final int ACCESS_TTL_SECONDS = 300;
    private static final Map<String, String> OIDC = Map.of("SAMPLE_LOGIN", "oidc");
    private static final String LOGOUT_ENDPOINT = "/auth/logout";

    private static String noBrowser;
    private static HeadlessChromium browser;
    private static WebDriver driver;

    @BeforeAll
    static void startBrowser() throws IOException {
        noBrowser = HeadlessChromium.unavailable("BrowserOidcFlowTest");
        if (noBrowser != null) {
            return;
        }
        browser = HeadlessChromium.start("sessiongate-chromium-oidc-", "chromedriver-oidc.log");
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
        signInAtTheProviderAndOut("jetty");
    }

    @Test
    @Timeout(120)
    void tomcat() throws Exception {
        signInAtTheProviderAndOut("tomcat");
    }

    private void signInAtTheProviderAndOut(String container) throws Exception {
        try (SampleMain.Demo demo = SampleMain.start(0, 0, container, ACCESS_TTL_SECONDS, OIDC)) {
            String base = demo.baseUrl();
            String authorize = demo.idpUrl() + "/authorize";
            driver.get(base + "/");
            driver.manage().deleteAllCookies();

            // 1. A protected page goes straight to the provider's interactive login page.
            driver.get(base + "/dashboard");
            assertTrue(driver.getCurrentUrl().startsWith(authorize + "?"),
                    "opening /dashboard without a session goes to the provider's login page; the browser is at " + where());

            // 2. Only a name is typed; the browser comes back to /dashboard with that principal.
            signInAtProvider("alice");
            assertAt(base, "/dashboard", "after signing in at the provider");
            assertText("Hello, alice", "the dashboard after signing in");
            assertText("Your roles: user.", "the dashboard after signing in as alice");
            Set<String> sessionCookies = browser.cookieNames();
            assertTrue(driver.manage().getCookies().stream().filter(c -> c.getName().contains("sg_access"))
                    .allMatch(Cookie::isHttpOnly), "the session cookies are HttpOnly: " + sessionCookies);
            driver.get(base + "/admin");
            assertText("forbidden", "/admin as alice");

            // 3. Sign out (a POST): the provider's end-session endpoint sends the browser home.
            driver.get(base + "/dashboard");
            WebElement logout = formPostingTo(LOGOUT_ENDPOINT);
            submit(logout, "signing out");
            assertAt(base, "/", "after signing out at the provider");
            assertFalse(browser.cookieNames().stream().anyMatch(n -> n.contains("sg_access") || n.contains("sg_refresh")),
                    "signing out clears the session cookies; the browser still has " + browser.cookieNames());
            driver.get(base + "/dashboard");
            assertTrue(driver.getCurrentUrl().startsWith(authorize + "?"),
                    "after signing out, /dashboard asks the provider again; the browser is at " + where());

            // 4. From the sample's /login: "Sign in with the provider"; the typed name admin gets the admin role.
            driver.get(base + "/login?from=" + URLEncoder.encode("/admin", StandardCharsets.UTF_8));
            assertAt(base, "/login", "opening the login page");
            WebElement link = driver.findElement(By.linkText("Sign in with the provider"));
            assertEquals("/auth/login", URI.create(link.getDomProperty("href")).getPath(), "the link starts a sign-in");
            link.click();
            until(d -> d.getCurrentUrl().startsWith(authorize + "?"), "the link leads to the provider's login page");
            signInAtProvider("admin");
            assertAt(base, "/admin", "after signing in as admin from /login?from=/admin");
            assertText("Admin area", "/admin as admin");

            // 5. A provider error ends on /login with its code, escaped, and a link to sign in again.
            driver.manage().deleteAllCookies();
            driver.get(base + "/auth/login?from=" + URLEncoder.encode("/dashboard", StandardCharsets.UTF_8));
            assertTrue(driver.getCurrentUrl().startsWith(authorize + "?"), "a new sign-in; the browser is at " + where());
            String state = queryParameters(driver.getCurrentUrl()).get("state");
            driver.get(base + "/auth/callback?error=access_denied&error_description="
                    + URLEncoder.encode("<b id=injected>no</b>", StandardCharsets.UTF_8) + "&state="
                    + URLEncoder.encode(state, StandardCharsets.UTF_8) + "&iss="
                    + URLEncoder.encode(demo.idpUrl(), StandardCharsets.UTF_8));
            assertAt(base, "/login", "after the provider answered access_denied");
            assertText("access_denied", "the login page after a provider error");
            assertTrue(driver.findElements(By.id("injected")).isEmpty(), "error_description is never markup");
            WebElement again = driver.findElement(By.linkText("Sign in again"));
            assertEquals("/auth/login", URI.create(again.getDomProperty("href")).getPath(), "Sign in again starts a sign-in");
            assertFalse(browser.cookieNames().stream().anyMatch(n -> n.contains("sg_access")), "no session after a provider error");
        }
    }

    /** On the provider's login page: types only the name and submits. */
    private static void signInAtProvider(String name) {
        WebElement username = driver.findElements(By.name("username")).stream().findFirst()
                .orElseGet(() -> fail("the provider's login page has a username field; the browser is at " + where()));
        username.clear();
        username.sendKeys(name);
        submit(username.findElement(By.xpath("./ancestor::form")), "signing in at the provider as " + name);
    }

    private static WebElement formPostingTo(String path) {
        return driver.findElements(By.tagName("form")).stream()
                .filter(f -> path.equals(pathOf(f.getDomProperty("action"))))
                .findFirst().orElseGet(() -> fail("no form posting to " + path + "; the browser is at " + where()));
    }

    /** Clicks the form's submit control and waits for the next page, redirects included, to load. */
    private static void submit(WebElement form, String what) {
        form.findElement(By.cssSelector("button[type=submit], input[type=submit], button:not([type])")).click();
        until(d -> hasLeft(form), what + ": the browser did not leave the page");
        until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")),
                what + ": the next page did not finish loading");
    }

    /** The browser is on the webapp ({@code base}) at {@code path}. */
    private static void assertAt(String base, String path, String when) {
        String url = driver.getCurrentUrl();
        if (!url.startsWith(base + "/") || !path.equals(pathOf(url))) {
            fail(when + ": expected to be at " + base + path + ", the browser is at " + url + " " + where());
        }
    }

    private static void assertText(String text, String what) {
        if (!driver.findElement(By.tagName("body")).getText().contains(text)) {
            fail(what + ": expected the page to say \"" + text + "\"; the browser is at " + where());
        }
    }

    private static <T> T until(Function<WebDriver, T> condition, String message) {
        try {
            return new WebDriverWait(driver, WAIT).until(condition::apply);
        } catch (TimeoutException e) {
            return fail(message + " within " + WAIT.toSeconds() + " s; the browser is at " + where(), e);
        }
    }

    /** Where the browser is: host, path (no query: it may hold a code), title and the start of the text. */
    private static String where() {
        URI uri = URI.create(driver.getCurrentUrl());
        return uri.getHost() + ":" + uri.getPort() + uri.getRawPath() + " " + browser.titleAndText();
    }
}
