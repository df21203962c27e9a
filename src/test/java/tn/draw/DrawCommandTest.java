package tn.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.golden.Golden;

/** `tn draw` on the command line and `draw()` in scripts. */
class DrawCommandTest {
    @TempDir
    Path tmp;

    private Path script(String text) throws IOException {
        Path p = tmp.resolve("s.tn");
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }

    private static final String NET = """
            leg i = 2, j = 3, k = 4
            A = random(i, j, seed=1)
            B = random(j, k, seed=2)
            AB = A B
            h = relu(A B)
            show(AB)
            """;

    @Test
    void drawsEveryNetworkIntoTheDirectory() throws Exception {
        Path s = script(NET);
        Path dir = tmp.resolve("out");
        Golden.Result r = Golden.run("draw", s.toString(), "-d", dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("wrote " + dir.resolve("AB.svg") + "\nwrote " + dir.resolve("h.svg") + "\n", r.out());
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of("AB.svg", "h.svg"), files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        Svg svg = new Svg(Files.readString(dir.resolve("h.svg")));
        assertTrue(svg.groups.containsKey("tensor-A") && svg.groups.containsKey("tensor-B"));
        assertTrue(svg.groups.containsKey("leg-j") && svg.groups.containsKey("leg-i") && svg.groups.containsKey("leg-k"));
        assertTrue(svg.groups.containsKey("bubble-relu-1"));
        assertTrue(Quality.problems(svg).isEmpty(), String.join("\n", Quality.problems(svg)));
    }

    /** Warnings (here the accidental-hyperedge lint) reach standard error, and the drawing is made, as in tn run. */
    @Test
    void warningsAreShownAndTheDiagramIsStillDrawn() throws Exception {
        Path s = script("""
                leg p1 = 2, p2 = 2, b1 = 3
                A1 = random(p1, b1, seed=1)
                A2 = random(b1, p2, seed=2)
                hyper = A1 A2 A1 A2
                """);
        Path out = tmp.resolve("hyper.svg");
        Golden.Result r = Golden.run("draw", s.toString(), "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains(":4:15: warning: leg b1 is on 4 factors"), r.err());
        assertTrue(Files.exists(out));
    }

    @Test
    void allAndNameChooseWhatIsDrawn() throws Exception {
        Path s = script(NET);
        Golden.Result all = Golden.run("draw", s.toString(), "-d", tmp.resolve("all").toString(), "--all");
        assertEquals(0, all.exitCode(), all.err());
        assertEquals(4, all.out().lines().count());
        Golden.Result one = Golden.run("draw", s.toString(), "-d", tmp.resolve("one").toString(), "--name", "A");
        assertEquals("wrote " + tmp.resolve("one").resolve("A.svg") + "\n", one.out());
        Golden.Result unknown = Golden.run("draw", s.toString(), "--name", "Q");
        assertEquals(1, unknown.exitCode());
        assertTrue(unknown.err().contains("has no tensor named Q (it has: A, B, AB, h)"), unknown.err());
    }

    @Test
    void outputNamesOneFileAndPngIsAnImage() throws Exception {
        Path s = script(NET);
        Path out = tmp.resolve("pic.svg");
        Golden.Result r = Golden.run("draw", s.toString(), "--name", "h", "-o", out.toString(), "--png", "--sizes");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.readString(out).contains(">j=3</text>"), "--sizes labels legs with their sizes");
        DrawExamplesTest.checkImage(Files.readAllBytes(tmp.resolve("pic.png")), "pic.png");
        Golden.Result png = Golden.run("draw", s.toString(), "--name", "AB", "-o", tmp.resolve("ab.png").toString());
        assertEquals(0, png.exitCode(), png.err());
        DrawExamplesTest.checkImage(Files.readAllBytes(tmp.resolve("ab.png")), "ab.png");
    }

    @Test
    void usageErrors() throws Exception {
        Path s = script(NET);
        Golden.Result several = Golden.run("draw", s.toString(), "-o", tmp.resolve("x.svg").toString());
        assertEquals(2, several.exitCode());
        assertTrue(several.err().contains("-o names one file but 2 networks would be drawn (AB, h)"), several.err());
        Golden.Result layout = Golden.run("draw", s.toString(), "--layout", "circular");
        assertEquals(2, layout.exitCode());
        Golden.Result missing = Golden.run("draw", tmp.resolve("nope.tn").toString());
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("no such file"));
    }

    @Test
    void scriptErrorsAreReportedAndNothingIsWritten() throws Exception {
        Path s = script("leg i = 2\nA = random(i, j)\nB = A A\n");
        Path dir = tmp.resolve("out");
        Golden.Result r = Golden.run("draw", s.toString(), "-d", dir.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("leg j has no size yet"), r.err());
        assertFalse(Files.exists(dir));
    }

    @Test
    void drawBuiltinWritesWhenRunningAndNotWhenChecking() throws Exception {
        Path s = script(NET + "draw(A B - 2 * A[i, j] B[j, k], \"d/diff.svg\", isometry=\"A\")\n"
                + "draw(h, \"h.png\")\n");
        Golden.Result check = Golden.run("check", s.toString());
        assertEquals(0, check.exitCode(), check.err());
        assertFalse(Files.exists(tmp.resolve("d/diff.svg")), "checking writes nothing");
        Golden.Result run = Golden.run("run", s.toString());
        assertEquals(0, run.exitCode(), run.err());
        Svg svg = new Svg(Files.readString(tmp.resolve("d/diff.svg")));
        assertTrue(svg.groups.containsKey("term-1") && svg.groups.containsKey("term-2"), "a sum is drawn as terms");
        assertEquals("triangle", svg.groups.get("tensor-A").getAttribute("data-shape"), "isometry= marks A");
        DrawExamplesTest.checkImage(Files.readAllBytes(tmp.resolve("h.png")), "h.png");
    }

    @Test
    void tnDrawUsesTheMarksOfTheScriptsDrawCalls() throws Exception {
        Path s = script(NET + "draw(AB, \"/dev/null/never.svg\", unitary=\"B\")\n");
        Golden.Result r = Golden.run("draw", s.toString(), "--name", "AB", "-d", tmp.resolve("o").toString(), "--isometry", "A");
        assertEquals(0, r.exitCode(), r.err());
        Svg svg = new Svg(Files.readString(tmp.resolve("o/AB.svg")));
        assertEquals("triangle", svg.groups.get("tensor-A").getAttribute("data-shape"));
        assertEquals("square", svg.groups.get("tensor-B").getAttribute("data-shape"));
    }

    @Test
    void drawBuiltinChecksItsArguments() throws Exception {
        Path s = script(NET + "draw(AB, \"ab.pdf\")\n");
        Golden.Result r = Golden.run("check", s.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("draw() writes .svg, .png or .tex (TikZ) files, not ab.pdf"), r.err());
        Path t = script(NET + "draw(AB, \"ab.svg\", colour=1)\n");
        Golden.Result k = Golden.run("check", t.toString());
        assertEquals(1, k.exitCode());
        assertTrue(k.err().contains("draw() has no parameter colour"), k.err());
    }
}
