package io.github.sessiongate.audit;

import java.util.concurrent.atomic.LongAdder;

/** A top-level listener for instantiation by class name. */
public final class CountingListener implements AuditListener {
    final LongAdder count = new LongAdder();

    @Override
    public void onEvent(AuditEvent event) {
        count.increment();
    }
}
