package com.aistock.rdagent.dataset;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One version of a stock pool (SPEC 7.1). {@code name} is the dataset's name as its user gave it; {@code market} is
 * the Qlib instruments file name runs use, the same for every version. {@code warnings} are the lines the data did
 * not fully know and {@code normalised} the symbols written in the data's spelling (the first of each, with their
 * counts); {@code encoding} is how the uploaded file was read (null for versions older than that). A deleted version keeps answering for the tasks that ran on it. {@code instrumentsFile} is the normalised
 * file, relative to the data folder, that runs on this version get installed.
 */
public record Dataset(
        long id,
        String name,
        String market,
        int version,
        String providerUri,
        int symbolCount,
        LocalDate startDate,
        LocalDate endDate,
        String sha256,
        boolean isDefault,
        String encoding,
        List<InstrumentsParser.Warning> warnings,
        int warningCount,
        List<InstrumentsParser.Normalised> normalised,
        int normalisedCount,
        String operator,
        OffsetDateTime createdAt,
        OffsetDateTime deletedAt,
        String deletedBy,
        @JsonIgnore long poolId,
        @JsonIgnore String instrumentsFile) {

    @JsonIgnore
    public boolean deleted() {
        return deletedAt != null;
    }

    /** How people tell versions apart: name and version. */
    @JsonIgnore
    public String label() {
        return "'" + name + "' v" + version + " (id " + id + ")";
    }
}
