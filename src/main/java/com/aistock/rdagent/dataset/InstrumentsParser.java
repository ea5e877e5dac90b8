package com.aistock.rdagent.dataset;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.aistock.rdagent.system.ApiError;

/**
 * Reads a stock-pool file in either form SPEC 8 accepts — Qlib's {@code SYMBOL<TAB>start<TAB>end} (a symbol may
 * repeat for several periods) or one symbol per line — checks it against the Qlib data it will run on, and writes
 * it as a normalised Qlib instruments file. The file may be UTF-8 (with or without BOM), UTF-16 with BOM or
 * GB18030, with LF or CRLF line ends. Every pass streams line by line: a file is never held in memory.
 */
public final class InstrumentsParser {

    /** Bad lines named in a refusal. */
    static final int MAX_REPORTED = 20;
    /** Warnings and normalisations kept with a version; the counts say how many there were. */
    static final int MAX_KEPT = 100;
    static final int MAX_LINE_LENGTH = 1024;
    private static final Pattern COLUMNS = Pattern.compile("[\\t ]+");

    /** What an import does with a symbol the data does not know, or a range outside its calendar. */
    public enum UnknownSymbols {
        /** imported; the lines are stored with the version and shown */
        WARN,
        /** the whole file is refused, naming the lines */
        REJECT
    }

    private final Pattern symbolPattern;
    private final UnknownSymbols unknownSymbols;

    public InstrumentsParser(String symbolPattern, UnknownSymbols unknownSymbols) {
        this.symbolPattern = Pattern.compile(symbolPattern);
        this.unknownSymbols = unknownSymbols;
    }

    public record DateRange(LocalDate start, LocalDate end) {

        boolean covers(LocalDate from, LocalDate to) {
            return !from.isBefore(start) && !to.isAfter(end);
        }
    }

    /** What a pool is checked against: the symbols of a data folder's {@code instruments/all.txt} and its calendar. */
    public static final class Reference {
        private final String folder;
        private final QlibData.Symbols symbols;
        private final DateRange calendar;

        private Reference(String folder, QlibData.Symbols symbols, DateRange calendar) {
            this.folder = folder;
            this.symbols = symbols;
            this.calendar = calendar;
        }

        /** Reads {@code instruments/all.txt} and {@code calendars/day.txt} of a Qlib data folder. */
        public static Reference of(Path folder) throws IOException {
            DateRange calendar = QlibData.calendar(folder);
            if (calendar == null) {
                throw new IOException(folder.resolve("calendars/day.txt") + " holds no dates YYYY-MM-DD");
            }
            return new Reference(folder.toString(), QlibData.symbols(folder), calendar);
        }

        String folder() {
            return folder;
        }

        QlibData.Symbols symbols() {
            return symbols;
        }

        DateRange calendar() {
            return calendar;
        }
    }

    /** A line the data does not fully know, kept under {@code unknown-symbols=warn}. */
    public record Warning(int line, String symbol, String message) {
    }

    /** A symbol written differently from how the file spelt it: the data's spelling wins. */
    public record Normalised(int line, String from, String to) {
    }

    /** What a parse wrote: distinct symbols, rows, the range the rows cover, and what it noticed on the way. */
    public record Summary(int symbolCount, int rows, LocalDate startDate, LocalDate endDate, String encoding,
                          List<Warning> warnings, int warningCount, List<Normalised> normalised, int normalisedCount) {
    }

    /**
     * Checks {@code source} completely, then writes {@code target}. Symbols given without dates get the range of
     * the file's dated rows, or else the calendar's.
     *
     * @throws InvalidInstrumentsException when any line is bad, or nothing is left once comments are skipped
     */
    public Summary parse(Path source, Path target, Reference data) throws IOException {
        TextLines.Encoding encoding;
        Check check;
        try {
            Optional<TextLines.Encoding> marked = TextLines.marked(source);
            encoding = marked.orElse(TextLines.Encoding.UTF_8);
            check = check(source, encoding, data);
            if (marked.isEmpty() && check.undecodable) {
                encoding = TextLines.Encoding.GB18030;
                check = check(source, encoding, data);
            }
        } catch (TextLines.UnsupportedEncoding e) {
            throw new InvalidInstrumentsException(e.getMessage());
        }
        if (check.badCount > 0) {
            throw new InvalidInstrumentsException(check.badLines, check.badCount);
        }
        if (check.rows == 0) {
            throw new InvalidInstrumentsException("no instruments: the file is empty or holds only blank lines and comments");
        }
        DateRange range = check.datedRange() != null ? check.datedRange() : data.calendar();
        try (BufferedWriter out = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            scan(source, encoding, data, new LineVisitor() {
                @Override
                public void row(int line, String symbol, LocalDate start, LocalDate end) throws IOException {
                    out.write(symbol + '\t' + (start == null ? range.start() : start) + '\t'
                            + (end == null ? range.end() : end) + '\n');
                }

                @Override
                public void bad(int line, String reason, boolean undecodable) {
                    throw new IllegalStateException(source + " changed while it was imported (line " + line + ")");
                }
            });
        }
        return new Summary(check.symbols.size(), check.rows, range.start(), range.end(), encoding.label,
                List.copyOf(check.warnings), check.warningCount, List.copyOf(check.normalised), check.normalisedCount);
    }

