package io.github.sessiongate.sample;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.openqa.selenium.WebDriver;
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
