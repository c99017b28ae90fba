package io.github.sessiongate;

import io.github.sessiongate.engine.SettingsChecks;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the filter's own endpoints live and how they behave. Each path is configurable and can be
 * disabled with {@code off}; enabled endpoint paths are always public and always CSRF-checked.
 * Immutable.
 */
public final class EndpointSettings {
    /** The filter's endpoints. */
    public enum Endpoint {
        LOGIN(PARAM_LOGIN_ENDPOINT, DEFAULT_LOGIN_ENDPOINT),
        LOGOUT(PARAM_LOGOUT_ENDPOINT, DEFAULT_LOGOUT_ENDPOINT),
        SESSION(PARAM_SESSION_ENDPOINT, DEFAULT_SESSION_ENDPOINT),
        REFRESH(PARAM_REFRESH_ENDPOINT, DEFAULT_REFRESH_ENDPOINT),
        CLIENT_TOKEN(PARAM_CLIENT_TOKEN_ENDPOINT, DEFAULT_CLIENT_TOKEN_ENDPOINT);

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

    /** Value of an endpoint parameter that turns the endpoint off. */
    public static final String OFF = "off";
    /** Path of the login endpoint, or {@value #OFF}; on only when a login backend is set. */
    public static final String PARAM_LOGIN_ENDPOINT = "login-endpoint";
    public static final String DEFAULT_LOGIN_ENDPOINT = "/auth/login";
    /** Path of the logout endpoint, or {@value #OFF}. */
    public static final String PARAM_LOGOUT_ENDPOINT = "logout-endpoint";
    public static final String DEFAULT_LOGOUT_ENDPOINT = "/auth/logout";
    /** Path of the session endpoint, or {@value #OFF}. */
    public static final String PARAM_SESSION_ENDPOINT = "session-endpoint";
    public static final String DEFAULT_SESSION_ENDPOINT = "/auth/session";
    /** Path of the explicit refresh endpoint, or {@value #OFF}. */
    public static final String PARAM_REFRESH_ENDPOINT = "refresh-endpoint";
    public static final String DEFAULT_REFRESH_ENDPOINT = "/auth/refresh";
    /** Path of the client-token endpoint, or {@value #OFF}; on only with {@code client-token-secret}. */
    public static final String PARAM_CLIENT_TOKEN_ENDPOINT = "client-token-endpoint";
    public static final String DEFAULT_CLIENT_TOKEN_ENDPOINT = "/auth/client-token";

    /** Where a successful form login goes when {@code from} is absent or unsafe. */
    public static final String PARAM_LOGIN_SUCCESS_PATH = "login-success-path";
    public static final String DEFAULT_LOGIN_SUCCESS_PATH = "/";
    /** Where a form logout goes. */
    public static final String PARAM_LOGOUT_REDIRECT_PATH = "logout-redirect-path";
    public static final String DEFAULT_LOGOUT_REDIRECT_PATH = "/";
    /** Largest login body accepted; larger gets 413. */
    public static final String PARAM_LOGIN_MAX_BODY_BYTES = "login-max-body-bytes";
    public static final int DEFAULT_LOGIN_MAX_BODY_BYTES = 8192;
    public static final int MIN_LOGIN_MAX_BODY_BYTES = 256;
    public static final int MAX_LOGIN_MAX_BODY_BYTES = 1 << 20;
    /** Failed logins for one (username, client address) pair before it must wait; 0 disables the limiter. */
    public static final String PARAM_LOGIN_MAX_FAILURES = "login-max-failures";
    public static final int DEFAULT_LOGIN_MAX_FAILURES = 5;
    public static final int MIN_LOGIN_MAX_FAILURES = 0;
    public static final int MAX_LOGIN_MAX_FAILURES = 10_000;
    /**
     * Failed logins from one client address across all usernames before it must wait (against
     * password spraying); by default {@value #LOGIN_ADDRESS_FACTOR} times {@code login-max-failures},
     * never less than it.
     */
    public static final String PARAM_LOGIN_ADDRESS_MAX_FAILURES = "login-address-max-failures";
    public static final int MAX_LOGIN_ADDRESS_MAX_FAILURES = 100_000;
    /** Longest delay before a login for a username failing from many addresses reaches the backend; 0 for none. */
    public static final String PARAM_LOGIN_USERNAME_MAX_DELAY = "login-username-max-delay";
    public static final Duration DEFAULT_LOGIN_USERNAME_MAX_DELAY = Duration.ofSeconds(2);
    public static final Duration MIN_LOGIN_USERNAME_MAX_DELAY = Duration.ZERO;
    public static final Duration MAX_LOGIN_USERNAME_MAX_DELAY = Duration.ofSeconds(10);
    /** How long failed logins are counted. */
    public static final String PARAM_LOGIN_FAILURE_WINDOW = "login-failure-window";
    public static final Duration DEFAULT_LOGIN_FAILURE_WINDOW = Duration.ofMinutes(5);
    public static final Duration MIN_LOGIN_FAILURE_WINDOW = Duration.ofSeconds(1);
    public static final Duration MAX_LOGIN_FAILURE_WINDOW = Duration.ofDays(1);
    /** Claims the session endpoint may show besides subject and roles. */
    public static final String PARAM_SESSION_CLAIMS = "session-claims";

