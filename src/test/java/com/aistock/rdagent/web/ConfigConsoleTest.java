package com.aistock.rdagent.web;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.aistock.rdagent.support.Api;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/** 配置中心: the template editor's validation, save, history, diff and rollback; the .env page keeps secrets out. */
class ConfigConsoleTest extends BrowserTest {

    private static final String FILE = "rdagent/scenarios/qlib/experiment/factor_template/conf_baseline.yaml";
    private static final String DEMO_SECRET = "sk-demo-not-a-real-key";

    @Test
    void aTemplateEditIsValidatedSavedDiffedAndRolledBack() throws IOException {
        JsonNode original = template();
        String content = original.path("content").asText();
        String marker = "# console edit " + UUID.randomUUID();
        try {
            WebElement editor = openEditor();

            // a YAML error: the line is shown and marked, nothing is written
            List<String> lines = content.lines().toList();
            int bad = lines.indexOf(lines.stream().filter(l -> l.startsWith("market:")).findFirst().orElseThrow()) + 1;
            setValue(editor, content.replaceFirst("(?m)^market:.*$", "market: [csi300"));
            click("#save-template");
            String error = await("#template-error").getText();
            assertThat(error).contains("第 ").contains(" 行");
            String marked = wait.until(d -> find("#template-editor .gutter .err").getText());
            assertThat(Integer.parseInt(marked)).isBetween(bad, bad + 1);
            assertThat(template().path("sha256").asText()).as("nothing saved").isEqualTo(original.path("sha256").asText());
            screenshot("config-template-error", 1280, 800);

            // a valid edit saves with its reason; the new content is the current version, with that reason as its note
            long previous = newestHistoryId();
            setValue(find("#template-editor textarea"), content + marker + "\n");
            find("#template-editor input[name=note]").sendKeys("console edit");
            click("#save-template");
            String saved = awaitToast("已保存 conf_baseline.yaml");
            // the toasts sit over the table's last row: closed, as a user would
            js("document.querySelectorAll('#toasts .toast').forEach(toast => toast.remove())");
            assertThat(template().path("content").asText()).endsWith(marker + "\n");
            long current = newestHistoryId();
            assertThat(current).isGreaterThan(previous);
            assertThat(saved).contains("#" + current).contains("#" + previous).contains("Jinja2");
            String row = "#template-history tr[data-history-id='" + current + "']";
            assertThat(await(row).getText()).contains("console edit").contains("当前版本");
            String old = "#template-history tr[data-history-id='" + previous + "']";
            assertThat(await(old).getText()).contains(original.path("sha256").asText().substring(0, 10))
                    .contains("被 #" + current + " 替换").doesNotContain("console edit");

            // the diff of the replaced version against the current file shows the added line
            click(old + " [data-action=diff]");
            assertThat(await("#template-history pre.diff").getText()).contains("+" + marker);
            screenshot("config-template-diff", 1280, 800);

            // rollback names the version with its own note and state, needs a reason, and happens only once confirmed
            // (the diff scrolled the row under the sticky top bar: back to the middle first)
            js("arguments[0].scrollIntoView({block: 'center'})", find(old + " [data-action=rollback]"));
            click(old + " [data-action=rollback]");
            assertThat(await("dialog[open]").getText()).contains("#" + previous).contains("conf_baseline.yaml")
                    .contains("被 #" + current + " 替换");
            confirm("回滚到 #" + previous);
            assertThat(await("dialog[open] .field-error").getText()).contains("原因");
            assertThat(template().path("content").asText()).as("not without a reason").endsWith(marker + "\n");
            find("dialog[open] input[name=reason]").sendKeys("  marker was a test  ");
            confirm("回滚到 #" + previous);
            awaitToast("已回滚到 #" + previous);
            assertThat(template().path("content").asText()).isEqualTo(content);
            JsonNode rollback = api.get("/api/rdagent/templates/history/" + newestHistoryId()).json();
            assertThat(rollback.path("kind").asText()).isEqualTo("rollback");
            assertThat(rollback.path("note").asText()).isEqualTo("  marker was a test  ");
        } finally {
            restore(content);
        }
    }

