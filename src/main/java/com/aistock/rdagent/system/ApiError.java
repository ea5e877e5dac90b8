package com.aistock.rdagent.system;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The one error shape every endpoint answers with. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(String error, String message, String field) {
}
