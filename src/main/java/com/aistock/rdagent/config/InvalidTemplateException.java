package com.aistock.rdagent.config;

/**
 * A template that does not render, parse or carry the keys Qlib needs; line and column are 1-based, may be null.
 * The message names the engine that judged it.
 */
public class InvalidTemplateException extends RuntimeException {

    private final Integer line;
    private final Integer column;

    public InvalidTemplateException(String message, Integer line, Integer column) {
        super(message);
        this.line = line;
        this.column = column;
    }

    public Integer line() {
        return line;
    }

    public Integer column() {
        return column;
    }
}