    private Check check(Path source, TextLines.Encoding encoding, Reference data) throws IOException {
        Check check = new Check(encoding);
        scan(source, encoding, data, check);
        return check;
    }

    private interface LineVisitor {
        /** {@code start} and {@code end} are null for a symbol given alone. */
        void row(int line, String symbol, LocalDate start, LocalDate end) throws IOException;

        void bad(int line, String reason, boolean undecodable);

        /** A line the data does not fully know, which {@link UnknownSymbols#WARN} lets through. */
        default void unknown(int line, String symbol, String reason) {
        }

        default void normalised(int line, String from, String to) {
        }
    }

    private void scan(Path source, TextLines.Encoding encoding, Reference data, LineVisitor visitor) throws IOException {
        try (TextLines lines = new TextLines(source, encoding)) {
            while (lines.next()) {
                if (lines.text() == null) {
                    visitor.bad(lines.number(), lines.problem(), lines.undecodable());
                } else {
                    classify(lines.number(), lines.text().strip(), data, visitor);
                }
            }
        }
    }

    private void classify(int line, String text, Reference data, LineVisitor visitor) throws IOException {
        if (text.indexOf('\0') >= 0) {
            visitor.bad(line, "holds NUL characters (UTF-16 without a byte-order mark?): save the file as UTF-8", false);
            return;
        }
        if (text.isEmpty() || text.startsWith("#")) {
            return;
        }
        String[] columns = COLUMNS.split(text);
        if (columns.length != 1 && columns.length != 3) {
            visitor.bad(line, "expected SYMBOL<TAB>start<TAB>end or one symbol, found " + columns.length + " columns", false);
            return;
        }
        String key = QlibData.Symbols.key(columns[0]);
        if (!symbolPattern.matcher(key).matches()) {
            visitor.bad(line, "symbol '" + printable(columns[0]) + "' does not match " + symbolPattern.pattern(), false);
            return;
        }
        String symbol = data.symbols().spelling(key);
        LocalDate start = null;
        LocalDate end = null;
        if (columns.length == 3) {
            start = date(columns[1]);
            end = date(columns[2]);
            if (start == null || end == null) {
                visitor.bad(line, (start == null ? "start '" + printable(columns[1]) : "end '" + printable(columns[2]))
                        + "' is not a date YYYY-MM-DD", false);
                return;
            }
            if (start.isAfter(end)) {
                visitor.bad(line, "start " + start + " is after end " + end, false);
                return;
            }
        }
        String unknown = !data.symbols().contains(key)
                ? symbol + " is not in the Qlib data (" + data.folder() + "/instruments/all.txt)"
                : start != null && !data.calendar().covers(start, end)
                ? start + ".." + end + " is outside the calendar " + data.calendar().start() + ".." + data.calendar().end()
                : null;
        if (unknown != null && unknownSymbols == UnknownSymbols.REJECT) {
            visitor.bad(line, unknown, false);
            return;
        }
        if (unknown != null) {
            visitor.unknown(line, symbol, unknown);
        }
        if (!symbol.equals(columns[0])) {
            visitor.normalised(line, columns[0], symbol);
        }
        visitor.row(line, symbol, start, end);
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
    static String printable(String text) {
        StringBuilder shown = new StringBuilder();
        text.codePoints().limit(40).forEach(c -> shown.appendCodePoint(Character.isISOControl(c) ? '?' : c));
        return text.codePointCount(0, text.length()) > 40 ? shown + "…" : shown.toString();
    }

    /** First pass: every rule, without writing anything. */
    private static final class Check implements LineVisitor {
        final TextLines.Encoding encoding;
        final Set<String> symbols = new HashSet<>();
        final List<ApiError.LineProblem> badLines = new ArrayList<>();
        final List<Warning> warnings = new ArrayList<>();
        final List<Normalised> normalised = new ArrayList<>();
        int badCount;
        int warningCount;
        int normalisedCount;
        int rows;
        /** A line that is not text in the encoding: an unmarked file is then read again as GB18030. */
        boolean undecodable;
        LocalDate start;
        LocalDate end;

        Check(TextLines.Encoding encoding) {
            this.encoding = encoding;
        }

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
        public void bad(int line, String reason, boolean notText) {
            undecodable |= notText;
            String why = !notText ? reason
                    : encoding == TextLines.Encoding.GB18030 ? "neither UTF-8 nor GB18030 text: " + reason
                    : "not " + encoding.label + " text: " + reason;
            if (badCount++ < MAX_REPORTED) {
                badLines.add(new ApiError.LineProblem(line, why));
            }
        }

        @Override
        public void unknown(int line, String symbol, String reason) {
            if (warningCount++ < MAX_KEPT) {
                warnings.add(new Warning(line, symbol, reason));
            }
        }

        @Override
        public void normalised(int line, String from, String to) {
            if (normalisedCount++ < MAX_KEPT) {
                normalised.add(new Normalised(line, from, to));
            }
        }

        DateRange datedRange() {
            return start == null ? null : new DateRange(start, end);
        }
    }
}
