package com.aistock.rdagent.config;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.RdAgentInstallation;
import com.aistock.rdagent.system.Secrets;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import org.springframework.stereotype.Service;
import org.yaml.snakeyaml.nodes.Node;

/**
 * The config center (SPEC 6): the five templates (and the three read-only prompt files) and RD-Agent's
 * {@code .env} — shown, validated, changed through {@link ConfigStore}, and their versions listed, compared and
 * put back.
 */
@Service
public class ConfigService {

    static final int MAX_CONTENT_BYTES = 1024 * 1024;
    /** A Qlib market or benchmark name; it becomes part of a path. */
    private static final Pattern QLIB_NAME = Pattern.compile("^[A-Za-z0-9_]{1,64}$");

    private final ConfigStore store;
    private final ConfigVersions versions;
    private final TemplateChecks checks;
    private final ConnectionChecks connections;
    private final RdAgentInstallation installation;

    public ConfigService(ConfigStore store, ConfigVersions versions, TemplateChecks checks,
                         ConnectionChecks connections, RdAgentInstallation installation) {
        this.store = store;
        this.versions = versions;
        this.checks = checks;
        this.connections = connections;
        this.installation = installation;
    }

    /**
     * A template list item (SPEC 7.1); {@code file} is relative to RDAGENT_HOME.
     *
     * @param name    its history name (the prompt files' are path-qualified)
     * @param version the version it holds: a {@code drift} one was changed outside the service
     */
    public record TemplateFile(String file, String name, String sha256, OffsetDateTime mtime, long size,
                               boolean editable, ConfigVersion version) {
    }

    public record FileContent(String file, String content, String sha256, OffsetDateTime mtime, boolean editable,
                              ConfigVersion version) {
    }

    public record HistoryPage(List<ConfigVersion> items, long total, int page, int size) {
    }

    /** A version with its content (a .env masked). */
    public record HistoryVersion(@JsonUnwrapped ConfigVersion version, String content) {
    }

    /** @param to null for the current file */
    public record ConfigDiff(String file, long from, Long to, String fromSha256, String toSha256, boolean changed,
                             String diff) {
    }

    public record EnvEntry(String key, String value, boolean secret, String comment) {
    }

    public record EnvView(List<EnvEntry> entries, String sha256, ConfigVersion version) {
    }

    /** Lists the templates and prompt files, each reconciled with the disk first. */
    public List<TemplateFile> templates() {
        return ManagedFile.TEMPLATES_AND_PROMPTS.stream().map(file -> {
            ConfigStore.Live live = store.observe(file);
            ConfigStore.Current current = live.current();
            return new TemplateFile(file.path(), file.historyName(), current.sha256(), current.mtime(), current.size(),
                    file.editable(), live.version());
        }).toList();
    }

    public FileContent content(ManagedFile file) {
        ConfigStore.Live live = store.observe(file);
        ConfigStore.Current current = live.current();
        return new FileContent(file.path(), new String(current.content(), StandardCharsets.UTF_8), current.sha256(),
                current.mtime(), file.editable(), live.version());
    }

