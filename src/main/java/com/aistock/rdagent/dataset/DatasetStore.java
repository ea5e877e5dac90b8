package com.aistock.rdagent.dataset;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.aistock.rdagent.system.SqlFiles;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/** The {@code rdagent_dataset} table. Every statement is a named SQL file with bound parameters. */
@Repository
public class DatasetStore {

    private final NamedParameterJdbcTemplate jdbc;
    private final RowMapper<Dataset> rowMapper = DatasetStore::map;

    public DatasetStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public List<Dataset> list() {
        return jdbc.query(SqlFiles.load("dataset-list"), rowMapper);
    }

    public Optional<Dataset> find(long id) {
        return jdbc.query(SqlFiles.load("dataset-select"), Map.of("id", id), rowMapper).stream().findFirst();
    }

    /** Takes the name's lock for the rest of the transaction, then reads its newest version. */
    public Optional<Dataset> lockLatest(String name) {
        jdbc.query(SqlFiles.load("dataset-lock-name"), Map.of("name", name), rs -> null);
        return jdbc.query(SqlFiles.load("dataset-select-latest"), Map.of("name", name), rowMapper).stream().findFirst();
    }

    public long insert(String name, int version, String providerUri, String instrumentsFile,
                       InstrumentsParser.Summary summary, String sha256, String operator) {
        MapSqlParameterSource params = new MapSqlParameterSource()
                .addValue("name", name)
                .addValue("version", version)
                .addValue("providerUri", providerUri)
                .addValue("instrumentsFile", instrumentsFile)
                .addValue("symbolCount", summary.symbolCount())
                .addValue("startDate", summary.startDate())
                .addValue("endDate", summary.endDate())
                .addValue("sha256", sha256)
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

    /** @return false when a pending or running task uses the dataset (or it is gone) */
    public boolean deleteUnused(long id) {
        return jdbc.update(SqlFiles.load("dataset-delete-unused"), Map.of("id", id)) == 1;
    }

    private static Dataset map(ResultSet rs, int rowNum) throws SQLException {
        return new Dataset(
                rs.getLong("id"),
                rs.getString("name"),
                rs.getInt("version"),
                rs.getString("provider_uri"),
                rs.getInt("symbol_count"),
                rs.getObject("start_date", LocalDate.class),
                rs.getObject("end_date", LocalDate.class),
                rs.getString("sha256"),
                rs.getBoolean("is_default"),
                rs.getObject("created_at", OffsetDateTime.class),
                rs.getString("instruments_file"));
    }
}
