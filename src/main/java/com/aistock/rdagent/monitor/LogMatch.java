package com.aistock.rdagent.monitor;

import java.util.List;

/** Lines of run.log containing a search text, each at its byte offset. */
public record LogMatch(long offset, long nextOffset, List<Line> matches, boolean eof) {

    public record Line(long offset, String text) {
    }
}
