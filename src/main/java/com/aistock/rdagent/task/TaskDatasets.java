package com.aistock.rdagent.task;

import java.util.List;
import java.util.Map;

import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.ErrorCode;
import com.aistock.rdagent.system.SqlFiles;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The dataset versions a task asks for, checked when it is submitted: each must exist and must not be deleted, so
 * a task is never accepted only to fail when it starts.
 */
public final class TaskDatasets {

    /** A dataset version as a run uses it: its market and data folder. */
    public record Ref(long id, String name, int version, String market, String providerUri) {
    }

    private TaskDatasets() {
    }

    /**
     * The versions {@code ids} names, in that order, or the default dataset (if any) when it names none.
     *
     * @param field what errors name: a missing version is a 400, a deleted one a 409
     */
    public static List<Ref> resolve(NamedParameterJdbcTemplate jdbc, List<Long> ids, String field) {
        boolean none = ids == null || ids.isEmpty();
        record Row(Ref ref, boolean deleted) {
        }
        List<Row> found = jdbc.query(SqlFiles.load(none ? "dataset-select-default" : "dataset-select-ids"),
                Map.of("ids", none ? List.of(0L) : ids),
                (rs, i) -> new Row(new Ref(rs.getLong("id"), rs.getString("name"), rs.getInt("version"),
                        rs.getString("market"), rs.getString("provider_uri")), rs.getObject("deleted_at") != null));
        if (none) {
            return found.stream().map(Row::ref).toList();
        }
        return ids.stream().map(id -> {
            Row row = found.stream().filter(r -> r.ref().id() == id).findFirst()
                    .orElseThrow(() -> ApiException.validation(field, "no dataset " + id));
            if (row.deleted()) {
                throw new ApiException(ErrorCode.CONFLICT, field, "dataset '" + row.ref().name() + "' v"
                        + row.ref().version() + " (id " + id + ") was deleted; choose another version");
            }
            return row.ref();
        }).toList();
    }
}
