package com.aistock.rdagent.run;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.aistock.rdagent.system.SqlFiles;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.annotation.Transactional;

/**
 * The attempts of tasks, each a process on a node ({@code rdagent_task_attempt}), and the leases they hold. Every
 * change names the attempt it is about, so an attempt the task has moved on from changes nothing.
 */
@Repository
public class AttemptStore {

    private final NamedParameterJdbcTemplate jdbc;

    public AttemptStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public record OpenAttempt(long id, long taskId, int attempt, long pid, long pidStarted, String pidSpace,
                              String taskStatus, String taskNode, int taskAttempt, Long taskPid, String workspace) {

        /** The task still counts on this very process. */
        public boolean stillOwns(String node) {
            return "RUNNING".equals(taskStatus) && node.equals(taskNode) && taskAttempt == attempt
                    && taskPid != null && taskPid == pid;
        }
    }

    public record LostTask(long id, int attempt, String node) {
    }

    /**
     * A running task whose lease ran out, with the process of its attempt when one is on record.
     *
     * @param silentSeconds how long neither the task's nor its node's heartbeat has been renewed
     */
    public record ExpiredLease(LostTask task, String workspace, Long attemptId, Long pid, Long pidStarted,
                               String pidSpace, double silentSeconds) {

        /** The process is on record in this pid space, so it can be checked and stopped from here. */
        public boolean runsHere() {
            return pid != null && PidSpace.isHere(pidSpace);
        }
    }

    public void attemptStarted(long taskId, int attempt, String node, long pid, long pidStarted, String pidSpace) {
        jdbc.update(SqlFiles.load("attempt-insert"), Map.of("taskId", taskId, "attempt", attempt, "node", node,
                "pid", pid, "pidStarted", pidStarted, "pidSpace", pidSpace));
    }

    public void attemptFinished(long taskId, int attempt, String node, String outcome) {
        jdbc.update(SqlFiles.load("attempt-finish"), Map.of("taskId", taskId, "attempt", attempt, "node", node,
                "outcome", outcome));
    }

    public void closeAttempt(long attemptId, String outcome) {
        jdbc.update(SqlFiles.load("attempt-close"), Map.of("id", attemptId, "outcome", outcome));
    }

    /** Whether this attempt still holds its task on this node. */
    public boolean holds(long taskId, int attempt, String node) {
        Long count = jdbc.queryForObject(SqlFiles.load("task-held"),
                Map.of("id", taskId, "attempt", attempt, "node", node), Long.class);
        return count != null && count > 0;
    }

    public List<OpenAttempt> openAttempts(String node) {
        return jdbc.query(SqlFiles.load("attempt-open-on-node"), Map.of("node", node), (rs, i) -> new OpenAttempt(
                rs.getLong("id"), rs.getLong("task_id"), rs.getInt("attempt"), rs.getLong("pid"),
                rs.getLong("pid_started"), rs.getString("pid_space"), rs.getString("status"),
                rs.getString("task_node"), rs.getInt("task_attempt"), rs.getObject("task_pid", Long.class),
                rs.getString("workspace_path")));
    }

    public List<ExpiredLease> leaseExpired(Duration lease) {
        return jdbc.query(SqlFiles.load("task-lease-expired"), Map.of("leaseSeconds", lease.toSeconds()),
                (rs, i) -> new ExpiredLease(
                        new LostTask(rs.getLong("id"), rs.getInt("attempt"), rs.getString("node")),
                        rs.getString("workspace_path"), rs.getObject("attempt_id", Long.class),
                        rs.getObject("pid", Long.class), rs.getObject("pid_started", Long.class),
                        rs.getString("pid_space"), rs.getDouble("silent_seconds")));
    }

    /**
     * Locks a task whose lease is still expired, within the caller's transaction; false when it was renewed
     * meanwhile, has moved on, or another sweeper holds it.
     */
    public boolean lockExpired(LostTask task, Duration lease) {
        return !jdbc.queryForList(SqlFiles.load("task-lock-expired"), Map.of("id", task.id(), "attempt", task.attempt(),
                "leaseSeconds", lease.toSeconds()), Long.class).isEmpty();
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
