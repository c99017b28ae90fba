/**
 * Observability: the audit trail, audit listeners and counters.
 *
 * <ul>
 *   <li>{@link io.github.sessiongate.audit.AuditLog}: security events on a dedicated logger, with
 *       token fingerprints instead of tokens and every request-supplied field escaped, and
 *       dispatched to {@link io.github.sessiongate.AuditListener}s as
 *       {@link io.github.sessiongate.AuditEvent}s.</li>
 *   <li>{@link io.github.sessiongate.audit.GateMetrics}: per-filter counters, published over JMX
 *       by {@link io.github.sessiongate.audit.JmxRegistration} as a
 *       {@link io.github.sessiongate.audit.SessionGateMXBean}, and by
 *       {@code io.github.sessiongate.audit.micrometer} as {@code sessiongate.*} Micrometer meters when
 *       Micrometer is on the class path.</li>
 * </ul>
 *
 * <p>Two loggers: {@value io.github.sessiongate.audit.AuditLog#LOGGER_NAME} carries event lines
 * only; {@value io.github.sessiongate.audit.AuditLog#OPERATIONS_LOGGER_NAME} carries this
 * package's operational messages (a failing listener, JMX registration). No token ever reaches
 * either, nor a listener.
 */
package io.github.sessiongate.audit;
