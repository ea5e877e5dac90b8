package com.aistock.rdagent.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Line edits a task makes to its template snapshot: a dataset's market and data folder, or literal model
 * hyper-parameters. Only the value is replaced; indentation, anchors ({@code &market}) and comments stay.
 */
public final class TemplateEdits {

    private TemplateEdits() {
    }

    public static String setScalar(String template, String key, String value) {
        Pattern line = Pattern.compile("(?m)^(\\s*" + Pattern.quote(key) + ":[ \\t]*)(&[\\w-]+[ \\t]+)?([^#\\r\\n]*?)([ \\t]*#[^\\r\\n]*)?$");
        Matcher matcher = line.matcher(template);
        StringBuilder edited = new StringBuilder();
        while (matcher.find()) {
            String anchor = matcher.group(2) == null ? "" : matcher.group(2);
            String comment = matcher.group(4) == null ? "" : matcher.group(4);
            matcher.appendReplacement(edited, Matcher.quoteReplacement(matcher.group(1) + anchor + value + comment));
        }
        matcher.appendTail(edited);
        return edited.toString();
    }

    /** A YAML double-quoted scalar, for values such as paths that must survive as plain strings. */
    public static String quoted(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
