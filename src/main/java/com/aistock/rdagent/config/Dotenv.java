package com.aistock.rdagent.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.aistock.rdagent.system.Secrets;

/**
 * A {@code .env} file read the way RD-Agent reads it: python-dotenv's parser ported statement for statement
 * (including how it skips what it cannot parse, such as the {@code """} block that opens RD-Agent's
 * {@code .env.example}). Edits touch only the values they change, so {@link #text()} of an unedited file gives
 * back exactly the text that was parsed, and comments, blank lines, order, quotes and {@code export} stay.
 */
public final class Dotenv {

    // python-dotenv's own expressions (dotenv/parser.py)
    private static final Pattern MULTILINE_WHITESPACE = Pattern.compile("\\s*");
    private static final Pattern EXPORT = Pattern.compile("(?:export[^\\S\\r\\n]+)?");
    private static final Pattern SINGLE_QUOTED_KEY = Pattern.compile("'([^']+)'");
    private static final Pattern UNQUOTED_KEY = Pattern.compile("([^=#\\s]+)");
    private static final Pattern WHITESPACE = Pattern.compile("[^\\S\\r\\n]*");
    private static final Pattern EQUAL_SIGN = Pattern.compile("=[^\\S\\r\\n]*");
    private static final Pattern SINGLE_QUOTED_VALUE = Pattern.compile("'((?:\\\\'|[^'])*)'");
    private static final Pattern DOUBLE_QUOTED_VALUE = Pattern.compile("\"((?:\\\\\"|[^\"])*)\"");
    private static final Pattern UNQUOTED_VALUE = Pattern.compile("[^\\r\\n]*");
    private static final Pattern COMMENT = Pattern.compile("(?:[^\\S\\r\\n]*#[^\\r\\n]*)?");
    private static final Pattern END_OF_LINE = Pattern.compile("[^\\S\\r\\n]*(?:\\r\\n|\\n|\\r|$)");
    private static final Pattern REST_OF_LINE = Pattern.compile("[^\\r\\n]*(?:\\r|\\n|\\r\\n)?");
    private static final Pattern UNQUOTED_VALUE_COMMENT = Pattern.compile("\\s+#.*");
    private static final Pattern DOUBLE_QUOTE_ESCAPES = Pattern.compile("\\\\[\\\\'\"abfnrtv]");
    private static final Pattern SINGLE_QUOTE_ESCAPES = Pattern.compile("\\\\[\\\\']");
    private static final Pattern INLINE_COMMENT = Pattern.compile("#[ \\t]*(.*?)\\s*$", Pattern.DOTALL);

    /** A value written unquoted when every character is one of these; anything else is double-quoted. */
    private static final Pattern PLAIN_VALUE = Pattern.compile("[A-Za-z0-9_./:@%+,~=-]*");
    /** An assignment in a line python-dotenv does not load (a comment, an unparsable line): still masked. */
    private static final Pattern ASSIGNMENT_LINE = Pattern.compile(
            "^([ \\t]*#?[ \\t]*(?:export[ \\t]+)?)([A-Za-z_][A-Za-z0-9_.-]*)([ \\t]*=[ \\t]*)[^\\r\\n]*");

    /**
     * One statement as python-dotenv delimits it: the whitespace it skipped first, then the statement. A binding's
     * text is split around its value ({@code head} up to and including {@code =}, the value as written, and the
     * comment and line break after it); any other statement keeps its whole text in {@code head}.
     *
     * @param key   null for comments, unparsable lines and trailing whitespace
     * @param value the decoded value; null when the key has no {@code =}
     * @param quote the value's quote character, or 0 when unquoted
     */
    private record Statement(String leading, String head, String raw, String tail, String key, String value,
                             char quote) {

        static Statement other(String leading, String text) {
            return new Statement(leading, text, "", "", null, null, (char) 0);
        }

        String text() {
            return leading + head + raw + tail;
        }

        boolean isComment() {
            return key == null && head.stripLeading().startsWith("#");
        }

        Statement withValue(String newValue) {
            String newRaw = render(newValue, quote);
            return new Statement(leading, value == null ? head + "=" : head, newRaw, tail, key, newValue,
                    quoteOf(newRaw));
        }
    }

