package com.aistock.rdagent.run;

import java.util.List;
import java.util.Map;

import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.system.SqlFiles;
import com.aistock.rdagent.task.TaskOutcome;
import com.aistock.rdagent.task.TaskStatus;
import com.aistock.rdagent.task.TaskStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A task that has moved on to attempt 2 (on another node): whatever its attempt 1 still tries to record (workspace,
 * pid, progress, lease, outcome, being lost) changes nothing; attempt 2 records as usual, and once.
 */
class StaleAttemptTest extends IntegrationTest {

    private static final String NODE = "stale-attempt-node";

    @Autowired
    TaskStore tasks;

    @Autowired
    AttemptStore attempts;

    @Autowired
    NamedParameterJdbcTemplate named;

    private long id;

    /** Running as attempt 2 on a node of its own, freshly beating (no sweep touches it, no worker claims it). */
    @BeforeEach
    void taskOnItsSecondAttempt() {
        id = jdbc.queryForObject("""
                INSERT INTO rdagent_task (scenario, status, origin, params, config_hash, config_manifest, attempt,
                                          max_attempts, node, pid, workspace_path, started_at, heartbeat_at)
                VALUES ('fin_quant', 'RUNNING', 'api', '{}', repeat('0', 64), '{}', 2, 3, ?, 222, '/work/attempt-2',
                        now(), now())
                RETURNING id""", Long.class, NODE);
    }

    /** The task has no process behind it: it is ended here, before the shared service waits for its tasks to end. */
    @AfterEach
    void endTheTask() {
        jdbc.update("UPDATE rdagent_task SET status = 'CANCELLED', finished_at = now() WHERE id = ? AND status = 'RUNNING'", id);
    }

    @Test
    void theEarlierAttemptWritesNothing() {
        Map<String, Object> before = row();

        tasks.recordWorkspace(id, 1, "/work/attempt-1");
        tasks.recordProcess(id, 1, NODE, 111, 42);
        named.update(SqlFiles.load("task-progress"), Map.of("id", id, "attempt", 1, "progress", "{\"loop\": 9}"));
        assertThat(tasks.heartbeat(NODE, Map.of(id, 1))).as("leases renewed").isEmpty();
        assertThat(attempts.holds(id, 1, NODE)).isFalse();
        assertThat(attempts.lose(new AttemptStore.LostTask(id, 1, NODE), "node lost")).isFalse();
        assertThat(tasks.finish(outcome(1, TaskStatus.FAILED, 137))).as("outcome written").isFalse();

        assertThat(row()).isEqualTo(before);
    }

    @Test
    void theCurrentAttemptRecordsAndFinishes() {
        tasks.recordWorkspace(id, 2, "/work/attempt-2b");
        tasks.recordProcess(id, 2, NODE, 333, 42);
        named.update(SqlFiles.load("task-progress"), Map.of("id", id, "attempt", 2, "progress", "{\"loop\": 1}"));
        assertThat(tasks.heartbeat(NODE, Map.of(id, 2))).containsEntry(id, false);
        assertThat(attempts.holds(id, 2, NODE)).isTrue();
        assertThat(tasks.finish(outcome(2, TaskStatus.SUCCEEDED, 0))).isTrue();

        Map<String, Object> row = row();
        assertThat(row).containsEntry("status", "SUCCEEDED").containsEntry("exit_code", 0).containsEntry("pid", 333L)
                .containsEntry("workspace_path", "/work/attempt-2b").containsEntry("progress", "{\"loop\": 1}");
    }

    @Test
    void aLostRunWhoseCancelWasAskedForIsCancelledNotRunAgain() {
        jdbc.update("UPDATE rdagent_task SET cancel_requested = true WHERE id = ?", id);

        assertThat(attempts.lose(new AttemptStore.LostTask(id, 2, NODE), "node lost")).isTrue();

        assertThat(row()).as("attempt 3 was allowed, but the task was being cancelled")
                .containsEntry("status", "CANCELLED").containsEntry("attempt", 2).containsEntry("error", "node lost");
        assertThat(jdbc.queryForObject("SELECT stop_reason FROM rdagent_task WHERE id = ?", String.class, id))
                .isEqualTo("cancelled");
    }

    @Test
    void anAttemptIsOnRecordOnceHoweverOftenItIsRecorded() {
        attempts.attemptStarted(id, 1, NODE, 111, 42, PidSpace.current());
        attempts.attemptStarted(id, 2, NODE, 333, 42, PidSpace.current());
        attempts.attemptStarted(id, 2, NODE, 333, 42, PidSpace.current());

        assertThat(jdbc.queryForList("SELECT attempt FROM rdagent_task_attempt WHERE task_id = ?", Integer.class, id))
                .as("attempt rows").containsExactly(2);
    }

    private TaskOutcome outcome(int attempt, TaskStatus status, int exitCode) {
        return new TaskOutcome(id, attempt, status, exitCode, null, null, Map.of(), List.of(), null);
    }

    private Map<String, Object> row() {
        return jdbc.queryForMap("SELECT status, attempt, node, pid, workspace_path, CAST(progress AS text) AS progress,"
                + " exit_code, error, finished_at, heartbeat_at FROM rdagent_task WHERE id = ?", id);
    }
}
