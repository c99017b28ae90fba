package io.github.sessiongate.sample.boot;

import java.util.Map;
import java.util.TreeSet;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code /api/*}: protected by SessionGate ({@code sessiongate.protected-paths}) and by Spring Security. */
@RestController
class ApiController {
    private final AdminService admin;

    ApiController(AdminService admin) {
        this.admin = admin;
    }

    /** Who Spring Security thinks the user is. */
    @GetMapping("/api/me")
    Map<String, Object> me(Authentication user) {
        TreeSet<String> authorities = new TreeSet<>();
        for (GrantedAuthority a : user.getAuthorities()) {
            authorities.add(a.getAuthority());
        }
        return Map.of("name", user.getName(), "authorities", authorities);
    }

    /** 200 for the role {@code admin}, 403 for anyone else. */
    @GetMapping("/api/admin")
    Map<String, Object> admin() {
        return Map.of("report", admin.report());
    }
}
