package com.aistock.rdagent.schedule;

import java.time.DayOfWeek;
import java.time.OffsetDateTime;

import com.aistock.rdagent.support.Api;
import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;

/** The schedules API: shapes, validation, and Quartz following the table in the same transaction. */
class ScheduleApiTest extends ScheduleTestSupport {

    @Autowired
    Scheduler scheduler;

    @Autowired
    ScheduleService schedules;

    @Test
    void aScheduleShowsItsNextFireTimesInItsZoneAndGetsAQuartzTrigger() {
        JsonNode created = create(schedule("开盘后", "30 9 * * 1-5", "\"task\": " + QUICK_TASK));
        long id = created.path("id").asLong();

        assertThat(created.path("cron").asText()).isEqualTo("30 9 * * 1-5");
        assertThat(created.path("quartz_cron").asText()).isEqualTo("0 30 9 ? * 2-6");
        assertThat(created.path("time_zone").asText()).isEqualTo("Asia/Shanghai");
        assertThat(created.path("overlap_policy").asText()).isEqualTo("skip");
        assertThat(created.path("misfire_policy").asText()).isEqualTo("fire_once");
        assertThat(created.path("enabled").asBoolean()).isTrue();
        assertThat(created.path("config_pin").path("mode").asText()).isEqualTo("current");
        assertThat(created.path("task").path("loop_n").asInt()).isEqualTo(1);
        assertThat(created.path("recent_tasks").isArray()).isTrue();
        assertThat(created.path("next_fire_times")).hasSize(5).allSatisfy(time -> {
            OffsetDateTime at = OffsetDateTime.parse(time.asText());
            assertThat(time.asText()).endsWith("+08:00");
            assertThat(at.toLocalTime().toString()).isEqualTo("09:30");
            assertThat(at.getDayOfWeek()).isNotIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
        });
        assertThat(jdbc.queryForMap("""
                SELECT cron_expression, time_zone_id FROM qrtz_cron_triggers
                 WHERE trigger_group = ? AND trigger_name = ?""", ScheduleTriggers.GROUP, Long.toString(id)))
                .containsEntry("cron_expression", "0 30 9 ? * 2-6")
                .containsEntry("time_zone_id", "Asia/Shanghai");

        assertThat(api.get(PATH + "/" + id).json().path("name").asText()).isEqualTo("开盘后");
        JsonNode list = api.get(PATH + "?size=200").json();
        assertThat(list.path("total").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(list.path("items").findValuesAsText("name")).contains("开盘后");
    }

    @Test
    void anEditReschedulesQuartzAndAPauseRemovesTheTrigger() {
        long id = create(schedule("edit me", "0 0 8 * * ?", "\"task\": " + QUICK_TASK)).path("id").asLong();

        Api.Response edited = api.put(PATH + "/" + id, schedule("edited", "0 15 10 ? * MON",
                "\"time_zone\": \"Europe/London\", \"misfire_policy\": \"skip\", \"task\": " + QUICK_TASK));

        assertThat(edited.status()).as(edited.body()).isEqualTo(200);
        assertThat(edited.json().path("next_fire_times").get(0).asText()).contains("T10:15:00");
        assertThat(jdbc.queryForMap("""
                SELECT c.cron_expression, c.time_zone_id, t.misfire_instr FROM qrtz_cron_triggers c
                  JOIN qrtz_triggers t USING (sched_name, trigger_name, trigger_group)
                 WHERE c.trigger_group = ? AND c.trigger_name = ?""", ScheduleTriggers.GROUP, Long.toString(id)))
                .containsEntry("cron_expression", "0 15 10 ? * MON")
                .containsEntry("time_zone_id", "Europe/London")
                .containsEntry("misfire_instr", 2); // MISFIRE_INSTRUCTION_DO_NOTHING

        JsonNode paused = api.post(PATH + "/" + id + "/pause", "").json();
        assertThat(paused.path("enabled").asBoolean()).isFalse();
        assertThat(paused.path("next_fire_times")).isEmpty();
        assertThat(quartzTriggersOf(id)).isZero();
        assertThat(api.post(PATH + "/" + id + "/resume", "").json().path("enabled").asBoolean()).isTrue();
        assertThat(quartzTriggersOf(id)).isOne();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "'\"cron\": \"every minute\", \"task\": {}'                                  | cron",
            "'\"cron\": \"0 9 1 * 1\", \"task\": {}'                                     | cron",
            "'\"cron\": \"0 0 9 * * ?\", \"time_zone\": \"Asia/Beijing\", \"task\": {}'  | time_zone",
            "'\"cron\": \"0 0 9 * * ?\", \"task\": {\"loop_n\": 0}'                      | task.loop_n",
            "'\"cron\": \"0 0 9 * * ?\", \"task\": {\"all_duration\": \"1h30m\"}'         | task.all_duration",
            "'\"cron\": \"0 0 9 * * ?\", \"task\": {\"tasks\": 1}'                       | task.tasks",
            "'\"cron\": \"0 0 9 * * ?\", \"task\": {\"dataset_ids\": [999999999]}'       | task.dataset_ids",
            "'\"cron\": \"0 0 9 * * ?\"'                                                 | task",
            "'\"cron\": \"0 0 9 * * ?\", \"task\": {}, \"overlap_policy\": \"maybe\"'    | overlap_policy",
            "'\"cron\": \"0 0 9 * * ?\", \"task\": {}, \"misfire_policy\": \"all\"'      | misfire_policy",
            "'\"cron\": \"0 0 9 * * ?\", \"task\": {}, \"config_pin\": {\"mode\": \"fixed\", \"history_ids\": [999999]}' | config_pin.history_ids"})
    void anInvalidScheduleIsRefusedNamingTheFieldAndNothingIsStored(String fields, String field) {
        int schedules = count("SELECT count(*) FROM rdagent_schedule");
        int triggers = count("SELECT count(*) FROM qrtz_triggers");

        Api.Response response = api.post(PATH, "{\"name\": \"bad\", " + fields + "}");

        assertThat(response.status()).as(response.body()).isEqualTo(400);
        assertThat(response.json().path("error").asText()).isEqualTo("validation");
        assertThat(response.json().path("field").asText()).isEqualTo(field);
        assertThat(count("SELECT count(*) FROM rdagent_schedule")).isEqualTo(schedules);
        assertThat(count("SELECT count(*) FROM qrtz_triggers")).isEqualTo(triggers);
    }

