/**
 * The session cookies on the wire; not exported, never imported by applications.
 *
 * <p>{@link io.github.sessiongate.cookie.CookieHeaderReader} reads the raw {@code Cookie} header
 * leniently, {@link io.github.sessiongate.cookie.CookieNames} knows the canonical names and chunk
 * suffixes, {@link io.github.sessiongate.cookie.CookieCodec} reads, writes, chunks, budgets and
 * clears the configured kinds (into a request's {@link io.github.sessiongate.cookie.SessionCookies}),
 * and {@link io.github.sessiongate.cookie.CookieSeal} encrypts their values when sealing is on.
 */
package io.github.sessiongate.cookie;
