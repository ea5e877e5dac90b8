package com.aistock.rdagent.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.aistock.rdagent.task.Metric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** sota, best and last as RD-Agent means them, and NaN or infinite results as pandas writes them. */
class RunSummaryTest {

    private static final String ANNUAL = Metric.ANNUALIZED_RETURN.qlibName();
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private static Experiment experiment(String name, int loop, String kind, double ic, double annual, String... nonFinite) {
        Map<String, Double> metrics = new java.util.HashMap<>(Map.of("IC", ic, ANNUAL, annual));
        for (String bad : nonFinite) {
            metrics.remove(bad);
        }
        return new Experiment(name, Path.of(name), loop, kind, metrics, List.of(nonFinite), T0.plusSeconds(60L * loop
                + (Experiment.BASELINE.equals(kind) ? 0 : 30)), false);
    }

    @Test
    void aRejectedLoopWithTheBestBacktestIsNeitherSotaNorBest() {
        List<Experiment> experiments = List.of(
                experiment("base", 0, "baseline", 0.05, 0.40),
                experiment("e0", 0, "factor", 0.02, 0.10),
                experiment("e1", 1, "factor", 0.03, 0.30),
                experiment("e2", 2, "model", 0.04, 0.05),
                experiment("e3", 3, "factor", 0.01, 0.50));
        RunSummary summary = RunSummary.of(experiments, Map.of(0, true, 1, true, 2, true, 3, false),
                Metric.ANNUALIZED_RETURN);

        assertThat(summary.sota().experiment()).as("the last accepted").isEqualTo("e2");
        assertThat(summary.best().experiment()).as("the accepted one with the best return").isEqualTo("e1");
        assertThat(summary.best().decision()).isTrue();
        assertThat(summary.last().experiment()).isEqualTo("e3");
        assertThat(summary.last().decision()).isFalse();
        assertThat(summary.best().values()).containsEntry("annualized_return", 0.30).containsEntry("ic", 0.03)
                .containsKeys("icir", "rank_ic", "rank_icir", "information_ratio", "max_drawdown");
        assertThat(summary.experiments()).isEqualTo(5);

        RunSummary byIc = RunSummary.of(experiments, Map.of(0, true, 1, true, 2, true, 3, false), Metric.IC);
        assertThat(byIc.best().experiment()).isEqualTo("e2");
        assertThat(byIc.rankBy()).isEqualTo("ic");
    }

    @Test
    void undecidedAndNonFiniteExperimentsNeverRank() {
        List<Experiment> experiments = List.of(
                experiment("e0", 0, "factor", 0.02, 0.10),
                experiment("e1", 1, "factor", 0.03, 0.90, "IC"),
                experiment("e2", 2, "factor", 0.04, 0.70));
        RunSummary summary = RunSummary.of(experiments, Map.of(0, true, 1, true), Metric.ANNUALIZED_RETURN);

        assertThat(summary.best().experiment()).isEqualTo("e0");
        assertThat(summary.sota().experiment()).as("loop 1's IC was NaN: not a result to build on").isEqualTo("e0");
        assertThat(summary.last().experiment()).isEqualTo("e2");
        assertThat(summary.last().decision()).as("not decided yet").isNull();
        assertThat(RunSummary.of(experiments, Map.of(), Metric.ANNUALIZED_RETURN).sota()).isNull();
        assertThat(RunSummary.of(List.of(), Map.of(), Metric.IC)).isNull();
    }

    @Test
    void qlibResultsKeepFiniteValuesAndNameTheOthers(@TempDir Path folder) throws IOException {
        Path csv = folder.resolve("qlib_res.csv");
        // as pandas' Series.to_csv writes them: NaN as nothing, infinities as inf
        Files.writeString(csv, ",0\nIC,\nICIR,nan\nRank IC,0.031\n" + ANNUAL + ",inf\n"
                + "1day.excess_return_with_cost.max_drawdown,-inf\nl2.valid,0.99\n");

        QlibResults results = QlibResults.parse(csv);

        assertThat(results.metrics()).containsOnlyKeys("Rank IC", "l2.valid");
        assertThat(results.nonFinite()).containsExactly("IC", "ICIR", ANNUAL, "1day.excess_return_with_cost.max_drawdown");
        Experiment experiment = new Experiment("x", folder, 1, "factor", results.metrics(), results.nonFinite(), T0, false);
        assertThat(experiment.isFinite()).isFalse();
        assertThat(ResultCollector.notFinite(List.of(experiment))).startsWith("IC was not finite in loop 1 (x)");
    }

    @Test
    void theReadingGivesEachWorkspaceTheLoopAndKindTheLogNamesItUnder(@TempDir Path root) throws IOException {
        Workspace workspace = new Workspace(root);
        Path base = Files.createDirectories(workspace.ws().resolve("a".repeat(32)));
        Path own = Files.createDirectories(workspace.ws().resolve("b".repeat(32)));
        Path model = Files.createDirectories(workspace.ws().resolve("c".repeat(32)));
        String log = String.join("\n",
                "2026-11-25 10:00:00.000 | INFO     | rdagent.utils.workflow.loop:_run_step:1 - Start Loop 0, Step 2: running",
                "2026-11-25 10:00:00.100 | INFO     | rdagent.scenarios.qlib.developer.factor_runner:develop:1 - Baseline experiment execution ...",
                "\u2503 Local Path \u2503 " + base + " \u2503",
                "2026-11-25 10:00:01.000 | INFO     | x:y:1 - New factor processing ...",
                "\u2503 Local Path \u2503 " + own + " \u2503",
                "2026-11-25 10:00:02.000 | INFO     | rdagent.utils.workflow.loop:_run_step:1 - Start Loop 1, Step 0: direct_exp_gen",
                "2026-11-25 10:00:03.000 | INFO     | rdagent.utils.workflow.loop:_run_step:1 - Start Loop 1, Step 2: running",
                "2026-11-25 10:00:03.100 | INFO     | x:y:1 - start to run GRU_Small model",
                "Volumes {'" + model + "': {'bind': '/workspace/qlib_workspace/', 'mode': 'rw'}}",
                "");
        Files.writeString(workspace.runLog(), log);
        for (Path folder : List.of(base, own, model)) {
            Files.writeString(folder.resolve("qlib_res.csv"), ",0\nIC,0.02\n" + ANNUAL + ",0.1\n");
        }

        RunReading reading = new RunReading(workspace);
        List<Experiment> experiments = reading.finish();

        assertThat(experiments).extracting(Experiment::name, Experiment::loop, Experiment::kind).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("a".repeat(32), 0, "baseline"),
                org.assertj.core.groups.Tuple.tuple("b".repeat(32), 0, "factor"),
                org.assertj.core.groups.Tuple.tuple("c".repeat(32), 1, "model"));
        assertThat(reading.position()).isEqualTo(new RunReading.Position(1, 2, "running"));
        assertThat(reading.advance()).as("nothing new").isEmpty();
    }
}
