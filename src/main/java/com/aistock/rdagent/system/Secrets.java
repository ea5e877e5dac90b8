package com.aistock.rdagent.system;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one place that decides what is secret and how it is masked. */
public final class Secrets {

    public static final String MASK = "******";
    private static final Pattern ASSIGNMENT = Pattern.compile("^(\\s*(?:export\\s+)?)([A-Za-z_][A-Za-z0-9_.-]*)(\\s*=\\s*)(.*)$");

    private Secrets() {
    }

    /** Names containing KEY, SECRET, TOKEN or PASSWORD hold secrets. */
    public static boolean isSecret(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        return upper.contains("KEY") || upper.contains("SECRET") || upper.contains("TOKEN") || upper.contains("PASSWORD");
    }

    /** A dotenv text with every secret value replaced by the mask, quoted multi-line values included. */
    public static String maskDotenv(String text) {
        StringBuilder masked = new StringBuilder();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher matcher = ASSIGNMENT.matcher(lines[i]);
            if (matcher.matches() && isSecret(matcher.group(2))) {
                String value = matcher.group(4).strip();
                if (!value.isEmpty() && (value.charAt(0) == '"' || value.charAt(0) == '\'')) {
                    char quote = value.charAt(0);
                    // skip the continuation lines of a quoted value that spans several lines
                    while (!closesQuote(value, quote) && i + 1 < lines.length) {
                        value = lines[++i];
                        if (closesQuote(" " + value, quote)) {
                            break;
                        }
                    }
                }
                masked.append(matcher.group(1)).append(matcher.group(2)).append(matcher.group(3)).append(MASK);
            } else {
                masked.append(lines[i]);
            }
            if (i < lines.length - 1) {
                masked.append('\n');
            }
        }
        return masked.toString();
    }

    private static boolean closesQuote(String value, char quote) {
        for (int i = 1; i < value.length(); i++) {
            if (value.charAt(i) == '\\') {
                i++;
            } else if (value.charAt(i) == quote) {
                return true;
            }
        }
        return false;
    }
}
