package io.github.sessiongate.sample.boot3;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The smallest Boot 3.5 application behind SessionGate: the auto-configuration from
 * {@code application.properties}, one Spring Security chain, one role-gated endpoint ({@link ApiController}).
 */
@SpringBootApplication
@EnableMethodSecurity
public class Boot3Application {
    public static void main(String[] args) {
        SpringApplication.run(Boot3Application.class, args);
    }

    @Bean
    SecurityFilterChain api(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(requests -> requests.requestMatchers("/api/**").authenticated().anyRequest().permitAll());
        return http.build();
    }

    /** No passwords here; also keeps Boot from generating one. */
    @Bean
    UserDetailsService noLocalUsers() {
        return username -> {
            throw new UsernameNotFoundException("users sign in through SessionGate");
        };
    }
}
