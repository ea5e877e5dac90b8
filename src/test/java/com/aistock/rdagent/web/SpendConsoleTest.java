package com.aistock.rdagent.web;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import static org.assertj.core.api.Assertions.assertThat;

/** 费用: a run's cost in the task table (USD and CNY), the spend chart by model, and a price set by ADMIN. */
class SpendConsoleTest extends BrowserTest {

    @Test
    void theCostColumnTheSpendChartAndAPriceEdit() throws IOException {
        long id = Tasks.submit(api, "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}");
        JsonNode task = Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofSeconds(90));
        double usd = task.path("cost").path("usd").asDouble();
        double rate = api.get("/api/rdagent/spend/prices").json().path("cny_rate").asDouble();

        open("#/tasks");
        String cell = "tr[data-task-id='" + id + "'] .cost";
        String text = await(cell).getText();
        assertThat(text).contains(String.format("$%.4f", usd)).contains(String.format("¥%.2f", usd * rate))
                .as("the coder's gateway model has no price").endsWith("+?");
        click("th button[data-sort=cost]");
        wait.until(d -> d.getCurrentUrl().contains("sort=-cost"));
        await("th[aria-sort=descending] button[data-sort=cost]");
        wait.until(d -> mostExpensiveFirst(js("return [...document.querySelectorAll('tr[data-task-id]')]"
                + ".map(row => row.querySelector('.cost')?.dataset.usd ?? '')")));

        open("#/spend");
        new Select(await("#tab-spend select[name=group_by]")).selectByValue("model");
        wait.until(d -> !d.findElements(By.cssSelector("#tab-spend tr[data-key='gpt-4o']")).isEmpty());
        await("#spend-chart canvas");
        assertThat(seriesLengths("spend-chart")).as("cost, prompt and completion tokens by model").hasSize(3)
                .allSatisfy(length -> assertThat(length).isGreaterThanOrEqualTo(2));
        screenshot("spend", 1280, 800);

        String model = "console-gateway-" + UUID.randomUUID().toString().substring(0, 8);
        click("#new-price");
        await("dialog[open] input[name=model]").sendKeys(model);
        find("dialog[open] input[name=prompt_per_m]").sendKeys("-1");
        find("dialog[open] input[name=completion_per_m]").sendKeys("2");
        confirm("保存");
        assertThat(await("dialog[open] .field-error").getText()).contains("0");
        setValue(find("dialog[open] input[name=prompt_per_m]"), "0.5");
        confirm("保存");
        awaitToast("价格已保存");
        awaitNoDialog();
        assertThat(await("#tab-spend tr[data-model='" + model + "']").getText()).contains("$0.5").contains("$2")
                .contains("admin");
        JsonNode saved = api.get("/api/rdagent/spend/prices").json().path("items");
        assertThat(saved.findValuesAsText("model")).contains(model);
    }

    /** The server's order by cost: highest first, unknown cost (blank) last. */
    private static boolean mostExpensiveFirst(Object cells) {
        List<String> usd = ((List<?>) cells).stream().map(String::valueOf).toList();
        int known = (int) usd.stream().takeWhile(cell -> !cell.isEmpty()).count();
        if (known == 0 || usd.subList(known, usd.size()).stream().anyMatch(cell -> !cell.isEmpty())) {
            return false;
        }
        for (int i = 1; i < known; i++) {
            if (Double.parseDouble(usd.get(i)) > Double.parseDouble(usd.get(i - 1))) {
                return false;
            }
        }
        return true;
    }
}
