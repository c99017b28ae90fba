package io.github.sessiongate.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.GateConfig;
import io.github.sessiongate.GateConfigTest;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.TokenValidator;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/**
 * The auto-configuration's beans, called as Spring calls them: where the filter's settings come
 * from (properties, or the application's {@code GateConfig} bean, never both) and how it is mapped.
 * Spring's own conditions (a filter or registration of the application's own) are Spring's; the
 * samples start whole applications.
 */
class SessionGateAutoConfigurationTest {
    private final SessionGateAutoConfiguration auto = new SessionGateAutoConfiguration();

    @Test
    void withPropertiesTheFilterReadsThemAsInitParamsAndIsMappedBeforeSpringSecurity() {
        StandardEnvironment environment = environment(Map.of("sessiongate.jwt.jwks-url", "https://idp.example/jwks",
                "sessiongate.protected-paths", "/api/*"));
        SessionFilter filter = auto.sessionGateFilter(environment, none(GateConfig.class), none(TokenValidator.class));

        FilterRegistrationBean<SessionFilter> registration = auto.sessionGateFilterRegistration(filter, environment);

        assertSame(filter, registration.getFilter());
        assertEquals(Map.of("jwt.jwks-url", "https://idp.example/jwks", "protected-paths", "/api/*"),
                registration.getInitParameters());
        assertEquals(SessionGateAutoConfiguration.FILTER_NAME, registration.getFilterName());
        assertEquals(SessionGateAutoConfiguration.FILTER_ORDER, registration.getOrder());
        assertTrue(registration.getOrder() < -105, "before Spring Security (-100) and the request-context filter (-105)");
        assertEquals(List.of("/*"), List.copyOf(registration.getUrlPatterns()));
        assertTrue(registration.isAsyncSupported());
        assertEquals(EnumSet.allOf(DispatcherType.class), registration.determineDispatcherTypes());
    }

    @Test
    void aGateConfigBeanIsTheFiltersSettings() throws Exception {
        GateConfig config = GateConfig.builder().validator(new GateConfigTest.RecordingValidator()).build();
        SessionFilter filter = auto.sessionGateFilter(environment(Map.of()), one(GateConfig.class, config),
                none(TokenValidator.class));
        filter.init(null);
        try {
            assertSame(config, filter.config());
        } finally {
            filter.destroy();
        }
    }

    @Test
    void aGateConfigBeanAndPropertiesTogetherFailStartUpNamingTheProperties() {
        GateConfig config = GateConfig.builder().validator(new GateConfigTest.RecordingValidator()).build();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> auto.sessionGateFilter(
                environment(Map.of("sessiongate.realm", "mine")), one(GateConfig.class, config), none(TokenValidator.class)));
        assertTrue(e.getMessage().contains("[sessiongate.realm]") && e.getMessage().contains("GateConfig bean"), e.getMessage());
    }

    @Test
    void aTokenValidatorBeanWithoutAGateConfigFailsStartUpSayingWhatToDefine() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> auto.sessionGateFilter(
                environment(Map.of()), none(GateConfig.class),
                one(TokenValidator.class, new GateConfigTest.RecordingValidator())));
        assertTrue(e.getMessage().contains("GateConfig.builder().validator(..)"), e.getMessage());
    }

    private static <T> ObjectProvider<T> none(Class<T> type) {
        return new StaticListableBeanFactory().getBeanProvider(type);
    }

    private static <T> ObjectProvider<T> one(Class<T> type, T bean) {
        return new StaticListableBeanFactory(Map.of("bean", bean)).getBeanProvider(type);
    }

    private static StandardEnvironment environment(Map<String, Object> properties) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment;
    }
}
