package io.github.sessiongate.spring;

import io.github.sessiongate.SessionFilter;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.ResolvableType;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The auto-configuration's condition: the application registers no
 * {@code FilterRegistrationBean<SessionFilter>} of its own. Only that container turns the whole
 * auto-configuration off; a plain {@link SessionFilter} bean of the application's is registered by
 * it instead of the default (which {@code @ConditionalOnMissingBean} with a
 * {@code parameterizedContainer} cannot say: it matches the plain bean too).
 */
final class NoOwnRegistration implements ConfigurationCondition {
    private static final ResolvableType REGISTRATION =
            ResolvableType.forClassWithGenerics(FilterRegistrationBean.class, SessionFilter.class);

    /** For Spring. */
    NoOwnRegistration() {
    }

    @Override
    public ConfigurationPhase getConfigurationPhase() {
        return ConfigurationPhase.REGISTER_BEAN;
    }

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
        return context.getBeanFactory() == null || !hasOwnRegistration(context.getBeanFactory());
    }

    /** Whether the bean factory defines a {@code FilterRegistrationBean<SessionFilter>}. */
    static boolean hasOwnRegistration(ListableBeanFactory beans) {
        return beans.getBeanNamesForType(REGISTRATION, true, false).length > 0;
    }
}
