package com.aistock.rdagent.run;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.aistock.rdagent.system.SqlFiles;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/** The attempts of tasks, each a process on a node ({@code rdagent_task_attempt}), and the leases they hold. */
@Repository
public class AttemptStore {

    private final NamedParameterJdbcTemplate jdbc;

    public AttemptStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record OpenAttempt(long id, long taskId, int attempt, long pid, long pidStarted, String taskStatus,
                              String taskNode, int taskAttempt, Long taskPid) {

        /** The task still counts on this very process. */
        public boolean stillOwns(String node) {
            return "RUNNING".equals(taskStatus) && node.equals(taskNode) && taskAttempt == attempt
                    && taskPid != null && taskPid == pid;
        }
    }

    public record LostTask(long id, int attempt, String node) {
    }

    public void attemptStarted(long taskId, String node, long pid, long pidStarted) {
        jdbc.update(SqlFiles.load("attempt-insert"), Map.of("taskId", taskId, "node", node, "pid", pid,
                "pidStarted", pidStarted));
    }

    public void attemptFinished(long taskId, String node, String outcome) {
        jdbc.update(SqlFiles.load("attempt-finish"), Map.of("taskId", taskId, "node", node, "outcome", outcome));
    }

    public void closeAttempt(long attemptId, String outcome) {
        jdbc.update(SqlFiles.load("attempt-close"), Map.of("id", attemptId, "outcome", outcome));
    }

    public List<OpenAttempt> openAttempts(String node) {
        return jdbc.query(SqlFiles.load("attempt-open-on-node"), Map.of("node", node), (rs, i) -> new OpenAttempt(
                rs.getLong("id"), rs.getLong("task_id"), rs.getInt("attempt"), rs.getLong("pid"),
                rs.getLong("pid_started"), rs.getString("status"), rs.getString("task_node"),
                rs.getInt("task_attempt"), rs.getObject("task_pid", Long.class)));
    }

    public List<LostTask> leaseExpired(Duration lease) {
        return jdbc.query(SqlFiles.load("task-lease-expired"), Map.of("leaseSeconds", lease.toSeconds()),
                (rs, i) -> new LostTask(rs.getLong("id"), rs.getInt("attempt"), rs.getString("node")));
    }

    public List<LostTask> runningOn(String node) {
        return jdbc.query(SqlFiles.load("task-running-on-node"), Map.of("node", node),
                (rs, i) -> new LostTask(rs.getLong("id"), rs.getInt("attempt"), node));
    }

    /** Fails the task, or queues its next attempt; false when someone else already dealt with it. */
    @Transactional
    public boolean lose(LostTask task, String reason) {
        boolean changed = jdbc.update(SqlFiles.load("task-lost"),
                Map.of("id", task.id(), "attempt", task.attempt(), "reason", reason)) == 1;
        if (changed) {
            jdbc.update(SqlFiles.load("attempt-mark-lost"), Map.of("taskId", task.id(), "attempt", task.attempt()));
        }
        return changed;
    }
}
