package com.aistock.rdagent.run;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
    /** Written aside and renamed: a live viewer never reads half a curve. */
    private static final String SCRIPT = "import os, sys, pandas; pandas.read_pickle(sys.argv[1]).to_csv(sys.argv[2] + '.part');"
            + " os.replace(sys.argv[2] + '.part', sys.argv[2])";

    /** What the conversion printed, beside ret.pkl: why a curve is missing. */
    public static final String LOG = "ret-convert.log";

    private final String python;

    public RetConverter(SchedulerProperties properties) {
        this.python = properties.rdagent().python();
    }

    /** Converts what the live view has not converted yet; a failure becomes the run's warning. */
    public RunReport convert(RunReport report) throws InterruptedException {
        List<Experiment> experiments = new ArrayList<>();
        for (Experiment experiment : report.experiments()) {
            if (experiment.curve() || !Files.exists(experiment.folder().resolve("ret.pkl"))) {
                experiments.add(experiment);
                continue;
            }
            String problem = convert(experiment);
            if (problem != null) {
                report.warnings().add("no equity curve for " + experiment.name() + ": " + problem);
            }
            experiments.add(experiment.withCurve(problem == null));
        }
        return report.withExperiments(experiments);
    }

    /** One experiment's {@code ret.pkl} to {@code ret.csv} beside it; null when done, otherwise why not. */
    public String convert(Experiment experiment) throws InterruptedException {
        return toCsv(experiment.folder().resolve("ret.pkl"), experiment.folder().resolve("ret.csv"));
    }

    private String toCsv(Path pickle, Path csv) throws InterruptedException {
        Path output = pickle.resolveSibling(LOG);
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
