package com.aistock.rdagent.config;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code scheduler.config.*}.
 *
 * @param renderTimeout how long the Jinja2 check of a template may take before it is refused
 * @param watchInterval how often the managed files are compared with their history (a poll of their sha256)
 */
@ConfigurationProperties("scheduler.config")
public record ConfigProperties(Duration renderTimeout, Duration watchInterval) {
}
