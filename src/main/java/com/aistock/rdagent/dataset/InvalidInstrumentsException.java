package com.aistock.rdagent.dataset;

import java.util.List;
import java.util.stream.Collectors;

import com.aistock.rdagent.system.ApiError;
import com.aistock.rdagent.system.ApiException;
import com.aistock.rdagent.system.ErrorCode;

/**
 * An instruments file refused as a whole (SPEC 8): the first offending lines with their reasons, or one reason for
 * the whole file when no single line is to blame (an empty file).
 */
public class InvalidInstrumentsException extends ApiException {

    private final List<ApiError.LineProblem> badLines;

    InvalidInstrumentsException(List<ApiError.LineProblem> badLines, int total) {
        super(ErrorCode.UNPROCESSABLE, "file", summary(badLines, total));
        this.badLines = List.copyOf(badLines);
    }

    InvalidInstrumentsException(String reason) {
        super(ErrorCode.UNPROCESSABLE, "file", reason);
        this.badLines = List.of();
    }

    /** At most {@link InstrumentsParser#MAX_REPORTED}, in file order; null when no single line is to blame. */
    @Override
    public List<ApiError.LineProblem> lines() {
        return badLines.isEmpty() ? null : badLines;
    }

    private static String summary(List<ApiError.LineProblem> badLines, int total) {
        String shown = total > badLines.size() ? " (first " + badLines.size() + " shown)" : "";
        return total + (total == 1 ? " bad line" : " bad lines") + shown + ": " + badLines.stream()
                .map(bad -> "line " + bad.line() + ": " + bad.message())
                .collect(Collectors.joining("; "));
    }
}
