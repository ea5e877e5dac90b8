package com.aistock.rdagent.dataset;

import java.time.LocalDate;
import java.time.OffsetDateTime;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One version of a stock pool (SPEC 7.1). {@code name} is the Qlib market; {@code instrumentsFile} is the
 * normalised file, relative to the data folder, that runs on this version get installed.
 */
public record Dataset(
        long id,
        String name,
        int version,
        String providerUri,
        int symbolCount,
        LocalDate startDate,
        LocalDate endDate,
        String sha256,
        boolean isDefault,
        OffsetDateTime createdAt,
        @JsonIgnore String instrumentsFile) {
}
