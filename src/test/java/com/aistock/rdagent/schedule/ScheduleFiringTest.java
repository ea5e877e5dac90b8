package com.aistock.rdagent.schedule;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.Tasks;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Schedules firing on the running service: fires, pause/resume/delete, overlap skip and queue, and run-now. */
class ScheduleFiringTest extends ScheduleTestSupport {

    static final String EVERY_2_SECONDS = "0/2 * * * * ?";
    /** One loop of five 2-second steps: a run that outlasts several 2-second periods. */
    static final String SLOW_TASK = "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"2\"}}";

    @Autowired
    CamelContext camelContext;

    /** Done once {@code count} schedule fires from now on (cron fires, not run-now) are over. */
    private NotifyBuilder fires(int count) {
        return new NotifyBuilder(camelContext).fromRoute("run-schedule").whenDone(count).create();
    }

    /** How many fires of an every-two-second schedule it takes in 20 s is a figure of ScheduleBenchmark. */
    @Test
    void everyFireOfAnEveryTwoSecondScheduleMakesATaskThenPauseResumeAndDeleteAreObeyed() {
        NotifyBuilder threeFires = fires(3);
        long id = create(schedule("every 2 s", EVERY_2_SECONDS,
                "\"overlap_policy\": \"queue\", \"task\": " + QUICK_TASK)).path("id").asLong();

        assertThat(threeFires.matches(30, TimeUnit.SECONDS)).as("three fires").isTrue();
        assertThat(api.post(PATH + "/" + id + "/pause", "").status()).isEqualTo(200);
        int made = tasksOf(id);

        assertThat(made).isGreaterThanOrEqualTo(3);
        assertThat(jdbc.queryForList("SELECT DISTINCT origin FROM rdagent_task WHERE schedule_id = ?", String.class, id))
                .containsExactly("schedule");
        assertThat(outcomesOf(id)).hasSize(made).containsOnly("created");
        assertThat(count("SELECT count(DISTINCT scheduled_at) FROM rdagent_schedule_fire WHERE schedule_id = ?", id))
                .as("each cron time once").isEqualTo(made);
        long lastTask = api.get(PATH + "/" + id).json().path("last_task_id").asLong();
        JsonNode task = Tasks.get(api, lastTask);
        assertThat(task.path("origin").asText()).isEqualTo("schedule");
        assertThat(task.path("schedule_id").asLong()).isEqualTo(id);
        assertThat(task.path("name").asText()).as("named after the schedule").isEqualTo("every 2 s");

        // paused: no trigger, and no fire for three periods
        assertThat(quartzTriggersOf(id)).isZero();
        assertThat(fires(1).matches(6, TimeUnit.SECONDS)).as("a fire while paused").isFalse();
        assertThat(tasksOf(id)).isEqualTo(made);

        NotifyBuilder resumed = fires(1);
        assertThat(api.post(PATH + "/" + id + "/resume", "").status()).isEqualTo(200);
        assertThat(resumed.matches(10, TimeUnit.SECONDS)).as("a fire once resumed").isTrue();
        assertThat(tasksOf(id)).isGreaterThan(made);

        Api.Response deleted = api.delete(PATH + "/" + id);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(quartzTriggersOf(id)).isZero();
        assertThat(count("SELECT count(*) FROM qrtz_job_details WHERE job_group = ? AND job_name = ?",
                ScheduleTriggers.GROUP, Long.toString(id))).isZero();
        assertThat(count("SELECT count(*) FROM rdagent_schedule WHERE id = ?", id)).isZero();
        assertThat(api.get(PATH + "/" + id).status()).isEqualTo(404);
        int afterDelete = tasksOf(id);
        assertThat(fires(1).matches(4, TimeUnit.SECONDS)).as("a fire once deleted").isFalse();
        assertThat(tasksOf(id)).isEqualTo(afterDelete);
    }

