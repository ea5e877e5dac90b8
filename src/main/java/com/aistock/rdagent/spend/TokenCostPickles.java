package com.aistock.rdagent.spend;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import net.razorvine.pickle.Opcodes;
import net.razorvine.pickle.PickleException;
import net.razorvine.pickle.Unpickler;

/**
 * Reads a {@code token_cost} pickle: a plain dict of str, int and float. Every opcode that names a class or calls
 * something (GLOBAL, REDUCE, BUILD, INST, OBJ, NEWOBJ, extension codes, persistent ids) is refused before it does
 * anything, so a hostile file (a pickle calling {@code os.system}) is only ever a refused file.
 */
final class TokenCostPickles {

    /** A token_cost dict is about 150 bytes; anything much larger is not one. */
    static final int MAX_BYTES = 64 * 1024;

    /** Why a file is not a token_cost record. */
    static final class Refused extends Exception {
        /** True when the file may still be being written (it ended early): read it again later. */
        final boolean truncated;

        Refused(String message, boolean truncated) {
            super(message);
            this.truncated = truncated;
        }
    }

    private TokenCostPickles() {
    }

    static TokenCost read(Path file) throws Refused, IOException {
        if (Files.size(file) > MAX_BYTES) {
            throw new Refused("larger than " + MAX_BYTES + " bytes", false);
        }
        byte[] bytes = Files.readAllBytes(file);
        Object value;
        try (RestrictedUnpickler unpickler = new RestrictedUnpickler()) {
            value = unpickler.load(new ByteArrayInputStream(bytes)); // marks, for checkLength
        } catch (IOException e) {
            // the bytes are in memory: the only thing that can go wrong reading them is their end
            throw new Refused("ends before the pickle does", true);
        } catch (RuntimeException e) {
            // whatever else the bytes make the reader do, they are not a token_cost record
            throw new Refused(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), false);
        }
        if (!(value instanceof Map<?, ?> dict)) {
            throw new Refused("not a dict", false);
        }
        if (!(dict.get("model") instanceof String model) || model.isBlank() || model.length() > 200) {
            throw new Refused("no model name", false);
        }
        return new TokenCost(model, tokens(dict, "prompt_tokens"), tokens(dict, "completion_tokens"),
                number(dict, "cost"), dict.containsKey("accumulated_cost") ? number(dict, "accumulated_cost") : Double.NaN);
    }

    private static long tokens(Map<?, ?> dict, String key) throws Refused {
        Object value = dict.get(key);
        long tokens;
        if (value instanceof Integer || value instanceof Long) {
            tokens = ((Number) value).longValue();
        } else if (value instanceof BigInteger big && big.bitLength() < 63) {
            tokens = big.longValue();
        } else {
            throw new Refused(key + " is not an integer", false);
        }
        if (tokens < 0) {
            throw new Refused(key + " is negative", false);
        }
        return tokens;
    }

    private static double number(Map<?, ?> dict, String key) throws Refused {
        Object value = dict.get(key);
        if (value == null) {
            return Double.NaN; // LiteLLM's completion_cost may be None as well as NaN
        }
        if (!(value instanceof Double || value instanceof Integer || value instanceof Long)) {
            throw new Refused(key + " is not a number", false);
        }
        return ((Number) value).doubleValue();
    }

    private static final class RestrictedUnpickler extends Unpickler implements AutoCloseable {
        @Override
        protected Object dispatch(short key) throws PickleException, IOException {
            switch (key) {
                case Opcodes.GLOBAL, Opcodes.STACK_GLOBAL, Opcodes.REDUCE, Opcodes.BUILD, Opcodes.INST, Opcodes.OBJ,
                     Opcodes.NEWOBJ, Opcodes.NEWOBJ_EX, Opcodes.EXT1, Opcodes.EXT2, Opcodes.EXT4, Opcodes.PERSID,
                     Opcodes.BINPERSID, Opcodes.NEXT_BUFFER ->
                        throw new PickleException("refused opcode 0x" + Integer.toHexString(key)
                                + " (only plain dicts of str, int and float are read)");
                case Opcodes.BINUNICODE, Opcodes.BINSTRING, Opcodes.BINBYTES, Opcodes.LONG4 -> checkLength(key, 4);
                case Opcodes.BINUNICODE8, Opcodes.BINBYTES8, Opcodes.BYTEARRAY8 -> checkLength(key, 8);
                default -> {
                }
            }
            return super.dispatch(key);
        }

        /**
         * The reader allocates what a length prefix claims before reading it: a file of a few bytes claiming
         * gigabytes (or a negative length) would exhaust the heap. No field of a record can be longer than the file.
         */
        private void checkLength(short key, int width) throws IOException {
            input.mark(width);
            byte[] prefix = input.readNBytes(width);
            input.reset();
            long length = 0;
            for (int i = prefix.length - 1; i >= 0; i--) {
                length = (length << 8) | (prefix[i] & 0xff);
            }
            if (prefix.length == width && (length < 0 || length > MAX_BYTES)) {
                throw new PickleException("opcode 0x" + Integer.toHexString(key) + " claims " + Long.toUnsignedString(length)
                        + " bytes, more than a record can hold");
            }
        }
    }
}
