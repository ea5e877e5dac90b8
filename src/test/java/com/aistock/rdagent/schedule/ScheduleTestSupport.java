package com.aistock.rdagent.schedule;

import java.util.List;

import com.aistock.rdagent.support.Api;
import com.aistock.rdagent.support.IntegrationTest;
import com.fasterxml.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/** Schedule tests on the shared running service; no schedule or scheduled run outlives a test ({@link IntegrationTest}). */
public abstract class ScheduleTestSupport extends IntegrationTest {

    protected static final String PATH = "/api/rdagent/schedules";
    /** A run that is over in a second or two. */
    protected static final String QUICK_TASK = "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}";

    protected JsonNode create(String json) {
        Api.Response response = api.post(PATH, json);
        assertThat(response.status()).as(response.body()).isEqualTo(201);
        return response.json();
    }

    protected static String schedule(String name, String cron, String extra) {
        return "{\"name\": \"" + name + "\", \"cron\": \"" + cron + "\", " + extra + "}";
    }

    protected int tasksOf(long scheduleId) {
        return count("SELECT count(*) FROM rdagent_task WHERE schedule_id = ?", scheduleId);
    }

    protected List<String> outcomesOf(long scheduleId) {
        return jdbc.queryForList("SELECT outcome FROM rdagent_schedule_fire WHERE schedule_id = ? ORDER BY id",
                String.class, scheduleId);
    }

    /** Rows Quartz holds for the schedule: its trigger (and so its job) in the JDBC store. */
    protected int quartzTriggersOf(long scheduleId) {
        return count("SELECT count(*) FROM qrtz_triggers WHERE trigger_group = ? AND trigger_name = ?",
                ScheduleTriggers.GROUP, Long.toString(scheduleId));
    }

    protected int count(String sql, Object... args) {
        Integer count = jdbc.queryForObject(sql, Integer.class, args);
        return count == null ? 0 : count;
    }
}
