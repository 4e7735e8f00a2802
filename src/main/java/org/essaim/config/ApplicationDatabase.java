package org.essaim.config;

import javax.sql.DataSource;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import com.zaxxer.hikari.HikariDataSource;

/**
 * Essaim's own database (public keys, roles, audit log), separate from James' mail store.
 * An H2 file under the data directory by default; {@code spring.datasource.url} (with username and
 * password) points it at PostgreSQL instead. Flyway owns the schema.
 */
@Configuration(proxyBeanMethods = false)
class ApplicationDatabase {

    @Bean
    DataSource dataSource(EssaimProperties settings, Environment environment) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(environment.getProperty("spring.datasource.url",
                "jdbc:h2:file:" + settings.absoluteDataDir().resolve("db/essaim")));
        dataSource.setUsername(environment.getProperty("spring.datasource.username", "sa"));
        dataSource.setPassword(environment.getProperty("spring.datasource.password", ""));
        dataSource.setMaximumPoolSize(5);
        dataSource.setPoolName("essaim");
        return dataSource;
    }
}
