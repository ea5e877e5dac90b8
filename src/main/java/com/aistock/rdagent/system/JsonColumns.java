package com.aistock.rdagent.system;

import java.sql.ResultSet;
import java.sql.SQLException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.util.RawValue;
import org.springframework.stereotype.Component;

/** jsonb columns: values go in as JSON text (bound, then CAST in the SQL) and come back as trees. */
@Component
public class JsonColumns {

    private final ObjectMapper objectMapper;

    public JsonColumns(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    public String write(Object value) {
        try {
            return value == null ? null : objectMapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON", e);
        }
    }

    /**
     * The column's JSON text as a node that writes that text verbatim: for answers that only serialize it. Parsing
     * jsonb into trees was a fifth of the CPU of a task list request; the text is PostgreSQL's own, so it is valid.
     */
    public JsonNode readRaw(ResultSet rs, String column) throws SQLException {
        String text = rs.getString(column);
        return text == null ? null : objectMapper.getNodeFactory().rawValueNode(new RawValue(text));
    }

    public JsonNode read(ResultSet rs, String column) throws SQLException {
        String text = rs.getString(column);
        try {
            return text == null ? null : objectMapper.readTree(text);
        } catch (JsonProcessingException e) {
            throw new SQLException("Bad JSON in " + column, e);
        }
    }
}
