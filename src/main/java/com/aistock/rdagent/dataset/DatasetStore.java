package com.aistock.rdagent.dataset;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.aistock.rdagent.system.JsonColumns;
import com.aistock.rdagent.system.SqlFiles;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * The {@code rdagent_dataset_pool} table (a dataset: its name and market) and {@code rdagent_dataset} (its
 * versions). Every statement is a named SQL file with bound parameters.
 */
@Repository
public class DatasetStore {

    /** A dataset without its versions. */
    public record Pool(long id, String name, String market) {
    }

    private static final TypeReference<List<InstrumentsParser.Warning>> WARNINGS = new TypeReference<>() {
    };
    private static final TypeReference<List<InstrumentsParser.Normalised>> NORMALISED = new TypeReference<>() {
    };

    private final NamedParameterJdbcTemplate jdbc;
    private final JsonColumns columns;
    private final ObjectMapper objectMapper;
    private final RowMapper<Dataset> rowMapper;

    public DatasetStore(NamedParameterJdbcTemplate jdbc, JsonColumns columns, ObjectMapper objectMapper) {
        this.jdbc = jdbc;
        this.columns = columns;
        this.objectMapper = objectMapper;
        this.rowMapper = this::map;
    }

    public List<Dataset> list(boolean includeDeleted) {
        return jdbc.query(SqlFiles.load("dataset-list"), Map.of("includeDeleted", includeDeleted), rowMapper);
    }

    public Optional<Dataset> find(long id) {
        return jdbc.query(SqlFiles.load("dataset-select"), Map.of("id", id), rowMapper).stream().findFirst();
    }

    /** Every version of a dataset, deleted ones included, newest first. */
    public List<Dataset> versions(long poolId) {
        return jdbc.query(SqlFiles.load("dataset-versions"), Map.of("poolId", poolId), rowMapper);
    }

    public Optional<Dataset> findVersion(long poolId, int version) {
        return jdbc.query(SqlFiles.load("dataset-select-version"), Map.of("poolId", poolId, "version", version),
                rowMapper).stream().findFirst();
    }

    /** Takes the name's lock for the rest of the transaction: imports of one name never interleave. */
    public void lockName(String name) {
        jdbc.query(SqlFiles.load("dataset-lock-name"), Map.of("name", name), rs -> null);
    }

    public Optional<Pool> pool(String name) {
        return jdbc.query(SqlFiles.load("dataset-pool-by-name"), Map.of("name", name),
                (rs, i) -> new Pool(rs.getLong("id"), rs.getString("name"), rs.getString("market"))).stream().findFirst();
    }

    /** @return empty when the market is taken already */
    public Optional<Pool> insertPool(String name, String market, String operator) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("name", name)
                .addValue("market", market)
                .addValue("operator", operator);
        return jdbc.queryForList(SqlFiles.load("dataset-pool-insert"), params, Long.class).stream()
                .findFirst().map(id -> new Pool(id, name, market));
    }

    /** The newest version that is not deleted. */
    public Optional<Dataset> latest(long poolId) {
        return jdbc.query(SqlFiles.load("dataset-select-latest"), Map.of("poolId", poolId), rowMapper).stream().findFirst();
    }

    /** The highest version number ever given, deleted versions included; 0 for a new dataset. */
    public int maxVersion(long poolId) {
        Integer max = jdbc.queryForObject(SqlFiles.load("dataset-max-version"), Map.of("poolId", poolId), Integer.class);
        return max == null ? 0 : max;
    }

    public long insert(long poolId, int version, String providerUri, String instrumentsFile,
                       InstrumentsParser.Summary summary, String sha256, String operator) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("poolId", poolId)
                .addValue("version", version)
                .addValue("providerUri", providerUri)
                .addValue("instrumentsFile", instrumentsFile)
                .addValue("symbolCount", summary.symbolCount())
                .addValue("startDate", summary.startDate())
                .addValue("endDate", summary.endDate())
                .addValue("sha256", sha256)
                .addValue("encoding", summary.encoding())
                .addValue("warnings", columns.write(summary.warnings()))
                .addValue("warningCount", summary.warningCount())
                .addValue("normalised", columns.write(summary.normalised()))
                .addValue("normalisedCount", summary.normalisedCount())
                .addValue("operator", operator);
        return jdbc.queryForObject(SqlFiles.load("dataset-insert"), params, Long.class);
    }

    /** One default at most (a unique index says so): the old one is cleared first. */
    public void makeDefault(long id) {
        jdbc.update(SqlFiles.load("dataset-clear-default"), Map.of());
        jdbc.update(SqlFiles.load("dataset-set-default"), Map.of("id", id));
    }

    public List<Long> activeTasks(long id) {
        return jdbc.queryForList(SqlFiles.load("dataset-active-tasks"), Map.of("id", id), Long.class);
    }

    /** @return false when a pending or running task uses the version, or it is deleted already */
    public boolean delete(long id, String operator) {
        return jdbc.update(SqlFiles.load("dataset-delete"), Map.of("id", id, "operator", operator)) == 1;
    }

    private Dataset map(ResultSet rs, int rowNum) throws SQLException {
        return new Dataset(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getString("market"),
                rs.getInt("version"),
                rs.getString("provider_uri"),
                rs.getInt("symbol_count"),
                rs.getObject("start_date", LocalDate.class),
                rs.getObject("end_date", LocalDate.class),
                rs.getString("sha256"),
                rs.getBoolean("is_default"),
                rs.getString("encoding"),
                objectMapper.convertValue(columns.read(rs, "warnings"), WARNINGS),
                rs.getInt("warning_count"),
                objectMapper.convertValue(columns.read(rs, "normalised"), NORMALISED),
                rs.getInt("normalised_count"),
                rs.getString("operator"),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getObject("deleted_at", OffsetDateTime.class),
                rs.getString("deleted_by"),
                rs.getLong("pool_id"),
                rs.getString("instruments_file"));
    }
}
