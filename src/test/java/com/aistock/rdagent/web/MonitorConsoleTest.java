package com.aistock.rdagent.web;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import com.aistock.rdagent.dataset.Datasets;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import static org.assertj.core.api.Assertions.assertThat;

/** 运行监控 of one run: sota, best and last, marked loops, one loop in detail, curves per loop, all live. */
class MonitorConsoleTest extends BrowserTest {

    private static final String ANNUAL_CARD = "#metric-cards [data-metric=annualized_return] .value";

    @Test
    void theCardsShowTheFirstLoopsNumbersWhileTheRunGoesOnWithoutAReload() {
        // two seconds a step: the first results come some eight seconds after the start, the page is open by then
        long id = Tasks.submit(api, "{\"name\": \"console-live\", \"loop_n\": 4, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"2\"}}");
        open("#/monitor/" + id);
        await("#metric-cards .card");
        assertThat(find(ANNUAL_CARD).getText()).isEqualTo("—");
        js("window.sameDocument = true");

        waitUpTo(Duration.ofSeconds(90)).until(d -> !find(ANNUAL_CARD).getText().equals("—"));
        JsonNode task = Tasks.get(api, id);
        assertThat(task.path("status").asText()).as("the card changed while the run goes on").isEqualTo("RUNNING");
        JsonNode shown = task.path("metrics").path(task.path("metrics").path("sota").isObject() ? "sota" : "last");
        assertThat(shown.path("loop").asInt()).isZero();
        assertThat(find(ANNUAL_CARD).getText())
                .isEqualTo(String.format(Locale.ROOT, "%.2f%%", shown.path("values").path("annualized_return").asDouble() * 100));
        assertThat(find("#result-caption").getText()).contains("第 0 轮");
        await("#loop-table tr[data-loop='0']");
        assertThat(js("return window.sameDocument === true")).as("no reload: the SSE stream brought it").isEqualTo(true);

        api.post("/api/rdagent/tasks/" + id + "/cancel", "");
        Tasks.awaitFinished(api, id, Duration.ofSeconds(60));
    }

    @Test
    void aRejectedLoopIsMarkedAndNeverShownAsBestAndEachLoopOpensWithItsCode() throws Exception {
        long pool = Datasets.knownPool(api);
        long id = Tasks.submit(api, "{\"name\": \"console-rejected\", \"loop_n\": 4, \"dataset_ids\": [" + pool + "],"
                + " \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\", \"RDAGENT_SIM_SEED\": \"225\", \"PATH\": \"/usr/bin:/bin\"}}");
        JsonNode metrics = Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofSeconds(120)).path("metrics");
        int best = metrics.path("best").path("loop").asInt();

        open("#/monitor/" + id);
        wait.until(d -> findAll("#loop-table tr[data-loop]").size() == 4);
        String rejected = "#loop-table tr[data-loop='3']";
        assertThat(find(rejected).getAttribute("class")).contains("rejected");
        assertThat(find(rejected + " .decision-no").getText()).isEqualTo("拒绝");
        assertThat(findAll(rejected + " .mark.best")).isEmpty();
        assertThat(findAll(rejected + " .mark.sota")).isEmpty();
        assertThat(find("#loop-table tr[data-loop='" + best + "'] .mark.best").getText()).isEqualTo("最佳");

        click("#result-best");
        wait.until(d -> find("#result-caption").getText().contains("第 " + best + " 轮"));
        assertThat(find("#result-caption").getText()).contains("采纳").doesNotContain("拒绝");
        assertThat(find(ANNUAL_CARD).getText()).isEqualTo(String.format(Locale.ROOT, "%.2f%%",
                metrics.path("best").path("values").path("annualized_return").asDouble() * 100));
        screenshot("monitor-loops", 1280, 800);

