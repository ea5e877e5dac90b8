package com.aistock.rdagent.spend;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import com.aistock.rdagent.run.RunRegistry;
import com.aistock.rdagent.run.WorkspacePreparer;
import com.aistock.rdagent.task.SpendWarning;
import com.aistock.rdagent.task.Task;
import com.aistock.rdagent.task.TaskStore;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Accounts the LLM calls of this node's runs as RD-Agent records them: each pass reads the {@code token_cost}
 * pickles that appeared in each running task's trace folder, prices and stores them (a file once, by its path, so
 * reading the folder again after a restart or a resume counts nothing twice), brings the task's and its loops'
 * {@code cost} up to date, and winds a run down when its budget or the installation's quota is reached. A run's
 * last records are read when it completes.
 */
@Component("spendWatch")
public class SpendWatch {

    private static final Logger log = LoggerFactory.getLogger(SpendWatch.class);
    /** A pickle that ends early may still be being written; after this long it is what it is. */
    static final Duration WRITE_PATIENCE = Duration.ofSeconds(5);
    private static final BigDecimal WARN_AT = new BigDecimal("0.8");

    /** What this node knows of a task it watches; passes over one task never overlap. */
    private static final class Watched {
        final int attempt;
        final Set<String> known;
        final String operator;
        final BigDecimal budget;
        boolean warned;
        boolean reached;

        Watched(int attempt, Set<String> known, String operator, BigDecimal budget) {
            this.attempt = attempt;
            this.known = known;
            this.operator = operator;
            this.budget = budget;
        }
    }

    private final RunRegistry registry;
    private final TaskStore tasks;
    private final SpendStore store;
    private final PriceTable prices;
    private final SpendQuotas quotas;
    private final LlmProperties.OnExceeded onExceeded;
    private final BigDecimal defaultBudget;
    private final ObjectMapper mapper;
    private final MeterRegistry meters;
    private final ApplicationEventPublisher events;
    private final Map<Long, Watched> watched = new ConcurrentHashMap<>();

    public SpendWatch(RunRegistry registry, TaskStore tasks, SpendStore store, PriceTable prices, SpendQuotas quotas,
                      LlmProperties properties, ObjectMapper mapper, MeterRegistry meters, ApplicationEventPublisher events,
                      @Value("${scheduler.defaults.max-cost-usd:#{null}}") BigDecimal defaultBudget) {
        this.registry = registry;
        this.tasks = tasks;
        this.store = store;
        this.prices = prices;
        this.quotas = quotas;
        this.onExceeded = properties.quota().onExceeded();
        this.defaultBudget = defaultBudget;
        this.mapper = mapper;
        this.meters = meters;
        this.events = events;
    }

    /**
     * Passes over the running tasks of this node, again at once while one found calls: a burst of records is
     * accounted as it lands instead of a watch interval after its end.
     */
    public void poll() throws IOException {
        boolean spent = false;
        for (boolean found = true; found; ) {
            found = false;
            for (RunRegistry.ActiveRun run : registry.activeRuns()) {
                found |= read(run, false);
            }
            spent |= found;
        }
        watched.keySet().retainAll(registry.activeTaskIds());
        if (spent && onExceeded == LlmProperties.OnExceeded.STOP) {
            quotas.installationReached().ifPresent(reason -> registry.activeRuns().forEach(run -> {
                if (run.windDownReason() == null) {
                    log.warn("Task {}: stopping, {}", run.spec().taskId(), reason);
                }
                registry.windDown(run.spec().taskId(), "quota");
            }));
        }
    }

    /** The run ended: its last records are read before it is archived. */
    public void settle(@Header(WorkspacePreparer.TASK_ID) long taskId) throws IOException {
        RunRegistry.ActiveRun run = registry.forTask(taskId);
        if (run != null) {
            read(run, true);
        }
        // forgotten by the next pass once the run is gone from the registry, not before: a pass meanwhile finds
        // nothing new instead of reading the folder afresh
    }

    /** @return whether calls were stored */
    private boolean read(RunRegistry.ActiveRun run, boolean last) throws IOException {
        long taskId = run.spec().taskId();
        int attempt = run.spec().attempt();
        // a resumed run is a new attempt: its budget is judged afresh
        Watched task = watched.compute(taskId, (id, known) -> known != null && known.attempt == attempt ? known
                : watch(id, attempt));
        if (task == null) {
            return false;
        }
        synchronized (task) {
            Path trace = run.spec().workspace().log();
            Map<String, PriceTable.Entry> table = null;
            List<SpendStore.Call> calls = new ArrayList<>();
            for (Path file : TraceRecords.newFiles(trace, task.known)) {
                String relative = trace.relativize(file).toString();
                TokenCost tokens;
                try {
                    tokens = TokenCostPickles.read(file);
                } catch (TokenCostPickles.Refused refused) {
                    if (refused.truncated && !last && youngerThan(file, WRITE_PATIENCE)) {
                        continue; // read again next pass
                    }
                    log.warn("Task {}: skipped {} in the trace folder: not a token_cost record ({})", taskId,
                            relative, refused.getMessage());
                    task.known.add(relative);
                    continue;
                } catch (IOException e) {
                    continue; // gone meanwhile
                }
                if (table == null) {
                    table = prices.snapshot();
                }
                calls.add(new SpendStore.Call(TraceRecords.Place.of(trace.relativize(file)), tokens,
                        PriceTable.price(tokens, table)));
            }
            if (calls.isEmpty()) {
                return false;
            }
            List<SpendStore.Call> stored = store.insert(taskId, attempt, task.operator, calls);
            calls.forEach(call -> task.known.add(call.place().path()));
            count(stored);
            BigDecimal usd = update(taskId, task);
            checkBudget(taskId, task, usd);
            return !stored.isEmpty();
        }
    }

