package io.github.sessiongate;

/**
 * Receives every event the audit log records, for example to forward it to a SIEM, a
 * metrics system or a lock-out policy. Named in web.xml by the init-param
 * {@code audit-listener-class} (a public class with a public no-argument
 * constructor) or passed to {@code GateConfig.Builder.auditListeners}.
 *
 * <pre>{@code
 * <init-param>
 *   <param-name>audit-listener-class</param-name>
 *   <param-value>com.example.SiemForwarder</param-value>
 * </init-param>
 * }</pre>
 *
 * <p><b>Contract.</b> Called synchronously on the request thread, from many threads at once, in
 * the order the listeners were given, whether or not the audit logger is enabled. So an
 * implementation must be thread-safe and fast: hand slow work (network, disk) to a queue of its
 * own. Anything it throws is caught and the request goes on as if the listener had returned; a
 * failing listener is reported at WARN at most once per
 * minute on the logger {@code io.github.sessiongate.observability}, with a count of the failures in between. Only
 * {@link VirtualMachineError}s (out of memory, stack overflow) propagate.
 *
 * <p>A listener never sees a token, only its fingerprint. The path and client in the
 * event are raw: see {@link AuditEvent} before writing them anywhere line-based.
 */
@FunctionalInterface
public interface AuditListener {
    /**
     * One security event.
     *
     * @param event what happened; never {@code null}
     */
    void onEvent(AuditEvent event);
}
