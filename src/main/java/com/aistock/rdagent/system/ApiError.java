package com.aistock.rdagent.system;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The one error shape every endpoint answers with; {@code line}/{@code column} point into a refused file. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String message, String field, Integer line, Integer column) {

    public static ApiError of(ApiException refused) {
        return new ApiError(refused.error(), refused.getMessage(), refused.field(), refused.line(), refused.column());
    }

    public static ApiError unavailable() {
        return new ApiError("unavailable", "the database is unreachable; retry shortly", null, null, null);
    }
}
