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
 * starts and ends sessions, writes cookies and checks CSRF. The OpenID Connect code flow is meant
 * to be the second implementation here.
 */
package io.github.sessiongate.login;
