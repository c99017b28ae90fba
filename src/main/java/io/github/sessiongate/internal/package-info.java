/**
 * Helpers shared by the implementation packages ({@code jwt}, {@code remote}, {@code guest},
 * {@code web}) so that each rule has one implementation. Internal: not for application code; public
 * only because Java has no "friend packages" without a module descriptor, and may change in any
 * release.
 */
package io.github.sessiongate.internal;
