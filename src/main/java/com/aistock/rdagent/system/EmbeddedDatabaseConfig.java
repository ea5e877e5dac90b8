package com.aistock.rdagent.system;

import java.io.IOException;
import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The default database: a real PostgreSQL started from the JVM, its data kept under {@code data/pg} so it
 * survives restarts, owned by the service ({@link EmbeddedPostmaster}). Any {@code spring.datasource.url} switches
 * it off in favour of an external server.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${spring.datasource.url:}' == ''")
public class EmbeddedDatabaseConfig {

    @Bean
    EmbeddedPostmaster embeddedPostmaster(SchedulerProperties properties,
                                          @Value("${scheduler.health.database-restart-timeout}") Duration restartTimeout)
            throws IOException {
        return new EmbeddedPostmaster(properties.data().resolve("pg"), properties.data().resolve("pg.log"), restartTimeout);
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(EmbeddedPostmaster postmaster,
                                @Value("${spring.datasource.hikari.connection-timeout}") long connectionTimeout) {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(postmaster.jdbcUrl());
        dataSource.setUsername("postgres");
        dataSource.setMaximumPoolSize(20);
        dataSource.setConnectionTimeout(connectionTimeout);
        dataSource.setPoolName("embedded-postgres");
        return dataSource;
    }

    /** In the liveness group: DOWN only when a postmaster that died could not be restarted. */
    @Bean
    HealthIndicator postmasterHealthIndicator(EmbeddedPostmaster postmaster) {
        return postmaster::health;
    }
}
