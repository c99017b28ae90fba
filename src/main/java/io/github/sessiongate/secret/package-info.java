/**
 * HMAC secrets from init-params: decoding, minimum length and the check that each key the filter
 * uses is distinct from the others. Internal: used by the guest-token and session-lifetime
 * components, not meant for application code.
 */
package io.github.sessiongate.secret;