    private Watched watch(long taskId, int attempt) {
        return tasks.find(taskId).map(task -> {
            Watched watched = new Watched(attempt, store.paths(taskId), task.operator(), budget(task));
            // the warning is once per task: an attempt (a resume, a re-attach after a restart) that starts past 80 %
            // has had it
            JsonNode spent = task.cost() == null ? null : task.cost().get("usd");
            watched.warned = watched.budget != null && spent != null && spent.isNumber()
                    && spent.decimalValue().compareTo(watched.budget.multiply(WARN_AT)) >= 0;
            return watched;
        }).orElse(null);
    }

    private BigDecimal budget(Task task) {
        JsonNode max = task.params() == null ? null : task.params().get("max_cost_usd");
        return max != null && max.isNumber() ? max.decimalValue() : defaultBudget;
    }

    /** Writes the task's and its loops' cost; answers the task's priced total (null: nothing priced). */
    private BigDecimal update(long taskId, Watched task) {
        List<SpendStore.Sum> sums = store.sums(taskId);
        ObjectNode cost = CostSummary.of(sums, mapper);
        BigDecimal usd = CostSummary.usd(sums);
        if (task.budget != null) {
            ObjectNode budget = cost.putObject("budget");
            budget.put("max_usd", task.budget);
            if (usd != null) {
                budget.put("percent", usd.multiply(BigDecimal.valueOf(100)).divide(task.budget, 1, RoundingMode.HALF_UP));
            }
            budget.put("warning", usd != null && usd.compareTo(task.budget.multiply(WARN_AT)) >= 0
                    ? (usd.compareTo(task.budget) >= 0 ? "budget reached: " : "80 % of the budget used: ")
                    + "$" + usd.setScale(4, RoundingMode.HALF_UP).toPlainString() + " of $" + task.budget.toPlainString()
                    : null);
        }
        store.updateTask(taskId, cost.toString(), usd);
        Map<Integer, List<SpendStore.Sum>> byLoop = new TreeMap<>();
        sums.stream().filter(sum -> sum.loop() != null)
                .forEach(sum -> byLoop.computeIfAbsent(sum.loop(), loop -> new ArrayList<>()).add(sum));
        byLoop.forEach((loop, loopSums) -> store.updateLoop(taskId, loop, CostSummary.of(loopSums, mapper).toString()));
        return usd;
    }

    private void checkBudget(long taskId, Watched task, BigDecimal usd) {
        if (task.budget == null || usd == null) {
            return;
        }
        if (!task.warned && usd.compareTo(task.budget.multiply(WARN_AT)) >= 0) {
            task.warned = true;
            log.warn("Task {}: 80 % of its LLM budget used (${} of ${})", taskId, usd.toPlainString(),
                    task.budget.toPlainString());
            events.publishEvent(new SpendWarning(taskId, usd.doubleValue(), task.budget.doubleValue()));
        }
        if (!task.reached && usd.compareTo(task.budget) >= 0) {
            task.reached = true;
            log.warn("Task {}: LLM budget of ${} reached (${}): it stops after its step", taskId,
                    task.budget.toPlainString(), usd.toPlainString());
            registry.windDown(taskId, "budget");
        }
    }

    private void count(List<SpendStore.Call> stored) {
        Map<String, List<SpendStore.Call>> byModel = new TreeMap<>();
        stored.forEach(call -> byModel.computeIfAbsent(call.tokens().model(), m -> new ArrayList<>()).add(call));
        byModel.forEach((model, calls) -> {
            BigDecimal usd = calls.stream().map(call -> call.priced().usd()).filter(Objects::nonNull)
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            Counter.builder("rdagent.llm.cost.usd").description("LLM spend in USD, as priced by the scheduler")
                    .tag("model", model).register(meters).increment(usd.doubleValue());
            tokens(model, "prompt").increment(calls.stream().mapToLong(call -> call.tokens().promptTokens()).sum());
            tokens(model, "completion").increment(calls.stream().mapToLong(call -> call.tokens().completionTokens())
                    .sum());
        });
    }

    private Counter tokens(String model, String kind) {
        return Counter.builder("rdagent.llm.tokens").description("LLM tokens used, by model and kind")
                .tag("model", model).tag("kind", kind).register(meters);
    }

    private static boolean youngerThan(Path file, Duration age) {
        try {
            return Files.getLastModifiedTime(file).toInstant().isAfter(Instant.now().minus(age));
        } catch (IOException e) {
            return false;
        }
    }
}
