package io.github.sessiongate.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The login redirect's {@code from} stays within what the login endpoint accepts back, to the character. */
class LoginRedirectBoundTest {
    private static final int MAX = 2048;
    private static final String PATH = "/dashboard/x";
    /** {@code /app/dashboard/x} as the from value carries it. */
    private static final String ENCODED_PATH = URLEncoder.encode("/app" + PATH, StandardCharsets.UTF_8);
    private static final String LOGIN = "/app/login";

    /** A query of {@code a}s that makes the encoded from exactly {@code length} characters ({@code %3F} is the {@code ?}). */
    private static String queryForEncodedLength(int length) {
        return "a".repeat(length - ENCODED_PATH.length() - 3);
    }

    private static String location(String query) {
        return LoginRedirect.location("/app", "/login", PATH, query, MAX);
    }

    @Test
    void fromOfExactlyTheBudgetKeepsItsQuery() {
        String query = queryForEncodedLength(MAX);
        String location = location(query);
        assertEquals(LOGIN + "?from=" + ENCODED_PATH + "%3F" + query, location);
        assertEquals(MAX, location.length() - (LOGIN + "?from=").length());
    }

    @Test
    void oneCharacterOverTheBudgetDropsTheQueryButKeepsThePath() {
        assertEquals(LOGIN + "?from=" + ENCODED_PATH, location(queryForEncodedLength(MAX + 1)));
    }

    @Test
    void queryThatOnlyEncodingMakesTooLongIsDroppedToo() {
        // 1,000 raw characters, but each '&' encodes to three.
        String query = "&".repeat(1000);
        assertEquals(LOGIN + "?from=" + ENCODED_PATH, location(query));
    }

    @Test
    void pathOfExactlyTheBudgetIsKeptAndOneMoreDropsTheWholeFrom() {
        String exact = "/" + "p".repeat(MAX - "%2F".length());
        assertEquals("/login?from=%2F" + "p".repeat(MAX - 3), LoginRedirect.location("", "/login", exact, "q=1", MAX));
        assertEquals("/login", LoginRedirect.location("", "/login", exact + "p", "q=1", MAX));
        assertEquals("/login", LoginRedirect.location("", "/login", exact + "p", null, MAX));
    }

    @Test
    void eightKilobyteQueryGivesABoundedLocationWhoseFromTheLoginAcceptsBack() {
        String location = LoginRedirect.location("/app", "/login", PATH, "q=" + "x".repeat(8000));
        assertTrue(location.length() <= LOGIN.length() + "?from=".length() + MAX, () -> location.length() + " characters");
        String from = URLDecoder.decode(location.substring(location.indexOf("?from=") + 6), StandardCharsets.UTF_8);
        assertEquals("/app" + PATH, from);
        assertEquals(Optional.of(from), SafeRedirect.target(from));
    }

    @Test
    void keptFromRoundTripsThroughTheLoginEndpointsCheck() {
        String location = location(queryForEncodedLength(MAX));
        String from = URLDecoder.decode(location.substring(location.indexOf("?from=") + 6), StandardCharsets.UTF_8);
        assertEquals(Optional.of(from), SafeRedirect.target(from));
    }

    @Test
    void budgetIsTheLoginEndpointsLimitAndHalfItsBody() {
        assertEquals(SafeRedirect.MAX_LENGTH, LoginRedirect.maxEncodedFrom(8192));
        assertEquals(SafeRedirect.MAX_LENGTH, LoginRedirect.maxEncodedFrom(1 << 20));
        assertEquals(512, LoginRedirect.maxEncodedFrom(1024));
        assertEquals(128, LoginRedirect.maxEncodedFrom(256));
    }

    @Test
    void encodedFromDropsTheQueryThenEverything() {
        assertEquals(Optional.of("%2Fa%3Fb"), LoginRedirect.encodedFrom("/a?b", 8));
        assertEquals(Optional.of("%2Fa"), LoginRedirect.encodedFrom("/a?b", 7));
        assertEquals(Optional.of("%2Fa"), LoginRedirect.encodedFrom("/a?b", 4));
        assertEquals(Optional.empty(), LoginRedirect.encodedFrom("/a?b", 3));
        assertEquals(Optional.empty(), LoginRedirect.encodedFrom("/ab", 4));
    }

    @Test
    void defaultBudgetIsTheLoginEndpointsLimit() {
        String query = queryForEncodedLength(SafeRedirect.MAX_LENGTH + 1);
        assertEquals(LOGIN + "?from=" + ENCODED_PATH, LoginRedirect.location("/app", "/login", PATH, query));
    }

    @Test
    void withinKeepsTheTargetThenItsPathThenNothing() {
        assertEquals(Optional.of("/a?bc"), LoginRedirect.within("/a?bc", 5));
        assertEquals(Optional.of("/a"), LoginRedirect.within("/a?bc", 4));
        assertEquals(Optional.of("/a"), LoginRedirect.within("/a?bc", 2));
        assertEquals(Optional.empty(), LoginRedirect.within("/a?bc", 1));
        assertEquals(Optional.empty(), LoginRedirect.within("/abc", 3));
        assertEquals(Optional.empty(), LoginRedirect.within("/a", 0));
    }
}
