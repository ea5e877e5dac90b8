package com.aistock.rdagent.security;

import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's session with CSRF, machine tokens, throttled logins and the recorded operator. */
class LoginAndTokensTest extends IntegrationTest {

    @Test
    void aConsoleSessionNeedsTheCsrfTokenToWrite() throws Exception {
        CookieManager cookies = new CookieManager();
        HttpClient browser = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Api page = Api.anonymous(port);
        String form = browser.send(page.request("/login").build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(form);
        assertThat(csrf.find()).as(form).isTrue();

        HttpResponse<String> login = browser.send(page.request("/login")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=admin&password=" + Api.ADMIN_PASSWORD + "&_csrf=" + csrf.group(1)))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location").orElse("")).doesNotContain("error");

        HttpRequest.Builder write = page.request("/api/rdagent/tasks")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"loop_n\": 0}"));
        assertThat(browser.send(write.build(), HttpResponse.BodyHandlers.ofString()).statusCode())
                .as("a write riding on the session cookie without the CSRF header").isEqualTo(403);

        assertThat(browser.send(page.request("/api/rdagent/me").build(),
                HttpResponse.BodyHandlers.ofString()).body()).contains("\"name\":\"admin\"");
        String xsrf = cookies.getCookieStore().get(URI.create(api.uri("/").toString())).stream()
                .filter(c -> c.getName().equals("XSRF-TOKEN")).findFirst().orElseThrow().getValue();
        HttpResponse<String> withToken = browser.send(write.header("X-XSRF-TOKEN", xsrf).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(withToken.statusCode()).as(withToken.body()).isEqualTo(400);
        assertThat(withToken.body()).contains("\"field\":\"loop_n\"");
    }

    @Test
    void bearerTokensWorkUntilRevokedAndTheirNameIsTheOperator() {
        String name = "aistock-" + UUID.randomUUID().toString().substring(0, 8);
        Api.Response created = api.post("/api/rdagent/tokens", "{\"name\": \"" + name + "\", \"role\": \"OPERATOR\"}");
        assertThat(created.status()).isEqualTo(201);
        String secret = created.json().path("secret").asText();
        Api machine = Api.bearer(port, secret);

        // last_used_at is written on a token's first use, then at most once a minute, not on every request
        assertThat(machine.get("/api/rdagent/me").status()).isEqualTo(200);
        Object firstUse = jdbc.queryForObject("SELECT last_used_at FROM rdagent_token WHERE name = ?", Object.class, name);
        assertThat(firstUse).isNotNull();
        assertThat(machine.get("/api/rdagent/me").status()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT last_used_at FROM rdagent_token WHERE name = ?", Object.class, name))
                .isEqualTo(firstUse);

        Api.Response task = machine.post("/api/rdagent/tasks", "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
        assertThat(task.status()).isEqualTo(201);
        assertThat(task.json().path("operator").asText()).isEqualTo("token:" + name);
        assertThat(machine.get("/api/rdagent/users").status()).as("OPERATOR may not manage users").isEqualTo(403);
        assertThat(api.get("/api/rdagent/tokens").body()).doesNotContain(secret);
        JsonNode audit = api.get("/api/rdagent/audit?size=50").json();
        assertThat(audit.path("items").toString()).contains("token:" + name);

        long tokenId = created.json().path("token").path("id").asLong();
        assertThat(api.delete("/api/rdagent/tokens/" + tokenId).status()).isEqualTo(200);
        Api.Response revoked = machine.get("/api/rdagent/tasks");
        assertThat(revoked.status()).isEqualTo(401);
        assertThat(revoked.json().path("error").asText()).isEqualTo("unauthorized");
        assertThat(Api.bearer(port, "rdas_made_up").get("/api/rdagent/tasks").status()).isEqualTo(401);
    }

    @Test
    void tenFailedLoginsInAMinuteAreThrottled() {
        String name = "throttled" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(api.post("/api/rdagent/users", "{\"username\": \"" + name
                + "\", \"password\": \"a-long-good-password\", \"role\": \"VIEWER\"}").status()).isEqualTo(201);
        for (int i = 0; i < 10; i++) {
            assertThat(Api.as(port, name, "wrong-" + i).get("/api/rdagent/tasks").status()).isEqualTo(401);
        }
        Api.Response blocked = Api.as(port, name, "a-long-good-password").get("/api/rdagent/tasks");
        assertThat(blocked.status()).isEqualTo(429);
        assertThat(blocked.json().path("error").asText()).isEqualTo("too_many_requests");
        assertThat(api.get("/api/rdagent/tasks").status()).as("other users are not affected").isEqualTo(200);
    }

    @Test
    void answersCarrySecurityHeadersAndErrorsAreJson() {
        Api.Response page = api.get("/api/rdagent/tasks");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(page.headers().firstValue("Content-Security-Policy").orElse("")).contains("default-src 'self'");

        Api.Response unknown = api.get("/api/rdagent/no-such-thing");
        assertThat(unknown.status()).isIn(403, 404);
        assertThat(unknown.json().path("error").asText()).isNotBlank();
        Api.Response anonymous = Api.anonymous(port).get("/api/rdagent/tasks");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.json().path("error").asText()).isEqualTo("unauthorized");
    }
}
