package com.aistock.rdagent.web;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The label trap in the console: two saves with their reasons, then the version picked by its note in the new-task
 * dialog is the one the task runs; the task's detail shows that version and makes it live again with a reason.
 */
class ConfigLineageConsoleTest extends BrowserTest {

    private static final String FILE = "rdagent/scenarios/qlib/experiment/factor_template/conf_baseline.yaml";
    private static final String CONTENT = "/api/rdagent/templates/content?file=" + URLEncoder.encode(FILE, StandardCharsets.UTF_8);

    @Test
    void theVersionChosenByItsNoteIsTheOneThatRunsAndCanBeMadeLiveAgain() throws IOException {
        String original = api.get(CONTENT).json().path("content").asText();
        assertThat(original).contains("topk: 10 ", "learning_rate: 0.1\n");
        String topk8 = original.replace("topk: 10 ", "topk: 8 ");
        String lr005 = topk8.replace("learning_rate: 0.1\n", "learning_rate: 0.05\n");
        try {
            save(topk8, "topk 10→8");
            save(lr005, "lr 0.1→0.05");
            save(lr005.replace("learning_rate: 0.05\n", "learning_rate: 0.2\n"), "lr 0.05→0.2");

            // the history row with the note "lr 0.1→0.05" is the version holding lr 0.05
            long version = wait.ignoring(StaleElementReferenceException.class).until(d -> findAll("#template-history tbody tr")
                    .stream().filter(tr -> tr.findElement(By.cssSelector(".note")).getText().equals("lr 0.1→0.05"))
                    .map(tr -> Long.valueOf(tr.getAttribute("data-history-id"))).findFirst().orElse(null));
            assertThat(api.get("/api/rdagent/templates/history/" + version).json().path("content").asText())
                    .contains("learning_rate: 0.05\n");
            screenshot("config-versions", 1280, 800);

            // the new-task dialog lists it by its own note; the task runs it
            open("#/tasks");
            click("#new-task");
            await("dialog[open] input[name=loop_n]").sendKeys("1");
            find("dialog[open] details.more summary").click();
            setValue(await("dialog[open] textarea[name=env]"), "RDAGENT_SIM_STEP_SECONDS=0");
            click("dialog[open] input[name=config_source][value=history]");
            Select picker = new Select(await("dialog[open] select[name='history:" + FILE + "']"));
            WebElement option = wait.until(d -> picker.getOptions().stream()
                    .filter(o -> o.getText().contains("lr 0.1→0.05")).findFirst().orElse(null));
            assertThat(option.getAttribute("value")).isEqualTo(String.valueOf(version));
            option.click();
            confirm("创建");
            String created = awaitToast("已创建任务");
            long task = Long.parseLong(created.replaceAll("(?s).*#(\\d+).*", "$1"));
            JsonNode finished = Tasks.awaitFinished(api, task, Duration.ofSeconds(90));
            assertThat(Files.readString(Path.of(finished.path("workspace_path").asText()).resolve("run.log")))
                    .contains("Template conf_baseline.yaml values: topk=8 n_drop=2 learning_rate=0.05");

            // its detail shows that version, changed since; an admin makes it live with a reason
            open("#/monitor/" + task);
            String row = "#task-config tr[data-file='" + FILE + "']";
            assertThat(await(row).getText()).contains("#" + version).contains("lr 0.1→0.05");
            click(row + " [data-action=task-diff]");
            assertThat(await("#task-config pre.diff").getText()).contains("-      learning_rate: 0.05", "+      learning_rate: 0.2");

            // "run again with this config": the new-task dialog comes with the task's versions picked
            js("document.querySelectorAll('#toasts .toast').forEach(toast => toast.remove())");
            click("#run-again-config");
            Select again = new Select(await("dialog[open] select[name='history:" + FILE + "']"));
            wait.until(d -> again.getFirstSelectedOption().getAttribute("value").equals(String.valueOf(version)));
            assertThat(again.getFirstSelectedOption().getText()).contains("lr 0.1→0.05");
            assertThat(find("dialog[open] input[name=config_source][value=history]").isSelected()).isTrue();
            confirm("创建");
            long rerun = Long.parseLong(awaitToast("已创建任务").replaceAll("(?s).*#(\\d+).*", "$1"));
            assertThat(rerun).isNotEqualTo(task);
            JsonNode rerunConfig = Tasks.awaitFinished(api, rerun, Duration.ofSeconds(90)).path("config");
            finished.path("config").fields().forEachRemaining(ran -> assertThat(rerunConfig.path(ran.getKey())
                    .path("version_id").asLong()).as(ran.getKey()).isEqualTo(ran.getValue().path("version_id").asLong()));
            awaitNoDialog();

            click("#make-live");
            assertThat(await("dialog[open]").getText()).contains("conf_baseline.yaml").contains("lr 0.1→0.05");
            find("dialog[open] input[name=reason]").sendKeys("lr 0.2 overfits");
            confirm("恢复 1 个模板");
            awaitToast("恢复为任务 #" + task);
            assertThat(api.get(CONTENT).json().path("content").asText()).contains("learning_rate: 0.05\n");
            JsonNode restored = api.get(CONTENT).json().path("version");
            assertThat(restored.path("kind").asText()).isEqualTo("restore");
            assertThat(restored.path("note").asText()).isEqualTo("lr 0.2 overfits");
            assertThat(restored.path("task_id").asLong()).isEqualTo(task);
            wait.until(d -> find("#task-config-state").getText().equals("与当前模板一致"));
            screenshot("task-config", 1280, 800);
        } finally {
            JsonNode now = api.get(CONTENT).json();
            if (!now.path("content").asText().equals(original)) {
                Api.Response put = api.put(CONTENT, Api.json(Map.of("content", original,
                        "expected_sha256", now.path("sha256").asText(), "note", "console test restore")));
                assertThat(put.status()).as(put.body()).isEqualTo(200);
            }
        }
    }

