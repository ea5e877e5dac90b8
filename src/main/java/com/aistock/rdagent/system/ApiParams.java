package com.aistock.rdagent.system;

/** Path and query parameters of the REST routes (Camel headers), refused with a 400 naming them when malformed. */
public final class ApiParams {

    /** Listing pages hold at most this many items (SPEC 7.1). */
    public static final int MAX_PAGE_SIZE = 200;

    private ApiParams() {
    }

    /** A positive id from the path, e.g. {@code id("schedule", "12")}. */
    public static long id(String what, String text) {
        try {
            long value = Long.parseLong(text);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.validation("id", "must be a positive " + what + " id");
    }

    /** {@code page}, from 0. */
    public static int page(String text) {
        return number("page", text, 0, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE);
    }

    /** {@code size}, 1 to {@value #MAX_PAGE_SIZE}. */
    public static int size(String text) {
        return number("size", text, 20, 1, MAX_PAGE_SIZE);
    }

    private static int number(String field, String text, int fallback, int min, int max) {
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.validation(field, "must be an integer from " + min + " to " + max);
    }
}
