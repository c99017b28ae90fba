package io.github.sessiongate.web;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.InitParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Where the filter's own endpoints live and how they behave. Each path is configurable and can be
 * disabled with {@code off}; enabled endpoint paths are always public and always CSRF-checked.
 * Immutable.
 */
public final class EndpointSettings {
    /** The filter's endpoints. */
    public enum Endpoint {
        LOGIN("login-endpoint", "/auth/login"),
        LOGOUT("logout-endpoint", "/auth/logout"),
        SESSION("session-endpoint", "/auth/session"),
        REFRESH("refresh-endpoint", "/auth/refresh"),
        CLIENT_TOKEN("client-token-endpoint", "/auth/client-token");

        private final String parameter;
        private final String defaultPath;

        Endpoint(String parameter, String defaultPath) {
            this.parameter = parameter;
            this.defaultPath = defaultPath;
        }

        /** The init-param naming this endpoint's path. */
        public String parameter() {
            return parameter;
        }

        /** The path used when the init-param is absent. */
        public String defaultPath() {
            return defaultPath;
        }
    }

    /** Where a successful form login goes when {@code from} is absent or unsafe. */
    public static final String PARAM_LOGIN_SUCCESS_PATH = "login-success-path";
    public static final String DEFAULT_LOGIN_SUCCESS_PATH = "/";
    /** Where a form logout goes. */
    public static final String PARAM_LOGOUT_REDIRECT_PATH = "logout-redirect-path";
    public static final String DEFAULT_LOGOUT_REDIRECT_PATH = "/";
    /** Largest login body accepted; larger gets 413. */
    public static final String PARAM_LOGIN_MAX_BODY_BYTES = "login-max-body-bytes";
    public static final int DEFAULT_LOGIN_MAX_BODY_BYTES = 8192;
    /** Failed logins for one (username, client address) pair before it must wait; 0 disables the limiter. */
    public static final String PARAM_LOGIN_MAX_FAILURES = "login-max-failures";
    public static final int DEFAULT_LOGIN_MAX_FAILURES = 5;
    /**
     * Failed logins from one client address across all usernames before it must wait (against
     * password spraying); by default {@link LoginLimiter#ADDRESS_FACTOR} times {@code login-max-failures},
     * never less than it.
     */
    public static final String PARAM_LOGIN_ADDRESS_MAX_FAILURES = "login-address-max-failures";
    /** Longest delay before a login for a username failing from many addresses reaches the backend; 0 for none. */
    public static final String PARAM_LOGIN_USERNAME_MAX_DELAY = "login-username-max-delay";
    public static final Duration DEFAULT_LOGIN_USERNAME_MAX_DELAY = Duration.ofSeconds(2);
    public static final Duration MAX_LOGIN_USERNAME_MAX_DELAY = Duration.ofSeconds(10);
    /** How long failed logins are counted. */
    public static final String PARAM_LOGIN_FAILURE_WINDOW = "login-failure-window";
    public static final Duration DEFAULT_LOGIN_FAILURE_WINDOW = Duration.ofMinutes(5);
    /** Claims the session endpoint may show besides subject and roles. */
    public static final String PARAM_SESSION_CLAIMS = "session-claims";

    private final Map<Endpoint, String> paths;
    private final Map<String, Endpoint> byPath;
    private final String loginSuccessPath;
    private final String logoutRedirectPath;
    private final int loginMaxBodyBytes;
    private final int loginMaxFailures;
    private final int loginAddressMaxFailures;
    private final Duration loginFailureWindow;
    private final Duration loginUsernameMaxDelay;
    private final List<String> sessionClaims;

    private EndpointSettings(Map<Endpoint, String> paths, String loginSuccessPath, String logoutRedirectPath,
            int loginMaxBodyBytes, int loginMaxFailures, int loginAddressMaxFailures, Duration loginFailureWindow,
            Duration loginUsernameMaxDelay, List<String> sessionClaims) {
        this.paths = Map.copyOf(paths);
        Map<String, Endpoint> index = new LinkedHashMap<>();
        paths.forEach((endpoint, path) -> {
            Endpoint previous = index.put(path, endpoint);
            if (previous != null) {
                throw new ConfigException(endpoint.parameter(), "uses the same path as " + previous.parameter());
            }
        });
        this.byPath = Map.copyOf(index);
        this.loginSuccessPath = loginSuccessPath;
        this.logoutRedirectPath = logoutRedirectPath;
        this.loginMaxBodyBytes = loginMaxBodyBytes;
        this.loginMaxFailures = loginMaxFailures;
        this.loginAddressMaxFailures = loginAddressMaxFailures;
        this.loginFailureWindow = loginFailureWindow;
        this.loginUsernameMaxDelay = loginUsernameMaxDelay;
        this.sessionClaims = List.copyOf(sessionClaims);
    }