        // the SOTA's curve by default, and the rejected loop's when chosen
        wait.until(d -> seriesLengths("equity-chart").stream().anyMatch(n -> n > 0));
        new Select(find("#curve-loop")).selectByValue("3");
        wait.until(d -> find("#chart-note").getText().isEmpty() && seriesLengths("equity-chart").stream().anyMatch(n -> n > 0));

        // one loop in detail: its code highlighted, its feedback, its experiments
        click("#loop-table tr[data-loop='0'] [data-action=loop-detail]");
        await("#loop-detail #code-view code.hljs");
        assertThat(find("#code-view").getText()).contains("def calculate_");
        assertThat(find("#loop-feedback").getText()).contains("观察");
        assertThat(find("#loop-detail").getText()).contains("基线").contains("因子");
        click("#code-files [data-file='conf_combined_factors.yaml']");
        wait.until(d -> find("#code-view").getText().contains("TopkDropoutStrategy"));
        assertThat(findAll("#code-view code.hljs span")).isNotEmpty();
        screenshot("monitor-loop-detail", 1280, 800);
    }

    @Test
    void aComparisonNamesTheRunWithoutACurveAndWhy() {
        long pool = Datasets.knownPool(api);
        String env = "\"dataset_ids\": [" + pool + "], \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\", \"RDAGENT_SIM_SEED\": \"225\","
                + " \"PATH\": \"/usr/bin:/bin\"";
        long withCurve = Tasks.submit(api, "{\"name\": \"compare-curve\", \"loop_n\": 1, " + env + "}}");
        long without = Tasks.submit(api, "{\"name\": \"compare-none\", \"loop_n\": 1, " + env
                + ", \"RDAGENT_SIM_NO_RESULTS\": \"1\"}}");
        Tasks.awaitStatus(api, withCurve, "SUCCEEDED", Duration.ofSeconds(90));
        Tasks.awaitStatus(api, without, "FAILED", Duration.ofSeconds(90));

        open("#/monitor/compare/" + withCurve + "," + without);
        wait.until(d -> seriesLengths("compare-chart").stream().anyMatch(n -> n > 0));
        wait.until(d -> find("#compare-note").getText().contains("#" + without));
        assertThat(find("#compare-note").getText()).contains("no experiment results yet");
        assertThat(find("#compare-note").getText()).doesNotContain("#" + withCurve + " ");
        assertThat(driver.findElements(By.cssSelector("#tab-monitor table.compare-metrics tbody tr"))).hasSize(2);
        // what differs between the two: the one variable only the second run set
        assertThat(find("#compare-differences table.compare-differences").getText()).contains("env.RDAGENT_SIM_NO_RESULTS");
    }

    @Test
    void aRunWhosePythonHasNoPandasSaysWhyItsCurveIsMissing(@TempDir Path bin) throws Exception {
        // python3 without its site packages, so without Debian's pandas, first on the simulator's PATH
        Path python = bin.resolve("python3");
        Files.writeString(python, "#!/bin/sh\nexec /usr/bin/python3 -S \"$@\"\n");
        assertThat(python.toFile().setExecutable(true)).isTrue();
        long id = Tasks.submit(api, "{\"name\": \"console-no-pandas\", \"loop_n\": 1, \"dataset_ids\": [" + Datasets.knownPool(api) + "],"
                + " \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\", \"RDAGENT_SIM_SEED\": \"225\", \"PATH\": \"" + bin + ":/usr/bin:/bin\"}}");
        Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofSeconds(90));
        assertThat(api.get("/api/rdagent/tasks/" + id + "/report?loop=0").json().path("reason").asText())
                .contains("has no pandas").contains("install python3-pandas");

        open("#/monitor/" + id);
        wait.until(d -> find("#curve-loop").findElements(By.cssSelector("option[value='0']")).size() == 1);
        new Select(find("#curve-loop")).selectByValue("0");
        wait.until(d -> find("#chart-note").getText().contains("install python3-pandas"));
        assertThat(find("#equity-chart").isDisplayed()).isFalse();
    }
}
