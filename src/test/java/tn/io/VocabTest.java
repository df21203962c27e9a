package tn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GPT-2 vocabularies: the byte table is a bijection, tokens decode to readable labels, bad files are named. */
class VocabTest {
    @TempDir
    Path dir;

    @Test
    void theByteTableIsABijectionOntoPrintableCharacters() {
        Set<Character> seen = new HashSet<>();
        for (int b = 0; b < 256; b++) {
            char c = Vocab.BYTE_TO_CHAR[b];
            seen.add(c);
            assertEquals(b, (int) Vocab.CHAR_TO_BYTE.get(c));
            assertEquals(false, Character.isWhitespace(c) || Character.isISOControl(c), "byte " + b + " -> " + (int) c);
        }
        assertEquals(256, seen.size());
        assertEquals('Ġ', Vocab.BYTE_TO_CHAR[' ']);
        assertEquals('Ċ', Vocab.BYTE_TO_CHAR['\n']);
        assertEquals('A', Vocab.BYTE_TO_CHAR['A']);
    }

    @Test
    void tokensDecodeToLabelsWithVisibleSpaces() throws Exception {
        Path v = dir.resolve("vocab.json");
        // "Ġthe" = " the", "Ċ" = newline, "Ã©" = the UTF-8 bytes of "é", "Ġ" alone = a space.
        Files.writeString(v, "{\"!\": 0, \"Ġthe\": 1, \"Ċ\": 2, \"cafÃ©\": 3, \"Ġ\": 4}", StandardCharsets.UTF_8);
        assertEquals(List.of("!", "␣the", "⏎", "café", "␣"), Vocab.read(v));
    }

    @Test
    void invalidUtf8IsShownByteByByte() {
        // 0xff alone is not UTF-8: its stand-in is ÿ.
        assertEquals("a\\xff", Vocab.label("aÿ"));
    }

    String error(String json) throws Exception {
        Path v = dir.resolve("bad.json");
        Files.writeString(v, json, StandardCharsets.UTF_8);
        return assertThrows(NpyException.class, () -> Vocab.read(v)).getMessage().replace(v.toString(), "F");
    }

    @Test
    void badVocabulariesAreNamed() throws Exception {
        assertEquals("F: id 0 is given to two tokens (a and b)", error("{\"a\": 0, \"b\": 0}"));
        assertEquals("F: token b has id 5, outside 0 to 1 (ids must number the 2 tokens without gaps)", error("{\"a\": 0, \"b\": 5}"));
        assertEquals("F: token a has id \"x\", not a whole number", error("{\"a\": \"x\"}"));
        assertEquals("F: a vocabulary is a JSON object of token -> id", error("[1, 2]"));
    }
}
