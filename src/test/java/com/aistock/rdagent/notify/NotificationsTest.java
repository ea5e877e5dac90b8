package com.aistock.rdagent.notify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.support.Tasks;
import com.aistock.rdagent.task.SpendWarning;
import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Notifications end to end against real local servers: HTTP servers standing in for DingTalk, Feishu, WeCom and a
 * webhook receiver, GreenMail for SMTP. Signatures are checked with Python's hmac, as the robots document them.
 */
class NotificationsTest extends IntegrationTest {

    private static final String OK_DINGTALK = "{\"errcode\":0,\"errmsg\":\"ok\"}";
    private static final String SIGN_MISMATCH = "{\"errcode\":310000,\"errmsg\":\"sign not match\"}";
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int WECOM_MAX_BYTES = 4096;

    @Autowired
    private ApplicationEventPublisher events;

    @Autowired
    private DeliveryWorker deliveries;

    @AfterEach
    void removeChannels() {
        for (JsonNode channel : api.get("/api/rdagent/channels").json()) {
            api.delete("/api/rdagent/channels/" + channel.path("id").asLong());
        }
    }

    @Test
    void robotsAndWebhooksGetSignedMessagesAndARobotErrorIsRetried() throws IOException {
        try (RobotServer ding = new RobotServer(OK_DINGTALK).answerNext(SIGN_MISMATCH);
             RobotServer feishu = new RobotServer("{\"code\":0,\"msg\":\"success\"}");
             RobotServer wecom = new RobotServer("{\"errcode\":0,\"errmsg\":\"ok\"}");
             RobotServer hook = new RobotServer("{}")) {
            String dingSecret = "SECdingtalk-" + UUID.randomUUID();
            String feishuSecret = "feishu-secret-" + UUID.randomUUID();
            String wecomKey = "wecom-key-" + UUID.randomUUID();
            String hookSecret = "hook-secret-" + UUID.randomUUID();
            long dingId = channel("{\"name\":\"钉钉\",\"type\":\"dingtalk\",\"webhook\":\"" + ding.url("/robot/send")
                    + "?access_token=ding-token-" + UUID.randomUUID() + "\",\"secret\":\"" + dingSecret + "\"}");
            long feishuId = channel("{\"name\":\"飞书\",\"type\":\"feishu\",\"language\":\"en\",\"webhook\":\""
                    + feishu.url("/open-apis/bot/v2/hook/" + UUID.randomUUID()) + "\",\"secret\":\"" + feishuSecret + "\"}");
            long wecomId = channel("{\"name\":\"企业微信\",\"type\":\"wecom\",\"url\":\"" + wecom.url("/cgi-bin/webhook/send")
                    + "\",\"key\":\"" + wecomKey + "\"}");
            long hookId = channel("{\"name\":\"hook\",\"type\":\"webhook\",\"url\":\"" + hook.url("/hook")
                    + "\",\"secret\":\"" + hookSecret + "\"}");
            for (long channel : List.of(dingId, feishuId, wecomId, hookId)) {
                rule("{\"channel_id\":" + channel + ",\"events\":[\"task_succeeded\"],\"scope\":\"mine\"}");
            }

            long id = Tasks.submit(api, "{\"name\":\"动量因子\",\"loop_n\":1,\"callback_url\":\"" + hook.url("/callback")
                    + "\",\"env\":{\"RDAGENT_SIM_STEP_SECONDS\":\"0\"}}");
            Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofSeconds(60));
            await().atMost(WAIT).until(() -> ding.received().size() == 2 && feishu.received().size() == 1
                    && wecom.received().size() == 1 && hook.received("/hook").size() == 1 && hook.received("/callback").size() == 1);

            // DingTalk: timestamp and sign in the query, both times; markdown with the task, its cost and the console link
            JsonNode cost = api.get("/api/rdagent/tasks/" + id).json().path("cost").path("usd");
            assertThat(cost.isNumber()).as("the simulated run's cost").isTrue();
            for (RobotServer.Received request : ding.received()) {
                assertThat(request.param("sign")).isEqualTo(PythonSignatures.dingTalk(dingSecret, request.param("timestamp")));
                JsonNode body = request.json();
                assertThat(body.path("msgtype").asText()).isEqualTo("markdown");
                assertThat(body.path("markdown").path("text").asText()).contains("任务成功", "#" + id, "动量因子", "SUCCEEDED",
                        "IC ", "时长", "费用**: " + String.format(Locale.ROOT, "$%.2f", cost.asDouble()),
                        "http://rdagent.test/rdagent/#/monitor/" + id);
            }
            // Feishu: timestamp and sign in the body; English as the channel says
            JsonNode feishuBody = feishu.received().get(0).json();
            assertThat(feishuBody.path("sign").asText())
                    .isEqualTo(PythonSignatures.feishu(feishuSecret, feishuBody.path("timestamp").asText()));
            assertThat(feishuBody.path("content").path("text").asText()).contains("Task succeeded", "#" + id);
            // WeCom: the key in the URL
            assertThat(wecom.received().get(0).param("key")).isEqualTo(wecomKey);
            assertThat(wecom.received().get(0).json().path("markdown").path("content").asText()).contains("#" + id);
            // the webhook and the task's own callback_url: the task JSON, its HMAC in X-RDAgent-Signature
            RobotServer.Received hooked = hook.received("/hook").get(0);
            assertThat(hooked.header("X-RDAgent-Signature")).isEqualTo(PythonSignatures.webhook(hookSecret, hooked.body()));
            assertThat(hooked.json().path("id").asLong()).isEqualTo(id);
            RobotServer.Received callback = hook.received("/callback").get(0);
            assertThat(callback.header("X-RDAgent-Signature")).isEqualTo(PythonSignatures.webhook(CALLBACK_SECRET, callback.body()));

            // DingTalk's errcode with HTTP 200 was a failed attempt, then retried and sent; all recorded
            await().atMost(WAIT).until(() -> log("channel_id=" + dingId).size() == 2);
            List<JsonNode> dingLog = log("channel_id=" + dingId);
            assertThat(dingLog).extracting(a -> a.path("attempt").asInt()).containsExactly(2, 1);
            assertThat(dingLog).extracting(a -> a.path("outcome").asText()).containsExactly("sent", "failed");
            assertThat(dingLog.get(1).path("status_code").asInt()).isEqualTo(200);
            assertThat(dingLog.get(1).path("error").asText()).contains("310000", "sign not match");
            assertThat(dingLog).allMatch(a -> a.path("task_id").asLong() == id && a.path("kind").asText().equals("task_succeeded"));
            assertThat(api.get("/actuator/prometheus").body())
                    .containsPattern("rdagent_notifications_total\\{[^}]*outcome=\"failed\",type=\"dingtalk\"\\} [1-9]")
                    .containsPattern("rdagent_notifications_total\\{[^}]*outcome=\"sent\",type=\"webhook\"\\} [1-9]");
        }
    }

    @Test
    void budgetAndQuotaStopsArriveByEmailInChineseWithTheLink() throws Exception {
        GreenMail smtp = new GreenMail(ServerSetupTest.SMTP.dynamicPort());
        smtp.start();
        try {
            String password = "smtp-password-" + UUID.randomUUID();
            smtp.setUser("team@rdagent.test", "notifier", password);
            long channel = channel("{\"name\":\"邮件\",\"type\":\"email\",\"smtp_host\":\"127.0.0.1\",\"smtp_port\":"
                    + smtp.getSmtp().getPort() + ",\"security\":\"none\",\"username\":\"notifier\",\"password\":\"" + password
                    + "\",\"from\":\"rdagent@rdagent.test\",\"to\":[\"team@rdagent.test\"]}");
            rule("{\"channel_id\":" + channel + ",\"events\":[\"budget_stop\",\"quota_reached\"]}");

            long id = finishedTask();
            // a run stopped by its budget, then one stopped by a quota, as the spend tracking records them;
            // back to back, so both ends are usually processed after the second: each mail tells its own end
            jdbc.update("UPDATE rdagent_task SET status = 'FAILED', stop_reason = 'budget' WHERE id = ?", id);
            jdbc.update("UPDATE rdagent_task SET status = 'CANCELLED', stop_reason = 'quota' WHERE id = ?", id);
            assertThat(smtp.waitForIncomingEmail(WAIT.toMillis(), 2)).isTrue();

            MimeMessage[] mails = smtp.getReceivedMessages();
            assertThat(mails).hasSize(2);
            assertThat(mails).extracting(NotificationsTest::subject).containsExactlyInAnyOrder(
                    "【RD-Agent】预算用尽，任务已停止 #" + id + " 结束的任务", "【RD-Agent】配额已满，任务已停止 #" + id + " 结束的任务");
            MimeMessage budget = java.util.Arrays.stream(mails).filter(m -> subject(m).contains("预算")).findFirst().orElseThrow();
            assertThat(budget.getContentType()).containsIgnoringCase("charset=UTF-8");
            assertThat((String) budget.getContent()).contains("状态: FAILED", "停止原因: budget",
                    "在控制台查看: http://rdagent.test/rdagent/#/monitor/" + id);
            assertThat(budget.getFrom()[0].toString()).isEqualTo("rdagent@rdagent.test");
        } finally {
            smtp.stop();
        }
    }

    @Test
    void aStalledRunAlertsOnceNotOncePerCheck() throws IOException {
        try (RobotServer ding = new RobotServer(OK_DINGTALK)) {
            long channel = channel("{\"name\":\"stall\",\"type\":\"dingtalk\",\"webhook\":\"" + ding.url("/robot/send")
                    + "?access_token=stall-token-" + UUID.randomUUID() + "\"}");
            long rule = rule("{\"channel_id\":" + channel + ",\"events\":[\"stalled\"],\"stall_after\":\"1s\"}");
            Path hold = Files.createTempFile(base(), "hold", ".flag");
            long id = Tasks.submit(api, "{\"loop_n\":1,\"env\":{\"RDAGENT_SIM_STEP_SECONDS\":\"0\",\"RDAGENT_SIM_HOLD_FILE\":\""
                    + hold + "\"}}");
            try {
                await().atMost(WAIT).until(() -> ding.received().size() == 1);
                // checked every 200 ms: ten more checks of the same stall send nothing more
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4)).until(() -> ding.received().size() == 1);
                assertThat(ding.received().get(0).json().path("markdown").path("text").asText())
                        .contains("任务停滞", "#" + id, "无进展");
                assertThat(log("task_id=" + id)).singleElement().satisfies(a -> {
                    assertThat(a.path("kind").asText()).isEqualTo("stalled");
                    assertThat(a.path("outcome").asText()).isEqualTo("sent");
                });
            } finally {
                api.delete("/api/rdagent/notification-rules/" + rule);
                Files.delete(hold);
            }
            Tasks.awaitFinished(api, id, Duration.ofSeconds(60));
        }
    }

    @Test
    void aBurstOfFiftyReachesADingTalkRobotWithinItsLimitWithNothingLost() throws IOException {
        try (RobotServer ding = new RobotServer(OK_DINGTALK); RobotServer slow = new RobotServer(OK_DINGTALK)) {
            long channel = channel("{\"name\":\"burst\",\"type\":\"dingtalk\",\"webhook\":\"" + ding.url("/robot/send")
                    + "?access_token=burst-token-" + UUID.randomUUID() + "\"}");
            rule("{\"channel_id\":" + channel + ",\"events\":[\"budget_warning\"]}");
            // a robot allowed one message a minute gets one (what was due then, at most ten); the rest wait, queued
            long limited = channel("{\"name\":\"limited\",\"type\":\"dingtalk\",\"rate_per_minute\":1,\"webhook\":\""
                    + slow.url("/robot/send") + "?access_token=slow-token-" + UUID.randomUUID() + "\"}");
            rule("{\"channel_id\":" + limited + ",\"events\":[\"budget_warning\"]}");
            long id = finishedTask();

            IntStream.rangeClosed(1, 50).forEach(i -> events.publishEvent(new SpendWarning(id, i, 100)));

            await().atMost(WAIT).until(() -> IntStream.rangeClosed(1, 50).allMatch(i -> ding.received().stream()
                    .anyMatch(r -> r.body().contains(String.format("$%d.00 / $100.00", i)))));
            assertThat(ding.received()).as("messages within a minute: DingTalk allows 20").hasSizeLessThanOrEqualTo(20);
            assertThat(ding.received().get(0).json().path("markdown").path("text").asText()).contains("预算已用 80%");
            await().atMost(WAIT).until(() -> log("channel_id=" + channel + "&size=200").size() == 50);
            assertThat(log("channel_id=" + channel + "&size=200")).allMatch(a -> a.path("outcome").asText().equals("sent"));

            await().atMost(WAIT).until(() -> slow.received().size() == 1);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> slow.received().size() == 1);
            List<JsonNode> limitedLog = log("channel_id=" + limited + "&size=200");
            assertThat(limitedLog).isNotEmpty().hasSizeLessThanOrEqualTo(10)
                    .allMatch(a -> a.path("batch_size").asInt() == limitedLog.size() && a.path("outcome").asText().equals("sent"));
        }
    }

    @Test
    void anotherNodeNeitherSendsWhileThisOneIsSendingToTheChannelNorSpendsItsBudgetAgain() throws IOException {
        CountDownLatch answer = new CountDownLatch(1);
        try (RobotServer ding = new RobotServer(OK_DINGTALK).holdNext(answer)) {
            long channel = channel("{\"name\":\"one-a-minute\",\"type\":\"dingtalk\",\"rate_per_minute\":1,\"webhook\":\""
                    + ding.url("/robot/send") + "?access_token=node-token-" + UUID.randomUUID() + "\"}");
            rule("{\"channel_id\":" + channel + ",\"events\":[\"budget_warning\"]}");
            long id = finishedTask();
            events.publishEvent(new SpendWarning(id, 1, 100));
            // this node is sending the first message; the robot has not answered yet
            await().atMost(WAIT).until(() -> ding.received().size() == 1);
            events.publishEvent(new SpendWarning(id, 2, 100));
            await().atMost(WAIT).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM rdagent_notify_delivery WHERE channel_id = ?", Long.class, channel) == 2);
            // another node's tick meanwhile: the minute's one message is being sent, so it sends nothing
            deliveries.deliver();
            answer.countDown();

            await().atMost(WAIT).until(() -> log("channel_id=" + channel).size() == 1);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> ding.received().size() == 1
                    && log("channel_id=" + channel).size() == 1);
            assertThat(ding.received().get(0).body()).contains("$1.00 / $100.00");
            assertThat(log("channel_id=" + channel)).singleElement()
                    .satisfies(a -> assertThat(a.path("outcome").asText()).isEqualTo("sent"));
        }
    }

    @Test
    void aChannelsBacklogWaitsForItsLimitWithoutHoldingUpTheOtherChannels() throws IOException {
        try (RobotServer busy = new RobotServer("{}"); RobotServer ding = new RobotServer(OK_DINGTALK)) {
            long backlogged = channel("{\"name\":\"backlog\",\"type\":\"webhook\",\"rate_per_minute\":1,\"url\":\""
                    + busy.url("/hook") + "\"}");
            long other = channel("{\"name\":\"other\",\"type\":\"dingtalk\",\"webhook\":\"" + ding.url("/robot/send")
                    + "?access_token=other-token-" + UUID.randomUUID() + "\"}");
            rule("{\"channel_id\":" + other + ",\"events\":[\"budget_warning\"]}");
            long id = finishedTask();
            // twenty thousand notifications queued for a webhook allowed one a minute, before the other channel's one
            jdbc.update("WITH e AS (INSERT INTO rdagent_notify_event (kind, processed_at) VALUES ('test', now()) RETURNING id)"
                    + " INSERT INTO rdagent_notify_delivery (event_id, channel_id, kind, message)"
                    + " SELECT e.id, ?, 'test', jsonb_build_object('title', 'backlog', 'markdown', 'backlog', 'text', 'backlog',"
                    + " 'body', '{\"backlog\":' || i || '}') FROM e, generate_series(1, 20000) i", backlogged);
            events.publishEvent(new SpendWarning(id, 1, 100));

            await().atMost(WAIT).until(() -> ding.received().size() == 1);
            // the backlog gets its one message of the minute; the rest waits, no attempt counted
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> busy.received().size() == 1);
            assertThat(log("channel_id=" + backlogged + "&size=200")).singleElement()
                    .satisfies(a -> assertThat(a.path("outcome").asText()).isEqualTo("sent"));
        }
    }

    @Test
    void aBurstOfLongChineseFailuresReachesWeComInMessagesItAccepts() throws IOException {
        // WeCom refuses markdown over 4096 bytes with errcode 40058
        try (RobotServer wecom = new RobotServer(request -> bytes(request.json().path("markdown").path("content").asText())
                > WECOM_MAX_BYTES ? "{\"errcode\":40058,\"errmsg\":\"markdown.content exceed max length 4096\"}"
                : "{\"errcode\":0,\"errmsg\":\"ok\"}")) {
            long channel = channel("{\"name\":\"企业微信长消息\",\"type\":\"wecom\",\"url\":\"" + wecom.url("/cgi-bin/webhook/send")
                    + "\",\"key\":\"wecom-key-" + UUID.randomUUID() + "\"}");
            long id = finishedTask();
            rule("{\"channel_id\":" + channel + ",\"events\":[\"task_failed\"],\"scope\":\"task\",\"scope_value\":\"" + id + "\"}");
            // twelve failures with a long Chinese reason, ended in one transaction so they are due together
            jdbc.update("UPDATE rdagent_task SET error = ? WHERE id = ?", "回测失败：因子表达式无法解析，数据集中缺少所需的字段。".repeat(10), id);
            jdbc.execute("DO $$ BEGIN FOR i IN 1..24 LOOP UPDATE rdagent_task SET status = CASE WHEN i % 2 = 1 THEN 'FAILED'"
                    + " ELSE 'SUCCEEDED' END WHERE id = " + id + "; END LOOP; END $$");

            await().atMost(WAIT).until(() -> wecom.received().stream().map(NotificationsTest::content)
                    .filter(content -> bytes(content) <= WECOM_MAX_BYTES).mapToInt(content -> count(content, "任务失败 #" + id)).sum() == 12);
            assertThat(wecom.received()).as("each message within WeCom's limit, none refused")
                    .allMatch(r -> bytes(content(r)) <= WECOM_MAX_BYTES).hasSizeGreaterThan(1);
            await().atMost(WAIT).until(() -> log("channel_id=" + channel + "&size=200").size() == 12);
            assertThat(log("channel_id=" + channel + "&size=200")).allMatch(a -> a.path("outcome").asText().equals("sent"));
        }
    }

    @Test
    void rulesMatchByScopeAndMetricAndTheDigestGoesOutOncePerDay() throws IOException {
        try (RobotServer hook = new RobotServer("{}")) {
            long channel = channel("{\"name\":\"scopes\",\"type\":\"webhook\",\"url\":\"" + hook.url("/hook") + "\"}");
            String batch = UUID.randomUUID().toString();
            long inBatch = rule("{\"channel_id\":" + channel + ",\"events\":[\"task_failed\"],\"scope\":\"batch\",\"scope_value\":\"" + batch + "\"}");
            rule("{\"channel_id\":" + channel + ",\"events\":[\"task_failed\"],\"scope\":\"batch\",\"scope_value\":\"" + UUID.randomUUID() + "\"}");
            long tagged = rule("{\"channel_id\":" + channel + ",\"events\":[\"task_failed\"],\"scope\":\"tag\",\"scope_value\":\"动量\"}");
            rule("{\"channel_id\":" + channel + ",\"events\":[\"task_failed\"],\"scope\":\"tag\",\"scope_value\":\"value\"}");
            long metric = rule("{\"channel_id\":" + channel + ",\"events\":[\"metric_threshold\"],\"metric\":\"ic\",\"threshold\":0.05}");
            long tooHigh = rule("{\"channel_id\":" + channel + ",\"events\":[\"metric_threshold\"],\"metric\":\"ic\",\"threshold\":0.08}");

            long id = finishedTask();
            // a task of the batch, tagged 动量, that ended with a SOTA IC of 0.06
            jdbc.update("INSERT INTO rdagent_batch (id, name) VALUES (CAST(? AS uuid), 'scopes')", batch);
            jdbc.update("UPDATE rdagent_task SET batch_id = CAST(? AS uuid), status = 'FAILED', tags = ARRAY['动量', 'x'],"
                    + " metrics = '{\"sota\": {\"values\": {\"ic\": 0.06}}}' WHERE id = ?", batch, id);
            await().atMost(WAIT).untilAsserted(() -> assertThat(log("task_id=" + id))
                    .extracting(a -> a.path("rule_id").asLong()).containsExactlyInAnyOrder(metric, inBatch, tagged));
            assertThat(log("task_id=" + id)).noneMatch(a -> a.path("rule_id").asLong() == tooHigh);
            assertThat(hook.received()).anyMatch(r -> r.json().path("id").asLong() == id && r.json().path("status").asText().equals("FAILED"));

            long digest = rule("{\"channel_id\":" + channel + ",\"events\":[\"digest\"],\"digest_time\":\"00:00\",\"time_zone\":\"UTC\"}");
            await().atMost(WAIT).until(() -> hook.received().stream().anyMatch(r -> r.body().contains("\"finished\"")));
            assertThat(hook.received().stream().filter(r -> r.body().contains("\"finished\"")).findFirst().orElseThrow()
                    .json().path("spend").isNumber()).as("yesterday's LLM spend").isTrue();
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                    .until(() -> hook.received().stream().filter(r -> r.body().contains("\"finished\"")).count() == 1);
            assertThat(api.get("/api/rdagent/notification-rules/" + digest).json().path("digest_time").asText()).isEqualTo("00:00");
        }
    }

    @Test
    void aRunThatReachesItsBudgetSendsTheWarningAndTheStop() throws IOException {
        try (RobotServer hook = new RobotServer("{}")) {
            long channel = channel("{\"name\":\"budget-" + UUID.randomUUID() + "\",\"type\":\"webhook\",\"url\":\""
                    + hook.url("/hook") + "\"}");
            rule("{\"channel_id\":" + channel + ",\"events\":[\"budget_warning\",\"budget_stop\"],\"scope\":\"mine\"}");
            // the simulator's loop 0 costs $0.0539 (seed 0): 80 % of $0.06 is passed in loop 0, the budget in loop 1
            long id = Tasks.submit(api, "{\"loop_n\": 4, \"max_cost_usd\": 0.06, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"1\"}}");
            Tasks.awaitFinished(api, id, Duration.ofSeconds(120));
            await().atMost(WAIT).until(() -> log("channel_id=" + channel + "&task_id=" + id).size() == 2);
            assertThat(log("channel_id=" + channel + "&task_id=" + id)).extracting(a -> a.path("kind").asText())
                    .containsExactlyInAnyOrder("budget_warning", "budget_stop");
            assertThat(hook.received()).anyMatch(r -> r.json().path("id").asLong() == id
                    && r.json().path("stop_reason").asText().equals("budget"));
        }
    }

    @Test
    void aSkippedScheduleFireIsNotifiedForThatSchedule() throws IOException {
        try (RobotServer hook = new RobotServer("{}")) {
            long channel = channel("{\"name\":\"fires\",\"type\":\"webhook\",\"url\":\"" + hook.url("/hook") + "\"}");
            Path hold = Files.createTempFile(base(), "hold", ".flag");
            Api.Response schedule = api.post("/api/rdagent/schedules", "{\"name\":\"skips-" + UUID.randomUUID()
                    + "\",\"cron\":\"0 0 3 * * ?\",\"overlap_policy\":\"skip\",\"task\":{\"loop_n\":1,\"env\":"
                    + "{\"RDAGENT_SIM_STEP_SECONDS\":\"0\",\"RDAGENT_SIM_HOLD_FILE\":\"" + hold + "\"}}}");
            assertThat(schedule.status()).as(schedule.body()).isEqualTo(201);
            long id = schedule.json().path("id").asLong();
            rule("{\"channel_id\":" + channel + ",\"events\":[\"schedule_skipped\",\"schedule_failed\"],"
                    + "\"scope\":\"schedule\",\"scope_value\":\"" + id + "\"}");
            try {
                assertThat(api.post("/api/rdagent/schedules/" + id + "/run-now", "").status()).isEqualTo(201);
                // the first task still runs: the overlap policy skips this fire
                assertThat(api.post("/api/rdagent/schedules/" + id + "/run-now", "").status()).isEqualTo(409);
                await().atMost(WAIT).until(() -> hook.received().size() == 1);
                JsonNode body = hook.received().get(0).json();
                assertThat(body.path("event").asText()).isEqualTo("schedule_skipped");
                assertThat(body.path("schedule_id").asLong()).isEqualTo(id);
                assertThat(body.path("reason").asText()).isNotBlank();
            } finally {
                Files.delete(hold);
            }
        }
    }

    @Test
    void channelSecretsStayMaskedAndBadInputIsRefusedNamingTheField() throws IOException {
        try (RobotServer ding = new RobotServer(OK_DINGTALK)) {
            String secret = "SECmasked-" + UUID.randomUUID();
            String webhook = ding.url("/robot/send") + "?access_token=masked-token-" + UUID.randomUUID();
            long id = channel("{\"name\":\"masked\",\"type\":\"dingtalk\",\"webhook\":\"" + webhook + "\",\"secret\":\"" + secret + "\"}");
            JsonNode shown = api.get("/api/rdagent/channels/" + id).json();
            assertThat(shown.path("secrets").path("webhook").asText()).isEqualTo("http://127.0.0.1/******");
            assertThat(shown.path("secrets").path("secret").asText()).isEqualTo("******");

            // renamed without its secrets (or with them masked, as shown): they are kept, and the test button signs
            Api.Response renamed = api.put("/api/rdagent/channels/" + id, "{\"name\":\"renamed\",\"type\":\"dingtalk\","
                    + "\"webhook\":\"http://127.0.0.1/******\"}");
            assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
            JsonNode tested = api.post("/api/rdagent/channels/" + id + "/test", "").json();
            assertThat(tested.path("ok").asBoolean()).as(tested.toString()).isTrue();
            RobotServer.Received test = ding.received().get(0);
            assertThat(test.param("sign")).isEqualTo(PythonSignatures.dingTalk(secret, test.param("timestamp")));
            assertThat(test.json().path("markdown").path("text").asText()).contains("测试消息", "renamed");
            ding.answerNext(SIGN_MISMATCH);
            JsonNode refused = api.post("/api/rdagent/channels/" + id + "/test", "").json();
            assertThat(refused.path("ok").asBoolean()).isFalse();
            assertThat(refused.path("error").asText()).contains("310000");
            // a robot echoing the webhook across where its answer is cut: masked all the same, not half shown
            String prefix = "{\"errcode\":0,\"errmsg\":\"ok\",\"echo\":\"";
            ding.answerNext(prefix + "x".repeat(510 - webhook.length() - prefix.length()) + webhook + "\"}");
            JsonNode echoed = api.post("/api/rdagent/channels/" + id + "/test", "").json();
            assertThat(echoed.path("answer").asText()).contains("******").doesNotContain("masked-token");

            refused("/api/rdagent/channels", "{\"name\":\"x\",\"type\":\"slack\"}", "type");
            refused("/api/rdagent/channels", "{\"name\":\"x\",\"type\":\"dingtalk\"}", "webhook");
            refused("/api/rdagent/channels", "{\"name\":\"x\",\"type\":\"dingtalk\",\"webhook\":\"ftp://robot\"}", "webhook");
            refused("/api/rdagent/channels", "{\"name\":\"x\",\"type\":\"wecom\",\"key\":\"k\",\"smtp_host\":\"h\"}", "smtp_host");
            refused("/api/rdagent/channels", "{\"name\":\"x\",\"type\":\"email\",\"smtp_host\":\"h\",\"from\":\"a@b\",\"to\":[\"nope\"]}", "to");
            refused("/api/rdagent/channels", "{\"name\":\"x\",\"type\":\"webhook\",\"url\":\"http://h/\",\"rate_per_minute\":0}", "rate_per_minute");
            assertThat(api.post("/api/rdagent/channels", "{\"name\":\"renamed\",\"type\":\"wecom\",\"key\":\"k\"}").status()).isEqualTo(409);
            refused("/api/rdagent/notification-rules", "{\"channel_id\":" + id + ",\"events\":[\"nope\"]}", "events");
            refused("/api/rdagent/notification-rules", "{\"channel_id\":999999999,\"events\":[\"task_failed\"]}", "channel_id");
            refused("/api/rdagent/notification-rules", "{\"channel_id\":" + id + ",\"events\":[\"task_failed\"],\"scope\":\"batch\",\"scope_value\":\"b\"}", "scope_value");
            refused("/api/rdagent/notification-rules", "{\"channel_id\":" + id + ",\"events\":[\"metric_threshold\"]}", "metric");
            refused("/api/rdagent/notification-rules", "{\"channel_id\":" + id + ",\"events\":[\"stalled\"],\"stall_after\":\"1h30m\"}", "stall_after");
            refused("/api/rdagent/notification-rules", "{\"channel_id\":" + id + ",\"events\":[\"digest\"],\"digest_time\":\"25:00\"}", "digest_time");
            assertThat(api.get("/api/rdagent/notification-rules?size=200").json().path("items")).isEmpty();

            // "notify me" rules belong to who made them: another operator may not change them, an admin may
            Api mine = operator();
            Api.Response own = mine.post("/api/rdagent/notification-rules", "{\"channel_id\":" + id + ",\"events\":[\"task_failed\"],\"scope\":\"mine\"}");
            assertThat(own.status()).as(own.body()).isEqualTo(201);
            long ruleId = own.json().path("id").asLong();
            assertThat(operator().delete("/api/rdagent/notification-rules/" + ruleId).status()).isEqualTo(403);
            assertThat(mine.put("/api/rdagent/notification-rules/" + ruleId, "{\"channel_id\":" + id
                    + ",\"events\":[\"task_failed\",\"stalled\"],\"scope\":\"mine\"}").status()).isEqualTo(200);
            assertThat(api.delete("/api/rdagent/notification-rules/" + ruleId).status()).isEqualTo(200);
            assertThat(api.get("/api/rdagent/channels/999999999").status()).isEqualTo(404);
            assertThat(api.get("/api/rdagent/notifications?task_id=x").json().path("field").asText()).isEqualTo("task_id");
        }
    }

    private static String content(RobotServer.Received request) {
        return request.json().path("markdown").path("content").asText();
    }

    private static int bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static int count(String text, String part) {
        return text.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    private static String subject(MimeMessage mail) {
        try {
            return mail.getSubject();
        } catch (jakarta.mail.MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private Api operator() {
        String name = "notifier" + UUID.randomUUID().toString().substring(0, 8);
        String password = "password-" + name;
        assertThat(api.post("/api/rdagent/users", Api.json(java.util.Map.of("username", name, "password", password,
                "role", "OPERATOR"))).status()).isEqualTo(201);
        return Api.as(port, name, password);
    }

    private void refused(String path, String body, String field) {
        Api.Response response = api.post(path, body);
        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("field").asText()).as(response.body()).isEqualTo(field);
    }

    /**
     * A task whose run has ended for good: a cancelled running task is CANCELLED at once but written again when its
     * process has stopped, which would end it twice under a test that changes its row meanwhile.
     */
    private long finishedTask() {
        long id = Tasks.submit(api, "{\"name\":\"结束的任务\",\"loop_n\":1,\"env\":{\"RDAGENT_SIM_STEP_SECONDS\":\"0\"}}");
        Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofSeconds(60));
        return id;
    }

    private long channel(String json) {
        Api.Response created = api.post("/api/rdagent/channels", json);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("id").asLong();
    }

    private long rule(String json) {
        Api.Response created = api.post("/api/rdagent/notification-rules", json);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().path("id").asLong();
    }

    private List<JsonNode> log(String query) {
        Api.Response page = api.get("/api/rdagent/notifications?" + query);
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        List<JsonNode> items = new java.util.ArrayList<>();
        page.json().path("items").forEach(items::add);
        return items;
    }
}
