package tn.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * GPT-2's byte-level BPE tokenizer, from a {@code vocab.json} (token -> id) and a {@code merges.txt}
 * (one merge per line, the most frequent first). Encoding, as OpenAI's encoder.py does it: the text
 * is cut into pre-tokens by GPT-2's regex ({@link #PRE_TOKEN}); each pre-token's UTF-8 bytes are
 * written with GPT-2's printable stand-ins ({@link Vocab#BYTE_TO_CHAR}); then, while some adjacent
 * pair of symbols is a merge, every occurrence (left to right) of the pair ranked first is joined.
 * {@code <|endoftext|>}, when the vocabulary has it, is that one token wherever it is written in the
 * text (as Hugging Face's tokenizer treats its special token). Decoding joins the tokens' bytes;
 * bytes that are not UTF-8 become U+FFFD, as Hugging Face's decode does.
 */
public final class Bpe {
    /**
     * GPT-2's pre-tokenisation. UNICODE_CHARACTER_CLASS makes {@code \s} Unicode's White_Space (as
     * in Python's regex module; without it Java's is ASCII only: U+0085, U+00A0, U+3000... would not
     * be spaces). {@code \p{L}} and {@code \p{N}} come from Java 17's Unicode 13 tables.
     */
    static final Pattern PRE_TOKEN = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    /** GPT-2's one special token. */
    public static final String END_OF_TEXT = "<|endoftext|>";

    private final String vocabName;
    private final List<String> tokens;
    private final Map<String, Integer> ids;
    /** "first second" -> rank (the line's order in merges.txt). */
    private final Map<String, Integer> ranks;
    /** Pre-token (as stand-in characters) -> its ids: text repeats words. */
    private final Map<String, int[]> words = new ConcurrentHashMap<>();

    private Bpe(String vocabName, List<String> tokens, Map<String, Integer> ranks) {
        this.vocabName = vocabName;
        this.tokens = List.copyOf(tokens);
        this.ids = new HashMap<>(tokens.size() * 2);
        for (int i = 0; i < tokens.size(); i++) ids.put(tokens.get(i), i);
        this.ranks = ranks;
    }

    /** The number of tokens. */
    public int size() { return tokens.size(); }

    /** Token {@code id} as written in vocab.json (e.g. {@code Ġthe}). */
    public String token(int id) { return tokens.get(id); }

    // ---- loading ----------------------------------------------------------------------------

    private record Key(Path vocab, long vocabTime, long vocabSize, Path merges, long mergesTime, long mergesSize, String names) {}

    /** Tokenizers loaded lately, by their files (and the files' modification times and sizes). */
    private static final Map<Key, Bpe> LOADED = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Bpe> eldest) {
            return size() > 4;
        }
    };

    /**
     * The tokenizer of these files, read once while they are unchanged (a script checked, then run,
     * reads them once). Names are the files as the user wrote them, for messages.
     */
    public static Bpe load(Path vocab, String vocabName, Path merges, String mergesName) throws NpyException {
        Key key = new Key(vocab.toAbsolutePath().normalize(), modified(vocab, vocabName), length(vocab, vocabName),
                merges.toAbsolutePath().normalize(), modified(merges, mergesName), length(merges, mergesName), vocabName + "\n" + mergesName);
        synchronized (LOADED) {
            Bpe cached = LOADED.get(key);
            if (cached != null) return cached;
        }
        Bpe bpe = read(vocab, vocabName, merges, mergesName);
        synchronized (LOADED) {
            LOADED.put(key, bpe);
        }
        return bpe;
    }

    private static long modified(Path file, String name) throws NpyException {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class).lastModifiedTime().toMillis();
        } catch (IOException e) {
            throw Npy.unreadable(name, e);
        }
    }

    private static long length(Path file, String name) throws NpyException {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw Npy.unreadable(name, e);
        }
    }

    /** Reads and checks both files, without the cache. */
    static Bpe read(Path vocab, String vocabName, Path merges, String mergesName) throws NpyException {
        List<String> tokens = Vocab.tokens(vocab, vocabName);
        Map<String, Integer> ids = new HashMap<>(tokens.size() * 2);
        for (int i = 0; i < tokens.size(); i++) ids.put(tokens.get(i), i);
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(merges))).toString();
        } catch (CharacterCodingException e) {
            throw new NpyException(mergesName + ": not UTF-8 text");
        } catch (IOException e) {
            throw Npy.unreadable(mergesName, e);
        }
        String[] lines = text.split("\n", -1);
        int count = lines.length;
        if (count > 0 && lines[count - 1].isEmpty()) count--; // the final newline
        Map<String, Integer> ranks = new HashMap<>(count * 2);
        Map<String, Integer> lineOf = new HashMap<>(count * 2);
        int first = count > 0 && lines[0].startsWith("#version") ? 1 : 0;
        for (int k = first; k < count; k++) {
            String line = lines[k].endsWith("\r") ? lines[k].substring(0, lines[k].length() - 1) : lines[k];
            int space = line.indexOf(' ');
            String where = mergesName + ":" + (k + 1) + ": ";
            if (space <= 0 || space == line.length() - 1 || line.indexOf(' ', space + 1) >= 0 || hasWhitespaceOtherThanSpace(line)) {
                throw new NpyException(where + "a merge is two tokens separated by one space, such as \"Ġ t\", not \""
                        + Vocab.visible(line) + "\"");
            }
            String merged = line.substring(0, space) + line.substring(space + 1);
            Integer before = lineOf.putIfAbsent(line, k + 1);
            if (before != null) throw new NpyException(where + "the merge \"" + line + "\" is given again (first at line " + before + ")");
            if (!ids.containsKey(merged)) {
                throw new NpyException(where + "the merge \"" + line + "\" makes the token " + merged + ", which " + vocabName
                        + " does not have (are these files from the same tokenizer?)");
            }
            ranks.put(line, ranks.size());
        }
        return new Bpe(vocabName, tokens, ranks);
    }

    private static boolean hasWhitespaceOtherThanSpace(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c != ' ' && (Character.isWhitespace(c) || Character.isSpaceChar(c))) return true;
        }
        return false;
    }

    // ---- encoding ---------------------------------------------------------------------------

    /** The ids of a text. Fails only when the vocabulary lacks a byte the text needs. */
    public int[] encode(String text) throws NpyException {
        IntList out = new IntList();
        Integer special = ids.get(END_OF_TEXT);
        int from = 0;
        while (from <= text.length()) {
            int at = special == null ? -1 : text.indexOf(END_OF_TEXT, from);
            int end = at < 0 ? text.length() : at;
            encodeOrdinary(text, from, end, out);
            if (at < 0) break;
            out.add(special);
            from = at + END_OF_TEXT.length();
        }
        return out.toArray();
    }

    private void encodeOrdinary(String text, int from, int to, IntList out) throws NpyException {
        Matcher m = PRE_TOKEN.matcher(text).region(from, to);
        // The lookahead \s+(?!\S) must see the region's end as the end of the text, as it is for the
        // piece Hugging Face tokenizes between two special tokens.
        m.useTransparentBounds(false).useAnchoringBounds(true);
        while (m.find()) {
            String piece = m.group();
            StringBuilder word = new StringBuilder();
            for (byte b : piece.getBytes(StandardCharsets.UTF_8)) word.append(Vocab.BYTE_TO_CHAR[b & 0xff]);
            int[] pieceIds = words.get(word.toString());
            if (pieceIds == null) {
                pieceIds = bpe(word.toString(), text, m.start());
                if (words.size() > 100_000) words.clear();
                words.put(word.toString(), pieceIds);
            }
            out.addAll(pieceIds);
        }
    }

    /** Merges the symbols of one pre-token, lowest rank first, and returns their ids. */
    private int[] bpe(String word, String text, int at) throws NpyException {
        List<String> parts = new ArrayList<>(word.length());
        for (int i = 0; i < word.length(); i++) parts.add(String.valueOf(word.charAt(i)));
        while (parts.size() > 1) {
            int best = Integer.MAX_VALUE;
            String left = null, right = null;
            for (int i = 0; i + 1 < parts.size(); i++) {
                Integer r = ranks.get(parts.get(i) + " " + parts.get(i + 1));
                if (r != null && r < best) {
                    best = r;
                    left = parts.get(i);
                    right = parts.get(i + 1);
                }
            }
            if (left == null) break;
            List<String> next = new ArrayList<>(parts.size());
            for (int i = 0; i < parts.size(); i++) {
                if (i + 1 < parts.size() && parts.get(i).equals(left) && parts.get(i + 1).equals(right)) {
                    next.add(left + right);
                    i++;
                } else {
                    next.add(parts.get(i));
                }
            }
            parts = next;
        }
        int[] out = new int[parts.size()];
        int bytesBefore = 0;
        for (int k = 0; k < out.length; k++) {
            Integer id = ids.get(parts.get(k));
            if (id == null) {
                // Every merge makes a token of the vocabulary (checked when loading): a lone byte is missing.
                int b = Vocab.CHAR_TO_BYTE.get(parts.get(k).charAt(0));
                throw new NpyException(vocabName + " has no token for the byte 0x" + String.format("%02x", b) + " (written "
                        + parts.get(k) + ") that the text needs at character " + character(text, at, bytesBefore)
                        + "; a GPT-2 vocabulary has a token for each of the 256 bytes");
            }
            out[k] = id;
            bytesBefore += parts.get(k).length(); // one stand-in character per byte
        }
        return out;
    }

    /** The position, in characters of the text, of the character holding byte {@code bytes} of the piece starting at {@code at}. */
    private static int character(String text, int at, int bytes) {
        int i = at;
        while (bytes > 0) {
            int cp = text.codePointAt(i);
            bytes -= new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (bytes < 0) break;
            i += Character.charCount(cp);
        }
        return text.codePointCount(0, i);
    }

    // ---- decoding ---------------------------------------------------------------------------

    /** The bytes the ids stand for (any id in 0 to size() - 1). */
    public byte[] bytes(int[] ids) {
        return bytes(tokens, ids);
    }

    /** The text the ids stand for; bytes that are not UTF-8 become U+FFFD (see {@link #utf8}). */
    public String decode(int[] ids) {
        return utf8(bytes(ids));
    }

    /** The text of ids by a vocabulary's tokens ({@link Vocab#tokens}): decoding needs no merges. */
    public static String decode(List<String> tokens, int[] ids) {
        return utf8(bytes(tokens, ids));
    }

    private static byte[] bytes(List<String> tokens, int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int id : ids) {
            String t = tokens.get(id);
            for (int i = 0; i < t.length(); i++) {
                Integer b = Vocab.CHAR_TO_BYTE.get(t.charAt(i));
                if (b != null) {
                    out.write(b);
                } else {
                    // Not a byte stand-in (a vocabulary that is not byte-level): the character itself.
                    int cp = t.codePointAt(i);
                    out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                    i += Character.charCount(cp) - 1;
                }
            }
        }
        return out.toByteArray();
    }

    /**
     * UTF-8 decoded with one U+FFFD for each maximal invalid subpart, as the Unicode Standard
     * recommends (chapter 3, "U+FFFD Substitution of Maximal Subparts") and Python's
     * {@code errors="replace"} does. Java's own decoder differs (ED A2 is one U+FFFD there, two here).
     */
    static String utf8(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length);
        int i = 0;
        while (i < bytes.length) {
            int b = bytes[i] & 0xff;
            int need, lo = 0x80, hi = 0xbf, cp;
            if (b < 0x80) {
                sb.append((char) b);
                i++;
                continue;
            } else if (b >= 0xc2 && b <= 0xdf) {
                need = 1;
                cp = b & 0x1f;
            } else if (b >= 0xe0 && b <= 0xef) {
                need = 2;
                cp = b & 0x0f;
                if (b == 0xe0) lo = 0xa0;
                if (b == 0xed) hi = 0x9f; // no surrogates
            } else if (b >= 0xf0 && b <= 0xf4) {
                need = 3;
                cp = b & 0x07;
                if (b == 0xf0) lo = 0x90;
                if (b == 0xf4) hi = 0x8f; // nothing above U+10FFFF
            } else {
                sb.append('\ufffd');
                i++;
                continue;
            }
            int j = i + 1;
            boolean complete = true;
            for (int k = 0; k < need; k++, j++) {
                int c = j < bytes.length ? bytes[j] & 0xff : -1;
                if (c < lo || c > hi) {
                    complete = false;
                    break;
                }
                cp = (cp << 6) | (c & 0x3f);
                lo = 0x80;
                hi = 0xbf;
            }
            if (complete) sb.appendCodePoint(cp);
            else sb.append('\ufffd');
            i = j; // after the sequence, or at the byte that broke it (which starts afresh)
        }
        return sb.toString();
    }

    /** A growable int array. */
    private static final class IntList {
        private int[] data = new int[16];
        private int size;

        void add(int v) {
            if (size == data.length) data = java.util.Arrays.copyOf(data, size * 2);
            data[size++] = v;
        }

        void addAll(int[] vs) {
            for (int v : vs) add(v);
        }

        int[] toArray() { return java.util.Arrays.copyOf(data, size); }
    }
}
