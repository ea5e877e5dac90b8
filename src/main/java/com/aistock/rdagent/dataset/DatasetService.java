package com.aistock.rdagent.dataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.aistock.rdagent.config.ConnectionChecks;
import com.aistock.rdagent.config.RdAgentFiles;
import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.Hashes;
import com.aistock.rdagent.system.RdAgentInstallation;
import com.aistock.rdagent.system.SchedulerProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Stock-pool datasets: importing a file as a new version, choosing the default, deleting, comparing versions. A
 * dataset is found by its name exactly as given; its market, made once from the name, names its Qlib instruments
 * file. Each version keeps its own normalised file {@code data/datasets/<market>.v<version>.txt}, so a task always
 * gets the pool it was given, and a deleted version is only hidden.
 */
@Service
public class DatasetService {

    static final int MAX_NAME_LENGTH = 100;
    private static final int MAX_PROVIDER_URI_LENGTH = 1000;
    private static final Logger log = LoggerFactory.getLogger(DatasetService.class);
    private static final String BASELINE = RdAgentFiles.FACTOR_TEMPLATE + "/conf_baseline.yaml";
    /** The templates are Jinja2: expressions become a plain scalar, statements and comments go (neither key is in one). */
    private static final Pattern JINJA_EXPRESSION = Pattern.compile("\\{\\{.*?}}", Pattern.DOTALL);
    private static final Pattern JINJA_STATEMENT = Pattern.compile("\\{%.*?%}|\\{#.*?#}", Pattern.DOTALL);
    private static final Pattern NOT_IN_MARKET = Pattern.compile("[^a-z0-9]+");
    /** Characters a name cannot hold: controls, and the bidirectional overrides that make text read otherwise. */
    private static final Pattern NOT_IN_NAME = Pattern.compile("[\\p{Cc}\\p{Cs}\\u202A-\\u202E\\u2066-\\u2069\\uFFFD]");

    private final DatasetStore store;
    private final InstrumentsParser parser;
    private final String configuredProviderUri;
    private final RdAgentInstallation installation;
    private final SchedulerProperties properties;
    private final ConnectionChecks checks;

    public DatasetService(DatasetStore store, DatasetProperties datasetProperties, RdAgentInstallation installation,
                          SchedulerProperties properties, ConnectionChecks checks) {
        this.store = store;
        this.parser = new InstrumentsParser(datasetProperties.datasets().symbolPattern(),
                datasetProperties.datasets().unknownSymbols());
        this.configuredProviderUri = datasetProperties.datasets().providerUri();
        this.installation = installation;
        this.properties = properties;
        this.checks = checks;
    }

    /**
     * A file to import as the next version of the dataset {@code name}.
     *
     * @param providerUri the Qlib data folder it runs on; null for the default
     */
    public record Upload(String name, String providerUri, Path file, String operator) {
    }

    /**
     * @param created false when the dataset's newest version already had this content and data folder, which is
     *                then returned
     */
    public record Imported(Dataset dataset, boolean created) {
    }

    public List<Dataset> list(boolean includeDeleted) {
        return store.list(includeDeleted);
    }

    /** A version, deleted or not: tasks that ran on it still show it. */
    public Dataset get(long id) {
        return store.find(id).orElseThrow(() -> ApiException.notFound("no dataset " + id));
    }

    /** Every version of the dataset that version {@code id} belongs to, newest first. */
    public List<Dataset> versions(long id) {
        return store.versions(get(id).poolId());
    }

    /** What changed from version {@code from} to version {@code to} of the dataset that version {@code id} belongs to. */
    public VersionDiff diff(long id, int from, int to) throws IOException {
        Dataset dataset = get(id);
        Dataset before = version(dataset, from);
        Dataset after = version(dataset, to);
        return VersionDiff.between(before, file(before), after, file(after));
    }

    private Dataset version(Dataset dataset, int version) {
        return store.findVersion(dataset.poolId(), version).orElseThrow(() ->
                ApiException.notFound("dataset '" + dataset.name() + "' has no version " + version));
    }

    private Path file(Dataset dataset) {
        return properties.data().resolve(dataset.instrumentsFile());
    }

