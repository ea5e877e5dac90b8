package com.aistock.rdagent.run;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.aistock.rdagent.system.SchedulerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code ret.pkl} is a pickled pandas DataFrame: it is never unpickled in the JVM. RD-Agent's own interpreter
 * turns it into {@code ret.csv} in a short process; when that fails the run keeps its status, with a warning and
 * no equity curve.
 */
@Component("retConverter")
public class RetConverter {

    private static final Logger log = LoggerFactory.getLogger(RetConverter.class);
    private static final long TIMEOUT_SECONDS = 60;
    private static final String SCRIPT = "import sys, pandas; pandas.read_pickle(sys.argv[1]).to_csv(sys.argv[2])";

    private final String python;

    public RetConverter(SchedulerProperties properties) {
        this.python = properties.rdagent().python();
    }

    public RunReport convert(RunReport report) throws InterruptedException {
        for (Experiment experiment : report.experiments()) {
            Path pickle = experiment.folder().resolve("ret.pkl");
            if (!Files.exists(pickle)) {
                continue;
            }
            String problem = toCsv(pickle, experiment.folder().resolve("ret.csv"));
            if (problem != null) {
                report.warnings().add("no equity curve for " + experiment.name() + ": " + problem);
            }
        }
        return report;
    }

    private String toCsv(Path pickle, Path csv) throws InterruptedException {
        Path output = pickle.resolveSibling("ret-convert.log");
        try {
            Process process = new ProcessBuilder(List.of(python, "-c", SCRIPT, pickle.toString(), csv.toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return "conversion timed out after " + TIMEOUT_SECONDS + " s";
            }
            if (process.exitValue() != 0) {
                List<String> lines = Files.readAllLines(output);
                return lines.isEmpty() ? "exit code " + process.exitValue() : lines.get(lines.size() - 1);
            }
            return null;
        } catch (IOException e) {
            log.warn("Cannot run {} to convert {}", python, pickle, e);
            return "cannot run " + python + ": " + e.getMessage();
        }
    }
}
