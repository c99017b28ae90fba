/**
 * The audit trail: security events on a dedicated logger, with token fingerprints instead of
 * tokens and every request-supplied field escaped.
 */
package io.github.sessiongate.audit;
