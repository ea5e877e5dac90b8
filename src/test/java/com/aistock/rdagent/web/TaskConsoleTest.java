package com.aistock.rdagent.web;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.aistock.rdagent.support.Tasks;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/** 任务管理 and 运行监控 against real runs of the simulator. */
// before the API tests of the same features: see the closing note on the console's history panel
@Order(1)
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

        waitUpTo(Duration.ofSeconds(90)).until(d -> seriesLengths().stream().anyMatch(n -> n > 0));
        assertThat(find("#equity-chart canvas").isDisplayed()).isTrue();
        assertThat(find("#monitor-head .badge").getText()).isEqualTo("成功");
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

    private double progress(String css) {
        List<WebElement> bars = findAll(css);
        return bars.isEmpty() ? 0 : Double.parseDouble(bars.get(0).getAttribute("aria-valuenow"));
    }

    @SuppressWarnings("unchecked")
    private List<Long> seriesLengths() {
        Object lengths = js("const el = document.getElementById('equity-chart');"
                + "const chart = window.echarts && el && echarts.getInstanceByDom(el);"
                + "return chart ? chart.getOption().series.map(s => s.data.length) : [];");
        return (List<Long>) lengths;
    }
}
