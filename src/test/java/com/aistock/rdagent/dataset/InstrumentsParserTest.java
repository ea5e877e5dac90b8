package com.aistock.rdagent.dataset;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The stock-pool file rules of SPEC 8, line by line. */
class InstrumentsParserTest {

    private static final String CN = "^(SH|SZ|BJ)\\d{6}$";
    private static final String TICKERS = "^[A-Z0-9]{1,12}$";
    private static final InstrumentsParser.DateRange CALENDAR =
            new InstrumentsParser.DateRange(LocalDate.parse("2015-01-05"), LocalDate.parse("2020-12-31"));
    private static final String BOM = "\uFEFF";

    @TempDir
    Path folder;

    static Stream<Arguments> accepted() {
        return Stream.of(
                arguments("one Qlib line", CN, "SH600000\t2015-01-05\t2020-12-31\n",
                        "SH600000\t2015-01-05\t2020-12-31\n", 1),
                arguments("several Qlib lines", CN, "SH600000\t2015-01-05\t2020-12-31\nSZ000001\t2016-01-04\t2019-12-31\n",
                        "SH600000\t2015-01-05\t2020-12-31\nSZ000001\t2016-01-04\t2019-12-31\n", 2),
                arguments("a symbol repeated for several periods", CN,
                        "SH600000\t2015-01-05\t2016-12-30\nSH600000\t2018-01-02\t2020-12-31\n",
                        "SH600000\t2015-01-05\t2016-12-30\nSH600000\t2018-01-02\t2020-12-31\n", 1),
                arguments("one symbol per line takes the calendar's range", CN, "SH600000\nSZ000001\n",
                        "SH600000\t2015-01-05\t2020-12-31\nSZ000001\t2015-01-05\t2020-12-31\n", 2),
                arguments("plain symbols beside dated rows take the file's range", CN,
                        "SH600000\t2017-01-03\t2018-12-28\nSZ000001\n",
                        "SH600000\t2017-01-03\t2018-12-28\nSZ000001\t2017-01-03\t2018-12-28\n", 2),
                arguments("lower case is upper-cased", CN, "sh600000\t2015-01-05\t2020-12-31\nsz000001\n",
                        "SH600000\t2015-01-05\t2020-12-31\nSZ000001\t2015-01-05\t2020-12-31\n", 2),
                arguments("a UTF-8 BOM is skipped", CN, BOM + "SH600000\t2015-01-05\t2020-12-31\n",
                        "SH600000\t2015-01-05\t2020-12-31\n", 1),
                arguments("CRLF line ends", CN, "SH600000\t2015-01-05\t2020-12-31\r\nSZ000001\t2015-01-05\t2020-12-31\r\n",
                        "SH600000\t2015-01-05\t2020-12-31\nSZ000001\t2015-01-05\t2020-12-31\n", 2),
                arguments("comments and blank lines are skipped", CN,
                        "# CSI pool\n\nSH600000\t2015-01-05\t2020-12-31\n   \n  # indented comment\nBJ430047\n",
                        "SH600000\t2015-01-05\t2020-12-31\nBJ430047\t2015-01-05\t2020-12-31\n", 2),
                arguments("spaces as separators and around the line", CN, "  SH600000   2015-01-05 2020-12-31  \n",
                        "SH600000\t2015-01-05\t2020-12-31\n", 1),
                arguments("no newline at the end", CN, "SH600000\t2015-01-05\t2020-12-31",
                        "SH600000\t2015-01-05\t2020-12-31\n", 1),
                arguments("SH, SZ and BJ markets", CN, "SH600000\nSZ300750\nBJ430047\n",
                        "SH600000\t2015-01-05\t2020-12-31\nSZ300750\t2015-01-05\t2020-12-31\nBJ430047\t2015-01-05\t2020-12-31\n", 3),
                arguments("start equal to end", CN, "SH600000\t2020-02-28\t2020-02-28\n",
                        "SH600000\t2020-02-28\t2020-02-28\n", 1),
                arguments("a leap day", CN, "SH600000\t2020-02-29\t2020-03-02\n", "SH600000\t2020-02-29\t2020-03-02\n", 1),
                arguments("BOM, CRLF and a comment together", CN, BOM + "# pool\r\nsh600000\r\n\r\n",
                        "SH600000\t2015-01-05\t2020-12-31\n", 1),
                arguments("US tickers with a widened pattern", TICKERS, "AAPL\t2020-01-02\t2020-12-31\nmsft\n",
                        "AAPL\t2020-01-02\t2020-12-31\nMSFT\t2020-01-02\t2020-12-31\n", 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void acceptsAndNormalises(String description, String pattern, String input, String normalised, int symbols)
            throws IOException {
        Path target = folder.resolve("out.txt");

        InstrumentsParser.Summary summary = parse(pattern, input.getBytes(StandardCharsets.UTF_8), target);

        assertThat(Files.readString(target)).isEqualTo(normalised);
        assertThat(summary.symbolCount()).isEqualTo(symbols);
        assertThat(summary.rows()).isEqualTo((int) normalised.lines().count());
        List<String> dates = normalised.lines().flatMap(line -> Stream.of(line.split("\t")).skip(1)).sorted().toList();
        assertThat(summary.startDate()).hasToString(dates.get(0));
        assertThat(summary.endDate()).hasToString(dates.get(dates.size() - 1));
    }

    static Stream<Arguments> rejected() {
        return Stream.of(
                arguments("a month 13", CN, bytes("SH600000\t2020-13-01\t2020-12-31\n"),
                        List.of(1), "start '2020-13-01' is not a date YYYY-MM-DD"),
                arguments("February 30th", CN, bytes("SH600000\t2015-01-05\t2020-12-31\nSZ000001\t2015-01-05\t2020-02-30\n"),
                        List.of(2), "end '2020-02-30' is not a date YYYY-MM-DD"),
                arguments("slashes in a date", CN, bytes("SH600000\t2020/01/02\t2020-12-31\n"),
                        List.of(1), "start '2020/01/02' is not a date"),
                arguments("a date without dashes", CN, bytes("\nSH600000\t2020-01-02\t20201231\n"),
                        List.of(2), "end '20201231' is not a date"),
                arguments("start after end", CN, bytes("SH600000\t2015-01-05\t2020-12-31\nSZ000001\t2021-01-04\t2020-12-31\n"),
                        List.of(2), "start 2021-01-04 is after end 2020-12-31"),
                arguments("five digits", CN, bytes("SH60000\t2015-01-05\t2020-12-31\n"),
                        List.of(1), "symbol 'SH60000' does not match ^(SH|SZ|BJ)\\d{6}$"),
                arguments("an unknown exchange", CN, bytes("# pool\nHK000001\n"),
                        List.of(2), "symbol 'HK000001' does not match"),
                arguments("a US ticker under the default pattern", CN, bytes("AAPL\n"),
                        List.of(1), "symbol 'AAPL' does not match"),
                arguments("four columns", CN, bytes("SH600000\t2015-01-05\t2020-12-31\textra\n"),
                        List.of(1), "expected SYMBOL<TAB>start<TAB>end or one symbol, found 4 columns"),
                arguments("two columns", CN, bytes("SH600000\t2015-01-05\n"),
                        List.of(1), "found 2 columns"),
                arguments("every bad line, counting comments and blank lines", CN,
                        bytes("# pool\nSH600000\t2015-01-05\t2020-12-31\nSH6\n\nSZ000001\t2015-01-05\t2014-01-05\n# x\nBJ430047 a b c\n"),
                        List.of(3, 5, 7), "line 3: symbol 'SH6' does not match"),
                arguments("a bad line after a BOM and CRLF", CN, bytes(BOM + "SH600000\r\nSZ00001\r\n"),
                        List.of(2), "symbol 'SZ00001' does not match"),
                arguments("invalid UTF-8 in the third line", CN,
                        concat(bytes("SH600000\nSZ000001\n"), new byte[]{(byte) 0xC3, 0x28, '\n'}, bytes("BJ430047\n")),
                        List.of(3), "line 3: not UTF-8 text"),
                arguments("binary garbage", CN, new byte[]{0x00, (byte) 0xFF, (byte) 0xFE, 0x7F, 0x01, (byte) 0x80, '\n', 0x13, 0x00},
                        List.of(1, 2), "line 1: not UTF-8 text; line 2: symbol '??' does not match"),
                arguments("a line too long to read whole", CN, bytes("SH600000\n" + "X".repeat(50_000)),
                        List.of(2), "line 2: longer than 1024 characters"),
                arguments("only the first 20 of 25 bad lines", CN,
                        bytes(IntStream.rangeClosed(1, 25).mapToObj(i -> "SH" + i + "\n").reduce("", String::concat)),
                        IntStream.rangeClosed(1, 20).boxed().toList(), "25 bad lines (first 20 shown): line 1: "),
                arguments("an empty file", CN, new byte[0], List.of(), "no instruments"),
                arguments("only comments and blank lines", CN, bytes("# nothing\n\n   \n# here\n"), List.of(), "no instruments"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rejected")
    void refusesTheWholeFileNamingTheBadLines(String description, String pattern, byte[] input, List<Integer> lines,
                                               String message) {
        Path target = folder.resolve("out.txt");

        assertThatThrownBy(() -> parse(pattern, input, target))
                .isInstanceOfSatisfying(InvalidInstrumentsException.class, e -> {
                    assertThat(e.badLines()).extracting(InvalidInstrumentsException.BadLine::line).isEqualTo(lines);
                    assertThat(e.getMessage()).contains(message);
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.field()).isEqualTo("file");
                });
        assertThat(target).doesNotExist();
    }

    @Test
    void plainSymbolsWithoutACalendarOrDatedRowsAreRefused() throws IOException {
        Path source = Files.write(folder.resolve("in.txt"), bytes("SH600000\n"));

        assertThatThrownBy(() -> new InstrumentsParser(CN).parse(source, folder.resolve("out.txt"), () -> null))
                .isInstanceOf(InvalidInstrumentsException.class)
                .hasMessageContaining("need a calendar");
    }

    /** 200,000 lines stream through in two passes; only the distinct symbols are kept. */
    @Test
    void aLargeFileStreams() throws IOException {
        Path source = folder.resolve("large.txt");
        try (BufferedWriter out = Files.newBufferedWriter(source)) {
            for (int i = 0; i < 200_000; i++) {
                out.write(String.format("sh%06d\t20%02d-01-02\t2020-12-31\n", i % 5000, 10 + i % 10));
            }
        }
        Path target = folder.resolve("out.txt");

        InstrumentsParser.Summary summary = new InstrumentsParser(CN).parse(source, target, () -> CALENDAR);

        assertThat(summary.rows()).isEqualTo(200_000);
        assertThat(summary.symbolCount()).isEqualTo(5000);
        assertThat(summary.startDate()).isEqualTo(LocalDate.parse("2010-01-02"));
        try (Stream<String> lines = Files.lines(target)) {
            assertThat(lines.count()).isEqualTo(200_000);
        }
        assertThat(Files.readAllLines(target).get(199_999)).isEqualTo("SH004999\t2019-01-02\t2020-12-31");
    }

    private InstrumentsParser.Summary parse(String pattern, byte[] input, Path target) throws IOException {
        Path source = Files.write(folder.resolve("in.txt"), input);
        return new InstrumentsParser(pattern).parse(source, target, () -> CALENDAR);
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        byte[] all = new byte[Stream.of(parts).mapToInt(p -> p.length).sum()];
        int at = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, at, part.length);
            at += part.length;
        }
        return all;
    }
}
