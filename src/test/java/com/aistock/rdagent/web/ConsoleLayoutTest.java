package com.aistock.rdagent.web;

import java.io.IOException;
import java.time.Duration;

import com.aistock.rdagent.support.Tasks;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/** Every tab at the two screen sizes researchers use (screenshots for review), and the language switch. */
class ConsoleLayoutTest extends BrowserTest {

    private static final String[] TABS = {"tasks", "config", "datasets", "monitor", "schedules"};

    @Test
    void everyTabFitsBothScreenSizes() throws IOException {
        String run = "{\"name\": \"layout\", \"loop_n\": 2, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\", \"PATH\": \"/usr/bin:/bin\"}}";
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
        assertThat(tabLabels()).isEqualTo("任务管理 配置中心 数据集管理 运行监控 定时任务");

        clickable("#lang-switch").click();
        wait.until(d -> tabLabels().equals("Tasks Config Datasets Monitor Schedules"));
        assertThat(find("#new-task").getText()).isEqualTo("New task");

        driver.navigate().refresh();
        wait.until(d -> !find(".tabs a[aria-selected=true]").getText().isEmpty());
        assertThat(tabLabels()).as("after a reload").isEqualTo("Tasks Config Datasets Monitor Schedules");
        assertThat(await("#new-task").getText()).isEqualTo("New task");

        clickable("#lang-switch").click();
        wait.until(d -> tabLabels().equals("任务管理 配置中心 数据集管理 运行监控 定时任务"));
    }

    private String tabLabels() {
        return String.join(" ", findAll(".tabs a").stream().map(WebElement::getText).toList());
    }
}
