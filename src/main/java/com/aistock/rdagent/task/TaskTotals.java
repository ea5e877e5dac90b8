package com.aistock.rdagent.task;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The {@code total} of full task pages. Counting a long history costs a scan of the table (about 20 ms for
 * 100,000 tasks, on every request of every viewer), so a count is reused for up to a second per filter; viewers
 * that poll the list together share one count. A page that is not full knows its total exactly and never asks.
 */
final class TaskTotals {

    private static final long MAX_AGE_NANOS = 1_000_000_000L;
    private static final int MAX_FILTERS = 256;

    private record Count(long total, long countedAt) {
    }

    private final Map<TaskFilter, Count> counts = new ConcurrentHashMap<>();

    /** The total of the filter, counting with {@code count} when the last count is older than a second. */
    long total(TaskFilter filter, LongSupplier count) {
        if (counts.size() > MAX_FILTERS) {
            counts.clear(); // searches are many and short-lived; the common filters come back at once
        }
        long now = System.nanoTime();
        // compute() runs one count per filter at a time: concurrent viewers wait for it instead of counting too
        return counts.compute(filter, (key, last) ->
                last != null && now - last.countedAt() < MAX_AGE_NANOS ? last : new Count(count.getAsLong(), now)).total();
    }
}