    /** The defaults: every endpoint at its default path. */
    public static EndpointSettings defaults() {
        return fromParams(InitParams.resolve(Map.of()));
    }

    /** Reads the endpoint parameters. */
    public static EndpointSettings fromParams(InitParams params) {
        Map<Endpoint, String> paths = new LinkedHashMap<>();
        for (Endpoint e : Endpoint.values()) {
            String value = params.get(e.parameter()).orElse(e.defaultPath());
            if (!value.equalsIgnoreCase("off")) {
                paths.put(e, checkPath(e.parameter(), value));
            }
        }
        String success = checkPath(PARAM_LOGIN_SUCCESS_PATH, params.get(PARAM_LOGIN_SUCCESS_PATH).orElse(DEFAULT_LOGIN_SUCCESS_PATH));
        String logout = checkPath(PARAM_LOGOUT_REDIRECT_PATH, params.get(PARAM_LOGOUT_REDIRECT_PATH).orElse(DEFAULT_LOGOUT_REDIRECT_PATH));
        int maxBody = (int) params.number(PARAM_LOGIN_MAX_BODY_BYTES, DEFAULT_LOGIN_MAX_BODY_BYTES, 256, 1 << 20);
        int maxFailures = (int) params.number(PARAM_LOGIN_MAX_FAILURES, DEFAULT_LOGIN_MAX_FAILURES, 0, 10_000);
        int addressMaxFailures = (int) params.number(PARAM_LOGIN_ADDRESS_MAX_FAILURES,
                (long) LoginLimiter.ADDRESS_FACTOR * maxFailures, maxFailures, 100_000);
        Duration usernameMaxDelay = params.duration(PARAM_LOGIN_USERNAME_MAX_DELAY, DEFAULT_LOGIN_USERNAME_MAX_DELAY,
                Duration.ZERO, MAX_LOGIN_USERNAME_MAX_DELAY);
        Duration window = params.duration(PARAM_LOGIN_FAILURE_WINDOW, DEFAULT_LOGIN_FAILURE_WINDOW,
                Duration.ofSeconds(1), Duration.ofDays(1));
        List<String> claims = params.list(PARAM_SESSION_CLAIMS);
        for (String claim : claims) {
            if (!claim.matches("[A-Za-z0-9_.:-]{1,64}")) {
                throw new ConfigException(PARAM_SESSION_CLAIMS, "'" + claim + "' is not a claim name");
            }
        }
        return new EndpointSettings(paths, success, logout, maxBody, maxFailures, addressMaxFailures, window,
                usernameMaxDelay, claims);
    }

    private static String checkPath(String parameter, String path) {
        if (SafeRedirect.target(path).isEmpty() || path.contains("?") || path.contains("*") || path.contains(";")) {
            throw new ConfigException(parameter, "must be a plain path inside the application such as /auth/login, or off");
        }
        return path;
    }

    /** The endpoint at this normalised path, if any (a trailing slash is tolerated). */
    public Optional<Endpoint> match(String path) {
        Endpoint e = byPath.get(path);
        if (e == null && path.length() > 1 && path.endsWith("/")) {
            e = byPath.get(path.substring(0, path.length() - 1));
        }
        return Optional.ofNullable(e);
    }

    /** The endpoint's path, if enabled. */
    public Optional<String> path(Endpoint endpoint) {
        return Optional.ofNullable(paths.get(endpoint));
    }

    /** Enabled endpoint paths, for the always-public list. */
    public List<String> enabledPaths() {
        return new ArrayList<>(byPath.keySet());
    }

    public String loginSuccessPath() {
        return loginSuccessPath;
    }

    public String logoutRedirectPath() {
        return logoutRedirectPath;
    }

    public int loginMaxBodyBytes() {
        return loginMaxBodyBytes;
    }

    public int loginMaxFailures() {
        return loginMaxFailures;
    }

    public int loginAddressMaxFailures() {
        return loginAddressMaxFailures;
    }

    public Duration loginFailureWindow() {
        return loginFailureWindow;
    }

    public Duration loginUsernameMaxDelay() {
        return loginUsernameMaxDelay;
    }

    public List<String> sessionClaims() {
        return sessionClaims;
    }

    /** One line for the start-up log. */
    public String describe() {
        StringBuilder b = new StringBuilder();
        for (Endpoint e : Endpoint.values()) {
            b.append(e.name().toLowerCase(Locale.ROOT).replace('_', '-')).append('=').append(paths.getOrDefault(e, "off")).append(' ');
        }
        return b.toString().strip();
    }
}