    /** A key python-dotenv loads, with its effective value and the comment that explains it. */
    public record Entry(String key, String value, String comment) {
    }

    private final List<Statement> statements;

    private Dotenv(List<Statement> statements) {
        this.statements = statements;
    }

    public static Dotenv parse(String text) {
        List<Statement> statements = new ArrayList<>();
        Reader reader = new Reader(text);
        while (reader.hasNext()) {
            statements.add(reader.statement());
        }
        return new Dotenv(statements);
    }

    public String text() {
        StringBuilder text = new StringBuilder();
        statements.forEach(s -> text.append(s.text()));
        return text.toString();
    }

    /** The value python-dotenv would load for {@code key}: the last binding wins. */
    public Optional<String> get(String key) {
        String found = null;
        for (Statement s : statements) {
            if (key.equals(s.key()) && s.value() != null) {
                found = s.value();
            }
        }
        return Optional.ofNullable(found);
    }

    /** One entry per loaded key, in the order keys first appear, with the value that wins. */
    public List<Entry> entries() {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (int i = 0; i < statements.size(); i++) {
            Statement s = statements.get(i);
            if (s.key() != null && s.value() != null) {
                Entry first = entries.get(s.key());
                entries.put(s.key(), new Entry(s.key(), s.value(), first != null ? first.comment() : comment(i)));
            }
        }
        return List.copyOf(entries.values());
    }

    /** Sets every binding of {@code key} in place, keeping its quote style and comment; appends it when absent. */
    public void set(String key, String value) {
        boolean found = false;
        for (int i = 0; i < statements.size(); i++) {
            if (key.equals(statements.get(i).key())) {
                statements.set(i, statements.get(i).withValue(value));
                found = true;
            }
        }
        if (!found) {
            String raw = render(value, (char) 0);
            statements.add(new Statement(separator(), key + "=", raw, lineBreak(), key, value, quoteOf(raw)));
        }
    }

    /** Removes every binding of {@code key}; the blank lines before it stay. */
    public void remove(String key) {
        statements.replaceAll(s -> key.equals(s.key()) ? Statement.other(s.leading(), "") : s);
    }

    /** Adds a comment paragraph (a blank line, then {@code # comment}) at the end. */
    public void appendComment(String comment) {
        String lineBreak = lineBreak();
        statements.add(Statement.other(separator() + (statements.isEmpty() ? "" : lineBreak),
                "# " + comment + lineBreak));
    }

    /**
     * The text with every secret value replaced by {@link Secrets#MASK}, also in comments and lines python-dotenv
     * skips (a commented-out key is still a key).
     */
    public String masked() {
        StringBuilder text = new StringBuilder();
        for (Statement s : statements) {
            if (s.key() == null) {
                text.append(s.leading()).append(maskLine(s.head()));
            } else if (s.value() != null && Secrets.isSecret(s.key())) {
                text.append(s.leading()).append(s.head()).append(Secrets.MASK).append(s.tail());
            } else {
                text.append(s.text());
            }
        }
        return text.toString();
    }

    private static String maskLine(String line) {
        Matcher matcher = ASSIGNMENT_LINE.matcher(line);
        if (matcher.lookingAt() && Secrets.isSecret(matcher.group(2))) {
            return matcher.group(1) + matcher.group(2) + matcher.group(3) + Secrets.MASK + line.substring(matcher.end());
        }
        return line;
    }

    /** The inline comment of binding {@code index}, else the comment lines directly above it (masked). */
    private String comment(int index) {
        Matcher inline = INLINE_COMMENT.matcher(statements.get(index).tail());
        if (inline.find()) {
            return inline.group(1);
        }
        List<String> lines = new ArrayList<>();
        for (int i = index; i > 0 && !hasLineBreak(statements.get(i).leading()) && statements.get(i - 1).isComment(); i--) {
            lines.add(0, maskLine(statements.get(i - 1).head()).strip().replaceFirst("^#+[ \\t]?", ""));
        }
        return lines.isEmpty() ? null : String.join("\n", lines);
    }

    private static boolean hasLineBreak(String text) {
        return text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0;
    }

