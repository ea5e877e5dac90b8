package com.aistock.rdagent.monitor;

/** A piece of run.log by byte offsets; {@code eof} once the run is over and nothing is left to read. */
public record LogChunk(long offset, long nextOffset, String text, boolean eof) {
}
