/**
 * Guest tokens: a signed, short-lived identity for anonymous visitors, minted and verified here
 * ({@link io.github.sessiongate.guest.GuestTokens}) or fetched from a backend endpoint. A guest
 * session never satisfies a protected path.
 */
package io.github.sessiongate.guest;
