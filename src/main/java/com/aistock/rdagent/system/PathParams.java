package com.aistock.rdagent.system;

/** Path parameters of the API routes, which arrive as header strings. */
public final class PathParams {

    private PathParams() {
    }

    /** A positive id, or 400 saying what kind of id was expected. */
    public static long id(String text, String kind) {
        try {
            long value = Long.parseLong(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.validation("id", "must be a positive " + kind + " id");
    }
}
