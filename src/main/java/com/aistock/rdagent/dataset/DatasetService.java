package com.aistock.rdagent.dataset;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

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
 * Stock-pool datasets: importing a file as a new version, choosing the default, deleting. Each version keeps its
 * own normalised file {@code data/datasets/<name>.v<version>.txt}, so a task always gets the pool it was given.
 */
@Service
public class DatasetService {

    static final Pattern NAME = Pattern.compile("^[a-z0-9_]{1,64}$");
    private static final Logger log = LoggerFactory.getLogger(DatasetService.class);
    private static final String BASELINE = RdAgentFiles.FACTOR_TEMPLATE + "/conf_baseline.yaml";
    /** The templates are Jinja2: expressions become a plain scalar, statements and comments go (provider_uri is in none). */
    private static final Pattern JINJA_EXPRESSION = Pattern.compile("\\{\\{.*?}}", Pattern.DOTALL);
    private static final Pattern JINJA_STATEMENT = Pattern.compile("\\{%.*?%}|\\{#.*?#}", Pattern.DOTALL);

    private final DatasetStore store;
    private final InstrumentsParser parser;
    private final String configuredProviderUri;
    private final RdAgentInstallation installation;
    private final SchedulerProperties properties;

    public DatasetService(DatasetStore store, DatasetProperties datasetProperties, RdAgentInstallation installation,
                          SchedulerProperties properties) {
        this.store = store;
        this.parser = new InstrumentsParser(datasetProperties.datasets().symbolPattern());
        this.configuredProviderUri = datasetProperties.datasets().providerUri();
        this.installation = installation;
        this.properties = properties;
    }

    /** @param created false when the name's newest version already had this content, which is then returned */
    public record Imported(Dataset dataset, boolean created) {
    }

    public List<Dataset> list() {
        return store.list();
    }

    public Dataset get(long id) {
        return store.find(id).orElseThrow(() -> ApiException.notFound("no dataset " + id));
    }

    /**
     * Parses {@code source} and stores it as the next version of {@code name}, unless the newest version has the
     * same normalised content. A new version of the default dataset stays the default.
     */
    @Transactional(rollbackFor = IOException.class)
    public Imported importFile(String name, Path source, String operator) throws IOException {
        checkName(name);
        String providerUri = defaultProviderUri();
        Path staged = stagingFile();
        try {
            InstrumentsParser.Summary summary = parser.parse(source, staged,
                    () -> QlibData.calendar(QlibData.folder(providerUri)));
            String sha256 = Hashes.sha256(staged);
            Optional<Dataset> latest = store.lockLatest(name);
            if (latest.isPresent() && latest.get().sha256().equals(sha256)) {
                return new Imported(latest.get(), false);
            }
            int version = latest.map(dataset -> dataset.version() + 1).orElse(1);
            String file = "datasets/" + name + ".v" + version + ".txt";
            // a file an import left behind when it died before its commit is simply replaced
            Path target = properties.data().resolve(file);
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            deleteWhenTransactionEnds(target, TransactionSynchronization.STATUS_ROLLED_BACK);
            long id = store.insert(name, version, providerUri, file, summary, sha256, operator);
            if (latest.isPresent() && latest.get().isDefault()) {
                store.makeDefault(id);
            }
            log.info("Dataset {} v{}: {} symbols, {} rows, {}..{} (by {})", name, version, summary.symbolCount(),
                    summary.rows(), summary.startDate(), summary.endDate(), operator);
            return new Imported(get(id), true);
        } finally {
            Files.deleteIfExists(staged);
        }
    }

    @Transactional
    public Dataset makeDefault(long id) {
        get(id);
        store.makeDefault(id);
        return get(id);
    }

    /** Refused while a pending or running task uses the dataset; its file goes once the delete is committed. */
    @Transactional
    public Dataset delete(long id) {
        Dataset dataset = get(id);
        if (!store.deleteUnused(id)) {
            throw ApiException.conflict("dataset " + id + " is used by pending or running task(s) "
                    + store.activeTasks(id));
        }
        deleteWhenTransactionEnds(properties.data().resolve(dataset.instrumentsFile()),
                TransactionSynchronization.STATUS_COMMITTED);
        return dataset;
    }

    /** A dataset file follows its row: gone when the delete commits, or when the import rolls back. */
    private static void deleteWhenTransactionEnds(Path file, int status) {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCompletion(int completed) {
                if (completed == status) {
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

    private static void checkName(String name) {
        if (name == null || name.isBlank()) {
            throw ApiException.validation("name", "is required");
        }
        if (!NAME.matcher(name).matches()) {
            throw ApiException.validation("name", "must match ^[a-z0-9_]{1,64}$ (it is used as the Qlib market)");
        }
    }

    /** {@code scheduler.datasets.provider-uri}, or when blank the one the live conf_baseline.yaml uses now. */
    private String defaultProviderUri() throws IOException {
        if (configuredProviderUri != null && !configuredProviderUri.isBlank()) {
            return configuredProviderUri;
        }
        Path baseline = installation.home().resolve(BASELINE);
        try {
            String providerUri = providerUriOf(Files.readString(baseline, StandardCharsets.UTF_8));
            if (providerUri != null) {
                return providerUri;
            }
        } catch (YAMLException e) {
            throw new IllegalStateException("Cannot read provider_uri from " + baseline + ": " + e.getMessage(), e);
        }
        throw new IllegalStateException(baseline + " has no qlib_init.provider_uri; set scheduler.datasets.provider-uri");
    }

    /** {@code qlib_init.provider_uri} of a Qlib template, or null. */
    static String providerUriOf(String template) {
        String yaml = JINJA_STATEMENT.matcher(JINJA_EXPRESSION.matcher(template).replaceAll("jinja")).replaceAll("");
        if (new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml) instanceof Map<?, ?> root
                && root.get("qlib_init") instanceof Map<?, ?> qlibInit
                && qlibInit.get("provider_uri") instanceof String providerUri && !providerUri.isBlank()) {
            return providerUri;
        }
        return null;
    }
}
