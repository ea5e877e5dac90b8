package com.aistock.rdagent.web;

import java.io.IOException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.Locale;
import java.util.UUID;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import static org.assertj.core.api.Assertions.assertThat;

/** 定时任务: a schedule made in the dialog with its fire times previewed, then paused, run now and deleted. */
class ScheduleConsoleTest extends BrowserTest {

    @Test
    void aScheduleIsPreviewedSavedPausedRunAndDeleted() throws IOException {
        String name = "console-nightly-" + UUID.randomUUID().toString().substring(0, 8);
        open("#/schedules");
        click("#new-schedule");
        await("dialog[open] input[name=name]").sendKeys(name);
        WebElement cron = find("dialog[open] input[name=cron]");
        cron.clear();
        cron.sendKeys("0 0 3 * * ?");
        find("dialog[open] input[name=time_zone]").clear();
        find("dialog[open] input[name=time_zone]").sendKeys("Asia/Shanghai");
        wait.until(d -> find("#cron-preview").findElements(By.tagName("div")).size() == 5
                && find("#cron-preview").getText().contains("03:00"));
        screenshot("schedule-dialog", 1280, 800);
        // the weekday belongs to the date in the schedule's zone
        String first = find("#cron-preview div").getText();
        LocalDate day = LocalDate.parse(first.substring(0, 10));
        assertThat(first).endsWith("(" + day.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.CHINA) + ")");

        cron.sendKeys(" nonsense");
        wait.until(d -> find("#cron-preview").getAttribute("class").contains("bad"));
        cron.clear();
        cron.sendKeys("0 0 3 * * ?");
        find("dialog[open] input[name=loop_n]").sendKeys("1");
        // the run-now task is quick, so none is still running when the suite ends
        find("dialog[open] details.more summary").click();
        await("dialog[open] textarea[name=env]").sendKeys("RDAGENT_SIM_STEP_SECONDS=0");
        confirm("保存");
        awaitToast("已保存定时任务 " + name);
        awaitNoDialog();

        String row = wait.until(d -> d.findElements(By.cssSelector("tr[data-schedule-id]")).stream()
                .filter(tr -> tr.getText().contains(name)).findFirst().map(tr -> "tr[data-schedule-id='"
                        + tr.getAttribute("data-schedule-id") + "']").orElse(null));
        // the list shows every time in the browser's zone, named in its headers
        String zone = (String) js("return Intl.DateTimeFormat().resolvedOptions().timeZone");
        String next = StreamSupport.stream(api.get("/api/rdagent/schedules?size=200").json().path("items").spliterator(), false)
                .filter(s -> s.path("name").asText().equals(name)).findFirst().orElseThrow()
                .path("next_fire_times").get(0).asText();
        String local = OffsetDateTime.parse(next).atZoneSameInstant(ZoneId.of(zone))
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
        assertThat(find(row).getText()).contains(local).contains("启用");
        assertThat(find("#tab-schedules thead").getText()).contains("(" + zone + ")");
        screenshot("schedules-list", 1280, 800);

        click(row + " [data-action=pause]");
        awaitToast(name + " 已暂停");
        wait.until(d -> find(row).getText().contains("已暂停"));

        click(row + " [data-action=run-now]");
        assertThat(awaitToast(name + " 已运行")).contains("#");
        wait.until(d -> !find(row).findElements(By.cssSelector("a[href^='#/monitor/']")).isEmpty());

        click(row + " [data-action=delete]");
        assertThat(await("dialog[open]").getText()).contains(name);
        confirm("删除");
        awaitToast("已删除 " + name);
        wait.until(d -> d.findElements(By.cssSelector(row)).isEmpty());
    }
}
