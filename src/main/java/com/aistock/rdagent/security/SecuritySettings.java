package com.aistock.rdagent.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * @param adminPassword          the admin's password ({@code SCHEDULER_ADMIN_PASSWORD}); blank: generated once on
 *                               first start into {@code data/initial-admin-password}
 * @param corsOrigins            browser origins (AIstock) allowed to call the API
 * @param loginFailuresPerMinute failed logins per user per minute before 429
 * @param passwordStrength       bcrypt's log2 cost for new password hashes
 */
@ConfigurationProperties("scheduler.security")
public record SecuritySettings(String adminPassword, List<String> corsOrigins, int loginFailuresPerMinute,
                               int passwordStrength) {
}