    @Test
    void anInvalidEditChangesNeitherTheRowNorQuartz() {
        long id = create(schedule("keep", "0 0 8 * * ?", "\"task\": " + QUICK_TASK)).path("id").asLong();

        Api.Response response = api.put(PATH + "/" + id, schedule("keep", "0 0 8 * * ?",
                "\"time_zone\": \"Nowhere/Land\", \"task\": " + QUICK_TASK));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json().path("field").asText()).isEqualTo("time_zone");
        assertThat(api.get(PATH + "/" + id).json().path("time_zone").asText()).isEqualTo("Asia/Shanghai");
        assertThat(jdbc.queryForObject("SELECT time_zone_id FROM qrtz_cron_triggers WHERE trigger_name = ?",
                String.class, Long.toString(id))).isEqualTo("Asia/Shanghai");
    }

    @Test
    void startUpReconcilesQuartzWithTheTableWhichWins() {
        long edited = create(schedule("edited behind Quartz's back", "0 0 8 * * ?", "\"task\": " + QUICK_TASK))
                .path("id").asLong();
        long paused = create(schedule("paused behind Quartz's back", "0 0 8 * * ?", "\"task\": " + QUICK_TASK))
                .path("id").asLong();
        long deleted = create(schedule("deleted behind Quartz's back", "0 0 8 * * ?", "\"task\": " + QUICK_TASK))
                .path("id").asLong();
        // as if changed while no node ran, or by an older version of the service
        jdbc.update("UPDATE rdagent_schedule SET cron = '0 45 14 * * ?' WHERE id = ?", edited);
        jdbc.update("UPDATE rdagent_schedule SET enabled = false WHERE id = ?", paused);
        jdbc.update("DELETE FROM rdagent_schedule WHERE id = ?", deleted);

        schedules.reconcileAll();

        assertThat(jdbc.queryForObject("""
                SELECT cron_expression FROM qrtz_cron_triggers WHERE trigger_group = ? AND trigger_name = ?""",
                String.class, ScheduleTriggers.GROUP, Long.toString(edited))).isEqualTo("0 45 14 * * ?");
        assertThat(quartzTriggersOf(paused)).isZero();
        assertThat(quartzTriggersOf(deleted)).isZero();
        assertThat(count("SELECT count(*) FROM qrtz_job_details WHERE job_group = ? AND job_name = ?",
                ScheduleTriggers.GROUP, Long.toString(deleted))).isZero();
    }

    @Test
    void unknownAndMalformedIdsAnswer404And400() {
        assertThat(api.get(PATH + "/999999999").status()).isEqualTo(404);
        Api.Response runNow = api.post(PATH + "/999999999/run-now", "");
        assertThat(runNow.json().path("error").asText()).as(runNow.status() + " " + runNow.body()).isEqualTo("not_found");
        assertThat(api.delete(PATH + "/999999999").status()).isEqualTo(404);
        Api.Response malformed = api.get(PATH + "/abc");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.json().path("field").asText()).isEqualTo("id");
    }

    @Test
    void quartzIsClusteredOnTheDatabaseAndRunsTheRetentionJob() throws SchedulerException {
        assertThat(scheduler.isStarted()).isTrue();
        assertThat(scheduler.getMetaData().isJobStoreClustered()).isTrue();
        assertThat(scheduler.getMetaData().isJobStoreSupportsPersistence()).isTrue();
        assertThat(count("SELECT count(*) FROM qrtz_triggers WHERE trigger_group = 'system' AND trigger_name = 'retention'"))
                .isOne();
        assertThat(count("SELECT count(*) FROM qrtz_scheduler_state")).isGreaterThanOrEqualTo(1);
    }
}
