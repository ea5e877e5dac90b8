package com.aistock.rdagent.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.aistock.rdagent.support.Api;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The task table as a leaderboard in the browser: a header click sorts, the filters live in the URL and survive a
 * reload, a star and tags are set from the table, and 50 runs are compared with their differences.
 */
class LeaderboardConsoleTest extends BrowserTest {

    private final String prefix = "lbc-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Long> ids = new ArrayList<>();

    @AfterEach
    void deleteTasks() {
        ids.forEach(id -> jdbc.update("DELETE FROM rdagent_task WHERE id = ?", id));
    }

    @Test
    void aHeaderSortsAndTheFiltersSurviveAReload() {
        long low = insert(prefix + "-low", 0.01, Map.of("loop_n", 3));
        long high = insert(prefix + "-high", 0.05, Map.of("loop_n", 3));
        long none = insert(prefix + "-none", null, Map.of("loop_n", 3));
        open("#/tasks?q=" + prefix);
        wait.until(d -> rowIds().size() == 3);
        assertThat(rowIds()).containsExactly(none, high, low);

        click("th button[data-sort=ic]");
        wait.until(d -> rowIds().equals(List.of(high, low, none)));
        assertThat(driver.getCurrentUrl()).contains("sort=-ic");
        click("th button[data-sort=ic]");
        wait.until(d -> rowIds().equals(List.of(low, high, none)));

        click("input[name=accepted]");
        wait.until(d -> rowIds().equals(List.of(low, high)));
        driver.navigate().refresh();
        wait.until(d -> rowIds().equals(List.of(low, high)));
        assertThat(find("input[name=accepted]").isSelected()).isTrue();
        assertThat(find("th[aria-sort=ascending] button[data-sort=ic]")).isNotNull();

        // a star and tags from the table
        click("tr[data-task-id='" + high + "'] [data-action=star]");
        wait.until(d -> api.get("/api/rdagent/tasks/" + high).json().path("starred").asBoolean());
        click("tr[data-task-id='" + high + "'] [data-action=labels]");
        WebElement tags = await("dialog[open] input[name=tags]");
        tags.sendKeys("动量🚀, csi300");
        setValue(find("dialog[open] textarea[name=note]"), "换手率偏高");
        clickDialogSave();
        wait.until(d -> find("tr[data-task-id='" + high + "'] .tags").getText().contains("动量🚀"));
        assertThat(api.get("/api/rdagent/tasks/" + high).json().path("note").asText()).isEqualTo("换手率偏高");
    }

    @Test
    void fiftyRunsAreComparedWithTheirDifferences() {
        for (int i = 0; i < 50; i++) {
            insert(prefix + "-" + i, 0.001 * i, Map.of("loop_n", i == 7 ? 9 : 3));
        }
        open("#/monitor/compare/" + String.join(",", ids.stream().map(String::valueOf).toList()));

        WebElement differences = await("#compare-differences table.compare-differences");
        assertThat(differences.findElements(org.openqa.selenium.By.cssSelector("thead th"))).hasSize(51);
        assertThat(differences.getText()).contains("loop_n");
        assertThat(find("#compare-differences tbody tr td:nth-child(9)").getText()).isEqualTo("9");
        wait.until(d -> findAll("table.compare-metrics tbody tr").size() == 50);
        wait.until(d -> ((Number) js("const c = window.echarts && echarts.getInstanceByDom("
                + "document.getElementById('compare-parallel')); return c ? c.getOption().series[0].data.length : 0;"))
                .intValue() == 50);
    }

    private void clickDialogSave() {
        click("dialog[open] footer button.primary");
    }

    private List<Long> rowIds() {
        List<Long> rows = new ArrayList<>();
        for (WebElement row : findAll("tr[data-task-id]")) {
            rows.add(Long.parseLong(row.getAttribute("data-task-id")));
        }
        return rows;
    }

    private long insert(String name, Double ic, Map<String, Object> params) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (String key : List.of("ic", "icir", "rank_ic", "rank_icir", "annualized_return", "information_ratio",
                "max_drawdown")) {
            values.put(key, null);
        }
        values.put("ic", ic);
        Map<String, Object> result = Map.of("loop", 0, "experiment", "0".repeat(32), "decision", true, "values", values,
                "non_finite", List.of(), "finished_at", "2026-11-06T10:00:00Z");
        String metrics = ic == null ? null : Api.json(Map.of("sota", result, "best", result, "last", result,
                "rank_by", "annualized_return", "experiments", 2));
        Map<String, Object> request = new LinkedHashMap<>(params);
        request.put("name", name);
        long id = jdbc.queryForObject("""
                INSERT INTO rdagent_task (name, scenario, status, origin, params, config_hash, config_manifest, metrics)
                VALUES (?, 'fin_quant', 'SUCCEEDED', 'api', CAST(? AS jsonb), repeat('0', 64), '{}', CAST(? AS jsonb))
                RETURNING id""", Long.class, name, Api.json(request), metrics);
        ids.add(id);
        return id;
    }
}
