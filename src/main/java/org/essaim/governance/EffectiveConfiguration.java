package org.essaim.governance;

import java.lang.reflect.RecordComponent;
import java.util.Locale;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

import org.essaim.config.EssaimProperties;
import org.springframework.boot.context.properties.bind.Name;
import org.springframework.core.env.Environment;

/**
 * The configuration the server actually runs with, as {@code property name → value}: every {@code essaim.*}
 * property (defaults included) and the web port and address. Secrets are left out: the bootstrap password and
 * the TLS private key's location.
 */
final class EffectiveConfiguration {
    static final Set<String> SECRETS = Set.of("essaim.bootstrap.admin-password", "essaim.tls.private-key");

    private EffectiveConfiguration() {
    }

    static SortedMap<String, String> of(EssaimProperties properties, Environment environment) {
        SortedMap<String, String> values = new TreeMap<>();
        flatten("essaim", properties, values);
        values.put("server.port", environment.getProperty("server.port", "8080"));
        values.put("server.address", environment.getProperty("server.address", "(all)"));
        SECRETS.forEach(values::remove);
        return values;
    }

    private static void flatten(String prefix, Object value, SortedMap<String, String> into) {
        if (value != null && value.getClass().isRecord()) {
            RecordComponent[] components = value.getClass().getRecordComponents();
            java.lang.reflect.Parameter[] parameters = canonicalConstructorParameters(value.getClass(), components);
            for (int i = 0; i < components.length; i++) {
                RecordComponent component = components[i];
                // @Name sits on the constructor parameter (its target), which is what the binder reads too
                Name name = parameters[i].getAnnotation(Name.class);
                String key = prefix + "." + (name != null ? name.value() : kebab(component.getName()));
                try {
                    flatten(key, component.getAccessor().invoke(value), into);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("Cannot read " + key, e);
                }
            }
        } else {
            into.put(prefix, value == null ? "" : value.toString());
        }
    }

    private static java.lang.reflect.Parameter[] canonicalConstructorParameters(Class<?> type,
                                                                          RecordComponent[] components) {
        Class<?>[] types = java.util.Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
        try {
            return type.getDeclaredConstructor(types).getParameters();
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(type + " has no canonical constructor", e);
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }
}
