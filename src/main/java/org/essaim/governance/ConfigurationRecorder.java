package org.essaim.governance;

import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

import org.essaim.config.EssaimProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * At every start: writes the genesis entry into an empty log, otherwise compares the effective configuration
 * with the one last recorded and appends a {@code server.configuration} entry naming what changed, so that a
 * change made behind the collective's back shows in the log. An unchanged restart appends nothing.
 */
@Component
class ConfigurationRecorder implements ApplicationRunner {
    static final String GENESIS = "server.genesis";
    static final String CONFIGURATION = "server.configuration";
    static final String CHANGED = "changed";
    private static final Logger LOGGER = LoggerFactory.getLogger(ConfigurationRecorder.class);

    private final AuditLog log;
    private final ServerEntries serverEntries;
    private final EssaimProperties properties;
    private final Environment environment;

    ConfigurationRecorder(AuditLog log, ServerEntries serverEntries, EssaimProperties properties,
                          Environment environment) {
        this.log = log;
        this.serverEntries = serverEntries;
        this.properties = properties;
        this.environment = environment;
    }

    @Override
    public void run(ApplicationArguments args) {
        SortedMap<String, String> current = EffectiveConfiguration.of(properties, environment);
        synchronized (log) {
            Optional<SortedMap<String, String>> recorded = lastRecorded();
            if (recorded.isEmpty()) {
                AuditEntry genesis = serverEntries.append(GENESIS, current);
                LOGGER.info("Audit log started: genesis entry {}", genesis.hash());
                return;
            }
            SortedMap<String, String> changed = new TreeMap<>();
            current.forEach((name, value) -> {
                if (!value.equals(recorded.get().get(name))) {
                    changed.put(name, value);
                }
            });
            recorded.get().keySet().stream().filter(name -> !current.containsKey(name))
                    .forEach(name -> changed.put(name, "(removed)"));
            if (changed.isEmpty()) {
                return;
            }
            SortedMap<String, String> parameters = new TreeMap<>(current);
            parameters.put(CHANGED, String.join(",", changed.keySet()));
            AuditEntry entry = serverEntries.append(CONFIGURATION, parameters);
            LOGGER.info("Configuration changed since the last start ({}): audit entry {}", changed.keySet(), entry.seq());
        }
    }

    /** The configuration in the newest genesis or configuration entry, without the "changed" list. */
    private Optional<SortedMap<String, String>> lastRecorded() {
        for (AuditEntry entry : log.serverEntriesNewestFirst()) {
            try {
                Statement statement = Statement.parse(entry.statement());
                if (GENESIS.equals(statement.action()) || CONFIGURATION.equals(statement.action())) {
                    SortedMap<String, String> configuration = new TreeMap<>(statement.parameters());
                    configuration.remove(CHANGED);
                    return Optional.of(configuration);
                }
            } catch (StatementException e) {
                throw new IllegalStateException("Audit entry " + entry.seq() + " is not a valid statement", e);
            }
        }
        return Optional.empty();
    }
}
