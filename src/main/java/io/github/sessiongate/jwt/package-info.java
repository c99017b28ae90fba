/**
 * Local validation of JWT access tokens: {@link io.github.sessiongate.jwt.JwtTokenValidator}
 * and its package-private key sources (HMAC secret, PEM public key, JWKS URL), header cache and
 * strict JSON parser.
 *
 * <p>Everything security-relevant is decided here: the algorithm allow-list, the signature (with
 * jose4j's algorithm implementations and JWKS fetching), issuer, audience, times from an injected
 * {@link java.time.Clock}, subject and token type. Nothing in this package logs a token, a key or
 * a claim.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc7519">RFC 7519 (JWT)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8725">RFC 8725 (JWT Best Current Practices)</a>
 * @see <a href="https://www.rfc-editor.org/rfc/rfc9068">RFC 9068 (JWT access tokens)</a>
 */
package io.github.sessiongate.jwt;
