package io.github.sessiongate.sample.boot;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application behind SessionGate. Nothing here names the filter: the jar's
 * auto-configuration registers it from {@code application.properties}, and Spring Security sees
 * its session as the authenticated user ({@link SecurityConfig}, {@link ApiController}).
 */
@SpringBootApplication
public class BootSampleApplication {
    public static void main(String[] args) {
        SpringApplication.run(BootSampleApplication.class, args);
    }
}
