package io.github.sessiongate.spring;

import io.github.sessiongate.GateConfig;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.engine.MicrometerChoice;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletContextInitializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
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
 *
 * <p>With Micrometer present, the application's {@code MeterRegistry} bean (Actuator's) is where
 * the filter registers its {@code sessiongate.*} meters: it is published in the
 * {@code ServletContext} attribute the filter looks in ({@link Micrometer}).
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Conditional(NoOwnRegistration.class)
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
                        + properties.keySet().stream().map(name -> InitParamsBinding.PREFIX + "." + name).toList()
                        + " would be ignored; remove them or the bean");
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

    /**
     * Publishes the application's {@code MeterRegistry} (Actuator's, or any single or primary one)
     * in the {@code ServletContext} attribute {@code io.micrometer.core.instrument.MeterRegistry},
     * where the filter finds it at {@code init()} whether it was configured by properties or a
     * {@code GateConfig} bean (a registry given to {@code GateConfig.Builder.meterRegistry} still wins).
     * An attribute already set is left alone; without a registry bean the filter falls back to
     * Micrometer's global registry, as outside Spring.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = MicrometerChoice.REGISTRY_CLASS)
    public static final class Micrometer {
        /** For Spring. */
        public Micrometer() {
        }

        /** Sets the attribute as the servlet context starts, before the filter's {@code init()}. */
        @Bean
        public ServletContextInitializer sessionGateMeterRegistry(
                ObjectProvider<io.micrometer.core.instrument.MeterRegistry> registries) {
            return servletContext -> {
                io.micrometer.core.instrument.MeterRegistry registry = registries.getIfUnique();
                if (registry != null && servletContext.getAttribute(MicrometerChoice.REGISTRY_CLASS) == null) {
                    servletContext.setAttribute(MicrometerChoice.REGISTRY_CLASS, registry);
                }
            };
        }
    }
}
