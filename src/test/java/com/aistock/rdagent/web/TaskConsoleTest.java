package com.aistock.rdagent.web;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.aistock.rdagent.config.RdAgentFiles;
import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import static org.assertj.core.api.Assertions.assertThat;

/** 任务管理 and 运行监控 against real runs of the simulator. */
class TaskConsoleTest extends BrowserTest {

    @Test
    void aTaskFromTheDialogRunsLiveAndEndsWithItsEquityCurve() throws IOException {
        String name = "console-" + UUID.randomUUID().toString().substring(0, 8);
        open("#/tasks");
        click("#new-task");
        await("dialog[open] input[name=name]").sendKeys(name);
        find("dialog[open] input[name=loop_n]").sendKeys("2");
        find("dialog[open] details.more summary").click();
        // Debian's python3 has pandas, so the simulator writes ret.pkl and the run gets an equity curve
        await("dialog[open] textarea[name=env]").sendKeys("RDAGENT_SIM_STEP_SECONDS=1\nPATH=/usr/bin:/bin");
        confirm("创建");
        assertThat(awaitToast("已创建任务")).contains("#");
        awaitNoDialog();

        WebElement row = wait.until(d -> d.findElements(By.cssSelector("tr[data-task-id]")).stream()
                .filter(tr -> tr.getText().contains(name)).findFirst().orElse(null));
        long id = Long.parseLong(row.getAttribute("data-task-id"));
        String bar = "tr[data-task-id='" + id + "'] [role=progressbar]";
        double first = wait.until(d -> {
            double value = progress(bar);
            return value > 0 ? value : null;
        });
        wait.until(d -> progress(bar) > first);

        click("tr[data-task-id='" + id + "'] [data-action=monitor]");
        await("#log div");
        assertThat(Tasks.get(api, id).path("status").asText()).as("still running while the log grows").isEqualTo("RUNNING");
        int lines = findAll("#log div").size();
        wait.until(d -> findAll("#log div").size() > lines);
        screenshot("monitor-running", 1280, 800);
        assertThat(find("#log").getText()).contains("Start Loop");
        // the download while it runs is the log written so far, from its first line, not just the lines on screen
        String downloaded = (String) ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(document.getElementById('log-download').href).then(r => r.text()).then(done, e => done('failed: ' + e));");
        assertThat(downloaded).startsWith(findAll("#log div").get(0).getText()).contains("Start Loop");

        // the head is rebuilt on every progress event: a badge found just before that is stale
        waitUpTo(Duration.ofSeconds(90)).ignoring(StaleElementReferenceException.class)
                .until(d -> find("#monitor-head .badge").getText().equals("成功"));
        // the SOTA's curve by default; whatever RD-Agent accepted, loop 0's own curve can be chosen
        wait.until(d -> find("#curve-loop").findElements(By.cssSelector("option[value='0']")).size() == 1);
        new Select(find("#curve-loop")).selectByValue("0");
        wait.until(d -> seriesLengths("equity-chart").stream().anyMatch(n -> n > 0));
        assertThat(find("#equity-chart canvas").isDisplayed()).isTrue();
        // the stream's end event follows the final status within the follower's next status check
        wait.until(d -> find("#log-status").getText().equals("日志已结束"));

        // search marks the matches; stepping to one pauses the follow, jumping to the end resumes it
        find("#log-search").sendKeys("Start Loop");
        wait.until(d -> !find("#log").findElements(By.tagName("mark")).isEmpty());
        find("#log-search").sendKeys(Keys.ENTER);
        await("#log div.current mark");
        assertThat(find("#log-pause").getAttribute("aria-pressed")).isEqualTo("true");
        click("#log-end");
        wait.until(d -> find("#log-pause").getAttribute("aria-pressed").equals("false"));
    }

