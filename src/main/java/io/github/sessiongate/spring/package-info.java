/**
 * Spring Boot and Spring Security integration, loaded only by Spring Boot (through
 * {@code META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports}) and
 * Spring Security (through {@code META-INF/spring.factories}): an application without Spring never
 * loads these classes, and the jar's runtime dependencies stay jose4j and slf4j-api.
 *
 * <p>{@link io.github.sessiongate.spring.SessionGateAutoConfiguration} registers the
 * {@link io.github.sessiongate.SessionFilter} from {@code sessiongate.*} properties (the init-params
 * under a prefix); {@link io.github.sessiongate.spring.SessionGateHttpConfigurer} turns the session
 * into a {@link io.github.sessiongate.spring.SessionAuthentication} in every
 * {@code SecurityFilterChain}. Written against Spring Boot 4 / Spring Security 7 with only the
 * types that Boot 3.5 / Security 6.5 have under the same names.
 */
package io.github.sessiongate.spring;
