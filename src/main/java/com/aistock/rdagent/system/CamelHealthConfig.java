package com.aistock.rdagent.system;

import org.apache.camel.health.HealthCheckResultStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class CamelHealthConfig {

    /**
     * Changes no result. Camel looks this type up in the registry on every call of every health check (one per
     * route and consumer, ~70 per {@code /actuator/health}); when there is none, Spring answers each lookup with a
     * NoSuchBeanDefinitionException and its stack trace, which made the health endpoint slower than the task list.
     */
    @Bean
    HealthCheckResultStrategy camelHealthCheckResults() {
        return (check, options, builder) -> {
        };
    }
}