    /** Default {@value #PARAM_LOGIN_ADDRESS_MAX_FAILURES}: this many times {@value #PARAM_LOGIN_MAX_FAILURES}. */
    public static final int LOGIN_ADDRESS_FACTOR = 5;

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

    private EndpointSettings(Builder b) {
        Map<Endpoint, String> enabled = new LinkedHashMap<>();
        for (Endpoint e : Endpoint.values()) {
            String value = b.paths.getOrDefault(e, e.defaultPath());
            if (!value.equalsIgnoreCase(OFF)) {
                enabled.put(e, checkPath(e.parameter(), value));
            }
        }
        this.paths = Map.copyOf(enabled);
        Map<String, Endpoint> index = new LinkedHashMap<>();
        enabled.forEach((endpoint, path) -> {
            Endpoint previous = index.put(path, endpoint);
            if (previous != null) {
                throw new ConfigException(endpoint.parameter(), "uses the same path as " + previous.parameter());
            }
        });
        this.byPath = Map.copyOf(index);
        this.loginSuccessPath = checkPath(PARAM_LOGIN_SUCCESS_PATH, b.loginSuccessPath);
        this.logoutRedirectPath = checkPath(PARAM_LOGOUT_REDIRECT_PATH, b.logoutRedirectPath);
        this.loginMaxBodyBytes = SettingsChecks.number(PARAM_LOGIN_MAX_BODY_BYTES, b.loginMaxBodyBytes, MIN_LOGIN_MAX_BODY_BYTES,
                MAX_LOGIN_MAX_BODY_BYTES);
        this.loginMaxFailures = SettingsChecks.number(PARAM_LOGIN_MAX_FAILURES, b.loginMaxFailures, MIN_LOGIN_MAX_FAILURES,
                MAX_LOGIN_MAX_FAILURES);
        this.loginAddressMaxFailures = SettingsChecks.number(PARAM_LOGIN_ADDRESS_MAX_FAILURES, b.loginAddressMaxFailures != null
                ? b.loginAddressMaxFailures : LOGIN_ADDRESS_FACTOR * loginMaxFailures, loginMaxFailures,
                MAX_LOGIN_ADDRESS_MAX_FAILURES);
        this.loginFailureWindow = SettingsChecks.duration(PARAM_LOGIN_FAILURE_WINDOW, b.loginFailureWindow, MIN_LOGIN_FAILURE_WINDOW,
                MAX_LOGIN_FAILURE_WINDOW);
        this.loginUsernameMaxDelay = SettingsChecks.duration(PARAM_LOGIN_USERNAME_MAX_DELAY, b.loginUsernameMaxDelay,
                MIN_LOGIN_USERNAME_MAX_DELAY, MAX_LOGIN_USERNAME_MAX_DELAY);
        for (String claim : b.sessionClaims) {
            if (!claim.matches("[A-Za-z0-9_.:-]{1,64}")) {
                throw new ConfigException(PARAM_SESSION_CLAIMS, "'" + claim + "' is not a claim name");
            }
        }
        this.sessionClaims = List.copyOf(b.sessionClaims);
    }