    /** Validated before anything is locked or written; the text is stored exactly as sent. */
    public ConfigStore.Written writeTemplate(ManagedFile file, String content, String expectedSha256, ConfigChange change) {
        requireEditable(file, "file");
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_CONTENT_BYTES) {
            throw ApiException.tooLarge("content", "a template may be at most 1 MiB");
        }
        return store.update(new ConfigStore.Edit(file, expectedSha256, current -> bytes,
                checked -> validate(file, content, "content")), change);
    }

    public ConfigStore.Written writeEnv(Map<String, String> entries, String expectedSha256, ConfigChange change) {
        entries.forEach(EnvRules::check);
        return store.update(new ConfigStore.Edit(ManagedFile.ENV, expectedSha256, current -> {
            Dotenv env = Dotenv.parse(new String(current, StandardCharsets.UTF_8));
            entries.forEach((key, value) -> {
                if (value == null) {
                    env.remove(key);
                } else if (Secrets.isSecret(key) && Secrets.MASK.equals(value)) {
                    // the form sends the mask back for a secret it did not change
                    env.get(key).orElseThrow(() -> ApiException.validation("entries." + key,
                            key + " has no stored value to keep; send the value itself"));
                } else {
                    env.set(key, value);
                }
            });
            return env.text().getBytes(StandardCharsets.UTF_8);
        }), change);
    }

    /** Puts a saved version back; the current content is saved first, as for any write. */
    public ConfigStore.Written rollback(HistoryTable table, long versionId, String expectedSha256, ConfigChange change) {
        ConfigVersion version = find(table, versionId);
        ManagedFile file = ManagedFile.of(table, version.file());
        requireEditable(file, "history_id");
        byte[] content = saved(version);
        return store.update(new ConfigStore.Edit(file, expectedSha256, current -> content, checked ->
                file.kind() == ManagedFile.Kind.TEMPLATE ? validate(file, text(content), "history_id") : null), change);
    }

    /** @param file null for every file of the table */
    public HistoryPage history(HistoryTable table, String file, int page, int size) {
        if (file != null) {
            store.observe(ManagedFile.of(table, file));
        }
        return new HistoryPage(versions.page(table, file, page, size), versions.count(table, file), page, size);
    }

    public HistoryVersion version(HistoryTable table, long id) {
        ConfigVersion version = find(table, id);
        return new HistoryVersion(version, ManagedFile.of(table, version.file()).display(saved(version)));
    }

    /** Unified diff of two versions, or of a version and the current file ({@code to} null). */
    public ConfigDiff diff(ManagedFile file, long from, Long to) {
        ConfigVersion fromVersion = versionOf(file, from, "from");
        byte[] toContent;
        String toSha256;
        if (to == null) {
            ConfigStore.Current current = store.observe(file).current();
            toContent = current.content();
            toSha256 = current.sha256();
        } else {
            ConfigVersion toVersion = versionOf(file, to, "to");
            toContent = saved(toVersion);
            toSha256 = toVersion.sha256();
        }
        String diff = unifiedDiff(file, file.path() + "@" + from, saved(fromVersion),
                file.path() + "@" + (to == null ? "current" : to), toContent);
        return new ConfigDiff(file.path(), from, to, fromVersion.sha256(), toSha256,
                !fromVersion.sha256().equals(toSha256), diff);
    }

    /** The versions a task ran, each compared with the file as it is now. */
    public TaskConfig taskConfig(Map<String, TemplateSnapshot.Entry> manifest) {
        List<TaskConfig.FileConfig> files = new ArrayList<>();
        for (Ran ran : ran(manifest)) {
            ConfigStore.Live live = store.observe(ran.file());
            TemplateSnapshot.Entry entry = ran.entry();
            byte[] sourceContent = ran.source() == null ? null : store.content(ran.source()).orElse(null);
            boolean changed = !live.current().sha256().equals(entry.sourceSha256());
            String path = ran.file().path();
            files.add(new TaskConfig.FileConfig(path, ran.file().historyName(), entry.sha256(), entry.sourceSha256(),
                    ran.source(), !entry.sha256().equals(entry.sourceSha256()), live.current().sha256(), live.version(),
                    changed, sourceContent == null || !changed ? "" : unifiedDiff(ran.file(),
                    path + "@" + ran.source().id(), sourceContent, path + "@current", live.current().content())));
        }
        return new TaskConfig(files, files.stream().noneMatch(TaskConfig.FileConfig::changed));
    }

    /**
     * Makes the versions a task ran from the live ones: one {@code restore} version per file that differs now, all
     * with the same note, in one change (every file's sha256 must still be the one the caller saw).
     *
     * @param expected file → the sha256 its current content had when the caller decided
     */
    public List<ConfigStore.Written> restore(Map<String, TemplateSnapshot.Entry> manifest,
                                             Map<String, String> expected, ConfigChange change) {
        List<ConfigStore.Edit> edits = new ArrayList<>();
        for (Ran ran : ran(manifest)) {
            ManagedFile file = ran.file();
            if (ran.source() == null) {
                throw ApiException.unprocessable("file", "the version of " + file.path() + " this task ran is no longer known");
            }
            byte[] content = saved(ran.source());
            String sha256 = expected.get(file.path());
            if (sha256 == null) {
                throw ApiException.validation("expected_sha256." + file.path(),
                        "is required: the sha256 of the current " + file.path() + " you decided on");
            }
            edits.add(new ConfigStore.Edit(file, sha256, current -> content,
                    checked -> validate(file, text(content), "file")));
        }
        return store.update(edits, change);
    }

    /** One template a task ran: its manifest entry and the version it came from (null when unknown). */
    private record Ran(ManagedFile file, TemplateSnapshot.Entry entry, ConfigVersion source) {
    }

    private List<Ran> ran(Map<String, TemplateSnapshot.Entry> manifest) {
        return RdAgentFiles.TEMPLATES.stream().filter(manifest::containsKey).map(path -> {
            ManagedFile file = ManagedFile.templateOrPrompt(path);
            return new Ran(file, manifest.get(path), sourceVersion(file, manifest.get(path)));
        }).toList();
    }

    /** The version a task's file came from: the one it names, or else (older tasks) the newest with its content. */
    private ConfigVersion sourceVersion(ManagedFile file, TemplateSnapshot.Entry entry) {
        Long id = entry.versionId() != null ? entry.versionId() : entry.historyId();
        if (id != null) {
            return versions.find(HistoryTable.TEMPLATE, id).orElse(null);
        }
        return versions.withContent(file, entry.sourceSha256()).orElse(null);
    }

    private static String unifiedDiff(ManagedFile file, String fromName, byte[] from, String toName, byte[] to) {
        List<String> original = file.display(from).lines().toList();
        List<String> revised = file.display(to).lines().toList();
        List<String> unified = UnifiedDiffUtils.generateUnifiedDiff(fromName, toName, original,
                DiffUtils.diff(original, revised), 3);
        return unified.isEmpty() ? "" : String.join("\n", unified) + "\n";
    }

    public TemplateConsistency.Report consistency() {
        return TemplateConsistency.check(installation.home(), checks);
    }

    public EnvView env() {
        ConfigStore.Live live = store.observe(ManagedFile.ENV);
        List<EnvEntry> entries = Dotenv.parse(new String(live.current().content(), StandardCharsets.UTF_8)).entries()
                .stream().map(entry -> {
                    boolean secret = Secrets.isSecret(entry.key());
                    String value = secret && !entry.value().isEmpty() ? Secrets.MASK : entry.value();
                    return new EnvEntry(entry.key(), value, secret, entry.comment());
                }).toList();
        return new EnvView(entries, live.current().sha256(), live.version());
    }

    public ConnectionChecks.LlmCheck testLlm() {
        Dotenv env = Dotenv.parse(new String(store.read(ManagedFile.ENV).content(), StandardCharsets.UTF_8));
        return connections.testLlm(env.get("OPENAI_API_BASE").orElse(null), env.get("OPENAI_API_KEY").orElse(null));
    }

    /** Any of the three left null is taken from the baseline template, the first one RD-Agent runs. */
    public ConnectionChecks.QlibCheck testQlib(String providerUri, String market, String benchmark) {
        if (providerUri == null || market == null || benchmark == null) {
            ManagedFile baseline = ManagedFile.templateOrPrompt(RdAgentFiles.TEMPLATES.get(0));
            Node root;
            try {
                root = JinjavaCheck.parse(new String(store.read(baseline).content(), StandardCharsets.UTF_8),
                        JinjavaCheck.DEFAULTS_ONLY, true);
            } catch (InvalidTemplateException e) {
                throw ApiException.unprocessable("file", baseline.path() + ": " + e.getMessage(), e.line(), e.column());
            }
            providerUri = providerUri != null ? providerUri : required(YamlPaths.scalar(root, "qlib_init.provider_uri"), "provider_uri");
            market = market != null ? market : required(YamlPaths.scalar(root, "market"), "market");
            benchmark = benchmark != null ? benchmark : required(YamlPaths.scalar(root, "benchmark"), "benchmark");
        }
        if (!QLIB_NAME.matcher(market).matches()) {
            throw ApiException.validation("market", "must be a Qlib market name (letters, digits, _)");
        }
        if (!QLIB_NAME.matcher(benchmark).matches()) {
            throw ApiException.validation("benchmark", "must be a Qlib instrument code (letters, digits, _)");
        }
        return connections.testQlib(providerUri, market, benchmark);
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiException.validation(field, "not given, and the baseline template has none");
        }
        return value;
    }

    private static void requireEditable(ManagedFile file, String field) {
        if (!file.editable()) {
            throw ApiException.validation(field, file.path() + " is read-only");
        }
    }

    private static String text(byte[] content) {
        return new String(content, StandardCharsets.UTF_8);
    }

    /** @return the engine that accepted it */
    private String validate(ManagedFile file, String template, String field) {
        try {
            return checks.check(file.path(), template);
        } catch (InvalidTemplateException e) {
            throw ApiException.unprocessable(field, e.getMessage(), e.line(), e.column());
        }
    }

    private ConfigVersion find(HistoryTable table, long id) {
        return versions.find(table, id).orElseThrow(() -> ApiException.notFound("no history version " + id));
    }

    private ConfigVersion versionOf(ManagedFile file, long id, String field) {
        ConfigVersion version = versions.find(file.historyTable(), id)
                .orElseThrow(() -> ApiException.notFound("no history version " + id));
        if (!version.file().equals(file.path())) {
            throw ApiException.validation(field, "history version " + id + " is of " + version.file() + ", not " + file.path());
        }
        return version;
    }

    private byte[] saved(ConfigVersion version) {
        return store.content(version).orElseThrow(() ->
                ApiException.notFound("the saved content of history version " + version.id() + " is gone"));
    }
}
