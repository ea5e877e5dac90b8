package com.aistock.rdagent.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import com.aistock.rdagent.dataset.Datasets;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 数据集管理: a refused stock pool names its bad lines; an accepted one is listed with its market and offered to new
 * tasks; warnings and respelt symbols are shown; versions are compared; a task shows the pool version it ran on with
 * a link to the diff; the default is set from the list; a dataset in use is not deleted, and the console says why.
 */
class DatasetConsoleTest extends BrowserTest {

    @Test
    void badLinesAreNumberedAndAGoodPoolReachesTheTaskDialog() throws IOException {
        String name = "自选 " + UUID.randomUUID().toString().substring(0, 8);
        Path folder = Files.createDirectories(base().resolve("console-uploads"));
        Path bad = Files.writeString(folder.resolve("bad.txt"),
                "SH600000\t2020-01-01\t2020-12-31\nnot a symbol at all\nSZ000001\t2021-06-01\t2020-01-01\n");
        Path good = Files.writeString(folder.resolve("good.txt"),
                "# my pool\nSH600000\t2019-01-02\t2020-12-31\n000001.sz\t2019-01-02\t2020-12-31\nSH688999\n");

        open("#/datasets");
        await("#dataset-upload input[name=name]").sendKeys(name);
        find("#dataset-upload input[name=file]").sendKeys(bad.toString());
        click("#dataset-upload button[type=submit]");
        String errors = await("#upload-errors").getText();
        assertThat(errors).contains("第 2 行").contains("第 3 行").doesNotContain("第 1 行");
        assertThat(findAll("#upload-errors [data-line]")).hasSize(2);
        assertThat(api.get("/api/rdagent/datasets").body()).as("nothing imported").doesNotContain(name);

        find("#dataset-upload input[name=file]").sendKeys(good.toString());
        click("#dataset-upload button[type=submit]");
        awaitToast("已导入数据集 " + name);
        String notes = await("#upload-notes").getText();
        assertThat(notes).contains("第 4 行").contains("SH688999").contains("000001.sz → SZ000001");
        String row = "tr[data-dataset='" + name + "']";
        JsonNode dataset = dataset(name);
        assertThat(await(row).getText()).contains(dataset.path("market").asText()).contains("⚠ 1");
        assertThat(findAll("#upload-errors")).isEmpty();

        open("#/tasks");
        click("#new-task");
        assertThat(await("dialog[open] [data-field=dataset_ids]").getText()).contains(name);
    }

    @Test
    void versionsAreComparedAndATaskLinksTheDiffOfItsPoolVersion() {
        String name = "股票池 " + UUID.randomUUID().toString().substring(0, 8);
        JsonNode v1 = Datasets.create(api, name, "SH600000\nSH600009\nSZ000001\n");
        JsonNode v2 = Datasets.create(api, name, "SH600000\nSZ000001\nSZ000063\n");
        long first = Tasks.submit(api, "{\"loop_n\": 1, \"dataset_ids\": [" + v1.path("id").asLong() + "],"
                + " \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
        long second = Tasks.submit(api, "{\"loop_n\": 1, \"dataset_ids\": [" + v2.path("id").asLong() + "],"
                + " \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
        Tasks.awaitFinished(api, first, Duration.ofSeconds(90));
        Tasks.awaitFinished(api, second, Duration.ofSeconds(90));

        open("#/monitor/" + second);
        wait.until(d -> find("#monitor-head").getText().contains(name + " v2"));
        click("#monitor-head .diff-link");
        String diff = await("#dataset-diff .diff").getText();
        assertThat(diff).contains("+ SZ000063").contains("- SH600009").doesNotContain("SH600000");
        assertThat(find("#dataset-market").getText()).contains(v1.path("market").asText());
        assertThat(findAll("#dataset-detail tr[data-version]")).hasSize(2);

        open("#/monitor/compare/" + first + "," + second);
        click("[data-dataset-diffs] a");
        assertThat(await("#dataset-diff .diff").getText()).contains("+ SZ000063").contains("- SH600009");

        // a version newer than the console's dataset cache is named, not shown as a bare #id
        JsonNode v3 = Datasets.create(api, name, "SH600000\nSZ000063\n");
        long third = Tasks.submit(api, "{\"loop_n\": 1, \"dataset_ids\": [" + v3.path("id").asLong() + "],"
                + " \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
        Tasks.awaitFinished(api, third, Duration.ofSeconds(90));
        open("#/tasks");
        wait.until(d -> find("tr[data-task-id='" + third + "']").getText().contains(name + " v3"));

        // deleted elsewhere: a fresh page load sees it (a hash change alone keeps the console's dataset cache)
        api.delete("/api/rdagent/datasets/" + v1.path("id").asLong());
        open("#/monitor/" + first);
        driver.navigate().refresh();
        wait.until(d -> find("#monitor-head").getText().contains(name + " v1 (已删除)"));
    }

    @Test
    void theDefaultIsSetFromTheListAndADatasetInUseIsKept() {
        String name = "console_" + UUID.randomUUID().toString().substring(0, 8);
        long id = Datasets.create(api, name, "SH600000\t2019-01-02\t2020-12-31\n").path("id").asLong();
        long task = Tasks.submit(api, "{\"loop_n\": 50, \"dataset_ids\": [" + id + "], \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"1\"}}");
        String row = "tr[data-dataset='" + name + "']";
        try {
            Tasks.awaitStatus(api, task, "RUNNING", Duration.ofSeconds(60));
            open("#/datasets");
            click(row + " [data-action=default]");
            awaitToast(name + " 已设为默认数据集");
            wait.until(d -> find(row).getText().contains("★"));
            assertThat(dataset(name).path("is_default").asBoolean()).isTrue();

            // in use by a running task: refused, explained, kept
            click(row + " [data-action=delete]");
            assertThat(await("dialog[open]").getText()).contains(name).contains("用过它的任务仍显示它");
            confirm("删除");
            assertThat(awaitToast("无法删除")).contains(String.valueOf(task));
            assertThat(dataset(name).isMissingNode()).isFalse();
            assertThat(find(row).isDisplayed()).isTrue();

            // once the task is over it goes from the list, and with it the default
            cancel(task);
            click(row + " [data-action=delete]");
            confirm("删除");
            awaitToast("已删除 " + name);
            wait.until(d -> findAll(row).isEmpty());
            assertThat(dataset(name).isMissingNode()).isTrue();
        } finally {
            // later tests expect no default dataset and a free worker
            cancel(task);
            api.delete("/api/rdagent/datasets/" + id);
        }
    }

    private void cancel(long task) {
        api.post("/api/rdagent/tasks/" + task + "/cancel", "");
        Tasks.awaitFinished(api, task, Duration.ofSeconds(60));
    }

    private JsonNode dataset(String name) {
        for (JsonNode dataset : api.get("/api/rdagent/datasets").json()) {
            if (dataset.path("name").asText().equals(name)) {
                return dataset;
            }
        }
        return MissingNode.getInstance();
    }
}
