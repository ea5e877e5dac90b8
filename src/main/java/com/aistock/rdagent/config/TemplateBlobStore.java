package com.aistock.rdagent.config;

import java.util.Map;
import java.util.Optional;

import com.aistock.rdagent.system.SqlFiles;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.stereotype.Repository;

/**
 * Template contents by sha256, so any task can be re-materialised on any node long after the file changed, and every
 * version of a template or prompt file is kept whatever happens to the file on disk.
 */
@Repository
public class TemplateBlobStore {

    private final NamedParameterJdbcTemplate jdbc;

    public TemplateBlobStore(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void save(String sha256, byte[] content) {
        jdbc.update(SqlFiles.load("blob-insert"), Map.of("sha256", sha256, "content", content));
    }

    public byte[] load(String sha256) {
        return jdbc.queryForObject(SqlFiles.load("blob-select"), Map.of("sha256", sha256), byte[].class);
    }

    public Optional<byte[]> find(String sha256) {
        return jdbc.queryForList(SqlFiles.load("blob-select"), Map.of("sha256", sha256), byte[].class).stream().findFirst();
    }
}
