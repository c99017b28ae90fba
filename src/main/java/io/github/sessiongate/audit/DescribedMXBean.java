package io.github.sessiongate.audit;

import java.lang.reflect.Method;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.StandardMBean;

/**
 * An MXBean whose attributes carry the {@link Description} of their getters, and the bean the one of
 * its interface: JConsole, VisualVM and the Prometheus JMX exporter (as the metric's help text)
 * show them. One mechanism for every SessionGate MXBean.
 */
final class DescribedMXBean<T> extends StandardMBean {
    private final Class<T> type;

    DescribedMXBean(T implementation, Class<T> type) {
        super(implementation, type, true);
        this.type = type;
    }

    @Override
    protected String getDescription(MBeanAttributeInfo info) {
        Description d = describe(type, info.getName());
        return d != null ? d.value() : info.getDescription();
    }

    @Override
    protected String getDescription(MBeanInfo info) {
        Description d = type.getAnnotation(Description.class);
        return d != null ? d.value() : info.getDescription();
    }

    /** The description of attribute {@code name}'s getter ({@code getName} or {@code isName}), or {@code null}. */
    static Description describe(Class<?> type, String name) {
        for (String prefix : new String[] {"get", "is"}) {
            try {
                Method m = type.getMethod(prefix + name);
                return m.getAnnotation(Description.class);
            } catch (NoSuchMethodException e) {
                // try the other prefix
            }
        }
        return null;
    }
}
