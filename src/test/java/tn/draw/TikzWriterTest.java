package tn.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import tn.golden.Golden;

/**
 * `tn draw ... -o fig.tex`: a TikZ picture of the same scene as the SVG. Checked against the SVG
 * read back independently (same elements in the same order, same coordinates), for LaTeX's special
 * characters, for determinism, and against a checked-in golden (src/test/resources/draw/usv.tex,
 * -Dtn.golden.update=true rewrites it).
 */
class TikzWriterTest {
    static final Path GOLDEN = Path.of("src", "test", "resources", "draw", "usv.tex");

    @TempDir
    Path tmp;

    private String draw(String name, String suffix) throws Exception {
        Path out = tmp.resolve(name + suffix);
        Golden.Result r = Golden.run("draw", "examples/draw_notation.tn", "--name", name, "-o", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("wrote " + out + "\n", r.out());
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    /** The SVG's drawing elements in document order, each as its kind and first coordinate pair. */
    private static void svgItems(Element e, List<String> out) {
        String tag = e.getTagName();
        switch (tag) {
            case "g" -> out.add("scope");
            case "circle" -> out.add("path " + e.getAttribute("cx") + "," + e.getAttribute("cy"));
            case "rect" -> {
                if (!e.getAttribute("id").equals("background")) out.add("path " + e.getAttribute("x") + "," + e.getAttribute("y"));
            }
            case "polygon" -> out.add("path " + e.getAttribute("points").trim().split("\\s+")[0]);
            case "path" -> out.add("path " + e.getAttribute("d").substring(1).split("[\\s]+")[0]);
            case "text" -> out.add("node " + e.getAttribute("x") + "," + e.getAttribute("y"));
            default -> { }
        }
        for (Element c : Svg.children(e)) svgItems(c, out);
    }

    private static final Pattern FIRST = Pattern.compile("\\((-?[0-9.]+),(-?[0-9.]+)\\)");

    private static List<String> tikzItems(String tex) {
        List<String> out = new ArrayList<>();
        for (String line : tex.split("\n")) {
            String l = line.strip();
            Matcher m = FIRST.matcher(l);
            if (l.startsWith("\\begin{scope}")) out.add("scope");
            else if (l.startsWith("\\path") && m.find()) out.add("path " + m.group(1) + "," + m.group(2));
            else if (l.startsWith("\\node") && m.find()) out.add("node " + m.group(1) + "," + m.group(2));
        }
        return out;
    }

    @Test
    void theTikzPictureHasTheSvgsElementsAtTheSvgsCoordinates() throws Exception {
        for (String name : List.of("usv", "hadamard", "mps", "trace")) {
            String svg = draw(name, ".svg"), tex = draw(name, ".tex");
            List<String> expected = new ArrayList<>();
            for (Element c : Svg.children(new Svg(svg).root)) svgItems(c, expected);
            assertEquals(expected, tikzItems(tex), name);
            assertTrue(tex.startsWith("% " + name + ": drawn by tn draw"), tex);
            assertTrue(tex.contains("\\begin{tikzpicture}[x=0.75pt, y=-0.75pt") && tex.endsWith("\\end{tikzpicture}\n"));
            assertEquals(tex, draw(name, ".tex"), name + " drawn twice");
        }
    }

    @Test
    void latexSpecialCharactersAreEscaped() {
        assertEquals("a\\_b\\^{}2 \\{x\\} 50\\% \\$ \\& \\# \\~{} \\textbackslash{} $-$1 W\\_Q\\textsuperscript{1}\\textperiodcentered{}\\textsuperscript{0} i$'$",
                TikzWriter.escape("a_b^2 {x} 50% $ & # ~ \\ \u22121 W_Q\u00b9\u00b7\u2070 i'"));
    }

    @Test
    void matchesItsGolden() throws Exception {
        String tex = draw("usv", ".tex");
        if (Boolean.getBoolean("tn.golden.update")) {
            Files.writeString(GOLDEN, tex, StandardCharsets.UTF_8);
            return;
        }
        assertEquals(Files.readString(GOLDEN, StandardCharsets.UTF_8), tex);
    }

    /** draw(x, "y.tex") in a script writes what `tn draw -o y.tex` writes; another extension is refused naming the three. */
    @Test
    void drawInAScriptWritesTheSameTikz() throws Exception {
        Path script = tmp.resolve("s.tn");
        Files.writeString(script, "leg i = 3, j = 4\nA = random(i, j, seed=1)\nB = random(j, seed=2)\ny = A B\ndraw(y, \"y.tex\")\n");
        Golden.Result r = Golden.run("run", script.toString());
        assertEquals(0, r.exitCode(), r.err());
        String tex = Files.readString(tmp.resolve("y.tex"), StandardCharsets.UTF_8);
        assertTrue(tex.contains("\\begin{tikzpicture}"), tex);
        Path out = tmp.resolve("cli.tex");
        Golden.Result c = Golden.run("draw", script.toString(), "--name", "y", "-o", out.toString());
        assertEquals(0, c.exitCode(), c.err());
        assertEquals(tex, Files.readString(out, StandardCharsets.UTF_8));

        Files.writeString(script, "leg i = 3\nA = random(i, seed=1)\ndraw(A, \"a.pdf\")\n");
        Golden.Result bad = Golden.run("run", script.toString());
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().contains("draw() writes .svg, .png or .tex (TikZ) files, not a.pdf"), bad.err());
    }
}
