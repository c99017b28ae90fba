package io.github.sessiongate.sample.boot;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.stereotype.Service;

/** Method security on a SessionGate role: the session's role {@code admin} is Spring's {@code ROLE_admin}. */
@Service
class AdminService {
    @PreAuthorize("hasRole('admin')")
    public String report() {
        return "admin report";
    }
}