    /**
     * Parses the file and stores it as the next version of its dataset (a new dataset for a new name), unless the
     * newest version has the same normalised content and data folder. A new version of the default dataset stays
     * the default.
     */
    @Transactional(rollbackFor = IOException.class)
    public Imported importFile(Upload upload) throws IOException {
        checkName(upload.name());
        String providerUri = upload.providerUri() == null ? defaultProviderUri() : checkProviderUri(upload.providerUri());
        InstrumentsParser.Reference data = reference(providerUri);
        Path staged = stagingFile();
        try {
            InstrumentsParser.Summary summary = parser.parse(upload.file(), staged, data);
            String sha256 = Hashes.sha256(staged);
            store.lockName(upload.name());
            DatasetStore.Pool pool = store.pool(upload.name()).orElseGet(() -> newPool(upload.name(), upload.operator()));
            Optional<Dataset> latest = store.latest(pool.id());
            if (latest.isPresent() && latest.get().sha256().equals(sha256) && latest.get().providerUri().equals(providerUri)) {
                return new Imported(latest.get(), false);
            }
            int version = store.maxVersion(pool.id()) + 1;
            String file = "datasets/" + pool.market() + ".v" + version + ".txt";
            // a file an import left behind when it died before its commit is simply replaced
            Path target = properties.data().resolve(file);
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            deleteIfRolledBack(target);
            long id = store.insert(pool.id(), version, providerUri, file, summary, sha256, upload.operator());
            if (latest.isPresent() && latest.get().isDefault()) {
                store.makeDefault(id);
            }
            log.info("Dataset {} ({}) v{}: {} symbols, {} rows, {}..{}, read as {}, {} warnings (by {})", pool.market(),
                    upload.name(), version, summary.symbolCount(), summary.rows(), summary.startDate(), summary.endDate(),
                    summary.encoding(), summary.warningCount(), upload.operator());
            return new Imported(get(id), true);
        } finally {
            Files.deleteIfExists(staged);
        }
    }

    /**
     * A market for a new name: its ASCII letters and digits (or {@code pool}) and a few hex digits of its hash, longer
     * until no other dataset has it. Stable because it is made once and stored. It starts with a letter: the
     * templates carry it unquoted, and YAML reads {@code 2024_1234} or {@code 0x1f_ab12} as a number.
     */
    private DatasetStore.Pool newPool(String name, String operator) {
        String slug = NOT_IN_MARKET.matcher(name.toLowerCase(Locale.ROOT)).replaceAll("_").replaceAll("^_+|_+$", "");
        slug = slug.isEmpty() ? "pool" : slug.substring(0, Math.min(slug.length(), 40)).replaceAll("_+$", "");
        slug = Character.isDigit(slug.charAt(0)) ? "pool_" + slug : slug;
        String hash = Hashes.sha256(name.getBytes(StandardCharsets.UTF_8));
        for (int digits = 4; digits <= 16; digits += 2) {
            Optional<DatasetStore.Pool> pool = store.insertPool(name, slug + "_" + hash.substring(0, digits), operator);
            if (pool.isPresent()) {
                return pool.get();
            }
        }
        throw new IllegalStateException("No free market for dataset '" + name + "'");
    }

    /** A deleted version cannot become the default: no new task may use it. */
    @Transactional
    public Dataset makeDefault(long id) {
        Dataset dataset = get(id);
        if (dataset.deleted()) {
            throw ApiException.conflict("dataset " + dataset.label() + " was deleted");
        }
        store.makeDefault(id);
        return get(id);
    }

    /**
     * Hides the version from lists and from new tasks; it stays, with its file, for the tasks that ran on it.
     * Refused while a pending or running task uses it; deleting a deleted version changes nothing.
     */
    @Transactional
    public Dataset delete(long id, String operator) {
        Dataset dataset = get(id);
        if (!dataset.deleted() && !store.delete(id, operator)) {
            throw ApiException.conflict("dataset " + dataset.label() + " is used by pending or running task(s) "
                    + store.activeTasks(id));
        }
        return get(id);
    }

