/**
 * SessionGate: a Jakarta Servlet filter that keeps user sessions in HttpOnly cookies.
 *
 * <p>Exported: the API users name ({@code io.github.sessiongate}: the filter, its settings values
 * and builders, the session, the validator contract and its results, the audit listener SPI, the
 * forwarding client), the two validator packages users configure and subclass
 * ({@code ...jwt}, {@code ...remote}), the Redis store ({@code ...redis}, whose client is
 * optional) and the Spring integration ({@code ...spring}, whose Spring jars are optional). Everything else is the engine, which applications never
 * import; the API package reaches the engine only through {@code ...engine}, which the filter
 * starts. Optional integrations (a Redis client, Spring Boot and Spring Security) are
 * {@code requires static}, so an application without them never needs them. On the class path (a WAR's
 * {@code WEB-INF/lib}) the jar works as before; this descriptor only matters on the module path.
 */
module io.github.sessiongate {
    requires transitive jakarta.servlet;
    requires org.jose4j;
    requires org.slf4j;
    requires transitive java.net.http; // BackendClient and HttpTokenValidator take and return java.net.http types
    requires java.management;
    // Optional: only RedisStateStore uses it, and only after init() has checked it is there.
    requires static redis.clients.jedis;
    // Optional: io.github.sessiongate.audit.micrometer uses it, loaded only once it is found, and the
    // Spring auto-configuration's @ConditionalOnClass part, which Spring loads only when it is there.
    requires static micrometer.core;
    // Optional: only io.github.sessiongate.spring uses them, loaded only by Spring Boot (its
    // AutoConfiguration.imports) and Spring Security (spring.factories). Automatic module names.
    requires static spring.core;
    requires static spring.beans;
    requires static spring.context;
    requires static spring.boot;
    requires static spring.boot.autoconfigure;
    requires static spring.security.core;
    requires static spring.security.config;
    requires static spring.security.web;

    exports io.github.sessiongate;
    exports io.github.sessiongate.jwt;
    exports io.github.sessiongate.remote;
    // The Redis store and its builder; no Jedis type in its public signatures.
    exports io.github.sessiongate.redis;
    // The Spring Boot auto-configuration and the Spring Security configurer and Authentication:
    // Spring instantiates the first two, applications name SessionAuthentication.
    exports io.github.sessiongate.spring;

    // The MXBean interface is introspected and called by the platform MBean server.
    exports io.github.sessiongate.audit to java.management;
}
