package io.github.sessiongate.spring;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.PlaceholdersResolver;
import org.springframework.boot.context.properties.bind.PropertySourcesPlaceholdersResolver;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * The {@code sessiongate.*} properties as the filter's init-params: {@code sessiongate.jwt.jwks-url}
 * becomes {@code jwt.jwks-url}. The values are passed on as strings, so the filter's own mapping
 * runs every check and gives every error message exactly as for web.xml.
 *
 * <p>Spring's {@code ${NAME}} placeholders are resolved by Spring; a value holding the library's own
 * {@code ${env:NAME}} or {@code ${sys:name}} is passed on as written for the filter to resolve
 * (Spring would read {@code ${env:NAME}} as property {@code env} with the default {@code NAME}, and
 * a secret would silently become the word {@code NAME}).
 */
final class InitParamsBinding {
    /** The property prefix: {@code sessiongate.<init-param>}. */
    static final String PREFIX = "sessiongate";

    private InitParamsBinding() {
    }

    /** The init-params the environment sets under {@value #PREFIX}; empty when none. */
    static Map<String, String> from(Environment environment) {
        Binder binder;
        if (environment instanceof ConfigurableEnvironment configurable) {
            PlaceholdersResolver spring = new PropertySourcesPlaceholdersResolver(configurable);
            binder = new Binder(ConfigurationPropertySources.get(configurable), value -> ownReference(value) ? value
                    : spring.resolvePlaceholders(value));
        } else {
            binder = Binder.get(environment);
        }
        return binder.bind(PREFIX, Bindable.mapOf(String.class, String.class))
                .map(params -> (Map<String, String>) new LinkedHashMap<>(params))
                .orElseGet(LinkedHashMap::new);
    }

    private static boolean ownReference(Object value) {
        return value instanceof String s && (s.contains("${env:") || s.contains("${sys:"));
    }
}
