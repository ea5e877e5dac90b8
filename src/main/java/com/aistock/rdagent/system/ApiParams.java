package com.aistock.rdagent.system;

/** Query and path parameters arrive as text; these read them or refuse them naming the parameter. */
public final class ApiParams {

    public static final int MAX_PAGE_SIZE = 200;

    private ApiParams() {
    }

    public static long id(String field, String text) {
        try {
            long value = Long.parseLong(text == null ? "" : text.strip());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.validation(field, "must be a positive id");
    }

    public static int number(String field, String text, int fallback, int min, int max) {
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

    /** {@code page} from 0; bounded so page × size stays an int. */
    public static int page(String text) {
        return number("page", text, 0, 0, Integer.MAX_VALUE / MAX_PAGE_SIZE);
    }

    public static int size(String text) {
        return number("size", text, 20, 1, MAX_PAGE_SIZE);
    }
}
