package com.aistock.rdagent.dataset;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import com.aistock.rdagent.system.ApiError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The stock-pool file rules of SPEC 8, line by line, against a small Qlib data folder. */
class InstrumentsParserTest {

    private static final String CN = "^(SH|SZ|BJ)\\d{6}$";
    private static final String TICKERS = "^[A-Z0-9]{1,12}$";
    private static final String BOM = "\uFEFF";
    /** The data's universe: every symbol the accepted cases use, so they import without warnings. */
    private static final List<String> UNIVERSE = List.of("SH600000", "SZ000001", "SZ300750", "BJ430047", "AAPL", "MSFT");

    @TempDir
    Path folder;

    /** A Qlib data folder: calendars/day.txt from 2015-01-05 to 2020-12-31, instruments/all.txt with {@code symbols}. */
    static Path qlibData(Path root, List<String> symbols) throws IOException {
        Files.createDirectories(root.resolve("calendars"));
        Files.createDirectories(root.resolve("instruments"));
        Files.createDirectories(root.resolve("features"));
        Files.writeString(root.resolve("calendars/day.txt"), "2015-01-05\n2015-01-06\n2020-12-30\n2020-12-31\n");
        Files.writeString(root.resolve("instruments/all.txt"), symbols.stream()
                .map(symbol -> symbol + "\t2015-01-05\t2020-12-31\n").reduce("", String::concat));
        return root;
    }

