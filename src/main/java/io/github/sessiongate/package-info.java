/**
 * SessionGate: a Jakarta Servlet filter that keeps a user's session in HttpOnly cookies.
 *
 * <p>This package is the API, and only the API: what an application names.
 * {@link io.github.sessiongate.SessionFilter} (declare it in web.xml, or construct it with a
 * {@link io.github.sessiongate.GateConfig} and its typed builders: the settings values
 * {@link io.github.sessiongate.CookieSettings}, {@link io.github.sessiongate.EndpointSettings},
 * {@link io.github.sessiongate.GuestSettings}, {@link io.github.sessiongate.LifetimeSettings},
 * {@link io.github.sessiongate.ClientTokenSettings}, {@link io.github.sessiongate.CookieSealSettings},
 * {@link io.github.sessiongate.LoginSettings}, {@link io.github.sessiongate.RevokeSettings} and
 * {@link io.github.sessiongate.ClientCredentials}), {@link io.github.sessiongate.Session} (what the
 * application sees), {@link io.github.sessiongate.TokenValidator} (subclass it for a custom
 * backend; a {@code validator-class} gets {@link io.github.sessiongate.InitParams}) with its results
 * {@link io.github.sessiongate.ValidationResult}, {@link io.github.sessiongate.RefreshResult},
 * {@link io.github.sessiongate.TokenPair} and the {@link io.github.sessiongate.TokenRefresher}
 * collaborator, {@link io.github.sessiongate.ConfigException}, the audit listener SPI
 * ({@link io.github.sessiongate.AuditListener}, {@link io.github.sessiongate.AuditEvent}), the
 * read-only {@link io.github.sessiongate.SessionFilter.Metrics}, and
 * {@link io.github.sessiongate.BackendClient} for calling a backend with the user's token.
 *
 * <p>This package depends on one engine package only, {@code engine}, which {@code SessionFilter}
 * starts and which runs the checks of {@code build()}; settings are plain values here and the
 * engine makes the running parts from them. Exported beside it: {@code jwt}
 * ({@code JwtTokenValidator}) and {@code remote} ({@code HttpTokenValidator} and
 * {@code HttpTokenRefresher} with their builders). The engine sits in packages the module does not
 * export, in request order: {@code engine} (what the filter starts: the composition root and the
 * request steps), {@code path} (firewall and rules),
 * {@code cookie} (reading, writing, chunking and sealing the session cookies), {@code rotation}
 * and {@code store} (cache, single flight, grace memo, revocations), {@code web} (answers, CSRF,
 * endpoints' helpers), {@code login} (the outbound login and revocation clients), {@code guest},
 * {@code lifetime}, {@code secret}, {@code audit} (audit log,
 * counters, JMX) and {@code internal} (shared helpers).
 */
package io.github.sessiongate;
