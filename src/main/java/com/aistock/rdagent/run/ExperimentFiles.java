package com.aistock.rdagent.run;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.RdAgentInstallation;
import com.aistock.rdagent.system.SafePaths;
import com.aistock.rdagent.task.Task;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;

/**
 * Where one experiment's files are now: in the run's workspace ({@code ws/<experiment>/}) while it is there, in
 * the task's archive once the workspace is gone ({@code summary.json} says which archived name is which
 * experiment). Every path a user names stays inside its own folder.
 */
@Component
public class ExperimentFiles {

    /** The archive's folder of experiment code, one sub-folder per archived name. */
    static final String ARCHIVED_CODE = "experiments";
    private static final Pattern NAME = Pattern.compile("[0-9A-Za-z_-]{1,80}");
    private static final Set<String> CODE = Set.of(".py", ".yaml", ".yml", ".md", ".txt", ".json", ".sh", ".log");
    /** Results (archived as such) and the scheduler's own conversion log: not RD-Agent's code. */
    private static final Set<String> RESULTS = Set.of("qlib_res.csv", "ret.csv", "ret.pkl", RetConverter.LOG);
    private static final long MAX_CODE_BYTES = 1 << 20;

    /** One file of an experiment: {@code code} when it is text to show (source, templates, logs). */
    public record FileEntry(String path, long size, boolean code) {
    }

    private final ObjectMapper objectMapper;
    private final boolean demo;

    public ExperimentFiles(ObjectMapper objectMapper, RdAgentInstallation installation) {
        this.objectMapper = objectMapper;
        this.demo = installation.demo();
    }

    /** The text files RD-Agent put in an experiment's workspace (its code, templates, logs), not its results. */
    static List<Path> codeFiles(Path folder) throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(folder)) {
            return files;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path file : entries) {
                String name = file.getFileName().toString();
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && isCode(name) && !RESULTS.contains(name)
                        && Files.size(file) <= MAX_CODE_BYTES) {
                    files.add(file);
                }
            }
        }
        files.sort(null);
        return files;
    }

    private static boolean isCode(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 && CODE.contains(name.substring(dot));
    }

    /** Every regular file of the experiment's folder (not MLflow's store), code marked. */
    public List<FileEntry> list(Task task, String experiment) throws IOException {
        Optional<Path> folder = folder(task, experiment);
        List<FileEntry> entries = new ArrayList<>();
        if (folder.isEmpty()) {
            return entries;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(folder.get())) {
            for (Path file : files) {
                if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    String name = file.getFileName().toString();
                    entries.add(new FileEntry(name, Files.size(file),
                            isCode(name) && !RESULTS.contains(name) && Files.size(file) <= MAX_CODE_BYTES));
                }
            }
        }
        entries.sort((a, b) -> a.path().compareTo(b.path()));
        return entries;
    }

    /** One file of an experiment, named by the user: inside the experiment's folder or refused. */
    public Path file(Task task, String experiment, String path) {
        Path folder = folder(task, experiment).orElseThrow(() ->
                ApiException.notFound("experiment " + experiment + " has no files any more"));
        Path file = SafePaths.resolve(folder, path, "path");
        if (!Files.isRegularFile(file)) {
            throw ApiException.notFound("no file " + path + " in experiment " + experiment);
        }
        return file;
    }

    /** The experiment's folder: its workspace while it lasts, else its code in the archive. */
    public Optional<Path> folder(Task task, String experiment) {
        checkName(experiment);
        if (task.workspacePath() != null) {
            Path live = Path.of(task.workspacePath(), "ws", experiment);
            if (Files.isDirectory(live, LinkOption.NOFOLLOW_LINKS)) {
                return Optional.of(live);
            }
        }
        return archivedName(task, experiment).map(name -> Path.of(task.archivePath(), ARCHIVED_CODE, name))
                .filter(Files::isDirectory);
    }

    /** The experiment's {@code ret.csv}: the archived copy once archived, the workspace's while the run lasts. */
    public Optional<Path> curve(Task task, String experiment) {
        checkName(experiment);
        Optional<Path> archived = archivedName(task, experiment)
                .map(name -> Path.of(task.archivePath(), "results", name + "_ret.csv"));
        if (archived.isPresent()) {
            return archived.filter(Files::isRegularFile);
        }
        if (task.archivePath() != null) {
            // archives written before loop names: results/<experiment>_ret.csv
            Path older = Path.of(task.archivePath(), "results", experiment + "_ret.csv");
            if (Files.isRegularFile(older)) {
                return Optional.of(older);
            }
        }
        return live(task, experiment, "ret.csv");
    }

    /** Why an experiment has no curve, in words a researcher can act on. */
    public String missingCurve(Task task, String experiment) {
        boolean pickled = live(task, experiment, "ret.pkl").isPresent() || archivedName(task, experiment)
                .map(name -> Files.exists(Path.of(task.archivePath(), "results", name + "_ret.pkl"))).orElse(false);
        if (!pickled) {
            // the simulator writes its results without pandas, and ret.pkl only with it
            return demo ? "the demo's simulator wrote no ret.pkl for experiment " + experiment + ": its python3 has no"
                    + " pandas; install python3-pandas (apt-get install python3-pandas) to see equity curves"
                    : "RD-Agent wrote no ret.pkl for experiment " + experiment + " (its backtest did not finish)";
        }
        Optional<Path> log = live(task, experiment, RetConverter.LOG);
        String why = log.map(ExperimentFiles::lastLine).orElse("");
        if (why.contains("No module named")) {
            return "ret.pkl could not be read: RDAGENT_PYTHON has no pandas (" + why
                    + "); install python3-pandas, or point RDAGENT_PYTHON at RD-Agent's environment";
        }
        return why.isEmpty() ? "ret.pkl of experiment " + experiment + " is not converted yet"
                : "ret.pkl could not be converted: " + why;
    }

    private Optional<Path> live(Task task, String experiment, String file) {
        if (task.workspacePath() == null) {
            return Optional.empty();
        }
        Path path = Path.of(task.workspacePath(), "ws", experiment, file);
        return Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS) ? Optional.of(path) : Optional.empty();
    }

    private Optional<String> archivedName(Task task, String experiment) {
        if (task.archivePath() == null) {
            return Optional.empty();
        }
        Path summary = Path.of(task.archivePath(), "summary.json");
        try {
            for (JsonNode entry : objectMapper.readTree(summary.toFile()).path("experiments")) {
                if (experiment.equals(entry.path("experiment").asText())) {
                    return Optional.of(entry.path("name").asText()).filter(name -> NAME.matcher(name).matches());
                }
            }
        } catch (IOException unreadable) {
            // an archive without its summary has no experiments to show
        }
        return Optional.empty();
    }

    private static void checkName(String experiment) {
        if (experiment == null || !NAME.matcher(experiment).matches()) {
            throw ApiException.validation("experiment", "must be an experiment workspace name");
        }
    }

    private static String lastLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).strip();
                }
            }
        } catch (IOException e) {
            // no reason to give
        }
        return "";
    }
}
