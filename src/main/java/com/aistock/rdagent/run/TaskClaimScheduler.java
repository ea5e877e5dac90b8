package com.aistock.rdagent.run;

import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.aistock.rdagent.system.FreeSpace;
import com.aistock.rdagent.system.RepeatedFailures;
import com.aistock.rdagent.system.SchedulerProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.spi.ScheduledPollConsumerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Drives the {@code task-claim} SQL consumer: a poll every {@code scheduler.worker.poll-interval}, and one more
 * at once when a task is submitted here or on another node ({@link PendingTaskListener}), so a free worker starts
 * it without waiting for the next tick. Polls run on one thread, so a wake-up never claims alongside a scheduled
 * poll; wake-ups that come while one is already waiting to run are one poll. It claims nothing while a folder
 * the service writes to is short of space (tasks stay PENDING for a node with room, or until space returns), nor
 * once the service is stopping.
 */
@Component("taskClaimScheduler")
public class TaskClaimScheduler implements ScheduledPollConsumerScheduler {

    private static final Logger log = LoggerFactory.getLogger(TaskClaimScheduler.class);
    private static final String NOT_CLAIMING = "Not claiming tasks";
    private final long intervalMillis;
    /** A node without the worker role (or with the worker disabled) never claims. */
    private final boolean claims;
    /** A wake-up poll is queued and has not started yet. */
    private final AtomicBoolean woken = new AtomicBoolean();
    private ScheduledExecutorService executor;
    private Runnable poll;
    private CamelContext camelContext;
    private final FreeSpace space;
    private volatile boolean closing;
    private volatile boolean spaceShort;

    public TaskClaimScheduler(SchedulerProperties properties, FreeSpace space) {
        this.intervalMillis = properties.worker().pollInterval().toMillis();
        this.claims = properties.worker().enabled() && properties.node().has("worker");
        this.space = space;
    }

    /** Called on submit: claim now if this node has room. */
    public void wake() {
        ScheduledExecutorService current = executor;
        if (current != null && poll != null && !current.isShutdown() && woken.compareAndSet(false, true)) {
            try {
                current.execute(() -> {
                    woken.set(false);
                    claimIfRoom();
                });
            } catch (RejectedExecutionException e) {
                // stopping: nothing to claim for
                woken.set(false);
            }
        }
    }

    /** Whether this node claims tasks at all: the worker role, and the worker enabled. */
    public boolean claims() {
        return claims;
    }

    /** The service is stopping: its runs are being stopped, and no new one may start behind them. */
    @EventListener(ContextClosedEvent.class)
    public void closing() {
        closing = true;
    }

    private void claimIfRoom() {
        Runnable current = poll;
        if (current == null || closing) {
            return;
        }
        try {
            Optional<FreeSpace.Folder> tight = space.shortOfSpace();
            if (tight.isPresent()) {
                spaceShort = true;
                RepeatedFailures.warn(log, NOT_CLAIMING, tight.get().describe() + ", below scheduler.health.min-free-space ("
                        + space.minFree() + ")");
                return;
            }
        } catch (RuntimeException e) {
            // a poll that throws would end the periodic claim for good
            RepeatedFailures.warn(log, "Measuring free space", e);
            return;
        }
        if (spaceShort) {
            spaceShort = false;
            RepeatedFailures.recovered(NOT_CLAIMING);
            log.info("Every folder has space again: claiming tasks");
        }
        current.run();
    }

    @Override
    public void onInit(Consumer consumer) {
        // the consumer hands its poll over in scheduleTask
    }

    @Override
    public void scheduleTask(Runnable task) {
        this.poll = task;
    }

    @Override
    public void unscheduleTask() {
        this.poll = null;
    }

    @Override
    public synchronized void startScheduler() {
        if (executor == null && claims) {
            executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "task-claim");
                thread.setDaemon(true);
                return thread;
            });
            executor.scheduleWithFixedDelay(this::claimIfRoom, 0, intervalMillis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public boolean isSchedulerStarted() {
        return executor != null || !claims;
    }

    @Override
    public void start() {
        // started by the consumer through startScheduler
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public void shutdown() {
        stop();
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }
}
