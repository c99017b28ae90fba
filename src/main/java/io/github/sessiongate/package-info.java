/**
 * SessionGate: a Jakarta Servlet filter that keeps a user's session in HttpOnly cookies.
 *
 * <p>The public API sits here: {@link io.github.sessiongate.SessionFilter} (declare it in
 * web.xml, or construct it with a {@link io.github.sessiongate.GateConfig}),
 * {@link io.github.sessiongate.Session} (what the application sees),
 * {@link io.github.sessiongate.TokenValidator} (subclass it for a custom backend) with its results
 * {@link io.github.sessiongate.ValidationResult} and {@link io.github.sessiongate.RefreshResult},
 * {@link io.github.sessiongate.cookie.CookieCodec} and {@link io.github.sessiongate.CookieSettings},
 * and {@link io.github.sessiongate.BackendClient} for calling a backend with the user's token.
 *
 * <p>Everything a user never names sits below: {@code path} (firewall and rules), {@code jwt} and
 * {@code remote} (validators and backend clients), {@code rotation} and {@code store} (cache,
 * single flight, grace memo), {@code web} (answers, CSRF, endpoints' helpers), {@code guest},
 * {@code lifetime}, {@code audit} (audit log, counters, JMX), and {@code internal} (shared
 * helpers, not for application code).
 */
package io.github.sessiongate;
