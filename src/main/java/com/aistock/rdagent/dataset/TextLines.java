package com.aistock.rdagent.dataset;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

/**
 * A text file read line by line in one encoding. Each line is decoded strictly and on its own, so a byte that is
 * not text in the encoding is blamed on its exact line, and a line is cut at {@link #MAX_LINE_BYTES} so even a
 * binary file without newlines costs nothing. Files are opened without following a symbolic link.
 */
final class TextLines implements Closeable {

    static final int MAX_LINE_BYTES = 4 * InstrumentsParser.MAX_LINE_LENGTH;

    /** The encodings a stock-pool file may be in: the first three are told by their byte-order mark. */
    enum Encoding {
        UTF_8_BOM("UTF-8 with BOM", StandardCharsets.UTF_8, 3, false),
        UTF_16LE("UTF-16LE with BOM", StandardCharsets.UTF_16LE, 2, false),
        UTF_16BE("UTF-16BE with BOM", StandardCharsets.UTF_16BE, 2, true),
        UTF_8("UTF-8", StandardCharsets.UTF_8, 0, false),
        // Chinese Windows saves text as GBK, which GB18030 contains
        GB18030("GB18030", Charset.forName("GB18030"), 0, false);

        final String label;
        final Charset charset;
        final int bomLength;
        final boolean bigEndian;

        Encoding(String label, Charset charset, int bomLength, boolean bigEndian) {
            this.label = label;
            this.charset = charset;
            this.bomLength = bomLength;
            this.bigEndian = bigEndian;
        }

        boolean wide() {
            return charset == StandardCharsets.UTF_16LE || charset == StandardCharsets.UTF_16BE;
        }
    }

    /** A byte-order mark this reader does not read; its file is refused as a whole. */
    static final class UnsupportedEncoding extends Exception {
        UnsupportedEncoding(String message) {
            super(message);
        }
    }

    private final InputStream in;
    private final Encoding encoding;
    private final CharsetDecoder decoder;
    private byte[] buffer = new byte[256];
    private int number;
    private String text;
    private String problem;
    private boolean undecodable;

    TextLines(Path file, Encoding encoding) throws IOException {
        this.in = new BufferedInputStream(Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS));
        this.encoding = encoding;
        this.decoder = encoding.charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        in.skipNBytes(encoding.bomLength);
    }

    /**
     * The encoding a byte-order mark names, or empty for a file without one (then UTF-8, else GB18030).
     *
     * @throws UnsupportedEncoding for UTF-32, which no stock-pool tool writes
     */
    static Optional<Encoding> marked(Path file) throws IOException, UnsupportedEncoding {
        byte[] head;
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            head = in.readNBytes(4);
        }
        if (startsWith(head, 0xFF, 0xFE, 0x00, 0x00) || startsWith(head, 0x00, 0x00, 0xFE, 0xFF)) {
            throw new UnsupportedEncoding("UTF-32 text is not read: save the file as UTF-8");
        }
        if (startsWith(head, 0xEF, 0xBB, 0xBF)) {
            return Optional.of(Encoding.UTF_8_BOM);
        }
        if (startsWith(head, 0xFF, 0xFE)) {
            return Optional.of(Encoding.UTF_16LE);
        }
        if (startsWith(head, 0xFE, 0xFF)) {
            return Optional.of(Encoding.UTF_16BE);
        }
        return Optional.empty();
    }

    private static boolean startsWith(byte[] head, int... bytes) {
        if (head.length < bytes.length) {
            return false;
        }
        for (int i = 0; i < bytes.length; i++) {
            if ((head[i] & 0xFF) != bytes[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Reads the next line (LF or CRLF ended).
     *
     * @return false at the end of the file
     */
    boolean next() throws IOException {
        int length = 0;
        boolean tooLong = false;
        boolean any = false;
        int unit;
        while ((unit = readUnit()) >= 0 && unit != '\n') {
            any = true;
            int size = encoding.wide() ? 2 : 1;
            if (length + size > MAX_LINE_BYTES) {
                tooLong = true;
                continue;
            }
            if (length + size > buffer.length) {
                buffer = Arrays.copyOf(buffer, Math.min(MAX_LINE_BYTES, buffer.length * 2));
            }
            if (size == 1) {
                buffer[length++] = (byte) unit;
            } else {
                buffer[length++] = (byte) (encoding.bigEndian ? unit >> 8 : unit);
                buffer[length++] = (byte) (encoding.bigEndian ? unit : unit >> 8);
            }
        }
        if (unit == -1 && !any) {
            return false;
        }
        number++;
        if (unit == -2) {
            refuse("ends in half a UTF-16 character", true);
            return true;
        }
        int width = encoding.wide() ? 2 : 1;
        if (length >= width && isCarriageReturn(length - width)) {
            length -= width;
        }
        if (tooLong) {
            refuse("longer than " + InstrumentsParser.MAX_LINE_LENGTH + " characters", false);
            return true;
        }
        decode(length);
        return true;
    }

    private boolean isCarriageReturn(int at) {
        return encoding.wide()
                ? (encoding.bigEndian ? buffer[at] == 0 && buffer[at + 1] == '\r' : buffer[at] == '\r' && buffer[at + 1] == 0)
                : buffer[at] == '\r';
    }

    /** One byte, or a UTF-16 code unit; -1 at the end, -2 when the file ends inside a code unit. */
    private int readUnit() throws IOException {
        int first = in.read();
        if (first < 0 || !encoding.wide()) {
            return first;
        }
        int second = in.read();
        if (second < 0) {
            return -2;
        }
        return encoding.bigEndian ? first << 8 | second : second << 8 | first;
    }

    private void decode(int length) {
        ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, length);
        try {
            text = decoder.reset().decode(bytes).toString();
            problem = null;
            undecodable = false;
        } catch (CharacterCodingException e) {
            refuse(String.format("byte 0x%02X at byte %d of the line", buffer[bytes.position()] & 0xFF,
                    bytes.position() + 1), true);
        }
    }

    private void refuse(String why, boolean notText) {
        text = null;
        problem = why;
        undecodable = notText;
    }

    Encoding encoding() {
        return encoding;
    }

    /** 1-based number of the line {@link #next()} read. */
    int number() {
        return number;
    }

    /** The line without its line end, or null when it is not text in this encoding or too long. */
    String text() {
        return text;
    }

    /** Why {@link #text()} is null. */
    String problem() {
        return problem;
    }

    /** Whether {@link #text()} is null because the line is not text in this encoding. */
    boolean undecodable() {
        return undecodable;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
