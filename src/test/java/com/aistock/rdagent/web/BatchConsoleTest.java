package com.aistock.rdagent.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

import static org.assertj.core.api.Assertions.assertThat;

/** The workbench console: the batch page, clone-and-edit, a deep link through the login page, Chinese errors, the stop toast. */
class BatchConsoleTest extends BrowserTest {

    private Path hold;

    @BeforeEach
    void holdRuns() throws IOException {
        hold = Files.createTempFile(base(), "hold", "");
    }

    @AfterEach
    void release() throws IOException {
        Files.deleteIfExists(hold);
    }

    private String heldEnv() {
        return "\"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\", \"RDAGENT_SIM_HOLD_FILE\": \"" + hold + "\"}";
    }

    @Test
    void aDeepLinkSurvivesTheLoginPage() {
        long id = Tasks.submit(api, "{\"name\": \"deep-link\", " + heldEnv() + "}");
        driver.manage().deleteAllCookies();

        driver.get(url("/rdagent#/monitor/" + id));
        wait.until(ExpectedConditions.urlContains("/login"));
        driver.findElement(By.name("username")).sendKeys("admin");
        driver.findElement(By.name("password")).sendKeys(Api.ADMIN_PASSWORD);
        driver.findElement(By.cssSelector("form.login button[type=submit]")).click();

        wait.until(ExpectedConditions.urlContains("#/monitor/" + id));
        assertThat(await("#monitor-head h2").getText()).contains("#" + id).contains("deep-link");
    }

    @Test
    void cancellingARunningTaskSaysItIsStopping() {
        long id = Tasks.submit(api, "{\"name\": \"console-stop\", " + heldEnv() + "}");
        Tasks.awaitStatus(api, id, "RUNNING", Duration.ofSeconds(60));
        open("#/tasks");

        click("tr[data-task-id='" + id + "'] [data-action=cancel]");
        confirm("确认取消任务");

        assertThat(awaitToast("任务 #" + id)).contains("停止中");
    }

    @Test
    void aRefusedGridValueIsExplainedInChineseNextToIt() {
        long tasks = jdbc.queryForObject("SELECT count(*) FROM rdagent_task", Long.class);
        open("#/batches");
        click("#new-batch");
        await("dialog[open] input[name=grid_loop_n]").sendKeys("1, 5000");
        confirm("创建");

        String error = await("dialog[open] .field:has(input[name=grid_loop_n]) .field-error").getText();
        assertThat(error).isEqualTo("循环次数（loop_n）：必须是 1–1000 之间的整数");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM rdagent_task", Long.class)).isEqualTo(tasks);

        setValue(find("dialog[open] input[name=grid_loop_n]"), String.join(",", java.util.Collections.nCopies(15, "1")));
        setValue(find("dialog[open] input[name=grid_n_epochs]"), String.join(",", java.util.Collections.nCopies(14, "2")));
        assertThat(find("#grid-count").getText()).isEqualTo("将创建 210 个任务");
        confirm("创建");
        wait.until(d -> findAll("dialog[open] .field-error").stream()
                .anyMatch(e -> e.getText().equals("参数网格（grid）：最多生成 200 个任务，请减少取值")));
    }

    @Test
    void theBatchPageShowsItsTasksByGridValueAndPausesResumesAndCancels() {
        JsonNode batch = api.post("/api/rdagent/batches", "{\"name\": \"控制台批量\", \"max_concurrent\": 1, \"base\": {"
                + heldEnv() + "}, \"grid\": {\"loop_n\": [1, 2]}}").json();
        String id = batch.path("id").asText();

        open("#/batches");
        click("tr[data-batch-id='" + id + "'] a");
        wait.until(ExpectedConditions.urlContains("#/batches/" + id));
        assertThat(await("#batch-page h2").getText()).isEqualTo("控制台批量");
        wait.until(d -> findAll("#batch-page tr[data-task-id]").size() == 2);
        assertThat(find("#batch-page thead").getText()).contains("loop_n");

        click("#batch-page [data-action=pause]");
        awaitToast("已暂停");
        wait.until(d -> find("#batch-page [data-state]").getAttribute("data-state").equals("paused"));
        assertThat(api.get("/api/rdagent/batches/" + id).json().path("state").asText()).isEqualTo("paused");

        setValue(find("#batch-page input[name=max_concurrent]"), "2");
        click("#batch-page [data-action=limit]");
        awaitToast("并发上限已设置");
        assertThat(api.get("/api/rdagent/batches/" + id).json().path("max_concurrent").asInt()).isEqualTo(2);

        click("#batch-page [data-action=resume]");
        wait.until(d -> find("#batch-page [data-state]").getAttribute("data-state").equals("active"));

        click("#batch-page [data-action=cancel]");
        confirm("取消整批");
        wait.until(d -> find("#batch-page [data-state]").getAttribute("data-state").equals("cancelled"));
        Tasks.awaitIdle(api);
        assertThat(findAll("#batch-page [data-action=cancel]")).as("nothing left to cancel").isEmpty();
    }

    @Test
    void newFromThisTaskPrefillsTheDialogAndLinksTheCloneToItsSource() {
        long source = Tasks.submit(api, "{\"name\": \"克隆来源\", \"loop_n\": 3, \"train_start\": \"2016-01-04\", " + heldEnv() + "}");
        open("#/monitor/" + source);
        // loops counted from 0, as the API's progress.loop counts them
        wait.until(d -> Tasks.get(api, source).path("progress").path("loop").asInt(-1) == 0
                && find("#monitor-head .facts").getText().contains("Loop 0 （共 3 轮"));

        click("#monitor-head [data-action=clone]");
        assertThat(await("dialog[open] header").getText()).contains("#" + source);
        assertThat(find("dialog[open] input[name=loop_n]").getAttribute("value")).isEqualTo("3");
        assertThat(find("dialog[open] input[name=train_start]").getAttribute("value")).isEqualTo("2016-01-04");
        assertThat(find("dialog[open] input[name=train_start]").getAttribute("placeholder")).isEqualTo("yyyy-mm-dd");
        find("dialog[open] input[name=loop_n]").clear();
        find("dialog[open] input[name=loop_n]").sendKeys("2");
        setValue(find("dialog[open] input[name=train_end]"), "2016/12/31");
        confirm("创建");
        assertThat(await("dialog[open] .field:has(input[name=train_end]) .field-error").getText()).contains("yyyy-mm-dd");
        setValue(find("dialog[open] input[name=train_end]"), "2016-12-31");
        confirm("创建");
        long clone = Long.parseLong(awaitToast("已创建任务").replaceAll("(?s).*#(\\d+).*", "$1"));

        JsonNode task = Tasks.get(api, clone);
        assertThat(task.path("cloned_from").asLong()).isEqualTo(source);
        assertThat(task.path("params").path("loop_n").asInt()).isEqualTo(2);
        assertThat(task.path("params").path("train_end").asText()).isEqualTo("2016-12-31");
        JsonNode sourceConfig = Tasks.get(api, source).path("config");
        sourceConfig.fieldNames().forEachRemaining(file -> assertThat(task.path("config").path(file).path("source_sha256"))
                .as("the same version of %s", file).isEqualTo(sourceConfig.path(file).path("source_sha256")));
        open("#/monitor/" + clone);
        assertThat(await("#cloned-from").getText()).isEqualTo("#" + source);
    }
}