    @Test
    void aStaleSaveIsExplainedAndNothingIsOverwritten() throws IOException {
        String content = template().path("content").asText();
        String theirs = "# changed by someone else " + UUID.randomUUID();
        try {
            WebElement editor = openEditor();

            // someone else saves after this page loaded the file: this save is refused with a 409, explained
            Api.Response put = api.put("/api/rdagent/templates/content?file=" + URLEncoder.encode(FILE, StandardCharsets.UTF_8),
                    Api.json(Map.of("content", content + theirs + "\n", "expected_sha256", template().path("sha256").asText(),
                            "note", "someone else")));
            assertThat(put.status()).as(put.body()).isEqualTo(200);
            setValue(editor, content + "# mine\n");
            click("#save-template");
            assertThat(await("#template-error").getText()).contains("有人在你之后修改了这个文件");
            assertThat(template().path("content").asText()).as("their change kept").endsWith(theirs + "\n");

            // reload shows their version in the editor
            click("#template-error [data-action=reload]");
            wait.until(d -> find("#template-editor textarea").getDomProperty("value").endsWith(theirs + "\n"));
        } finally {
            restore(content);
        }
    }

    @Test
    void aFileChangedOnDiskIsMarkedInTheList() throws IOException {
        String content = template().path("content").asText();
        java.nio.file.Path live = base().resolve("data/demo-rdagent").resolve(FILE);
        try {
            Files.writeString(live, content + "# by hand " + UUID.randomUUID() + "\n");
            openEditor();
            String mark = await(".file-list button[data-file='" + FILE + "'] .badge.drift").getText();
            assertThat(mark).isEqualTo("外部修改");
            assertThat(find("#template-editor").getText()).contains("外部修改");
        } finally {
            restore(content);
        }
    }

    @Test
    void theEnvPageNeverHoldsASecret() throws IOException {
        List<String> secrets = secretValues();
        assertThat(secrets).contains(DEMO_SECRET);
        open("#/config");
        await("#env-form input[data-key=OPENAI_API_KEY]");
        assertThat(driver.getPageSource()).doesNotContain(secrets);

        // revealing the input to replace the key shows an empty field, not the value
        click("#env-form .env-row:has(input[data-key=OPENAI_API_KEY]) [data-action=replace]");
        WebElement key = find("#env-form input[data-key=OPENAI_API_KEY]");
        assertThat(key.isEnabled()).isTrue();
        assertThat(key.getDomProperty("value")).isEmpty();
        click("#test-llm");
        await("#llm-result");
        assertThat(driver.getPageSource()).doesNotContain(secrets);
        assertThat((String) js("return document.documentElement.outerHTML + [...document.querySelectorAll('input')].map(i => i.value).join(' ')"))
                .doesNotContain(secrets);
    }

    /** The values of the live .env's secret keys (KEY, SECRET, TOKEN, PASSWORD in the name), as the page must not show them. */
    private static List<String> secretValues() throws IOException {
        return Files.readAllLines(base().resolve("data/demo-rdagent/.env")).stream()
                .map(line -> line.replaceFirst("^export\\s+", ""))
                .filter(line -> line.matches("^[A-Z0-9_]*(KEY|SECRET|TOKEN|PASSWORD)[A-Z0-9_]*=.+"))
                .map(line -> line.substring(line.indexOf('=') + 1).replaceAll("^[\"']|[\"']$", ""))
                .filter(value -> value.length() >= 6)
                .toList();
    }

    /** 配置中心 → Qlib 模板 → the file: its editor, once it holds that file. */
    private WebElement openEditor() {
        open("#/config");
        click("#tab-config .subnav button[data-view=templates]");
        click(".file-list button[data-file='" + FILE + "']");
        return wait.until(d -> {
            WebElement text = find("#template-editor textarea");
            return text.getAttribute("aria-label").equals(FILE) ? text : null;
        });
    }

    private long newestHistoryId() {
        JsonNode items = api.get("/api/rdagent/templates/history?size=1&file=" + URLEncoder.encode(FILE, StandardCharsets.UTF_8))
                .json().path("items");
        return items.isEmpty() ? 0 : items.get(0).path("id").asLong();
    }

    private JsonNode template() {
        return api.get("/api/rdagent/templates/content?file=" + URLEncoder.encode(FILE, StandardCharsets.UTF_8)).json();
    }

    /** Other test classes read this file: whatever happened here, it ends as it began. */
    private void restore(String content) {
        JsonNode now = template();
        if (!now.path("content").asText().equals(content)) {
            Api.Response put = api.put("/api/rdagent/templates/content?file=" + URLEncoder.encode(FILE, StandardCharsets.UTF_8),
                    Api.json(Map.of("content", content, "expected_sha256", now.path("sha256").asText(), "note", "console test restore")));
            assertThat(put.status()).as(put.body()).isEqualTo(200);
        }
    }
}