    /** A file an import moved into place goes again when its row does not come to be. */
    private static void deleteIfRolledBack(Path file) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int completed) {
                if (completed == STATUS_ROLLED_BACK) {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException e) {
                        log.warn("Cannot delete dataset file {}: {}", file, e.getMessage());
                    }
                }
            }
        });
    }

    /** A fresh hidden file beside the dataset files, so moving it into place is an atomic rename. */
    public Path stagingFile() throws IOException {
        Path folder = Files.createDirectories(properties.data().resolve("datasets"));
        return Files.createTempFile(folder, ".staged-", ".tmp");
    }

    /** The name is shown and matched exactly as given: what cannot be shown as given is refused, never altered. */
    static void checkName(String name) {
        if (name == null || name.isEmpty()) {
            throw ApiException.validation("name", "is required");
        }
        if (name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
            throw ApiException.validation("name", "must be at most " + MAX_NAME_LENGTH + " characters");
        }
        if (NOT_IN_NAME.matcher(name).find()) {
            throw ApiException.validation("name", "must not contain control characters");
        }
        if (isSpace(name.codePointAt(0)) || isSpace(name.codePointBefore(name.length()))) {
            throw ApiException.validation("name", "must not start or end with a space (the name is kept exactly as given)");
        }
    }

    private static boolean isSpace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }

    /** A data folder Qlib reads from wherever a run starts: absolute, or under the home folder. */
    private static String checkProviderUri(String providerUri) {
        if (providerUri.isBlank() || providerUri.length() > MAX_PROVIDER_URI_LENGTH
                || NOT_IN_NAME.matcher(providerUri).find()) {
            throw ApiException.validation("provider_uri", "must be a folder path of at most "
                    + MAX_PROVIDER_URI_LENGTH + " characters");
        }
        if (!providerUri.startsWith("/") && !providerUri.equals("~") && !providerUri.startsWith("~/")) {
            throw ApiException.validation("provider_uri", "must be an absolute path or start with ~/ (runs start in their own folder)");
        }
        return providerUri;
    }

    /**
     * The data the pool is checked against, once the folder holds what a run reads — the same checks as the
     * config center's Qlib test: the calendar, {@code instruments/all.txt}, {@code features/} and the benchmark of
     * the live templates.
     */
    private InstrumentsParser.Reference reference(String providerUri) throws IOException {
        String benchmark = liveTemplateValue("benchmark");
        ConnectionChecks.QlibCheck check = checks.testQlib(providerUri, QlibData.ALL, benchmark == null ? "" : benchmark);
        String missing = check.checks().stream()
                .filter(item -> !item.ok() && (benchmark != null || !item.name().equals("benchmark")))
                .map(item -> item.name() + " " + item.path())
                .collect(Collectors.joining(", "));
        if (!missing.isEmpty()) {
            throw ApiException.unprocessable("provider_uri", "not a Qlib data folder a run can use: missing " + missing);
        }
        Path folder = QlibData.folder(providerUri);
        if (QlibData.calendar(folder) == null) {
            throw ApiException.unprocessable("provider_uri", folder.resolve("calendars/day.txt") + " holds no dates YYYY-MM-DD");
        }
        return InstrumentsParser.Reference.of(folder);
    }

    /** {@code scheduler.datasets.provider-uri}, or when blank the one the live conf_baseline.yaml uses now. */
    private String defaultProviderUri() throws IOException {
        if (configuredProviderUri != null && !configuredProviderUri.isBlank()) {
            return configuredProviderUri;
        }
        String providerUri = liveTemplateValue("provider_uri");
        if (providerUri == null) {
            throw ApiException.unprocessable("provider_uri", installation.home().resolve(BASELINE)
                    + " has no qlib_init.provider_uri: give provider_uri or set scheduler.datasets.provider-uri");
        }
        return providerUri;
    }

    /** {@code qlib_init.provider_uri} or the top-level {@code benchmark} of the live conf_baseline.yaml, or null. */
    private String liveTemplateValue(String key) throws IOException {
        Path baseline = installation.home().resolve(BASELINE);
        try {
            return templateValue(Files.readString(baseline, StandardCharsets.UTF_8), key);
        } catch (YAMLException e) {
            throw new IllegalStateException("Cannot read " + key + " from " + baseline + ": " + e.getMessage(), e);
        }
    }

    /** {@code qlib_init.provider_uri} of a Qlib template, or null. */
    static String providerUriOf(String template) {
        return templateValue(template, "provider_uri");
    }

    private static String templateValue(String template, String key) {
        String yaml = JINJA_STATEMENT.matcher(JINJA_EXPRESSION.matcher(template).replaceAll("jinja")).replaceAll("");
        if (!(new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml) instanceof Map<?, ?> root)) {
            return null;
        }
        Object value = key.equals("provider_uri") && root.get("qlib_init") instanceof Map<?, ?> qlibInit
                ? qlibInit.get(key) : root.get(key);
        return value instanceof String text && !text.isBlank() ? text : null;
    }
}
