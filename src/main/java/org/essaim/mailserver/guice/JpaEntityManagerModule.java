package org.essaim.mailserver.guice;

import java.util.Map;

import javax.persistence.EntityManagerFactory;
import javax.persistence.Persistence;

import org.essaim.delivery.DurableCommits;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;

/**
 * One OpenJPA persistence unit ("Global", META-INF/persistence.xml) for every JPA store James uses,
 * connected to James' own H2 database under the data directory.
 */
class JpaEntityManagerModule extends AbstractModule {
    private final String jdbcUrl;

    JpaEntityManagerModule(String jdbcUrl) {
        this.jdbcUrl = jdbcUrl;
    }

    @Provides
    @Singleton
    EntityManagerFactory entityManagerFactory() {
        return Persistence.createEntityManagerFactory("Global", Map.of(
                "openjpa.ConnectionDriverName", "org.h2.Driver",
                "openjpa.ConnectionURL", jdbcUrl,
                "openjpa.Multithreaded", "true"));
    }

    /** Acknowledgements (SMTP 250, IMAP APPEND OK) wait for this: commits fsynced, in groups. */
    @Provides
    @Singleton
    DurableCommits durableCommits() {
        return new H2GroupCommit(jdbcUrl);
    }
}