    private InstrumentsParser.Reference data() throws IOException {
        return InstrumentsParser.Reference.of(qlibData(folder.resolve("qlib"), UNIVERSE));
    }

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
        assertThat(summary.warnings()).isEmpty();
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
                arguments("neither UTF-8 nor GB18030 in the third line", CN,
                        concat(bytes("SH600000\nSZ000001\n"), new byte[]{(byte) 0xC3, 0x28, '\n'}, bytes("BJ430047\n")),
                        List.of(3), "line 3: neither UTF-8 nor GB18030 text: byte 0xC3 at byte 1 of the line"),
                arguments("binary garbage", CN, new byte[]{0x00, (byte) 0xFF, (byte) 0xFE, 0x7F, 0x01, (byte) 0x80, '\n', 0x13, 0x00},
                        List.of(1, 2), "line 1: neither UTF-8 nor GB18030 text: byte 0xFF at byte 2 of the line; line 2: holds NUL"),
                arguments("invalid UTF-8 after a UTF-8 BOM is not read as GB18030", CN,
                        concat(bytes(BOM + "SH600000\n"), new byte[]{'#', ' ', (byte) 0xB9, (byte) 0xC9, '\n'}),
                        List.of(2), "line 2: not UTF-8 with BOM text: byte 0xB9 at byte 3 of the line"),
                arguments("UTF-16 without a byte-order mark", CN, "SH600000\n".getBytes(StandardCharsets.UTF_16LE),
                        List.of(1, 2), "line 1: holds NUL characters (UTF-16 without a byte-order mark?)"),
                arguments("UTF-16 cut in half a character", CN,
                        concat(new byte[]{(byte) 0xFF, (byte) 0xFE}, "SH600000\n".getBytes(StandardCharsets.UTF_16LE), new byte[]{'S'}),
                        List.of(2), "line 2: not UTF-16LE with BOM text: ends in half a UTF-16 character"),
                arguments("UTF-32", CN, concat(new byte[]{(byte) 0xFF, (byte) 0xFE, 0, 0}, "SH600000\n".getBytes(Charset.forName("UTF-32LE"))),
                        List.of(), "UTF-32 text is not read: save the file as UTF-8"),
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
                    assertThat(e.lines() == null ? List.of() : e.lines()).extracting(ApiError.LineProblem::line).isEqualTo(lines);
                    assertThat(e.getMessage()).contains(message);
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.field()).isEqualTo("file");
                });
        assertThat(target).doesNotExist();
    }

    /** The same pool written by python3 in each encoding a stock-pool tool produces is read the same. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("encodings")
    void readsEveryEncodingAPoolToolWrites(String python, String label) throws IOException, InterruptedException {
        String text = "# 沪深300 成分股\r\nsh600000\t2015-01-05\t2020-12-31\r\n600000.SZ\r\nSZ000001\r\n";
        Path source = folder.resolve("in.txt");
        Process process = new ProcessBuilder("/usr/bin/python3", "-c",
                "import sys; open(sys.argv[1], 'wb').write(sys.argv[2].encode(sys.argv[3]))", source.toString(), text, python)
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(new String(process.getInputStream().readAllBytes())).isZero();
        Path target = folder.resolve("out.txt");

        InstrumentsParser.Summary summary = new InstrumentsParser(CN, InstrumentsParser.UnknownSymbols.WARN)
                .parse(source, target, data());

        assertThat(summary.encoding()).isEqualTo(label);
        assertThat(Files.readString(target)).isEqualTo(
                "SH600000\t2015-01-05\t2020-12-31\nSZ600000\t2015-01-05\t2020-12-31\nSZ000001\t2015-01-05\t2020-12-31\n");
        assertThat(summary.warnings()).containsExactly(new InstrumentsParser.Warning(3, "SZ600000",
                "SZ600000 is not in the Qlib data (" + folder.resolve("qlib") + "/instruments/all.txt)"));
    }

    static Stream<Arguments> encodings() {
        return Stream.of(
                arguments("utf-8", "UTF-8"),
                arguments("utf-8-sig", "UTF-8 with BOM"),
                arguments("utf-16", "UTF-16LE with BOM"),
                arguments("gb18030", "GB18030"),
                arguments("gbk", "GB18030"));
    }

    @Test
    void everySpellingBecomesTheDatasOwnAndTheAnswerSaysWhich() throws IOException {
        // this data spells its symbols in lower case, as some converted data sets do
        InstrumentsParser.Reference lower = InstrumentsParser.Reference.of(qlibData(folder.resolve("lower"), List.of("sh600000", "SZ000001")));
        Path source = Files.writeString(folder.resolve("in.txt"), "SH600000\n600000.sh\nsz000001\n000001.SZ\nSZ000001\n");
        Path target = folder.resolve("out.txt");

        InstrumentsParser.Summary summary = new InstrumentsParser(CN, InstrumentsParser.UnknownSymbols.REJECT)
                .parse(source, target, lower);

        assertThat(Files.readAllLines(target)).extracting(line -> line.split("\t")[0])
                .containsExactly("sh600000", "sh600000", "SZ000001", "SZ000001", "SZ000001");
        assertThat(summary.normalised()).containsExactly(
                new InstrumentsParser.Normalised(1, "SH600000", "sh600000"),
                new InstrumentsParser.Normalised(2, "600000.sh", "sh600000"),
                new InstrumentsParser.Normalised(3, "sz000001", "SZ000001"),
                new InstrumentsParser.Normalised(4, "000001.SZ", "SZ000001"));
        assertThat(summary.normalisedCount()).isEqualTo(4);
        assertThat(summary.symbolCount()).isEqualTo(2);
    }

    @Test
    void unknownSymbolsAndRangesOutsideTheCalendarAreWarningsOrBadLines() throws IOException {
        String pool = "SH600000\nSH688999\t2016-01-04\t2020-12-31\nSZ000001\t2014-01-02\t2020-12-31\n"
                + "# fine\nSZ300999\nBJ430047\t2016-01-04\t2021-06-30\n";
        Path source = Files.writeString(folder.resolve("in.txt"), pool);
        String all = folder.resolve("qlib") + "/instruments/all.txt";

        InstrumentsParser.Summary warned = new InstrumentsParser(CN, InstrumentsParser.UnknownSymbols.WARN)
                .parse(source, folder.resolve("warned.txt"), data());

        assertThat(warned.warnings()).containsExactly(
                new InstrumentsParser.Warning(2, "SH688999", "SH688999 is not in the Qlib data (" + all + ")"),
                new InstrumentsParser.Warning(3, "SZ000001", "2014-01-02..2020-12-31 is outside the calendar 2015-01-05..2020-12-31"),
                new InstrumentsParser.Warning(5, "SZ300999", "SZ300999 is not in the Qlib data (" + all + ")"),
                new InstrumentsParser.Warning(6, "BJ430047", "2016-01-04..2021-06-30 is outside the calendar 2015-01-05..2020-12-31"));
        assertThat(warned.warningCount()).isEqualTo(4);
        assertThat(warned.symbolCount()).as("imported with them").isEqualTo(5);

        assertThatThrownBy(() -> new InstrumentsParser(CN, InstrumentsParser.UnknownSymbols.REJECT)
                .parse(source, folder.resolve("rejected.txt"), data()))
                .isInstanceOfSatisfying(InvalidInstrumentsException.class, e -> assertThat(e.lines())
                        .extracting(ApiError.LineProblem::line).containsExactly(2, 3, 5, 6));
        assertThat(folder.resolve("rejected.txt")).doesNotExist();
    }

    @Test
    void aDataFolderWithoutACalendarIsNoReference() throws IOException {
        Path data = qlibData(folder.resolve("no-calendar"), UNIVERSE);
        Files.writeString(data.resolve("calendars/day.txt"), "\n");

        assertThatThrownBy(() -> InstrumentsParser.Reference.of(data)).hasMessageContaining("holds no dates");
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

        InstrumentsParser.Summary summary = new InstrumentsParser(CN, InstrumentsParser.UnknownSymbols.WARN)
                .parse(source, target, data());

        assertThat(summary.rows()).isEqualTo(200_000);
        assertThat(summary.warningCount()).as("no symbol of the file is in the data").isEqualTo(200_000);
        assertThat(summary.warnings()).hasSize(InstrumentsParser.MAX_KEPT);
        assertThat(summary.normalisedCount()).isEqualTo(200_000);
        assertThat(summary.symbolCount()).isEqualTo(5000);
        assertThat(summary.startDate()).isEqualTo(LocalDate.parse("2010-01-02"));
        try (Stream<String> lines = Files.lines(target)) {
            assertThat(lines.count()).isEqualTo(200_000);
        }
        assertThat(Files.readAllLines(target).get(199_999)).isEqualTo("SH004999\t2019-01-02\t2020-12-31");
    }

    private InstrumentsParser.Summary parse(String pattern, byte[] input, Path target) throws IOException {
        Path source = Files.write(folder.resolve("in.txt"), input);
        return new InstrumentsParser(pattern, InstrumentsParser.UnknownSymbols.REJECT).parse(source, target, data());
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