    @Test
    void overlapSkipCreatesNoSecondTaskWhileOneRunsAndRecordsEachSkip() {
        NotifyBuilder fourFires = fires(4);
        long id = create(schedule("slow", EVERY_2_SECONDS, "\"task\": " + SLOW_TASK)).path("id").asLong();
        assertThat(fourFires.matches(30, TimeUnit.SECONDS)).as("four fires").isTrue();
        long first = jdbc.queryForObject("SELECT id FROM rdagent_task WHERE schedule_id = ?", Long.class, id);
        assertThat(outcomesOf(id)).as("the first fire's task, then skips").startsWith("created")
                .filteredOn("skipped"::equals).hasSizeGreaterThanOrEqualTo(3);

        // read the status first: if the first run is still going now, it was going during every skip before
        String status = Tasks.get(api, first).path("status").asText();
        assertThat(status).isIn("PENDING", "RUNNING");
        assertThat(tasksOf(id)).isOne();
        JsonNode schedule = api.get(PATH + "/" + id).json();
        assertThat(schedule.path("recent_tasks")).hasSize(1);
        assertThat(schedule.path("last_task_id").asLong()).isEqualTo(first);
        List<JsonNode> skips = schedule.path("recent_fires").findParents("outcome").stream()
                .filter(fire -> fire.path("outcome").asText().equals("skipped")).toList();
        assertThat(skips).hasSizeGreaterThanOrEqualTo(3).allSatisfy(skip -> {
            assertThat(skip.path("reason").asText()).matches("previous task " + first + " is still (PENDING|RUNNING)");
            assertThat(skip.path("task_id").isNull()).isTrue();
            assertThat(skip.path("fired_by").asText()).isEqualTo("cron");
        });

        // once the run is over, the next fire creates the next task
        Tasks.awaitFinished(api, first, Duration.ofSeconds(90));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> api.get(PATH + "/" + id).json().path("recent_tasks").size() == 2);
    }

    /**
     * A schedule whose overlap policy is queue creates its next task while the previous one still runs: the
     * second task exists before the first is over.
     */
    @Test
    void overlapQueueCreatesATaskWhileThePreviousOneRuns() {
        NotifyBuilder twoFires = fires(2);
        long id = create(schedule("queued", EVERY_2_SECONDS, "\"overlap_policy\": \"queue\", \"task\": " + SLOW_TASK))
                .path("id").asLong();
        assertThat(twoFires.matches(30, TimeUnit.SECONDS)).as("two fires").isTrue();
        api.post(PATH + "/" + id + "/pause", "");

        JsonNode schedule = api.get(PATH + "/" + id).json();
        List<JsonNode> recent = schedule.path("recent_tasks").findParents("id");
        assertThat(recent).hasSizeGreaterThanOrEqualTo(2);
        JsonNode first = Tasks.get(api, recent.get(recent.size() - 1).path("id").asLong());
        JsonNode second = Tasks.get(api, recent.get(recent.size() - 2).path("id").asLong());
        // the first one's status read after the second exists: still active now, so active when it was created
        assertThat(first.path("status").asText()).isIn("PENDING", "RUNNING");
        assertThat(second.path("schedule_id").asLong()).isEqualTo(id);
        assertThat(schedule.path("recent_fires").findValuesAsText("outcome")).containsOnly("created");
    }

    @Test
    void runNowCreatesATaskEvenWhilePausedAndIsRefusedWhileItsRunIsActive() {
        long id = create(schedule("manual", EVERY_2_SECONDS, "\"enabled\": false, \"task\": " + SLOW_TASK))
                .path("id").asLong();
        assertThat(quartzTriggersOf(id)).isZero();

        Api.Response ran = api.post(PATH + "/" + id + "/run-now", "");

        assertThat(ran.status()).as(ran.body()).isEqualTo(201);
        long task = ran.json().path("id").asLong();
        assertThat(ran.json().path("origin").asText()).isEqualTo("schedule");
        assertThat(ran.json().path("schedule_id").asLong()).isEqualTo(id);
        Api.Response again = api.post(PATH + "/" + id + "/run-now", "");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().path("message").asText()).contains("previous task " + task + " is still");
        assertThat(jdbc.queryForList("SELECT fired_by || ':' || outcome FROM rdagent_schedule_fire WHERE schedule_id = ? ORDER BY id",
                String.class, id)).containsExactly("run_now:created", "run_now:skipped");
        assertThat(tasksOf(id)).isOne();
        assertThat(Set.of("PENDING", "RUNNING")).contains(Tasks.get(api, task).path("status").asText());
    }

    @Test
    void aFireThatCannotCreateItsTaskIsRecordedAsFailed() {
        long dataset = jdbc.queryForObject("""
                WITH pool AS (INSERT INTO rdagent_dataset_pool (name, market) VALUES ('doomed', 'doomed') RETURNING id)
                INSERT INTO rdagent_dataset (pool_id, provider_uri, instruments_file, symbol_count, sha256)
                SELECT id, '/nowhere', 'doomed.txt', 0, repeat('0', 64) FROM pool RETURNING id""", Long.class);
        long id = create(schedule("loses its dataset", EVERY_2_SECONDS,
                "\"enabled\": false, \"task\": {\"loop_n\": 1, \"dataset_ids\": [" + dataset + "]}")).path("id").asLong();
        jdbc.update("DELETE FROM rdagent_dataset WHERE id = ?", dataset);
        api.post(PATH + "/" + id + "/resume", "");

        await().atMost(Duration.ofSeconds(10)).until(() ->
                api.get(PATH + "/" + id).json().path("recent_fires").findValuesAsText("outcome").contains("failed"));
        Api.Response ran = api.post(PATH + "/" + id + "/run-now", "");

        assertThat(ran.status()).isEqualTo(400);
        assertThat(ran.json().path("field").asText()).isEqualTo("dataset_ids");
        assertThat(tasksOf(id)).isZero();
        assertThat(jdbc.queryForList("SELECT reason FROM rdagent_schedule_fire WHERE schedule_id = ?", String.class, id))
                .isNotEmpty().allMatch(reason -> reason.equals("dataset_ids: no dataset " + dataset));
        assertThat(jdbc.queryForList("SELECT DISTINCT fired_by FROM rdagent_schedule_fire WHERE schedule_id = ?",
                String.class, id)).containsExactlyInAnyOrder("cron", "run_now");
        assertThat(api.get(PATH + "/" + id).json().path("last_fire_at").isNull()).isFalse();
    }
}
