package com.aistock.rdagent.dataset;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Reads a stock-pool file in either form SPEC 8 accepts — Qlib's {@code SYMBOL<TAB>start<TAB>end} (a symbol may
 * repeat for several periods) or one symbol per line — and writes it as a normalised Qlib instruments file.
 * Both passes stream line by line: a file is never held in memory, and a line is cut at
 * {@link #MAX_LINE_LENGTH} characters so even a binary file without newlines costs nothing.
 */
public final class InstrumentsParser {

    static final int MAX_REPORTED = 20;
    static final int MAX_LINE_LENGTH = 1024;
    private static final Pattern COLUMNS = Pattern.compile("[\\t ]+");
    private static final char BOM = '\uFEFF';

    private final Pattern symbolPattern;

    public InstrumentsParser(String symbolPattern) {
        this.symbolPattern = Pattern.compile(symbolPattern);
    }

    public record DateRange(LocalDate start, LocalDate end) {
    }

    /** What a parse wrote: distinct symbols, rows, and the range the rows cover. */
    public record Summary(int symbolCount, int rows, LocalDate startDate, LocalDate endDate) {
    }

    /**
     * Checks {@code source} completely, then writes {@code target}. Symbols given without dates get the range of
     * the file's dated rows, or else the {@code calendar}'s (null when there is none).
     *
     * @throws InvalidInstrumentsException when any line is bad, or nothing is left once comments are skipped
     */
    public Summary parse(Path source, Path target, Supplier<DateRange> calendar) throws IOException {
        Check check = new Check();
        scan(source, check);
        if (check.badCount > 0) {
            throw new InvalidInstrumentsException(check.badLines, check.badCount);
        }
        if (check.rows == 0) {
            throw new InvalidInstrumentsException("no instruments: the file is empty or holds only blank lines and comments");
        }
        DateRange range = check.datedRange() != null ? check.datedRange() : calendar.get();
        if (range == null) {
            throw new InvalidInstrumentsException(
                    "symbols without dates need a calendar (calendars/day.txt under the dataset's provider_uri) or dated rows");
        }
        try (BufferedWriter out = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            scan(source, new LineVisitor() {
                @Override
                public void row(int line, String symbol, LocalDate start, LocalDate end) throws IOException {
                    out.write(symbol + '\t' + (start == null ? range.start() : start) + '\t'
                            + (end == null ? range.end() : end) + '\n');
                }

                @Override
                public void bad(int line, String reason) {
                    throw new IllegalStateException(source + " changed while it was imported (line " + line + ")");
                }
            });
        }
        return new Summary(check.symbols.size(), check.rows, range.start(), range.end());
    }

    private interface LineVisitor {
        /** {@code start} and {@code end} are null for a symbol given alone. */
        void row(int line, String symbol, LocalDate start, LocalDate end) throws IOException;

        void bad(int line, String reason);
    }

    private void scan(Path source, LineVisitor visitor) throws IOException {
        // malformed UTF-8 becomes U+FFFD in its own line, so the line number of a bad byte is exact
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(source), StandardCharsets.UTF_8))) {
            Lines lines = new Lines(in);
            int number = 0;
            for (String text; (text = lines.next()) != null; ) {
                number++;
                if (number == 1 && !text.isEmpty() && text.charAt(0) == BOM) {
                    text = text.substring(1);
                }
                classify(number, text.strip(), lines.tooLong, visitor);
            }
        }
    }

    private void classify(int line, String text, boolean tooLong, LineVisitor visitor) throws IOException {
        if (tooLong) {
            visitor.bad(line, "longer than " + MAX_LINE_LENGTH + " characters");
            return;
        }
        if (text.indexOf('\uFFFD') >= 0) {
            visitor.bad(line, "not UTF-8 text");
            return;
        }
        if (text.isEmpty() || text.startsWith("#")) {
            return;
        }
        String[] columns = COLUMNS.split(text);
        if (columns.length != 1 && columns.length != 3) {
            visitor.bad(line, "expected SYMBOL<TAB>start<TAB>end or one symbol, found " + columns.length + " columns");
            return;
        }
        String symbol = columns[0].toUpperCase(Locale.ROOT);
        if (!symbolPattern.matcher(symbol).matches()) {
            visitor.bad(line, "symbol '" + printable(columns[0]) + "' does not match " + symbolPattern.pattern());
            return;
        }
        if (columns.length == 1) {
            visitor.row(line, symbol, null, null);
            return;
        }
        LocalDate start = date(columns[1]);
        LocalDate end = date(columns[2]);
        if (start == null || end == null) {
            visitor.bad(line, (start == null ? "start '" + printable(columns[1]) : "end '" + printable(columns[2]))
                    + "' is not a date YYYY-MM-DD");
        } else if (start.isAfter(end)) {
            visitor.bad(line, "start " + start + " is after end " + end);
        } else {
            visitor.row(line, symbol, start, end);
        }
    }

    private static LocalDate date(String text) {
        if (text.length() != 10) {
            return null;
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Reasons end up in JSON and in .error.txt files: no control characters, no kilobyte-long quotes. */
    private static String printable(String text) {
        StringBuilder shown = new StringBuilder();
        text.codePoints().limit(40).forEach(c -> shown.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return text.codePointCount(0, text.length()) > 40 ? shown + "…" : shown.toString();
    }

    /** First pass: every rule, without writing anything. */
    private static final class Check implements LineVisitor {
        final Set<String> symbols = new HashSet<>();
        final List<InvalidInstrumentsException.BadLine> badLines = new ArrayList<>();
        int badCount;
        int rows;
        LocalDate start;
        LocalDate end;

        @Override
        public void row(int line, String symbol, LocalDate rowStart, LocalDate rowEnd) {
            rows++;
            symbols.add(symbol);
            if (rowStart != null) {
                start = start == null || rowStart.isBefore(start) ? rowStart : start;
                end = end == null || rowEnd.isAfter(end) ? rowEnd : end;
            }
        }

        @Override
        public void bad(int line, String reason) {
            if (badCount++ < MAX_REPORTED) {
                badLines.add(new InvalidInstrumentsException.BadLine(line, reason));
            }
        }

        DateRange datedRange() {
            return start == null ? null : new DateRange(start, end);
        }
    }

    /** Lines ended by LF or CRLF, each cut at {@link #MAX_LINE_LENGTH} characters (the rest is skipped). */
    private static final class Lines {
        private final Reader in;
        private final StringBuilder line = new StringBuilder();
        boolean tooLong;

        Lines(Reader in) {
            this.in = in;
        }

        String next() throws IOException {
            line.setLength(0);
            tooLong = false;
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                if (line.length() < MAX_LINE_LENGTH) {
                    line.append((char) c);
                } else if (c != '\r') {
                    tooLong = true;
                }
            }
            if (c == -1 && line.isEmpty() && !tooLong) {
                return null;
            }
            if (!line.isEmpty() && line.charAt(line.length() - 1) == '\r') {
                line.setLength(line.length() - 1);
            }
            return line.toString();
        }
    }
}