    /** What must come before an appended line: a line break when the text does not end with one. */
    private String separator() {
        String text = text();
        return text.isEmpty() || text.endsWith("\n") || text.endsWith("\r") ? "" : lineBreak();
    }

    /** The file's own line break, so a CRLF file stays CRLF. */
    private String lineBreak() {
        return text().contains("\r\n") ? "\r\n" : "\n";
    }

    /** A value as python-dotenv reads it back: in its old quotes, plain when safe, else double-quoted. */
    static String render(String value, char quote) {
        if (quote == '\'') {
            return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
        }
        if (quote == 0 && PLAIN_VALUE.matcher(value).matches()) {
            return value;
        }
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r") + '"';
    }

    private static char quoteOf(String raw) {
        return raw.isEmpty() || (raw.charAt(0) != '"' && raw.charAt(0) != '\'') ? 0 : raw.charAt(0);
    }

    private static String decode(Pattern escapes, String raw) {
        return escapes.matcher(raw).replaceAll(m -> Matcher.quoteReplacement(switch (m.group().charAt(1)) {
            case 'a' -> "\u0007";
            case 'b' -> "\b";
            case 'f' -> "\f";
            case 'n' -> "\n";
            case 'r' -> "\r";
            case 't' -> "\t";
            case 'v' -> "\u000B";
            default -> m.group().substring(1);
        }));
    }

    /** python-dotenv's Reader and parse_binding. */
    private static final class Reader {

        private final String text;
        private int position;

        Reader(String text) {
            this.text = text;
        }

        boolean hasNext() {
            return position < text.length();
        }

        char peek() {
            return hasNext() ? text.charAt(position) : 0;
        }

        String read(Pattern pattern) {
            Matcher matcher = pattern.matcher(text).region(position, text.length());
            if (!matcher.lookingAt()) {
                throw new NotParsed();
            }
            position = matcher.end();
            return matcher.groupCount() > 0 ? matcher.group(1) : matcher.group();
        }

        Statement statement() {
            String leading = read(MULTILINE_WHITESPACE);
            int start = position;
            if (!hasNext()) {
                return Statement.other(leading, "");
            }
            try {
                read(EXPORT);
                String key = switch (peek()) {
                    case '#' -> null;
                    case '\'' -> read(SINGLE_QUOTED_KEY);
                    default -> read(UNQUOTED_KEY);
                };
                read(WHITESPACE);
                String value = null;
                char quote = 0;
                int valueStart = position;
                int valueEnd = position;
                if (peek() == '=') {
                    read(EQUAL_SIGN);
                    valueStart = position;
                    quote = peek() == '\'' || peek() == '"' ? peek() : 0;
                    value = value(quote);
                    // an unquoted value is a prefix of what was read: its inline comment belongs to the tail
                    valueEnd = quote == 0 ? valueStart + value.length() : position;
                }
                read(COMMENT);
                read(END_OF_LINE);
                if (key == null) {
                    return Statement.other(leading, text.substring(start, position));
                }
                return new Statement(leading, text.substring(start, valueStart), text.substring(valueStart, valueEnd),
                        text.substring(valueEnd, position), key, value, quote);
            } catch (NotParsed e) {
                read(REST_OF_LINE);
                return Statement.other(leading, text.substring(start, position));
            }
        }

        private String value(char quote) {
            if (quote == '\'') {
                return decode(SINGLE_QUOTE_ESCAPES, read(SINGLE_QUOTED_VALUE));
            }
            if (quote == '"') {
                return decode(DOUBLE_QUOTE_ESCAPES, read(DOUBLE_QUOTED_VALUE));
            }
            if (peek() == 0 || peek() == '\n' || peek() == '\r') {
                return "";
            }
            // python-dotenv drops an unquoted value's inline comment and trailing whitespace
            String part = read(UNQUOTED_VALUE);
            Matcher comment = UNQUOTED_VALUE_COMMENT.matcher(part);
            return (comment.find() ? part.substring(0, comment.start()) : part).stripTrailing();
        }
    }

    /** python-dotenv's parse Error: the rest of the line is skipped. */
    private static final class NotParsed extends RuntimeException {
        NotParsed() {
            super(null, null, false, false);
        }
    }
}
