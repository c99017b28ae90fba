package io.github.sessiongate.sample;

import io.github.sessiongate.jwt.JwtTokenValidator;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Demo only: the built-in JWT validator, plus the {@code admin} role for the subject
 * {@value #ADMIN_SUBJECT}. Named by {@code validator-class} only when the demo runs its own
 * mock-oauth2-server ({@code SAMPLE_LOGIN=oidc} without {@code OIDC_ISSUER}): there the user types
 * nothing but a name, and the mock's token settings give every name the same claims (see
 * {@link MockOidcProvider}). Every check of {@link JwtTokenValidator} still runs; this adds a role
 * to a token that passed them all.
 *
 * <p>Never do this against a real provider: the roles there come from the token
 * ({@code OIDC_ROLES_CLAIM}), which the provider signed.
 */
public final class MockProviderValidator extends JwtTokenValidator {
    /** The subject that gets the {@code admin} role. */
    public static final String ADMIN_SUBJECT = "admin";

    /** For {@code validator-class}. */
    public MockProviderValidator() {
    }

    /** The token's roles ({@code jwt.roles-claim}), and {@code admin} for {@value #ADMIN_SUBJECT}. */
    @Override
    protected Set<String> roles(Map<String, Object> claims) {
        Set<String> roles = super.roles(claims);
        if (!ADMIN_SUBJECT.equals(claims.get("sub"))) {
            return roles;
        }
        Set<String> more = new TreeSet<>(roles);
        more.add("admin");
        return Set.copyOf(more);
    }
}
