package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;
import tn.io.Vocab;

/**
 * Labels with control characters (GPT-2 has a token for every byte, ESC and BEL and NUL among them)
 * are shown escaped, \x1b, in tokens(), top(), directions() and heatmaps, whether they come from a
 * vocab.json, a label file or a tuple of strings; nothing invisible reaches the terminal or the SVG.
 */
class ControlLabelsTest {
    @TempDir
    Path dir;

    /*
     * GPT-2's stand-ins, written out here from its bytes_to_unicode rule (bytes that are not
     * printable get 256, 257, ... in byte order): 0x00 -> U+0100, 0x07 -> U+0107, 0x1b -> U+011B,
     * 0x7f -> U+0121, 0x80 -> U+0122; U+202E (right-to-left override) is E2 80 AE -> "â" U+0122 "®".
     */
    static final String VOCAB = "{\"a\": 0, \"\u011b[31mred\": 1, \"\u0107\": 2, \"\u0100\": 3, \"\u00e2\u0122\u00ae\": 4, \"\u0121\": 5}";
    static final List<String> SHOWN = List.of("a", "\\x1b[31mred", "\\x07", "\\x00", "\\u202e", "\\x7f");

    Scripts run(String text) throws Exception {
        Files.writeString(dir.resolve("vocab.json"), VOCAB, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("labels.txt"), "plain\nbell\u0007\nesc\u001b[0m\nnul\u0000\nrtl\u202eltr\ndel\u007f\n", StandardCharsets.UTF_8);
        return Scripts.run(new Nd4jBackend(), DType.FLOAT64, text.replace("DIR", dir.toAbsolutePath().toString()));
    }

    @Test
    void tokensWithControlBytesAreShownEscaped() throws Exception {
        Path v = dir.resolve("v.json");
        Files.writeString(v, VOCAB, StandardCharsets.UTF_8);
        assertEquals(SHOWN, Vocab.read(v));
        // Outside the byte table too (a vocabulary of plain strings), and a tab and newline stay as before.
        assertEquals("\\x1b\\x07⇥⏎\\x0c", Vocab.label("\u001b\u0007\t\n\f"));
    }

    @Test
    void topDirectionsAndTokensPrintNoControlCharacters() throws Exception {
        Scripts s = run("""
                leg vocab = 6, u = 6
                v = [6, 5, 4, 3, 2, 1][vocab]
                top(v, k=6, vocab="DIR/vocab.json")
                top(v[vocab -> u], k=6, u="DIR/labels.txt")
                top(v, k=1, vocab=tuple("x\u001by", "b", "c", "d", "e", "f"))
                print(tokens([1, 2], "DIR/vocab.json"))
                M = v v[vocab -> u]
                directions(M, top=1, n=6, vocab="DIR/vocab.json", u="DIR/labels.txt")
                """);
        String out = s.printed();
        for (char c : out.toCharArray()) {
            assertTrue(c == '\n' || (c >= 0x20 && c != 0x7f && Character.getType(c) != Character.FORMAT),
                    "a control character " + (int) c + " was printed:\n" + out);
        }
        List<String> lines = out.lines().toList();
        assertEquals(List.of("  a            6", "  \\x1b[31mred  5", "  \\x07         4", "  \\x00         3", "  \\u202e       2", "  \\x7f         1"),
                lines.subList(0, 6));
        assertEquals(List.of("  plain         6", "  bell\\x07      5", "  esc\\x1b[0m    4", "  nul\\x00       3",
                "  rtl\\u202eltr  2", "  del\\x7f       1"), lines.subList(6, 12));
        assertEquals("  x\\x1by  6", lines.get(12));
        assertEquals("(\\x1b[31mred, \\x07)", lines.get(13));
        String vocabSide = lines.stream().filter(l -> l.startsWith("  vocab  +")).findFirst().orElseThrow();
        String uSide = lines.stream().filter(l -> l.startsWith("  u      +")).findFirst().orElseThrow();
        assertTrue(vocabSide.contains(" a 0.") && vocabSide.contains("\\x1b[31mred 0.") && vocabSide.contains("\\u202e 0."), vocabSide);
        assertTrue(uSide.contains("bell\\x07 0.") && uSide.contains("esc\\x1b[0m 0."), uSide);
    }

    @Test
    void heatmapLabelsAreEscapedInTheSvg() throws Exception {
        run("""
                leg vocab = 6, u = 6
                v = [6, 5, 4, 3, 2, 1][vocab]
                heatmap(v v[vocab -> u], "DIR/h.svg", vocab="DIR/vocab.json", u="DIR/labels.txt")
                """);
        String svg = Files.readString(dir.resolve("h.svg"), StandardCharsets.UTF_8);
        for (char c : svg.toCharArray()) {
            assertTrue(c == '\n' || c == '\t' || c == '\r' || (c >= 0x20 && c != 0x7f && Character.getType(c) != Character.FORMAT),
                    "a control character " + (int) c + " in the SVG (not even valid XML)");
        }
        for (String label : List.of("\\x1b[31mred", "\\x07", "\\x00", "\\u202e", "bell\\x07", "esc\\x1b[0m", "rtl\\u202eltr")) {
            assertTrue(svg.contains(">" + label + "<"), label + " is not a label of the heatmap");
        }
    }
}
