package io.github.sessiongate.sample.boot3;

import java.util.Map;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Who Spring Security thinks the user is, and a method gated on the session's role {@code admin}. */
@RestController
public class ApiController {
    @GetMapping("/api/me")
    public Map<String, Object> me(Authentication user) {
        return Map.of("name", user.getName(), "type", user.getClass().getSimpleName(),
                "authorities", user.getAuthorities().stream().map(Object::toString).sorted().toList());
    }

    @GetMapping("/api/admin")
    @PreAuthorize("hasRole('admin')")
    public Map<String, Object> admin() {
        return Map.of("report", "admin report");
    }
}
