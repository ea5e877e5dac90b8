package com.aistock.rdagent.config;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
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
 * {@code .env} — shown, validated, changed through {@link ConfigStore}, and their history listed, compared and
 * rolled back.
 */
@Service
public class ConfigService {

    static final int MAX_CONTENT_BYTES = 1024 * 1024;
    /** A Qlib market or benchmark name; it becomes part of a path. */
    private static final Pattern QLIB_NAME = Pattern.compile("^[A-Za-z0-9_]{1,64}$");

    private final ConfigStore store;
    private final ConfigHistory history;
    private final ConnectionChecks checks;
    private final RdAgentInstallation installation;

    public ConfigService(ConfigStore store, ConfigHistory history, ConnectionChecks checks,
                         RdAgentInstallation installation) {
        this.store = store;
        this.history = history;
        this.checks = checks;
        this.installation = installation;
    }

    /** A template list item (SPEC 7.1); {@code file} is relative to RDAGENT_HOME. */
    public record TemplateFile(String file, String name, String sha256, OffsetDateTime mtime, long size,
                               boolean editable) {
    }

    public record FileContent(String file, String content, String sha256, OffsetDateTime mtime, boolean editable) {
    }

    public record HistoryPage(List<HistoryEntry> items, long total, int page, int size) {
    }

    /** A history row with its saved content (a .env masked). */
    public record HistoryVersion(@JsonUnwrapped HistoryEntry entry, String content) {
    }

    /** @param to null for the current file */
    public record ConfigDiff(String file, long from, Long to, String fromSha256, String toSha256, boolean changed,
                             String diff) {
    }

    public record EnvEntry(String key, String value, boolean secret, String comment) {
    }

    public record EnvView(List<EnvEntry> entries, String sha256) {
    }

    /** Lists the templates and prompt files; a prompt file that changed on disk is saved to history first. */
    public List<TemplateFile> templates(String operator) {
        return ManagedFile.TEMPLATES_AND_PROMPTS.stream().map(file -> {
            ConfigStore.Current current = observe(file, operator);
            return new TemplateFile(file.path(), file.fileName(), current.sha256(), current.mtime(), current.size(),
                    file.editable());
        }).toList();
    }

    public FileContent content(ManagedFile file, String operator) {
        ConfigStore.Current current = observe(file, operator);
        return new FileContent(file.path(), new String(current.content(), StandardCharsets.UTF_8), current.sha256(),
                current.mtime(), file.editable());
    }

