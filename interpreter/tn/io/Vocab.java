package tn.io;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Token labels from a GPT-2 style {@code vocab.json} (token -> id). GPT-2's byte-level BPE writes
 * each byte as a printable stand-in character ({@code Ġ} for a space, {@code Ċ} for a newline); the
 * labels are the decoded text with spaces shown as {@code ␣}, newlines as {@code ⏎} and tabs as
 * {@code ⇥}, so a leading space stays visible; bytes that are not UTF-8 are shown as \xNN, and so
 * are other control characters (see {@link #visible}).
 */
public final class Vocab {
    private Vocab() {}

    /** byte -> stand-in character, GPT-2's bytes_to_unicode table. */
    static final char[] BYTE_TO_CHAR = new char[256];
    static final Map<Character, Integer> CHAR_TO_BYTE = new HashMap<>();

    static {
        boolean[] printable = new boolean[256];
        for (int b = '!'; b <= '~'; b++) printable[b] = true;
        for (int b = 0xA1; b <= 0xAC; b++) printable[b] = true;
        for (int b = 0xAE; b <= 0xFF; b++) printable[b] = true;
        int next = 0;
        for (int b = 0; b < 256; b++) {
            BYTE_TO_CHAR[b] = printable[b] ? (char) b : (char) (256 + next++);
            CHAR_TO_BYTE.put(BYTE_TO_CHAR[b], b);
        }
    }

    /** Labels indexed by token id. */
    public static List<String> read(Path file) throws NpyException {
        List<String> labels = tokens(file, file.toString());
        labels.replaceAll(Vocab::label);
        return labels;
    }

    /**
     * The tokens themselves (GPT-2's byte-level strings, such as {@code Ġthe}) indexed by id; errors
     * start with {@code name}, the file as the user wrote it. The ids must number the tokens 0, 1, ...
     * without gaps.
     */
    public static List<String> tokens(Path file, String name) throws NpyException {
        String text;
        try {
            if (Files.isDirectory(file)) throw new NpyException(name + ": is a directory, not a file");
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new NpyException(name + ": not a vocabulary (it is not UTF-8 text)");
        } catch (IOException e) {
            throw Npy.unreadable(name, e);
        }
        JsonObject root;
        try {
            JsonElement e = JsonParser.parseString(text);
            if (!e.isJsonObject()) throw new NpyException(name + ": a vocabulary is a JSON object of token -> id");
            root = e.getAsJsonObject();
            String repeated = JsonKeys.firstRepeated(text);
            if (repeated != null) throw new NpyException(name + ": token " + repeated + " is given twice (which id is meant?)");
        } catch (com.google.gson.JsonParseException e) {
            throw new NpyException(name + ": not JSON (" + jsonProblem(e) + ")");
        } catch (IOException e) {
            throw new NpyException(name + ": not JSON (" + e.getMessage() + ")");
        }
        String[] tokens = new String[root.size()];
        for (Map.Entry<String, JsonElement> kv : root.entrySet()) {
            JsonElement v = kv.getValue();
            long id;
            try {
                // A number written as a number: "5" is a string, not an id.
                if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) throw new NumberFormatException();
                java.math.BigDecimal d = v.getAsBigDecimal();
                if (d.stripTrailingZeros().scale() > 0 || d.abs().compareTo(java.math.BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
                    throw new NumberFormatException();
                }
                id = d.longValueExact();
            } catch (RuntimeException ex) {
                throw new NpyException(name + ": token " + kv.getKey() + " has id " + shorten(v.toString()) + ", not a whole number");
            }
            if (id < 0 || id >= tokens.length) {
                throw new NpyException(name + ": token " + kv.getKey() + " has id " + id + ", outside 0 to " + (tokens.length - 1)
                        + " (ids must number the " + tokens.length + " tokens without gaps)");
            }
            if (tokens[(int) id] != null) {
                throw new NpyException(name + ": id " + id + " is given to two tokens (" + label(tokens[(int) id]) + " and " + label(kv.getKey()) + ")");
            }
            tokens[(int) id] = kv.getKey();
        }
        return new ArrayList<>(Arrays.asList(tokens));
    }

    /** Gson's message without the Java exception it wraps ("java.io.EOFException: End of input ..."). */
    private static String jsonProblem(com.google.gson.JsonParseException e) {
        Throwable why = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause() : e;
        return why.getMessage();
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    /** A token's display label. */
    public static String label(String token) {
        byte[] bytes = new byte[token.length()];
        boolean byteLevel = true;
        for (int i = 0; i < token.length(); i++) {
            Integer b = CHAR_TO_BYTE.get(token.charAt(i));
            if (b == null) {
                byteLevel = false;
                break;
            }
            bytes[i] = (byte) (int) b;
        }
        String text = byteLevel ? decode(bytes) : token;
        return visible(text.replace(" ", "␣").replace("\n", "⏎").replace("\t", "⇥").replace("\r", "\\r"));
    }

    /**
     * The text with its invisible characters shown: C0 controls and DEL as \xNN (ESC as \x1b),
     * other control and format characters (U+0085, U+200B, U+202E...) as a backslash, u and four
     * hex digits, so that a label printed or drawn never moves the cursor, rings the bell, reverses
     * the line or vanishes.
     */
    public static String visible(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int type = Character.getType(c);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else if (type == Character.CONTROL || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            StringBuilder sb = new StringBuilder();
            for (byte b : bytes) {
                if (b >= 0x20 && b < 0x7f) sb.append((char) b);
                else sb.append(String.format("\\x%02x", b & 0xff));
            }
            return sb.toString();
        }
    }
}
