package org.essaim.support;

import java.util.Comparator;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * The suite's class order (src/test/resources/junit-platform.properties): classes that start their own Essaim
 * ({@link OwnInstance}) first, then the others (unit tests and the classes on the shared instance), each group by
 * name. Only one Essaim runs at a time in a JVM, so this way the shared instance starts once, after the last own
 * instance has stopped.
 */
public final class OwnInstancesFirst implements ClassOrderer {
    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator
                .comparing((ClassDescriptor descriptor) -> !descriptor.isAnnotated(OwnInstance.class))
                .thenComparing(descriptor -> descriptor.getTestClass().getName()));
    }
}
