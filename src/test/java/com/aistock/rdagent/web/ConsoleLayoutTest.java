package com.aistock.rdagent.web;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.Tasks;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import static org.assertj.core.api.Assertions.assertThat;

/** Every tab at the two screen sizes researchers use (screenshots for review), and the language switch. */
class ConsoleLayoutTest extends BrowserTest {

    private static final String[] TABS = {"tasks", "config", "datasets", "monitor", "schedules", "batches", "spend", "notifications"};

    @Test
    void everyTabFitsBothScreenSizes() throws IOException {
        // the known pool and seed: RD-Agent accepts loop 0, so each run has a SOTA curve to compare
        long pool = com.aistock.rdagent.dataset.Datasets.knownPool(api);
        String run = "{\"name\": \"layout\", \"loop_n\": 2, \"dataset_ids\": [" + pool + "], \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\","
                + " \"RDAGENT_SIM_SEED\": \"225\", \"PATH\": \"/usr/bin:/bin\"}}";
        long id = Tasks.submit(api, run);
        long other = Tasks.submit(api, run);
        Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofSeconds(90));
        Tasks.awaitStatus(api, other, "SUCCEEDED", Duration.ofSeconds(90));
        for (String tab : TABS) {
            open("#/" + (tab.equals("monitor") ? "monitor/" + id : tab));
            await("#tab-" + tab + " .panel");
            if (tab.equals("monitor")) {
                await("#log div");
            }
            if (tab.equals("config")) {
                assertEnvGroupsLeaveNoLargeGaps();
            }
            shots(tab);
        }
        open("#/monitor/compare/" + id + "," + other);
        wait.until(d -> ((Number) js("const c = window.echarts && echarts.getInstanceByDom(document.getElementById('compare-chart'));"
                + "return c ? c.getOption().series.length : 0")).intValue() == 3);
        assertThat(find("#tab-monitor").getText()).contains("#" + id).contains("#" + other);
        shots("monitor-compare");
        open("#/config");
        clickable("#tab-config .subnav button[data-view=templates]").click();
        await("#template-editor textarea");
        shots("config-templates");
        open("#/tasks");
        clickable("#new-task").click();
        await("dialog[open] input[name=loop_n]");
        shots("task-dialog");
    }

    /** The .env groups flow in balanced columns: no column runs on far below the others, leaving a blank beside it. */
    private void assertEnvGroupsLeaveNoLargeGaps() {
        await(".env-groups fieldset");
        @SuppressWarnings("unchecked")
        List<Number> layout = (List<Number>) js("const box = document.querySelector('.env-groups');"
                + "const sets = [...box.querySelectorAll('fieldset')];"
                + "const columns = new Set(sets.map(f => Math.round(f.getBoundingClientRect().left))).size;"
                + "const heights = sets.map(f => f.getBoundingClientRect().height + 12);"
                + "return [box.getBoundingClientRect().height, columns, heights.reduce((a, b) => a + b, 0), Math.max(...heights)];");
        double height = layout.get(0).doubleValue();
        int columns = layout.get(1).intValue();
        assertThat(columns).as("groups side by side at 1280 px").isEqualTo(2);
        assertThat(height).as("balanced columns").isLessThanOrEqualTo(layout.get(2).doubleValue() / columns + layout.get(3).doubleValue());
    }

    private void shots(String name) throws IOException {
        screenshot(name, 1280, 800);
        screenshot(name, 1920, 1080);
        viewport(1280, 800);
    }

    @Test
    void theLanguageSwitchChangesTheLabelsAndIsRemembered() {
        open("#/tasks");
        js("localStorage.removeItem('rdagent.lang')");
        driver.navigate().refresh();
        assertThat(tabLabels()).isEqualTo("任务管理 配置中心 数据集管理 运行监控 定时任务 批量任务 费用 通知");

        clickable("#lang-switch").click();
        wait.until(d -> tabLabels().equals("Tasks Config Datasets Monitor Schedules Batches Spend Notifications"));
        assertThat(find("#new-task").getText()).isEqualTo("New task");

        driver.navigate().refresh();
        wait.until(d -> !find(".tabs a[aria-selected=true]").getText().isEmpty());
        assertThat(tabLabels()).as("after a reload").isEqualTo("Tasks Config Datasets Monitor Schedules Batches Spend Notifications");
        assertThat(await("#new-task").getText()).isEqualTo("New task");

        clickable("#lang-switch").click();
        wait.until(d -> tabLabels().equals("任务管理 配置中心 数据集管理 运行监控 定时任务 批量任务 费用 通知"));
    }

    @Test
    void eachRoleSeesOnlyTheControlsItCanUse() {
        try {
            signInAs("VIEWER");
            assertThat(find("#new-task").isDisplayed()).isFalse();
            assertConfigurationReadOnly();
            open("#/datasets");
            await("#tab-datasets table");
            assertThat(find("#dataset-upload").isDisplayed()).isFalse();
            open("#/schedules");
            assertThat(wait.until(ExpectedConditions.presenceOfElementLocated(By.id("new-schedule"))).isDisplayed()).isFalse();

            // an operator runs tasks and manages datasets, but the configuration stays read-only
            signInAs("OPERATOR");
            assertThat(await("#new-task").isDisplayed()).isTrue();
            open("#/datasets");
            assertThat(await("#dataset-upload").isDisplayed()).isTrue();
            assertConfigurationReadOnly();
        } finally {
            driver.manage().deleteAllCookies();
        }
    }

    /** Below ADMIN: the .env page shows no save, no test buttons and no rollback. */
    private void assertConfigurationReadOnly() {
        open("#/config");
        await("#env-form");
        assertThat(find("#test-llm").isDisplayed()).isFalse();
        assertThat(find("#env-form button[type=submit]").isDisplayed()).isFalse();
        assertThat(findAll("[data-action=rollback]")).allSatisfy(button -> assertThat(button.isDisplayed()).isFalse());
    }

    /** A new user of that role, signed in through the login form. */
    private void signInAs(String role) {
        String name = role.toLowerCase() + UUID.randomUUID().toString().substring(0, 8);
        assertThat(api.post("/api/rdagent/users", Api.json(Map.of("username", name, "password", "console-password-1",
                "role", role))).status()).isEqualTo(201);
        driver.manage().deleteAllCookies();
        driver.get(url("/login"));
        find("input[name=username]").sendKeys(name);
        find("input[name=password]").sendKeys("console-password-1");
        find("form.login button[type=submit]").click();
        wait.until(d -> find("#whoami").getText().equals(name + " · " + role));
    }

    private String tabLabels() {
        return String.join(" ", findAll(".tabs a").stream().map(WebElement::getText).toList());
    }
}
