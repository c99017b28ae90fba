package io.github.sessiongate.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.EndpointSettings;
import io.github.sessiongate.InitParams;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The login limiter's init-params: defaults, derived ceiling and bounds checked at init. */
class EndpointSettingsLoginLimiterTest {

    private static EndpointSettings settings(Map<String, String> params) {
        return io.github.sessiongate.engine.InitParamsMapping.endpointSettings(InitParams.resolve(params));
    }

    @Test
    void defaults() {
        EndpointSettings s = EndpointSettings.defaults();
        assertEquals(EndpointSettings.DEFAULT_LOGIN_MAX_FAILURES, s.loginMaxFailures());
        assertEquals(LoginLimiter.ADDRESS_FACTOR * EndpointSettings.DEFAULT_LOGIN_MAX_FAILURES, s.loginAddressMaxFailures());
        assertEquals(25, s.loginAddressMaxFailures());
        assertEquals(EndpointSettings.DEFAULT_LOGIN_USERNAME_MAX_DELAY, s.loginUsernameMaxDelay());
    }

    @Test
    void theAddressCeilingFollowsThePairLimitUnlessSet() {
        assertEquals(50, settings(Map.of(EndpointSettings.PARAM_LOGIN_MAX_FAILURES, "10")).loginAddressMaxFailures());
        assertEquals(12, settings(Map.of(EndpointSettings.PARAM_LOGIN_MAX_FAILURES, "10",
                EndpointSettings.PARAM_LOGIN_ADDRESS_MAX_FAILURES, "12")).loginAddressMaxFailures());
        assertEquals(Duration.ZERO, settings(Map.of(EndpointSettings.PARAM_LOGIN_USERNAME_MAX_DELAY, "0s")).loginUsernameMaxDelay());
    }

    @Test
    void badValuesFailInitNamingTheParameter() {
        for (Map<String, String> bad : new Map[] {
                Map.of(EndpointSettings.PARAM_LOGIN_MAX_FAILURES, "10", EndpointSettings.PARAM_LOGIN_ADDRESS_MAX_FAILURES, "9"),
                Map.of(EndpointSettings.PARAM_LOGIN_ADDRESS_MAX_FAILURES, "lots"),
                Map.of(EndpointSettings.PARAM_LOGIN_ADDRESS_MAX_FAILURES, "100001"),
                Map.of(EndpointSettings.PARAM_LOGIN_USERNAME_MAX_DELAY, "11s"),
                Map.of(EndpointSettings.PARAM_LOGIN_USERNAME_MAX_DELAY, "-1s")}) {
            ConfigException e = assertThrows(ConfigException.class, () -> settings(bad), bad::toString);
            String name = bad.containsKey(EndpointSettings.PARAM_LOGIN_ADDRESS_MAX_FAILURES)
                    ? EndpointSettings.PARAM_LOGIN_ADDRESS_MAX_FAILURES : EndpointSettings.PARAM_LOGIN_USERNAME_MAX_DELAY;
            assertTrue(e.getMessage().contains(name), e::getMessage);
        }
    }
}