    /** The defaults: every endpoint at its default path. */
    public static EndpointSettings defaults() {
        return builder().build();
    }

    /** Starts settings in code; every method has its init-param's default and checks. */
    public static Builder builder() {
        return new Builder();
    }

    private static String checkPath(String parameter, String path) {
        if (!SettingsChecks.isPlainPath(path) || path.contains("?") || path.contains("*") || path.contains(";")) {
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

    /**
     * Endpoint settings in code, with the init-params' names, defaults and bounds; {@link #build()}
     * checks and throws {@link ConfigException} naming the init-param. Not thread-safe.
     */
    public static final class Builder {
        private final Map<Endpoint, String> paths = new LinkedHashMap<>();
        private String loginSuccessPath = DEFAULT_LOGIN_SUCCESS_PATH;
        private String logoutRedirectPath = DEFAULT_LOGOUT_REDIRECT_PATH;
        private int loginMaxBodyBytes = DEFAULT_LOGIN_MAX_BODY_BYTES;
        private int loginMaxFailures = DEFAULT_LOGIN_MAX_FAILURES;
        private Integer loginAddressMaxFailures;
        private Duration loginFailureWindow = DEFAULT_LOGIN_FAILURE_WINDOW;
        private Duration loginUsernameMaxDelay = DEFAULT_LOGIN_USERNAME_MAX_DELAY;
        private List<String> sessionClaims = List.of();

        private Builder() {
        }

        /** The endpoint's path (a plain path inside the application), or {@value EndpointSettings#OFF}. */
        public Builder path(Endpoint endpoint, String pathOrOff) {
            paths.put(Objects.requireNonNull(endpoint, "endpoint"), Objects.requireNonNull(pathOrOff, "pathOrOff"));
            return this;
        }

        /** Turns the endpoint off (its path then opens nothing). */
        public Builder off(Endpoint endpoint) {
            return path(endpoint, OFF);
        }

        /** Default {@value EndpointSettings#DEFAULT_LOGIN_SUCCESS_PATH}. */
        public Builder loginSuccessPath(String path) {
            this.loginSuccessPath = Objects.requireNonNull(path, "path");
            return this;
        }

        /** Default {@value EndpointSettings#DEFAULT_LOGOUT_REDIRECT_PATH}. */
        public Builder logoutRedirectPath(String path) {
            this.logoutRedirectPath = Objects.requireNonNull(path, "path");
            return this;
        }

        /** Default {@value EndpointSettings#DEFAULT_LOGIN_MAX_BODY_BYTES}; 256 to 1048576. */
        public Builder loginMaxBodyBytes(int bytes) {
            this.loginMaxBodyBytes = bytes;
            return this;
        }

        /** Default {@value EndpointSettings#DEFAULT_LOGIN_MAX_FAILURES}; 0 (limiter off) to 10000. */
        public Builder loginMaxFailures(int failures) {
            this.loginMaxFailures = failures;
            return this;
        }

        /** Default {@value #LOGIN_ADDRESS_FACTOR} times {@link #loginMaxFailures}; from that to 100000. */
        public Builder loginAddressMaxFailures(int failures) {
            this.loginAddressMaxFailures = failures;
            return this;
        }

        /** Default 5 minutes; 1 second to 1 day. */
        public Builder loginFailureWindow(Duration window) {
            this.loginFailureWindow = Objects.requireNonNull(window, "window");
            return this;
        }

        /** Default 2 seconds; 0 (off) to 10 seconds. */
        public Builder loginUsernameMaxDelay(Duration delay) {
            this.loginUsernameMaxDelay = Objects.requireNonNull(delay, "delay");
            return this;
        }

        /** Claims the session endpoint may show besides subject and roles; default none. */
        public Builder sessionClaims(List<String> claims) {
            this.sessionClaims = List.copyOf(claims);
            return this;
        }

        /** Checks every setting; {@link ConfigException} names the init-param at fault. */
        public EndpointSettings build() {
            return new EndpointSettings(this);
        }
    }
}
