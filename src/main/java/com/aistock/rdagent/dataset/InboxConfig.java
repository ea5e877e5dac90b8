package com.aistock.rdagent.dataset;

import java.util.Map;

import javax.sql.DataSource;

import com.aistock.rdagent.system.SchedulerProperties;
import org.apache.camel.processor.idempotent.jdbc.JdbcMessageIdRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/** What routes/inbox.yaml refers to: the inbox folder as an absolute path, and the idempotent repository. */
@Configuration(proxyBeanMethods = false)
public class InboxConfig {

    /**
     * {@code scheduler.inbox-dir} is relative to {@code scheduler.base-dir}, while a file endpoint resolves a
     * relative path against the working directory; the routes read {@code {{scheduler.inbox.folder}}} instead.
     * Only a node with the {@code inbox} role consumes it ({@code {{scheduler.inbox.active}}}).
     */
    public InboxConfig(ConfigurableEnvironment environment, SchedulerProperties properties) {
        environment.getPropertySources().addFirst(new MapPropertySource("inbox-folder", Map.of(
                "scheduler.inbox.folder", properties.inbox().toString(),
                "scheduler.inbox.active", Boolean.toString(properties.node().has("inbox")))));
    }

    /** Camel's table CAMEL_MESSAGEPROCESSED comes from the Flyway migration, never from Camel. */
    @Bean
    JdbcMessageIdRepository inboxRepository(DataSource dataSource) {
        JdbcMessageIdRepository repository = new JdbcMessageIdRepository(dataSource, "inbox");
        repository.setCreateTableIfNotExists(false);
        return repository;
    }
}
