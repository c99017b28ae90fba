/**
 * HMAC secrets from init-params: minimum length and the check that each key the filter uses is
 * distinct from the others; decoding and comparison are {@link io.github.sessiongate.internal.Secrets}'s.
 * Internal: used by the guest-token and session-lifetime components, not meant for application code.
 */
package io.github.sessiongate.secret;
