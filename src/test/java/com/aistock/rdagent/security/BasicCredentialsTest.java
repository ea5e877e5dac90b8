package com.aistock.rdagent.security;

import java.util.UUID;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP Basic with verified passwords remembered ({@link VerifiedPasswords}): still refused with a wrong password,
 * and a changed password, a disabled user or a changed role apply on the very next request, even when the row is
 * changed behind the service's back (another node, an administrator in psql). Throttling still applies.
 */
class BasicCredentialsTest extends IntegrationTest {

    private static final String PASSWORD = "a-machine-client-password";
    private static final String TASKS = "/api/rdagent/tasks?size=1";
    private String user;

    @BeforeEach
    void machineUser() {
        user = "machine" + UUID.randomUUID().toString().substring(0, 8);
        Api.Response created = api.post("/api/rdagent/users",
                "{\"username\": \"" + user + "\", \"password\": \"" + PASSWORD + "\", \"role\": \"OPERATOR\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        // verified once: later requests find it remembered
        assertThat(as(PASSWORD).get(TASKS).status()).isEqualTo(200);
        assertThat(as(PASSWORD).get(TASKS).status()).isEqualTo(200);
    }

    @Test
    void aWrongPasswordIsRefusedAfterTheRightOneWasRemembered() {
        Api.Response refused = as(PASSWORD + "!").get(TASKS);

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().path("error").asText()).isEqualTo("unauthorized");
        assertThat(as(PASSWORD.substring(1)).get(TASKS).status()).isEqualTo(401);
        assertThat(as(PASSWORD).get(TASKS).status()).isEqualTo(200);
    }

    @Test
    void aChangedPasswordAppliesAtOnce() {
        String changed = "the-new-machine-password";
        jdbc.update("UPDATE rdagent_user SET password_hash = ? WHERE username = ?",
                new BCryptPasswordEncoder(4).encode(changed), user);

        assertThat(as(PASSWORD).get(TASKS).status()).isEqualTo(401);
        assertThat(as(changed).get(TASKS).status()).isEqualTo(200);
    }

    @Test
    void aDisabledUserIsRefusedAtOnce() {
        jdbc.update("UPDATE rdagent_user SET enabled = false WHERE username = ?", user);

        assertThat(as(PASSWORD).get(TASKS).status()).isEqualTo(401);
    }

    @Test
    void aChangedRoleAppliesAtOnce() {
        assertThat(as(PASSWORD).post("/api/rdagent/tasks", "{\"loop_n\": 0}").status()).as("OPERATOR may submit")
                .isEqualTo(400);
        jdbc.update("UPDATE rdagent_user SET role = 'VIEWER' WHERE username = ?", user);

        assertThat(as(PASSWORD).post("/api/rdagent/tasks", "{\"loop_n\": 0}").status()).isEqualTo(403);
        assertThat(as(PASSWORD).get(TASKS).status()).isEqualTo(200);
    }

    @Test
    void failedLoginsAreStillThrottledAndTheRememberedPasswordWaitsToo() {
        for (int i = 0; i < 10; i++) {
            assertThat(as("wrong-" + i).get(TASKS).status()).isEqualTo(401);
        }

        assertThat(as(PASSWORD).get(TASKS).status()).isEqualTo(429);
        assertThat(api.get(TASKS).status()).as("other users are not affected").isEqualTo(200);
    }

    private Api as(String password) {
        return Api.as(port, user, password);
    }
}
