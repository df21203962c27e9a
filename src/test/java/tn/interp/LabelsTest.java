package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.diag.TnError;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;

/** Labels for legs: tokens() from a vocab.json, tuples of strings as labels, top() and directions() output. */
class LabelsTest {
    @TempDir
    Path dir;

    Scripts run(String text) throws Exception {
        Path vocab = dir.resolve("vocab.json");
        Files.writeString(vocab, "{\"a\": 0, \"Ġb\": 1, \"c\": 2, \"Ċ\": 3}", StandardCharsets.UTF_8);
        return Scripts.run(new Nd4jBackend(), DType.FLOAT64, text.replace("VOCAB", vocab.toAbsolutePath().toString()));
    }

    @Test
    void tokensAreLabelledAndTopPrintsTheLargestWithTheirLabels() throws Exception {
        Scripts s = run("""
                w = tokens([3, 1, 0], "VOCAB")
                print(w)
                leg vocab = 4
                v = [0.1, 0.7, -2, 0.4][vocab]
                top(v, k=2, vocab="VOCAB")
                top(v, k=3, vocab=tuple("w", "x", "y", "z"))
                """);
        assertEquals(List.of("(⏎, ␣b, a)", "  ␣b  0.7", "  ⏎   0.4", "  x  0.7", "  z  0.4", "  w  0.1"),
                s.printed().lines().toList());
    }

    @Test
    void labelsThatDoNotFitTheLegAreRefused() throws Exception {
        TnError e = assertThrows(TnError.class, () -> run("""
                leg vocab = 4
                v = [0.1, 0.7, -2, 0.4][vocab]
                top(v, vocab=tuple("w", "x"))
                """));
        assertEquals("the 2 labels given for leg vocab do not match its size 4", e.getMessage());
        e = assertThrows(TnError.class, () -> run("w = tokens([7], \"VOCAB\")\n"));
        assertTrue(e.getMessage().startsWith("token id 7 (item 0) is not in "), e.getMessage());
    }
}
