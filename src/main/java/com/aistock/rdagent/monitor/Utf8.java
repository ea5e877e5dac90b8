package com.aistock.rdagent.monitor;

/** Byte-level UTF-8 boundaries, so a cut by byte offset never splits a character. */
final class Utf8 {

    private Utf8() {
    }

    /** How many leading bytes are continuation bytes of a character that started before the buffer. */
    static int skipContinuation(byte[] bytes) {
        int i = 0;
        while (i < bytes.length && i < 3 && (bytes[i] & 0xC0) == 0x80) {
            i++;
        }
        return i;
    }

    /** The length of the buffer without a trailing, incomplete character. */
    static int completeLength(byte[] bytes) {
        int n = bytes.length;
        int i = n - 1;
        while (i >= 0 && n - i <= 4 && (bytes[i] & 0xC0) == 0x80) {
            i--;
        }
        if (i < 0) {
            return n;
        }
        int lead = bytes[i] & 0xFF;
        int expected = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        return n - i < expected ? i : n;
    }

    /** A terminal shows only what follows the last carriage return of a line (progress bars redraw with it). */
    static String visible(String line) {
        String text = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        int cr = text.lastIndexOf('\r');
        return cr >= 0 ? text.substring(cr + 1) : text;
    }
}
