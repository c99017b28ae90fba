package io.github.sessiongate.login;

import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One pending OpenID sign-in as its login-transaction cookie carries it (the cookie itself is
 * sealed by the filter): state, nonce and PKCE verifier, when it started, the {@code redirect_uri}
 * sent, and where to go afterwards. {@link #toString()} hides the secrets.
 */
record OidcTransaction(String state, String nonce, String verifier, Instant issuedAt, String redirectUri, String from) {
    private static final String VERSION = "o1";
    private static final Pattern B64URL = Pattern.compile("[A-Za-z0-9_-]{22,128}");

    /** The cookie value; {@code withFrom=false} leaves {@code from} out to save room. */
    String encode(boolean withFrom) {
        return String.join("|", VERSION, state, nonce, verifier, Long.toString(issuedAt.getEpochSecond()),
                OidcText.b64(redirectUri), withFrom ? OidcText.b64(from) : "");
    }

    /** The transaction a cookie value carries; empty for anything this version did not write. */
    static Optional<OidcTransaction> parse(String value) {
        String[] f = value.split("\\|", -1);
        if (f.length != 7 || !VERSION.equals(f[0]) || !B64URL.matcher(f[1]).matches() || !B64URL.matcher(f[2]).matches()
                || !B64URL.matcher(f[3]).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new OidcTransaction(f[1], f[2], f[3], Instant.ofEpochSecond(Long.parseLong(f[4])),
                    OidcText.unb64(f[5]), OidcText.unb64(f[6])));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "OidcTransaction[issuedAt=" + issuedAt + ", state/nonce/verifier=[PROTECTED]]";
    }
}
