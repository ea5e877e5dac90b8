package com.aistock.rdagent.web;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

import com.aistock.rdagent.client.ApiClient;
import com.aistock.rdagent.client.api.TasksApi;
import com.aistock.rdagent.client.model.CreateTask201Response;
import com.aistock.rdagent.client.model.Result;
import com.aistock.rdagent.client.model.Task;
import com.aistock.rdagent.client.model.TaskRequest;
import com.aistock.rdagent.client.model.TaskStatus;
import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.BufferingClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.HttpClientErrorException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A client generated at build time from the OpenAPI document (openapi-generator, pom.xml) works against the
 * service: it creates a task, follows it to SUCCEEDED and reads its metrics, authenticating as the document says.
 */
class GeneratedClientTest extends IntegrationTest {

    @Test
    void theGeneratedClientCreatesATaskFollowsItToSucceededAndReadsItsMetrics() {
        // bodies go with a Content-Length, as the document asks (411 otherwise): RestClient streams them by default
        ApiClient client = new ApiClient(ApiClient.buildRestClientBuilder()
                .requestFactory(new BufferingClientHttpRequestFactory(new JdkClientHttpRequestFactory()))
                .build()).setBasePath("http://localhost:" + port);
        client.setUsername("admin");
        client.setPassword(Api.ADMIN_PASSWORD);
        TasksApi tasks = new TasksApi(client);

        CreateTask201Response created = tasks.createTask(new TaskRequest()
                .name("generated client")
                .loopN(1)
                .env(Map.of("RDAGENT_SIM_STEP_SECONDS", "0")));

        assertThat(created.getStatus()).isEqualTo(TaskStatus.PENDING);
        int id = created.getId();
        Task finished = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .until(() -> tasks.getTask(id), task -> task.getStatus() == TaskStatus.SUCCEEDED);
        Result last = finished.getMetrics().getLast();
        assertThat(last.getLoop()).isZero();
        assertThat(last.getValues().getIc()).isInstanceOf(BigDecimal.class).isNotNull();
        assertThat(finished.getMetrics().getRankBy()).isNotNull();
        assertThat(finished.getExitCode()).isZero();

        // the document's security scheme is the one the service asks for
        ApiClient stranger = new ApiClient().setBasePath("http://localhost:" + port);
        assertThatThrownBy(() -> new TasksApi(stranger).getTask(id))
                .isInstanceOfSatisfying(HttpClientErrorException.class, e -> assertThat(e.getStatusCode().value()).isEqualTo(401));
    }
}
