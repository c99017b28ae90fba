/**
 * Helpers shared by the implementation packages ({@code jwt}, {@code remote}, {@code guest},
 * {@code web}) so that each rule has one implementation. Internal: not for application code; public
 * because several engine packages use them; the module does not export this package, and it may change in any
 * release.
 */
package io.github.sessiongate.internal;
