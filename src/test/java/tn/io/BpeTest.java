package tn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * GPT-2's byte-level BPE against Hugging Face's GPT2Tokenizer: the ids it gives for a fixed set of
 * strings on a small byte-level vocabulary (examples/data/bpe, trained and tokenized by
 * src/test/resources/bpe/make_fixtures.py), and the text it decodes from random id sequences; the
 * same strings on GPT-2's own files when TN_GPT2_DIR names a folder holding them; decoding inverts
 * encoding on random text; bad files are named with their line.
 */
class BpeTest {
    static final Path VOCAB = Path.of("examples/data/bpe/vocab.json");
    static final Path MERGES = Path.of("examples/data/bpe/merges.txt");

    @TempDir
    Path dir;

    record Case(String text, int[] ids, boolean decodeOnly) {}

    static List<Case> cases(Path file) throws Exception {
        JsonObject root = JsonParser.parseString(Files.readString(file, StandardCharsets.UTF_8)).getAsJsonObject();
        List<Case> out = new ArrayList<>();
        for (JsonElement e : root.getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            int[] ids = new int[c.getAsJsonArray("ids").size()];
            for (int k = 0; k < ids.length; k++) ids[k] = c.getAsJsonArray("ids").get(k).getAsInt();
            out.add(new Case(c.get("text").getAsString(), ids, c.has("decode_only") && c.get("decode_only").getAsBoolean()));
        }
        return out;
    }

    static Bpe small() throws Exception {
        return Bpe.load(VOCAB, "vocab.json", MERGES, "merges.txt");
    }

    /** Every case: the oracle's ids, and back to the text; cases where tn differs are listed together. */
    private static void agree(Bpe bpe, List<Case> cases) throws Exception {
        List<String> wrong = new ArrayList<>();
        int encoded = 0;
        for (Case c : cases) {
            if (!c.decodeOnly()) {
                encoded++;
                int[] ids = bpe.encode(c.text());
                if (!java.util.Arrays.equals(c.ids(), ids)) {
                    wrong.add("encode " + Vocab.visible(c.text()) + ": expected " + java.util.Arrays.toString(c.ids())
                            + " but got " + java.util.Arrays.toString(ids));
                }
            }
            String text = bpe.decode(c.ids());
            if (!text.equals(c.text())) wrong.add("decode " + java.util.Arrays.toString(c.ids()) + ": expected "
                    + Vocab.visible(c.text()) + " but got " + Vocab.visible(text));
        }
        assertTrue(encoded > 200, "only " + encoded + " strings");
        assertEquals(List.of(), wrong);
    }

    @Test
    void theIdsAreHuggingFacesOnTheSmallVocabulary() throws Exception {
        List<Case> cases = cases(Path.of("src/test/resources/bpe/cases.json"));
        assertTrue(cases.stream().anyMatch(Case::decodeOnly));
        agree(small(), cases);
    }

    /** GPT-2's own vocab.json and merges.txt (1.5 MB, not in the repository): see make_fixtures.py. */
    @Test
    void theIdsAreGpt2sOnGpt2sFiles() throws Exception {
        String folder = System.getenv("TN_GPT2_DIR");
        Assumptions.assumeTrue(folder != null,
                "TN_GPT2_DIR is not set: GPT-2's own tokenizer files are not checked (see src/test/resources/bpe/make_fixtures.py)");
        Path d = Path.of(folder);
        Path vocab = Files.exists(d.resolve("vocab.json")) ? d.resolve("vocab.json") : d.resolve("encoder.json");
        Path merges = Files.exists(d.resolve("merges.txt")) ? d.resolve("merges.txt") : d.resolve("vocab.bpe");
        Bpe gpt2 = Bpe.load(vocab, vocab.toString(), merges, merges.toString());
        assertEquals(50257, gpt2.size());
        agree(gpt2, cases(Path.of("src/test/resources/bpe/gpt2_cases.json")));
    }

    /** Bytes that are not UTF-8 become U+FFFD as in Python: one per maximal invalid subpart. */
    @Test
    void invalidUtf8IsReplacedAsPythonDoes() throws Exception {
        List<String> wrong = new ArrayList<>();
        int n = 0;
        for (JsonElement e : JsonParser.parseString(Files.readString(Path.of("src/test/resources/bpe/utf8.json"))).getAsJsonArray()) {
            String hex = e.getAsJsonObject().get("bytes").getAsString();
            byte[] bytes = java.util.HexFormat.of().parseHex(hex);
            String expected = e.getAsJsonObject().get("text").getAsString();
            if (!Bpe.utf8(bytes).equals(expected)) wrong.add(hex + ": expected " + Vocab.visible(expected) + " but got " + Vocab.visible(Bpe.utf8(bytes)));
            n++;
        }
        assertTrue(n > 500, n + " cases");
        assertEquals(List.of(), wrong);
    }

