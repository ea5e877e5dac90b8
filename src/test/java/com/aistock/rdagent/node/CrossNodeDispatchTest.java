package com.aistock.rdagent.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import com.aistock.rdagent.run.PendingTaskListener;
import com.aistock.rdagent.schedule.SecondInstance;
import com.aistock.rdagent.support.IntegrationTest;
import com.aistock.rdagent.support.Tasks;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.CamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A task submitted on this node is claimed by a worker on another node at once: this node's own claim is stopped,
 * and the other node polls once an hour, so only the NOTIFY its LISTEN connection receives can start the task
 * within the test's waits. The LISTEN connection comes back after its backend is terminated.
 */
class CrossNodeDispatchTest extends IntegrationTest {

    private static final String NODE_B = "listen-b";
    private static final String QUICK_TASK = "{\"loop_n\": 1, \"env\": {\"RDAGENT_SIM_STEP_SECONDS\": \"0\"}}";
    /** Far below node B's poll interval (1 h): a start within it was woken by NOTIFY. */
    private static final Duration PROMPTLY = Duration.ofSeconds(30);

    @Autowired
    DataSource dataSource;

    @Autowired
    CamelContext camelContext;

    @Test
    void aTaskPostedHereIsClaimedByTheOtherNodeAtOnceAndListeningSurvivesATerminatedBackend() throws Exception {
        String jdbcUrl = ((HikariDataSource) dataSource).getJdbcUrl();
        Path nodeBase = base().resolveSibling(base().getFileName() + "-" + NODE_B);
        camelContext.getRouteController().stopRoute("task-claim");
        try (SecondInstance nodeB = SecondInstance.startWorker(jdbcUrl, nodeBase, NODE_B,
                "--scheduler.worker.poll-interval=1h")) {
            long firstListener = awaitListener(0);

            for (int i = 0; i < 3; i++) {
                claimedByNodeB(Tasks.submit(api, QUICK_TASK));
            }

            jdbc.queryForList("SELECT pg_terminate_backend(CAST(? AS integer))", Boolean.class, firstListener);
            long secondListener = awaitListener(firstListener);
            assertThat(secondListener).isNotEqualTo(firstListener);
            claimedByNodeB(Tasks.submit(api, QUICK_TASK));
            assertThat(nodeB.logText()).contains("Lost the LISTEN connection", "Listening for pending tasks again");
        } finally {
            camelContext.getRouteController().startRoute("task-claim");
        }
    }

    private void claimedByNodeB(long id) {
        await().atMost(PROMPTLY).pollInterval(Duration.ofMillis(100)).until(() -> jdbc.queryForObject(
                "SELECT coalesce(node, '') FROM rdagent_task WHERE id = ?", String.class, id).equals(NODE_B));
        Tasks.awaitStatus(api, id, "SUCCEEDED", Duration.ofSeconds(60));
    }

    /** The backend pid of node B's LISTEN connection once it is listening, other than {@code previous}. */
    private long awaitListener(long previous) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> !listeners(previous).isEmpty());
        return listeners(previous).get(0);
    }

    private List<Long> listeners(long previous) {
        return jdbc.queryForList("""
                SELECT pid FROM pg_stat_activity
                 WHERE application_name = ? AND query LIKE 'LISTEN%' AND pid <> ?""",
                Long.class, PendingTaskListener.APPLICATION_NAME + NODE_B, previous);
    }
}
