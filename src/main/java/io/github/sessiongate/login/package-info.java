/**
 * How users sign in, behind the {@link io.github.sessiongate.LoginFlow} seam; not exported.
 *
 * <p>{@link io.github.sessiongate.login.PasswordLoginFlow} is the default flow: its one route is
 * {@code login-endpoint} (username and password to the backend through
 * {@link io.github.sessiongate.login.LoginClient}, limited and slowed by {@code web.LoginLimiter}
 * and {@code web.LoginDelay}), its entry point the {@code login-path} redirect, its revoker the
 * {@link io.github.sessiongate.login.RevocationClient}. The composition root
 * ({@code engine.Components}) builds it from the login and revoke settings and owns the clients.
 * A flow sees the request only through {@link io.github.sessiongate.LoginFlow.Context}: the engine
 * starts and ends sessions, writes cookies and checks CSRF.
 *
 * <p>{@link io.github.sessiongate.login.OidcLoginFlow} is the second, turned on by {@code oidc.issuer}:
 * the authorization code flow with PKCE. Its parts: {@code OidcDiscovery} (the discovery document
 * and the JWKS, cached), {@code OidcTokenEndpoint} (code exchange, refresh and revocation with the
 * client authentication; {@code ClientAssertion} signs {@code private_key_jwt}), {@code IdTokenCheck}
 * (OIDC Core 3.1.3.7), {@code OidcTransaction} (the login-transaction cookie's value) and
 * {@code OidcText} (encodings and log-safe provider text).
 */
package io.github.sessiongate.login;
