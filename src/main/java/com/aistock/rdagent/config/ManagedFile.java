package com.aistock.rdagent.config;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import com.aistock.rdagent.system.ApiException;

/**
 * A file the config center manages, named by its path relative to {@code RDAGENT_HOME}. Only these paths are
 * ever read or written, so a {@code file=} parameter cannot reach anything else.
 *
 * @param path relative to RDAGENT_HOME, as in {@link RdAgentFiles}
 */
public record ManagedFile(String path, Kind kind) {

    public enum Kind {
        TEMPLATE, PROMPT, ENV
    }

    public static final ManagedFile ENV = new ManagedFile(RdAgentFiles.ENV, Kind.ENV);

    /** The five templates, then the three read-only prompt files. */
    public static final List<ManagedFile> TEMPLATES_AND_PROMPTS = Stream.concat(
            RdAgentFiles.TEMPLATES.stream().map(path -> new ManagedFile(path, Kind.TEMPLATE)),
            RdAgentFiles.PROMPTS.stream().map(path -> new ManagedFile(path, Kind.PROMPT))).toList();

    /** Every managed file: the .env, the five templates, the three prompt files. */
    public static final List<ManagedFile> ALL = Stream.concat(Stream.of(ENV), TEMPLATES_AND_PROMPTS.stream()).toList();

    /** Where prompt files are told apart: their path below this folder. */
    private static final String SCENARIOS = "rdagent/scenarios/";

    /** The template or prompt file a {@code file=} parameter names; anything else is refused. */
    public static ManagedFile templateOrPrompt(String file) {
        if (RdAgentFiles.ENV.equals(file)) {
            throw ApiException.validation("file", ".env is managed under /api/rdagent/env");
        }
        return TEMPLATES_AND_PROMPTS.stream().filter(f -> f.path().equals(file)).findFirst()
                .orElseThrow(() -> ApiException.validation("file",
                        "must be one of the managed templates or prompt files: " + RdAgentFiles.TEMPLATES + ", " + RdAgentFiles.PROMPTS));
    }

    /** The file a history row belongs to. */
    public static ManagedFile of(HistoryTable table, String path) {
        return table == HistoryTable.ENV ? ENV : templateOrPrompt(path);
    }

    /** The content as it may be shown: a .env with its secrets masked. */
    public String display(byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        return kind == Kind.ENV ? Dotenv.parse(text).masked() : text;
    }

    public boolean editable() {
        return kind != Kind.PROMPT;
    }

    public HistoryTable historyTable() {
        return kind == Kind.ENV ? HistoryTable.ENV : HistoryTable.TEMPLATE;
    }

    public String fileName() {
        return RdAgentFiles.fileName(path);
    }

    /**
     * The name of its copies in the history folder and in listings: the file name, except for the three prompt
     * files, which share one ({@code qlib.experiment.prompts.yaml}, {@code qlib.prompts.yaml}, ...).
     */
    public String historyName() {
        return kind == Kind.PROMPT && path.startsWith(SCENARIOS)
                ? path.substring(SCENARIOS.length()).replace('/', '.') : fileName();
    }
}
