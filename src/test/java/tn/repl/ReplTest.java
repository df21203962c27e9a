package tn.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;
import tn.golden.Golden;
import tn.interp.Settings;
import tn.plan.Planner;

/**
 * Scripted REPL sessions: each src/test/resources/repl/*.in is fed as piped input and the
 * transcript (values and errors, interleaved) must equal its *.out.
 */
class ReplTest {
    private static final Path DIR = Path.of("src/test/resources/repl");

    static String transcript(String input) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Settings settings = new Settings();
        settings.setDtype(DType.FLOAT64);
        Repl repl = new Repl(new Nd4jBackend(), new Planner(), both, both, 1e9, settings);
        repl.runPlain(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @TestFactory
    Stream<DynamicTest> sessionsMatchTheirTranscripts() throws IOException {
        List<Path> inputs = Golden.files(DIR, ".in");
        assertFalse(inputs.isEmpty());
        return inputs.stream().map(in -> DynamicTest.dynamicTest(in.getFileName().toString(), () ->
                Golden.compare(Golden.sibling(in, ".out"), transcript(Files.readString(in)))));
    }

    @Test
    void drawWritesTheDiagramOfAnExpression() throws IOException {
        Path file = Path.of("/tmp/tn_repl_draw_test.svg");
        Files.deleteIfExists(file);
        String t = transcript("leg i = 2, j = 3\nW = random(i, j, seed=1)\nx = ones(j)\n:draw relu(W x) " + file + "\n");
        assertTrue(t.contains("drew " + file), t);
        String svg = Files.readString(file);
        assertTrue(svg.contains("<svg") && svg.contains("relu"), svg);
        assertEquals("relu_W_x", Commands.defaultFileName("relu(W x)"));
        assertEquals("A_B_i", Commands.defaultFileName("A B -> [i]"));
    }

    @Test
    void saveThenLoadReproducesTheSameValues() {
        String first = transcript("leg n = 4\nv = random(n, seed=3)\ns = v v\n:save /tmp/tn_repl_roundtrip.tn\ns\n");
        String second = transcript(":load /tmp/tn_repl_roundtrip.tn\ns\n");
        String value = first.substring(first.indexOf("s: "));
        assertTrue(second.endsWith(value), second + "\nvs\n" + value);
    }

    @Test
    void completionOffersNamesLegsBuiltinsModulesAndCommands() {
        Settings settings = new Settings();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(sink, true, StandardCharsets.UTF_8);
        Session s = new Session(new Nd4jBackend(), new Planner(), out, out, 1e9, settings);
        s.run("leg alpha = 2, beta = 3\nAlice = ones(alpha)\n");
        assertEquals(List.of("Alice"), Completions.candidates(s, "A", 1));
        assertEquals(List.of("abs", "alpha", "and", "angle", "append", "arange", "arg", "assert"), Completions.candidates(s, "a", 1));
        assertEquals(List.of("Alice"), Completions.candidates(s, "x = Al", 6));
        assertEquals(List.of("alpha"), Completions.candidates(s, "y = Alice[al", 12));
        assertEquals(List.of("beta"), Completions.candidates(s, "z = Alice -> [b", 15));
        assertEquals(List.of("linalg"), Completions.candidates(s, "import li", 9));
        assertEquals(List.of(":legs", ":load"), Completions.candidates(s, ":l", 2));
        assertEquals(List.of("relu"), Completions.candidates(s, "q = rel", 7));
    }
}
