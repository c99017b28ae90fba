/**
 * Tokens checked and refreshed by a remote backend over HTTP:
 * {@link io.github.sessiongate.remote.HttpTokenValidator} (a validate URL or OAuth2 token
 * introspection, RFC 7662) and {@link io.github.sessiongate.remote.HttpTokenRefresher} (a plain
 * refresh URL or the OAuth2 refresh grant, RFC 6749 section 6), which
 * {@link io.github.sessiongate.jwt.JwtTokenValidator} also uses for remote refresh.
 *
 * <p>The rule everything here follows: only a definitive answer about the user's token refuses
 * it. Timeouts, refused connections, 5xx, 429, redirects, unparsable or incomplete answers, and
 * answers saying the filter's own client credentials are wrong are all "unavailable", which
 * denies the request but clears no cookie. Calls go through the filter's one
 * {@code internal.HttpTransport} (found in the init-params the filter hands
 * over; a component used on its own builds and closes its own), with bounded connect and read
 * timeouts and no retries; URLs must be https except for loopback hosts. The OAuth2 client
 * credentials ({@link io.github.sessiongate.ClientCredentials}) are read once per set of
 * init-params and shared by refresh, login, revoke and introspection; the outbound login and
 * revocation clients are the engine's ({@code login}), and the HTTP plumbing they share with this
 * package is {@code internal}.
 * Nothing in this package logs a token or a secret: decisions are logged at DEBUG with a token
 * fingerprint ({@code audit.Fingerprint}).
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc6749#section-6">RFC 6749, section 6 (refresh)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7662">RFC 7662 (token introspection)</a>
 */
package io.github.sessiongate.remote;
