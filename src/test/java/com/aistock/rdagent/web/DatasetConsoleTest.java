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
 * 数据集管理: a refused stock pool names its bad lines; an accepted one is listed and offered to new tasks; the
 * default is set from the list; a dataset in use is not deleted, and the console says why.
 */
class DatasetConsoleTest extends BrowserTest {

    @Test
    void badLinesAreNumberedAndAGoodPoolReachesTheTaskDialog() throws IOException {
        String name = "console_" + UUID.randomUUID().toString().substring(0, 8);
        Path folder = Files.createDirectories(base().resolve("console-uploads"));
        Path bad = Files.writeString(folder.resolve("bad.txt"),
                "SH600000\t2020-01-01\t2020-12-31\nnot a symbol at all\nSZ000001\t2021-06-01\t2020-01-01\n");
        Path good = Files.writeString(folder.resolve("good.txt"),
                "# my pool\nSH600000\t2019-01-02\t2020-12-31\nSZ000001\t2019-01-02\t2020-12-31\n");

        open("#/datasets");
        await("#dataset-upload input[name=name]").sendKeys(name);
        find("#dataset-upload input[name=file]").sendKeys(bad.toString());
        click("#dataset-upload button[type=submit]");
        String errors = await("#upload-errors").getText();
        assertThat(errors).contains("line 2").contains("line 3").doesNotContain("line 1:");
        assertThat(api.get("/api/rdagent/datasets").body()).as("nothing imported").doesNotContain(name);

        find("#dataset-upload input[name=file]").sendKeys(good.toString());
        click("#dataset-upload button[type=submit]");
        awaitToast("已导入数据集 " + name);
        assertThat(await("tr[data-dataset='" + name + "']").getText()).contains("2");
        assertThat(findAll("#upload-errors")).isEmpty();

        open("#/tasks");
        click("#new-task");
        assertThat(await("dialog[open] [data-field=dataset_ids]").getText()).contains(name);
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
            assertThat(dataset(id).path("is_default").asBoolean()).isTrue();

            // in use by a running task: refused, explained, kept
            click(row + " [data-action=delete]");
            assertThat(await("dialog[open]").getText()).contains(name);
            confirm("删除");
            assertThat(awaitToast("无法删除")).contains(String.valueOf(task));
            assertThat(dataset(id).isMissingNode()).isFalse();
            assertThat(find(row).isDisplayed()).isTrue();

            // once the task is over it goes, and with it the default
            cancel(task);
            click(row + " [data-action=delete]");
            confirm("删除");
            awaitToast("已删除 " + name);
            wait.until(d -> findAll(row).isEmpty());
            assertThat(dataset(id).isMissingNode()).isTrue();
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

    private JsonNode dataset(long id) {
        for (JsonNode dataset : api.get("/api/rdagent/datasets").json()) {
            if (dataset.path("id").asLong() == id) {
                return dataset;
            }
        }
        return MissingNode.getInstance();
    }
}
