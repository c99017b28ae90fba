package io.github.sessiongate.sample;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * The headless Chromium the browser tests drive: Debian's {@code chromium} and its
 * {@code chromedriver}, both named explicitly (system properties {@code sample.chromium} and
 * {@code sample.chromedriver}, default {@code /usr/bin/...}) so that Selenium Manager, which would
 * try to download a driver, never runs; a fresh profile in the temp directory, removed on
 * {@link #close()}; the driver's log in {@code sample.workdir}.
 */
final class HeadlessChromium implements AutoCloseable {
    private static final Path CHROMIUM = Path.of(System.getProperty("sample.chromium", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getProperty("sample.chromedriver", "/usr/bin/chromedriver"));

    /**
     * Selenium's devtools (CDP) support, which these tests do not use, warns that it has no
     * implementation for this Chromium's version; kept referenced so the setting sticks.
     */
    private static final List<Logger> QUIETED = Stream.of("org.openqa.selenium.devtools",
            "org.openqa.selenium.chromium").map(Logger::getLogger).toList();

    private final Path profile;
    private final ChromeDriverService service;
    private final WebDriver driver;

    private HeadlessChromium(Path profile, ChromeDriverService service, WebDriver driver) {
        this.profile = profile;
        this.service = service;
        this.driver = driver;
    }

    /**
     * Why {@code test} has no browser, or {@code null} when chromium and chromedriver are there.
     * Without them it fails under {@code CI=true} (a browser test is never silently skipped in CI;
     * {@code .ci/install-browser} installs them) and otherwise says on stderr that every test is skipped.
     */
    static String unavailable(String test) {
        List<String> missing = new ArrayList<>();
        for (Path tool : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(tool)) {
                missing.add(tool.toString());
            }
        }
        if (missing.isEmpty()) {
            return null;
        }
        String why = "no headless browser for the end-to-end test: missing " + String.join(" and ", missing)
                + " (install Debian's chromium and chromium-driver, e.g. with .ci/install-browser)";
        if ("true".equals(System.getenv("CI"))) {
            fail(why + "; CI=true, so this fails instead of being skipped");
        }
        System.err.println(test + ": skipping every test: " + why);
        return why;
    }

    /**
     * A started browser with its profile under the temp directory (named {@code profilePrefix}...)
     * and the driver's log as {@code logName} in {@code sample.workdir}.
     */
    static HeadlessChromium start(String profilePrefix, String logName) throws IOException {
        QUIETED.forEach(logger -> logger.setLevel(Level.SEVERE));
        // Belt and braces: with the driver named, Selenium never asks Selenium Manager for one.
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        Path profile = Files.createTempDirectory(profilePrefix);
        Path logs = Path.of(System.getProperty("sample.workdir", System.getProperty("java.io.tmpdir")));
        Files.createDirectories(logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withLogFile(logs.resolve(logName).toFile())
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toString());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-quic", "--user-data-dir=" + profile);
        WebDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            deleteTree(profile);
            throw e;
        }
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(20)).scriptTimeout(Duration.ofSeconds(10));
        return new HeadlessChromium(profile, service, driver);
    }

    WebDriver driver() {
        return driver;
    }

    /**
     * Whether the element's page is gone. While a navigation replaces the document, ChromeDriver
     * may answer a query on the old node with "Node with given id does not belong to the
     * document" (an unknown error) instead of a stale-element error: both mean the page was left.
     */
    static boolean hasLeft(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (org.openqa.selenium.StaleElementReferenceException e) {
            return true;
        } catch (org.openqa.selenium.WebDriverException e) {
            String message = e.getMessage();
            if (message != null && message.contains("does not belong to the document")) {
                return true;
            }
            throw e;
        }
    }

    static String pathOf(String url) {
        return url == null || url.isEmpty() ? "" : URI.create(url).getPath();
    }

    static Map<String, String> queryParameters(String url) {
        Map<String, String> params = new LinkedHashMap<>();
        String query = URI.create(url).getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.putIfAbsent(name, value);
            }
        }
        return params;
    }

    /** The names of the browser's cookies, sorted. */
    Set<String> cookieNames() {
        return driver.manage().getCookies().stream().map(Cookie::getName).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The page's title and the start of its text, for a failure message: {@code ("title": text...)}. */
    String titleAndText() {
        String text;
        try {
            text = driver.findElement(By.tagName("body")).getText().replaceAll("\\s+", " ").strip();
        } catch (RuntimeException e) {
            text = "(no body: " + e.getClass().getSimpleName() + ")";
        }
        if (text.length() > 300) {
            text = text.substring(0, 300) + "...";
        }
        return "(\"" + driver.getTitle() + "\": " + text + ")";
    }

    /** Quits the browser, stops its driver and removes the profile. */
    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteTree(profile);
        }
    }

    /** Best effort: a profile directory left behind in the temp directory fails no test. */
    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            System.err.println("HeadlessChromium: could not delete " + root + ": " + e);
        }
    }
}
