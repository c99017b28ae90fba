/**
 * The session cookies on the wire; not exported, never imported by applications.
 *
 * <p>{@link io.github.sessiongate.cookie.CookieKind} declares each kind of cookie as data (access,
 * refresh, guest, lifetime record, login transaction); {@link io.github.sessiongate.cookie.CookieHeaderReader} reads the raw {@code Cookie} header
 * leniently, {@link io.github.sessiongate.cookie.CookieNames} knows the canonical names and chunk
 * suffixes, {@link io.github.sessiongate.cookie.CookieCodec} reads, writes, chunks, seals, budgets
 * and clears the configured kinds, whatever they are (into a request's {@link io.github.sessiongate.cookie.SessionCookies}),
 * and {@link io.github.sessiongate.cookie.CookieSeal} encrypts their values when sealing is on.
 */
package io.github.sessiongate.cookie;
