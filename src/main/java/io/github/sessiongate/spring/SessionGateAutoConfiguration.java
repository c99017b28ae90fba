package io.github.sessiongate.spring;

import io.github.sessiongate.GateConfig;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.TokenValidator;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Registers the {@link SessionFilter} in a Spring Boot servlet application, configured by the
 * {@code sessiongate.*} properties: each is the init-param of the same name
 * ({@code sessiongate.jwt.jwks-url} is {@code jwt.jwks-url}), read and checked by the filter exactly
 * as from web.xml, so a bad or unknown one fails start-up with the same message. A
 * {@link GateConfig} bean replaces the properties (then none may be set); a {@link SessionFilter}
 * bean of the application's own is registered instead of this one; a
 * {@code FilterRegistrationBean<SessionFilter>} of its own turns the whole auto-configuration off.
 *
 * <p>The filter is mapped to {@code /*} for every dispatcher type, asynchronous, at
 * {@link #FILTER_ORDER}: before Spring Security's filter chain (order -100 by default) and Spring
 * MVC's request-context filter (-105), so both see the request the filter wrapped and the filter
 * answers its own endpoints first.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnMissingBean(value = SessionFilter.class, parameterizedContainer = FilterRegistrationBean.class)
public final class SessionGateAutoConfiguration {
    /** The filter's registration order: before Spring Security (-100) and Spring MVC's request context (-105). */
    public static final int FILTER_ORDER = -110;
    /** The filter's name in the servlet context, in its log lines and start-up errors. */
    public static final String FILTER_NAME = "sessionGateFilter";

    /** For Spring. */
    public SessionGateAutoConfiguration() {
    }

    /**
     * The filter: from the application's {@link GateConfig} bean if there is one, else from the
     * init-params the registration passes (the {@code sessiongate.*} properties).
     *
     * @throws IllegalStateException when a GateConfig bean and properties are both given, or a
     *     TokenValidator bean without a GateConfig bean to use it
     */
    @Bean
    @ConditionalOnMissingBean
    public SessionFilter sessionGateFilter(Environment environment, ObjectProvider<GateConfig> config,
            ObjectProvider<TokenValidator> validators) {
        GateConfig given = config.getIfUnique();
        Map<String, String> properties = InitParamsBinding.from(environment);
        if (given != null) {
            if (!properties.isEmpty()) {
                throw new IllegalStateException("SessionGate: a GateConfig bean is defined, so the properties "
                        + InitParamsBinding.PREFIX + "." + properties.keySet() + " would be ignored; remove them or the bean");
            }
            return new SessionFilter(given);
        }
        if (validators.getIfAvailable() != null) {
            throw new IllegalStateException("SessionGate: a TokenValidator bean is defined but no GateConfig bean uses it;"
                    + " define a GateConfig bean built with GateConfig.builder().validator(..), or remove the TokenValidator"
                    + " bean and name the validator in " + InitParamsBinding.PREFIX + "." + GateConfig.PARAM_VALIDATOR_CLASS);
        }
        return new SessionFilter();
    }

    /** Maps the filter before Spring Security's chain, with the properties as its init-params. */
    @Bean
    public FilterRegistrationBean<SessionFilter> sessionGateFilterRegistration(SessionFilter sessionGateFilter,
            Environment environment) {
        FilterRegistrationBean<SessionFilter> registration = new FilterRegistrationBean<>(sessionGateFilter);
        registration.setName(FILTER_NAME);
        registration.setOrder(FILTER_ORDER);
        registration.setAsyncSupported(true);
        registration.setDispatcherTypes(EnumSet.allOf(DispatcherType.class));
        registration.addUrlPatterns("/*");
        registration.setInitParameters(InitParamsBinding.from(environment)); // ignored by a filter built from a GateConfig
        return registration;
    }
}