    /** Text made of the characters the pre-tokenisation treats differently comes back whole. */
    @Test
    void decodingInvertsEncodingOnRandomText() throws Exception {
        Bpe bpe = small();
        int[] pool = "aZ é\t\n\r\u000b\u0000\u001b\u001c\u007f\u0085\u00a0\u2003\u3000\u200b's'tm'll'd017٣½.,!?-'\"#日本語한\u0301<|>"
                .codePoints().toArray();
        int[] astral = {0x1F600, 0x1F44D, 0x1F3FD, 0x200D, 0x1F1EB, 0x1D518, 0x10348};
        Random rng = new Random(5);
        for (int n = 0; n < 3000; n++) {
            StringBuilder sb = new StringBuilder();
            int len = rng.nextInt(40);
            for (int k = 0; k < len; k++) {
                int r = rng.nextInt(10);
                if (r == 0) sb.appendCodePoint(astral[rng.nextInt(astral.length)]);
                else if (r == 1) sb.append(Bpe.END_OF_TEXT, 0, 1 + rng.nextInt(Bpe.END_OF_TEXT.length()));
                else if (r == 2) sb.appendCodePoint(1 + rng.nextInt(0x2FFF)); // anything in the first planes but surrogates
                else sb.appendCodePoint(pool[rng.nextInt(pool.length)]);
            }
            String text = sb.toString();
            int[] ids = bpe.encode(text);
            assertEquals(text, bpe.decode(ids), "round trip of " + Vocab.visible(text));
            assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), bpe.bytes(ids));
        }
    }

    /** Any bytes at all, not only UTF-8: the byte tokens carry each byte, and merged tokens their bytes. */
    @Test
    void tokensCarryAnyBytes() throws Exception {
        Bpe bpe = small();
        Random rng = new Random(9);
        for (int n = 0; n < 500; n++) {
            byte[] bytes = new byte[rng.nextInt(30)];
            rng.nextBytes(bytes);
            int[] ids = new int[bytes.length];
            for (int k = 0; k < bytes.length; k++) ids[k] = tokenOf(bpe, String.valueOf(Vocab.BYTE_TO_CHAR[bytes[k] & 0xff]));
            assertArrayEquals(bytes, bpe.bytes(ids));
        }
        // A merged token is the bytes of its parts: " the" is one token of this vocabulary.
        int the = tokenOf(bpe, "Ġthe");
        assertArrayEquals(" the".getBytes(StandardCharsets.UTF_8), bpe.bytes(new int[] {the}));
        assertArrayEquals(new int[] {the}, bpe.encode(" the"));
    }

    private static int tokenOf(Bpe bpe, String token) {
        for (int id = 0; id < bpe.size(); id++) if (bpe.token(id).equals(token)) return id;
        throw new AssertionError("no token " + token);
    }

    @Test
    void theSameFilesAreReadOnceUntilTheyChange() throws Exception {
        Path v = dir.resolve("vocab.json"), m = dir.resolve("merges.txt");
        Files.copy(VOCAB, v);
        Files.copy(MERGES, m);
        Bpe first = Bpe.load(v, "v", m, "m");
        assertSame(first, Bpe.load(v, "v", m, "m"));
        // A merge fewer (and a later modification time): read again.
        List<String> lines = new ArrayList<>(Files.readAllLines(m, StandardCharsets.UTF_8));
        lines.remove(lines.size() - 1);
        Files.write(m, lines, StandardCharsets.UTF_8);
        Files.setLastModifiedTime(m, java.nio.file.attribute.FileTime.fromMillis(Files.getLastModifiedTime(v).toMillis() + 5000));
        assertTrue(first != Bpe.load(v, "v", m, "m"));
    }

    private String error(String vocab, String merges) throws Exception {
        Path v = dir.resolve("v.json"), m = dir.resolve("m.txt");
        Files.writeString(v, vocab, StandardCharsets.UTF_8);
        Files.writeString(m, merges, StandardCharsets.UTF_8);
        return assertThrows(NpyException.class, () -> Bpe.read(v, "vocab.json", m, "merges.txt").encode("a b")).getMessage();
    }

    /** A vocabulary of the tokens given plus every byte. */
    private static String vocab(String... extra) {
        StringBuilder sb = new StringBuilder("{");
        int id = 0;
        for (int b = 0; b < 256; b++) sb.append(id == 0 ? "" : ", ").append(json(String.valueOf(Vocab.BYTE_TO_CHAR[b]))).append(": ").append(id++);
        for (String t : extra) sb.append(", ").append(json(t)).append(": ").append(id++);
        return sb.append("}").toString();
    }

    /** Every byte but one, numbered without gaps. */
    private static String vocabWithout(char missing) {
        StringBuilder sb = new StringBuilder("{");
        int id = 0;
        for (int b = 0; b < 256; b++) {
            if (b == missing) continue;
            sb.append(id == 0 ? "" : ", ").append(json(String.valueOf(Vocab.BYTE_TO_CHAR[b]))).append(": ").append(id++);
        }
        return sb.append("}").toString();
    }

    private static String json(String s) {
        return new com.google.gson.Gson().toJson(s);
    }

    @Test
    void badFilesAreNamedWithTheLine() throws Exception {
        assertEquals("merges.txt:3: a merge is two tokens separated by one space, such as \"Ġ t\", not \"abc\"",
                error(vocab("ab"), "#version: 0.2\na b\nabc\n"));
        assertEquals("merges.txt:2: a merge is two tokens separated by one space, such as \"Ġ t\", not \"a  b\"",
                error(vocab("ab"), "#version: 0.2\na  b\n"));
        assertEquals("merges.txt:2: a merge is two tokens separated by one space, such as \"Ġ t\", not \"\"",
                error(vocab("ab"), "#version: 0.2\n\na b\n"));
        assertEquals("merges.txt:2: a merge is two tokens separated by one space, such as \"Ġ t\", not \"a\\x09b\"",
                error(vocab("ab"), "#version: 0.2\na\tb\n"));
        assertEquals("merges.txt:3: the merge \"a b\" is given again (first at line 1)", error(vocab("ab", "ba"), "a b\nb a\na b\n"));
        assertEquals("merges.txt:2: the merge \"Ġ b\" makes the token Ġb, which vocab.json does not have (are these files from the same tokenizer?)",
                error(vocab("ab"), "#version: 0.2\nĠ b\n"));
        // A vocabulary without the byte for "b": found when a text needs it.
        assertEquals("vocab.json has no token for the byte 0x62 (written b) that the text needs at character 2;"
                + " a GPT-2 vocabulary has a token for each of the 256 bytes", error(vocabWithout('b'), "#version: 0.2\n"));
        // Found in a merged piece, after a character of several bytes: "é" is two bytes, one character.
        assertEquals("vocab.json has no token for the byte 0x62 (written b) that the text needs at character 3;"
                + " a GPT-2 vocabulary has a token for each of the 256 bytes",
                assertThrows(NpyException.class, () -> Bpe.read(dir.resolve("v.json"), "vocab.json", dir.resolve("m.txt"), "merges.txt")
                        .encode("a éb")).getMessage());
        Path missing = dir.resolve("nothing.txt");
        assertEquals("merges.txt: no such file",
                assertThrows(NpyException.class, () -> Bpe.load(VOCAB, "vocab.json", missing, "merges.txt")).getMessage());
        Path notUtf8 = dir.resolve("latin1.txt");
        Files.write(notUtf8, new byte[] {'a', ' ', (byte) 0xe9});
        assertEquals("merges.txt: not UTF-8 text",
                assertThrows(NpyException.class, () -> Bpe.read(VOCAB, "vocab.json", notUtf8, "merges.txt")).getMessage());
    }

    /** A merges file with Windows line endings, or no final newline, is the same merges. */
    @Test
    void lineEndingsDoNotMatter() throws Exception {
        Path v = dir.resolve("v.json"), m = dir.resolve("m.txt");
        Files.writeString(v, vocab("ab", "abc"), StandardCharsets.UTF_8);
        Files.writeString(m, "#version: 0.2\r\na b\r\nab c", StandardCharsets.UTF_8);
        Bpe bpe = Bpe.read(v, "v", m, "m");
        assertArrayEquals(new int[] {257}, bpe.encode("abc"));
    }
}
