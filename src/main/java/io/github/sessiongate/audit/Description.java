package io.github.sessiongate.audit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The description a JMX client shows for an MXBean attribute (its getter) or for the MXBean itself
 * (its interface), read by {@link DescribedMXBean}. Kept next to the getter it describes, so a new
 * attribute cannot ship without one ({@code MetricsAttributesTest} checks every getter).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
@interface Description {
    /** One short sentence: what is counted or measured, and its unit. */
    String value();
}
