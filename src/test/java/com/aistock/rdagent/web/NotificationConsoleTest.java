package com.aistock.rdagent.web;

import java.io.IOException;
import java.util.UUID;

import com.aistock.rdagent.notify.RobotServer;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import static org.assertj.core.api.Assertions.assertThat;

/** 通知: a DingTalk channel added in the dialog (its key never shown again), its test button, and a rule. */
class NotificationConsoleTest extends BrowserTest {

    @AfterEach
    void removeChannels() {
        for (JsonNode channel : api.get("/api/rdagent/channels").json()) {
            api.delete("/api/rdagent/channels/" + channel.path("id").asLong());
        }
    }

    @Test
    void aChannelIsAddedTestedAndARuleSent() throws IOException {
        try (RobotServer robot = new RobotServer("{\"errcode\":0,\"errmsg\":\"ok\"}")) {
            String token = "console-token-" + UUID.randomUUID();
            open("#/notifications");
            click("#new-channel");
            await("dialog[open] input[name=name]").sendKeys("研究群");
            new Select(find("dialog[open] select[name=type]")).selectByValue("dingtalk");
            find("dialog[open] input[name=webhook]").sendKeys(robot.url("/robot/send") + "?access_token=" + token);
            find("dialog[open] input[name=secret]").sendKeys("SECconsole-" + UUID.randomUUID());
            screenshot("notification-channel-dialog", 1280, 800);
            confirm("保存");
            awaitNoDialog();

            String row = wait.until(d -> d.findElements(By.cssSelector("tr[data-channel-id]")).stream()
                    .filter(tr -> tr.getText().contains("研究群")).findFirst()
                    .map(tr -> "tr[data-channel-id='" + tr.getAttribute("data-channel-id") + "']").orElse(null));
            assertThat(find(row).getText()).contains("钉钉", "http://127.0.0.1/******").doesNotContain(token);

            click(row + " [data-action=test]");
            awaitToast("测试消息已送达");
            assertThat(robot.received()).hasSize(1);
            assertThat(robot.received().get(0).json().path("markdown").path("text").asText()).contains("测试消息", "研究群");

            click("#new-rule");
            await("dialog[open] input[name=events][value=stalled]").click();
            confirm("保存");
            awaitToast("规则已保存");
            wait.until(d -> find("#rules").getText().contains("停滞"));
            assertThat(find("#deliveries").getText()).isNotEmpty();
            screenshot("notifications", 1280, 800);
        }
    }
}