    @Test
    void cancelFromTheTableAsksFirst() {
        long id = Tasks.submit(api, "{\"name\": \"console-cancel\", \"loop_n\": 50, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"1\"}}");
        Tasks.awaitStatus(api, id, "RUNNING", Duration.ofSeconds(60));
        open("#/tasks");
        String cancel = "tr[data-task-id='" + id + "'] [data-action=cancel]";

        click(cancel);
        assertThat(await("dialog[open]").getText()).contains("#" + id).contains("console-cancel");
        confirm("取消");
        awaitNoDialog();
        assertThat(Tasks.get(api, id).path("status").asText()).as("dismissed: nothing happens").isEqualTo("RUNNING");

        click(cancel);
        confirm("确认取消任务");
        awaitToast("任务 #" + id);
        Tasks.awaitStatus(api, id, "CANCELLED", Duration.ofSeconds(60));
        wait.until(d -> find("tr[data-task-id='" + id + "'] .badge").getText().equals("已取消"));
    }

    @Test
    void theDialogChecksItsFieldsShowsTheServersAndPinsATemplateVersion() {
        // a saved version of one template, different from the live file: its backup taken by the restore
        String file = RdAgentFiles.TEMPLATES.get(0);
        String path = "/api/rdagent/templates/content?file=" + URLEncoder.encode(file, StandardCharsets.UTF_8);
        JsonNode live = api.get(path).json();
        String content = live.path("content").asText();
        JsonNode edited = api.put(path, Api.json(Map.of("content", content + "# pinned by the dialog test\n",
                "expected_sha256", live.path("sha256").asText(), "note", "dialog test"))).json();
        long pinned = api.put(path, Api.json(Map.of("content", content, "expected_sha256", edited.path("sha256").asText(),
                "note", "dialog test restore"))).json().path("history_id").asLong();
        long tasksBefore = taskCount();

        open("#/tasks");
        click("#new-task");
        await("dialog[open] input[name=name]").sendKeys("console-dialog");
        WebElement loops = find("dialog[open] input[name=loop_n]");
        loops.sendKeys("0");
        confirm("创建");
        // checked in the page, shown next to the field
        assertThat(await("dialog[open] .field:has(input[name=loop_n]) .field-error").getText()).contains("1").contains("1000");

        // checked by the server only (a value over 4 KiB): its 400 is shown next to the field it names
        loops.clear();
        loops.sendKeys("1");
        find("dialog[open] details.more summary").click();
        setValue(await("dialog[open] textarea[name=env]"), "RDAGENT_SIM_STEP_SECONDS=0\nSIM_NOTE=" + "x".repeat(5000));
        confirm("创建");
        assertThat(await("dialog[open] .field:has(textarea[name=env]) .field-error").getText()).contains("4 KiB");
        assertThat(taskCount()).as("nothing created").isEqualTo(tasksBefore);

        // a history version of one template as the config source
        setValue(find("dialog[open] textarea[name=env]"), "RDAGENT_SIM_STEP_SECONDS=0");
        click("dialog[open] input[name=config_source][value=history]");
        WebElement version = await("dialog[open] select[name='history:" + file + "']");
        new Select(version).selectByValue(String.valueOf(pinned));
        confirm("创建");
        String created = awaitToast("已创建任务");
        long id = Long.parseLong(created.replaceAll("(?s).*#(\\d+).*", "$1"));
        JsonNode task = Tasks.awaitFinished(api, id, Duration.ofSeconds(90));
        assertThat(task.path("name").asText()).isEqualTo("console-dialog");
        assertThat(task.path("config").path(file).path("history_id").asLong()).isEqualTo(pinned);
        assertThat(task.path("config").path(RdAgentFiles.TEMPLATES.get(1)).path("history_id").isNull()).isTrue();
    }

