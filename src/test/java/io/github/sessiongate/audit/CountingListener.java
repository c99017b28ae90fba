package io.github.sessiongate.audit;

import io.github.sessiongate.AuditEvent;
import io.github.sessiongate.AuditListener;
import java.util.concurrent.atomic.LongAdder;

/** A top-level listener for instantiation by class name. */
public final class CountingListener implements AuditListener {
    final LongAdder count = new LongAdder();

    @Override
    public void onEvent(AuditEvent event) {
        count.increment();
    }
}
