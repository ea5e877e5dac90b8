package com.aistock.rdagent.run;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Where each loop of a run started, read back from run.log alone. */
class LoopRebuildTest {

    @TempDir
    Path folder;

    @Test
    void theSimulatorsLogNamesEveryLoopWithItsStart() throws Exception {
        Path workspace = Files.createDirectories(folder.resolve("task"));
        Path runLog = workspace.resolve("run.log");
        OffsetDateTime before = OffsetDateTime.now().withNano(0);
        ProcessBuilder simulator = new ProcessBuilder("/usr/bin/python3",
                Path.of("src/main/resources/demo/rdagent-home/bin/rdagent").toAbsolutePath().toString(),
                "fin_quant", "--loop-n", "3")
                .directory(workspace.toFile())
                .redirectErrorStream(true)
                .redirectOutput(runLog.toFile());
        simulator.environment().putAll(Map.of("RDAGENT_SIM_STEP_SECONDS", "0",
                "LOG_TRACE_PATH", workspace.resolve("log").toString(), "WORKSPACE_PATH", workspace.resolve("ws").toString()));
        Process process = simulator.start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(runLog)).isZero();

        Map<Integer, OffsetDateTime> starts = LoopRebuild.loopStarts(runLog);

        assertThat(starts).containsOnlyKeys(0, 1, 2);
        assertThat(starts.values()).allSatisfy(start -> assertThat(start).isAfterOrEqualTo(before.minusSeconds(1))
                .isBeforeOrEqualTo(OffsetDateTime.now()));
        assertThat(starts.get(0)).isBeforeOrEqualTo(starts.get(1));
        assertThat(starts.get(1)).isBeforeOrEqualTo(starts.get(2));
    }

    @Test
    void progressBarsGlueLinesTogetherAndOtherFormatsCarryNoTime() throws Exception {
        Path runLog = folder.resolve("run.log");
        StringBuilder log = new StringBuilder();
        log.append("2026-12-01 09:30:00.250 | INFO     | rdagent.utils.workflow.loop:_run_step:120 - Start Loop 0, Step 0: direct_exp_gen\n");
        // tqdm's bar goes to stderr without a newline; the next loguru line follows it directly
        log.append("\rWorkflow Progress:  40%|####      | 2/5 [00:02<00:03, loop_index=0, step_index=2, step_name=running]");
        log.append("2026-12-01 09:31:00.000 | INFO     | rdagent.utils.workflow.loop:_run_step:120 - Start Loop 0, Step 2: running\n");
        // chatter up to just before the end of the first 1 MiB chunk, so the next marker straddles it
        String chatter = "momentum reversal volume turnover\n".repeat(((1 << 20) - log.length() - 60) / 34);
        log.append(chatter);
        log.append("2026-12-01 10:00:00.000 | INFO     | rdagent.utils.workflow.loop:_run_step:120 - Start Loop 1, Step 0: direct_exp_gen\n");
        // LOG_FORMAT_CONSOLE set to something else: the loop still counts, without a time
        log.append("2026-12-01T10:30:00+0800|INFO|rdagent.utils.workflow.loop:_run_step:120|Start Loop 2, Step 0: direct_exp_gen\n");
        Files.writeString(runLog, log, StandardCharsets.ISO_8859_1);

        Map<Integer, OffsetDateTime> starts = LoopRebuild.loopStarts(runLog);

        List<Integer> loops = new ArrayList<>(starts.keySet());
        assertThat(loops).containsExactly(0, 1, 2);
        ZoneId zone = ZoneId.systemDefault();
        assertThat(starts.get(0)).isEqualTo(java.time.LocalDateTime.of(2026, 12, 1, 9, 30, 0, 250_000_000)
                .atZone(zone).toOffsetDateTime());
        assertThat(starts.get(1)).isEqualTo(java.time.LocalDateTime.of(2026, 12, 1, 10, 0).atZone(zone).toOffsetDateTime());
        assertThat(starts.get(2)).isNull();
    }

    @Test
    void noLogNoLoops() throws Exception {
        assertThat(LoopRebuild.loopStarts(folder.resolve("missing.log"))).isEmpty();
    }
}