    @Test
    void twoTasksTickedInTheTableAreComparedOnOneChart() {
        // Debian's python3, which has pandas: each run gets its ret.pkl and so an equity curve; on the known pool
        // with seed 225 RD-Agent accepts loop 0, so each run has a SOTA curve
        long pool = com.aistock.rdagent.dataset.Datasets.knownPool(api);
        String env = "\"dataset_ids\": [" + pool + "], \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\", \"RDAGENT_SIM_SEED\": \"225\","
                + " \"PATH\": \"/usr/bin:/bin\"}";
        long first = Tasks.submit(api, "{\"name\": \"console-compare-a\", \"loop_n\": 1, " + env + "}");
        long second = Tasks.submit(api, "{\"name\": \"console-compare-b\", \"loop_n\": 1, " + env + "}");
        Tasks.awaitStatus(api, first, "SUCCEEDED", Duration.ofSeconds(90));
        Tasks.awaitStatus(api, second, "SUCCEEDED", Duration.ofSeconds(90));

        open("#/tasks");
        click("tr[data-task-id='" + first + "'] input[type=checkbox]");
        assertThat(find("#compare-selected").isEnabled()).as("one task is not a comparison").isFalse();
        click("tr[data-task-id='" + second + "'] input[type=checkbox]");
        click("#compare-selected");

        // both equity curves on one chart, and a metrics row per task
        wait.until(d -> {
            List<Long> lengths = seriesLengths("compare-chart");
            return lengths.size() >= 2 && lengths.stream().allMatch(n -> n > 0);
        });
        wait.until(d -> findAll("#tab-monitor table tbody tr").size() == 2);
        String metrics = find("#tab-monitor table").getText();
        assertThat(metrics).contains("console-compare-a").contains("console-compare-b");
    }

    @Test
    void theTableFiltersByTextAndStatusAndRerunsARow() {
        String tag = "console-filter-" + UUID.randomUUID().toString().substring(0, 8);
        long ok = Tasks.submit(api, "{\"name\": \"" + tag + "-ok\", \"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
        long bad = Tasks.submit(api, "{\"name\": \"" + tag + "-bad\", \"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\","
                + " \"RDAGENT_SIM_FAIL_AT\": \"0:1\"}}");
        Tasks.awaitStatus(api, ok, "SUCCEEDED", Duration.ofSeconds(90));
        Tasks.awaitStatus(api, bad, "FAILED", Duration.ofSeconds(90));

        open("#/tasks");
        find("#tab-tasks input[type=search]").sendKeys(tag);
        wait.until(d -> rowIds().equals(List.of(bad, ok)));
        new Select(find("#tab-tasks header select[name=status]")).selectByValue("FAILED");
        wait.until(d -> rowIds().equals(List.of(bad)));

        // a rerun of the failed row: a new task with the same parameters, shown under the same filter once it fails
        click("tr[data-task-id='" + bad + "'] [data-action=rerun]");
        awaitToast("已按任务 #" + bad + " 的配置重跑");
        long rerun = jdbc.queryForObject("SELECT id FROM rdagent_task WHERE rerun_of = ?", Long.class, bad);
        assertThat(Tasks.awaitFinished(api, rerun, Duration.ofSeconds(90)).path("status").asText()).isEqualTo("FAILED");
        wait.until(d -> rowIds().equals(List.of(rerun, bad)));

        new Select(find("#tab-tasks header select[name=status]")).selectByValue("CANCELLED");
        assertThat(await("#tab-tasks .empty").getText()).contains("没有符合条件的任务");
    }

    /** Read in one script: the table re-renders while it refreshes. */
    @SuppressWarnings("unchecked")
    private List<Long> rowIds() {
        return (List<Long>) js("return [...document.querySelectorAll('#tab-tasks tr[data-task-id]')].map(tr => Number(tr.dataset.taskId))");
    }

    private long taskCount() {
        return jdbc.queryForObject("SELECT count(*) FROM rdagent_task", Long.class);
    }

    private double progress(String css) {
        List<WebElement> bars = findAll(css);
        return bars.isEmpty() ? 0 : Double.parseDouble(bars.get(0).getAttribute("aria-valuenow"));
    }
}
