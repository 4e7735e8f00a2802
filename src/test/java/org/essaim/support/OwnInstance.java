package org.essaim.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class that starts an Essaim of its own ({@link EssaimInstance#start}) instead of using the shared
 * one: other properties, a restart, a fresh data directory or the whole log from genesis are its point. Say which
 * in the class comment. {@link OwnInstancesFirst} runs these classes before the shared-instance ones, so that the
 * shared instance (stopped while another runs) starts only once; a class without the mark still works, at the
 * price of one more start of the shared instance.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface OwnInstance {
}