    @Test
    void runningAgainKeepsAVersionOlderThanTheNewestFifty() throws IOException {
        String original = api.get(CONTENT).json().path("content").asText();
        long version = api.get(CONTENT).json().path("version").path("id").asLong();
        long task = Tasks.submit(api, "{\"loop_n\": 1, \"source_history_ids\": [" + version + "],"
                + " \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
        Tasks.awaitFinished(api, task, Duration.ofSeconds(90));
        Path live = base().resolve("data/demo-rdagent").resolve(FILE);
        try {
            // 50 newer versions, cheaply: hand edits, each recorded as drift when the file is next read
            for (int i = 0; i < 50; i++) {
                Files.writeString(live, original + "# hand edit " + i + "\n");
                assertThat(api.get(CONTENT).json().path("version").path("kind").asText()).isEqualTo("drift");
            }

            open("#/monitor/" + task);
            click("#run-again-config");
            Select picker = new Select(await("dialog[open] select[name='history:" + FILE + "']"));
            wait.until(d -> picker.getFirstSelectedOption().getAttribute("value").equals(String.valueOf(version)));
            assertThat(picker.getFirstSelectedOption().getText()).startsWith("#" + version + " · ");
            confirm("取消");
            awaitNoDialog();
        } finally {
            JsonNode now = api.get(CONTENT).json();
            Api.Response put = api.put(CONTENT, Api.json(Map.of("content", original,
                    "expected_sha256", now.path("sha256").asText(), "note", "console test restore")));
            assertThat(put.status()).as(put.body()).isEqualTo(200);
        }
    }

    /**
     * Saves the template through the editor with a reason, as a user does. The console remembers its sub-tab: it is
     * clicked only when not shown already (each click reloads the editor).
     */
    private void save(String content, String reason) {
        String current = api.get(CONTENT).json().path("content").asText();
        open("#/config");
        WebElement tab = await("#tab-config .subnav button[data-view=templates]");
        if (!"true".equals(tab.getAttribute("aria-selected"))) {
            tab.click();
        }
        click(".file-list button[data-file='" + FILE + "']");
        WebElement editor = wait.ignoring(StaleElementReferenceException.class).until(d -> {
            WebElement text = find("#template-editor textarea");
            return text.getAttribute("aria-label").equals(FILE) && text.getDomProperty("value").equals(current)
                    && !findAll("#template-editor input[name=note]").isEmpty() ? text : null;
        });
        setValue(editor, content);
        find("#template-editor input[name=note]").sendKeys(reason);
        wait.until(d -> find("#template-editor textarea").getDomProperty("value").equals(content));
        click("#save-template");
        wait.withMessage(() -> "saved; the toasts say " + findAll("#toasts .toast").stream().map(WebElement::getText).toList())
                .until(d -> api.get(CONTENT).json().path("content").asText().equals(content));
    }
}