    /** Validated before anything is locked or written; the text is stored exactly as sent. */
    public ConfigStore.Written writeTemplate(ManagedFile file, String content, String expectedSha256, ConfigChange change) {
        requireEditable(file, "file");
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_CONTENT_BYTES) {
            throw ApiException.tooLarge("content", "a template may be at most 1 MiB");
        }
        validate(content);
        return store.update(file, expectedSha256, current -> bytes, change);
    }

    public ConfigStore.Written writeEnv(Map<String, String> entries, String expectedSha256, ConfigChange change) {
        entries.forEach(EnvRules::check);
        return store.update(ManagedFile.ENV, expectedSha256, current -> {
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
        }, change);
    }

    /** Puts a saved version back; the current content is saved first, as for any write. */
    public ConfigStore.Written rollback(HistoryTable table, long historyId, String expectedSha256, ConfigChange change) {
        HistoryEntry entry = entry(table, historyId);
        ManagedFile file = ManagedFile.of(table, entry.file());
        requireEditable(file, "history_id");
        byte[] content = saved(entry);
        if (file.kind() == ManagedFile.Kind.TEMPLATE) {
            validate(new String(content, StandardCharsets.UTF_8));
        }
        return store.update(file, expectedSha256, current -> content, change);
    }

    /** @param file null for every file of the table */
    public HistoryPage history(HistoryTable table, String file, int page, int size) {
        return new HistoryPage(history.page(table, file, page, size), history.count(table, file), page, size);
    }

    public HistoryVersion version(HistoryTable table, long id) {
        HistoryEntry entry = entry(table, id);
        return new HistoryVersion(entry, ManagedFile.of(table, entry.file()).display(saved(entry)));
    }

    /** Unified diff of two saved versions, or of a saved version and the current file ({@code to} null). */
    public ConfigDiff diff(ManagedFile file, long from, Long to) {
        HistoryEntry fromEntry = entryOf(file, from, "from");
        byte[] fromContent = saved(fromEntry);
        byte[] toContent;
        String toSha256;
        if (to == null) {
            ConfigStore.Current current = store.read(file);
            toContent = current.content();
            toSha256 = current.sha256();
        } else {
            HistoryEntry toEntry = entryOf(file, to, "to");
            toContent = saved(toEntry);
            toSha256 = toEntry.sha256();
        }
        List<String> original = file.display(fromContent).lines().toList();
        List<String> revised = file.display(toContent).lines().toList();
        List<String> unified = UnifiedDiffUtils.generateUnifiedDiff(file.path() + "@" + from,
                file.path() + "@" + (to == null ? "current" : to), original, DiffUtils.diff(original, revised), 3);
        return new ConfigDiff(file.path(), from, to, fromEntry.sha256(), toSha256,
                !fromEntry.sha256().equals(toSha256), unified.isEmpty() ? "" : String.join("\n", unified) + "\n");
    }

    public TemplateConsistency.Report consistency() {
        return TemplateConsistency.check(installation.home());
    }

    public EnvView env() {
        ConfigStore.Current current = store.read(ManagedFile.ENV);
        List<EnvEntry> entries = Dotenv.parse(new String(current.content(), StandardCharsets.UTF_8)).entries().stream()
                .map(entry -> {
                    boolean secret = Secrets.isSecret(entry.key());
                    String value = secret && !entry.value().isEmpty() ? Secrets.MASK : entry.value();
                    return new EnvEntry(entry.key(), value, secret, entry.comment());
                }).toList();
        return new EnvView(entries, current.sha256());
    }

    public ConnectionChecks.LlmCheck testLlm() {
        Dotenv env = Dotenv.parse(new String(store.read(ManagedFile.ENV).content(), StandardCharsets.UTF_8));
        return checks.testLlm(env.get("OPENAI_API_BASE").orElse(null), env.get("OPENAI_API_KEY").orElse(null));
    }

    /** Any of the three left null is taken from the baseline template, the first one RD-Agent runs. */
    public ConnectionChecks.QlibCheck testQlib(String providerUri, String market, String benchmark) {
        if (providerUri == null || market == null || benchmark == null) {
            ManagedFile baseline = ManagedFile.templateOrPrompt(RdAgentFiles.TEMPLATES.get(0));
            Node root;
            try {
                root = TemplateValidator.parse(new String(store.read(baseline).content(), StandardCharsets.UTF_8),
                        TemplateValidator.MODEL_VARIABLES);
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
        return checks.testQlib(providerUri, market, benchmark);
    }

    private static String required(String value, String field) {
        if (value == null || value.isBlank()) {
            throw ApiException.validation(field, "not given, and the baseline template has none");
        }
        return value;
    }

    private ConfigStore.Current observe(ManagedFile file, String operator) {
        if (!file.editable()) {
            store.backupIfChanged(file, operator);
        }
        return store.read(file);
    }

    private static void requireEditable(ManagedFile file, String field) {
        if (!file.editable()) {
            throw ApiException.validation(field, file.path() + " is read-only");
        }
    }

    private static void validate(String template) {
        try {
            TemplateValidator.validate(template);
        } catch (InvalidTemplateException e) {
            throw ApiException.unprocessable("content", e.getMessage(), e.line(), e.column());
        }
    }

    private HistoryEntry entry(HistoryTable table, long id) {
        return history.find(table, id).orElseThrow(() -> ApiException.notFound("no history version " + id));
    }

    private HistoryEntry entryOf(ManagedFile file, long id, String field) {
        HistoryEntry entry = entry(file.historyTable(), id);
        if (!entry.file().equals(file.path())) {
            throw ApiException.validation(field, "history version " + id + " is of " + entry.file() + ", not " + file.path());
        }
        return entry;
    }

    private byte[] saved(HistoryEntry entry) {
        return store.content(entry).orElseThrow(() ->
                ApiException.notFound("the saved file of history version " + entry.id() + " is gone"));
    }
}
