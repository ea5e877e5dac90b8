package com.aistock.rdagent.security;

import java.util.List;

import org.springframework.http.HttpMethod;

/**
 * Who may call what, in one table: every endpoint of the service is classified here, first match wins. The
 * security configuration is built from it; a test calls every endpoint the application serves as each role and
 * compares the answers with the role matrix it writes out itself, so a new endpoint cannot ship unclassified.
 *
 * <p>Patterns use Spring's PathPattern syntax ({@code *} one segment, {@code **} the rest).
 */
public final class EndpointRoles {

    /** @param role null: public */
    public record Rule(HttpMethod method, String pattern, Role role) {
    }

    private static final HttpMethod GET = HttpMethod.GET;
    private static final HttpMethod POST = HttpMethod.POST;
    private static final HttpMethod PUT = HttpMethod.PUT;
    private static final HttpMethod DELETE = HttpMethod.DELETE;
    private static final HttpMethod PATCH = HttpMethod.PATCH;

    public static final List<Rule> RULES = List.of(
            // public: probes, RD-Agent's events (loopback only, checked by the route), the login form
            new Rule(GET, "/actuator/health", null),
            new Rule(GET, "/actuator/health/**", null),
            new Rule(GET, "/actuator/info", null),
            new Rule(POST, "/receive", null),
            new Rule(GET, "/login", null),
            new Rule(POST, "/login", null),
            // the login page's style sheet, shared with the console
            new Rule(GET, "/rdagent/css/console.css", null),
            // and its script, which keeps the console address a deep link asked for
            new Rule(GET, "/rdagent/js/login.js", null),
            // ADMIN: configuration writes, users, tokens, audit, the rest of actuator
            new Rule(PUT, "/api/rdagent/env", Role.ADMIN),
            new Rule(POST, "/api/rdagent/env/**", Role.ADMIN),
            new Rule(PUT, "/api/rdagent/templates/content", Role.ADMIN),
            new Rule(POST, "/api/rdagent/templates/rollback", Role.ADMIN),
            new Rule(POST, "/api/rdagent/tasks/*/config/restore", Role.ADMIN),
            new Rule(null, "/api/rdagent/users", Role.ADMIN),
            new Rule(null, "/api/rdagent/users/**", Role.ADMIN),
            new Rule(null, "/api/rdagent/tokens", Role.ADMIN),
            new Rule(null, "/api/rdagent/tokens/**", Role.ADMIN),
            new Rule(GET, "/api/rdagent/audit", Role.ADMIN),
            new Rule(PUT, "/api/rdagent/spend/**", Role.ADMIN),
            new Rule(DELETE, "/api/rdagent/spend/**", Role.ADMIN),
            // notification channels hold webhook keys and passwords (never answered): ADMIN configures them
            new Rule(POST, "/api/rdagent/channels", Role.ADMIN),
            new Rule(POST, "/api/rdagent/channels/**", Role.ADMIN),
            new Rule(PUT, "/api/rdagent/channels/*", Role.ADMIN),
            new Rule(DELETE, "/api/rdagent/channels/*", Role.ADMIN),
            // metrics hold counts and timings, no secrets: a scraper's VIEWER token is enough
            new Rule(GET, "/actuator/prometheus", Role.VIEWER),
            new Rule(null, "/actuator/**", Role.ADMIN),
            // OPERATOR: tasks, datasets, schedules
            new Rule(POST, "/api/rdagent/tasks", Role.OPERATOR),
            new Rule(POST, "/api/rdagent/tasks/*/cancel", Role.OPERATOR),
            new Rule(POST, "/api/rdagent/tasks/*/rerun", Role.OPERATOR),
            new Rule(POST, "/api/rdagent/tasks/*/resume", Role.OPERATOR),
            new Rule(PATCH, "/api/rdagent/tasks/*", Role.OPERATOR),
            new Rule(POST, "/api/rdagent/batches", Role.OPERATOR),
            new Rule(POST, "/api/rdagent/batches/**", Role.OPERATOR),
            new Rule(POST, "/api/rdagent/datasets/**", Role.OPERATOR),
            new Rule(DELETE, "/api/rdagent/datasets/*", Role.OPERATOR),
            new Rule(POST, "/api/rdagent/schedules", Role.OPERATOR),
            new Rule(POST, "/api/rdagent/schedules/**", Role.OPERATOR),
            new Rule(PUT, "/api/rdagent/schedules/*", Role.OPERATOR),
            new Rule(DELETE, "/api/rdagent/schedules/*", Role.OPERATOR),
            // rules: "notify me" on a task, schedule or batch
            new Rule(POST, "/api/rdagent/notification-rules", Role.OPERATOR),
            new Rule(PUT, "/api/rdagent/notification-rules/*", Role.OPERATOR),
            new Rule(DELETE, "/api/rdagent/notification-rules/*", Role.OPERATOR),
            // VIEWER: every read, resource by resource, and the console
            new Rule(GET, "/api/rdagent/tasks", Role.VIEWER),
            new Rule(GET, "/api/rdagent/tasks.csv", Role.VIEWER),
            new Rule(GET, "/api/rdagent/tasks/**", Role.VIEWER),
            new Rule(GET, "/api/rdagent/batches", Role.VIEWER),
            new Rule(GET, "/api/rdagent/batches/**", Role.VIEWER),
            new Rule(GET, "/api/rdagent/env", Role.VIEWER),
            new Rule(GET, "/api/rdagent/env/**", Role.VIEWER),
            new Rule(GET, "/api/rdagent/templates", Role.VIEWER),
            new Rule(GET, "/api/rdagent/templates/**", Role.VIEWER),
            new Rule(GET, "/api/rdagent/datasets", Role.VIEWER),
            new Rule(GET, "/api/rdagent/datasets/**", Role.VIEWER),
            new Rule(GET, "/api/rdagent/schedules", Role.VIEWER),
            new Rule(GET, "/api/rdagent/schedules/**", Role.VIEWER),
            new Rule(GET, "/api/rdagent/nodes", Role.VIEWER),
            new Rule(GET, "/api/rdagent/spend", Role.VIEWER),
            new Rule(GET, "/api/rdagent/spend/**", Role.VIEWER),
            new Rule(GET, "/api/rdagent/channels", Role.VIEWER),
            new Rule(GET, "/api/rdagent/channels/*", Role.VIEWER),
            new Rule(GET, "/api/rdagent/notification-rules", Role.VIEWER),
            new Rule(GET, "/api/rdagent/notification-rules/*", Role.VIEWER),
            new Rule(GET, "/api/rdagent/notifications", Role.VIEWER),
            new Rule(GET, "/api/rdagent/me", Role.VIEWER),
            new Rule(GET, "/api/rdagent/system", Role.VIEWER),
            new Rule(GET, "/api/rdagent/openapi.json", Role.VIEWER),
            new Rule(GET, "/api/rdagent/docs", Role.VIEWER),
            new Rule(GET, "/api/rdagent/docs/**", Role.VIEWER),
            new Rule(GET, "/rdagent", Role.VIEWER),
            new Rule(GET, "/rdagent/**", Role.VIEWER),
            new Rule(GET, "/webjars/**", Role.VIEWER));

    private EndpointRoles() {
    }
}
