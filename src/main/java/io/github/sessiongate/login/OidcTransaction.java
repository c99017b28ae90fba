package io.github.sessiongate.login;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One pending OpenID sign-in as its login-transaction cookie carries it (the cookie itself is
 * sealed by the filter): state, nonce and PKCE verifier, when it started, the {@code redirect_uri}
 * sent, where to go afterwards, and the {@code max_age} sent (so the callback checks
 * {@code auth_time} against what this request asked, even across a redeploy that changed it).
 * {@link #toString()} hides the secrets.
 *
 * <p>The value is versioned ({@value #VERSION}); a value written by another version of the filter
 * (during a rolling deploy, say) is not read: its sign-in is refused and the user starts again.
 */
record OidcTransaction(String state, String nonce, String verifier, Instant issuedAt, String redirectUri, String from,
        Optional<Duration> maxAge) {
    private static final String VERSION = "o2";
    private static final Pattern B64URL = Pattern.compile("[A-Za-z0-9_-]{22,128}");
    private static final Pattern SECONDS = Pattern.compile("|\\d{1,9}");

    OidcTransaction {
        Objects.requireNonNull(maxAge, "maxAge");
    }

    /** The cookie value; {@code withFrom=false} leaves {@code from} out to save room. */
    String encode(boolean withFrom) {
        return String.join("|", VERSION, state, nonce, verifier, Long.toString(issuedAt.getEpochSecond()),
                OidcText.b64(redirectUri), withFrom ? OidcText.b64(from) : "",
                maxAge.map(d -> Long.toString(d.toSeconds())).orElse(""));
    }

    /** The transaction a cookie value carries; empty for anything this version did not write. */
    static Optional<OidcTransaction> parse(String value) {
        String[] f = value.split("\\|", -1);
        if (f.length != 8 || !VERSION.equals(f[0]) || !B64URL.matcher(f[1]).matches() || !B64URL.matcher(f[2]).matches()
                || !B64URL.matcher(f[3]).matches() || !SECONDS.matcher(f[7]).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new OidcTransaction(f[1], f[2], f[3], Instant.ofEpochSecond(Long.parseLong(f[4])),
                    OidcText.unb64(f[5]), OidcText.unb64(f[6]),
                    f[7].isEmpty() ? Optional.empty() : Optional.of(Duration.ofSeconds(Long.parseLong(f[7])))));
        } catch (IllegalArgumentException | DateTimeException e) {
            return Optional.empty();
        }
    }

    @Override
    public String toString() {
        return "OidcTransaction[issuedAt=" + issuedAt + maxAge.map(d -> ", max_age=" + d.toSeconds()).orElse("")
                + ", state/nonce/verifier=[PROTECTED]]";
    }
}
