package com.aistock.rdagent.run;

import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import com.aistock.rdagent.system.SchedulerProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.Consumer;
import org.apache.camel.spi.ScheduledPollConsumerScheduler;
import org.springframework.stereotype.Component;

/**
 * Drives the {@code task-claim} SQL consumer: a poll every {@code scheduler.worker.poll-interval}, and one more
 * at once when a task is submitted here or on another node ({@link PendingTaskListener}), so a free worker starts
 * it without waiting for the next tick. Polls run on one thread, so a wake-up never claims alongside a scheduled
 * poll; wake-ups that come while one is already waiting to run are one poll.
 */
@Component("taskClaimScheduler")
public class TaskClaimScheduler implements ScheduledPollConsumerScheduler {

    private final long intervalMillis;
    /** A node without the worker role (or with the worker disabled) never claims. */
    private final boolean claims;
    /** A wake-up poll is queued and has not started yet. */
    private final AtomicBoolean woken = new AtomicBoolean();
    private ScheduledExecutorService executor;
    private Runnable poll;
    private CamelContext camelContext;

    public TaskClaimScheduler(SchedulerProperties properties) {
        this.intervalMillis = properties.worker().pollInterval().toMillis();
        this.claims = properties.worker().enabled() && properties.node().has("worker");
    }

    /** Called on submit: claim now if this node has room. */
    public void wake() {
        ScheduledExecutorService current = executor;
        if (current != null && poll != null && !current.isShutdown() && woken.compareAndSet(false, true)) {
            try {
                current.execute(() -> {
                    woken.set(false);
                    Runnable next = poll;
                    if (next != null) {
                        next.run();
                    }
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
            executor.scheduleWithFixedDelay(() -> {
                Runnable current = poll;
                if (current != null) {
                    current.run();
                }
            }, 0, intervalMillis, TimeUnit.MILLISECONDS);
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
