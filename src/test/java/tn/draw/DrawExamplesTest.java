package tn.draw;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import tn.diag.Diagnostics;
import tn.diag.Source;
import tn.golden.Golden;

/**
 * The draw examples (examples/draw_*.tn) drawn with `tn draw`: each diagram's SVG structure
 * against its checked-in summary (examples/draw_*.svgsum), the drawing rules on every diagram of
 * every example, byte-identical output when drawn twice, and PNG renderings (docs/img/).
 * Run with -Dtn.golden.update=true to rewrite the summaries and images.
 */
class DrawExamplesTest {
    static final Path EXAMPLES = Path.of("examples");
    static final Path IMAGES = Path.of("docs", "img");
    static final double TOLERANCE = 1.0;

    @TempDir
    Path tmp;

    static List<Path> drawExamples() throws IOException {
        List<Path> out = Golden.files(EXAMPLES, ".tn").stream().filter(p -> p.getFileName().toString().startsWith("draw_")).toList();
        assertFalse(out.isEmpty(), "no draw examples");
        return out;
    }

    /** Draws a script with the command line into a directory; returns name -> SVG text, in order. */
    static Map<String, String> drawWithCli(Path script, Path dir) throws IOException {
        Golden.Result r = Golden.run("draw", script.toString(), "-d", dir.toString());
        assertEquals("", r.err(), "standard error of tn draw " + script);
        assertEquals(0, r.exitCode(), "exit code of tn draw " + script);
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : r.out().split("\n")) {
            assertTrue(line.startsWith("wrote "), line);
            Path file = Path.of(line.substring(6));
            String name = file.getFileName().toString();
            out.put(name.substring(0, name.length() - 4), Files.readString(file, StandardCharsets.UTF_8));
        }
        return out;
    }

    static String stem(Path script) {
        String n = script.getFileName().toString();
        return n.substring(0, n.length() - 3);
    }

    @TestFactory
    Stream<DynamicTest> diagramsMatchTheirExpectedSummaries() throws IOException {
        return drawExamples().stream().map(script -> DynamicTest.dynamicTest(script.getFileName().toString(), () -> {
            Map<String, String> svgs = drawWithCli(script, tmp.resolve(stem(script)));
            StringBuilder actual = new StringBuilder();
            for (Map.Entry<String, String> e : svgs.entrySet()) {
                actual.append("== ").append(e.getKey()).append(".svg\n").append(Summary.of(new Svg(e.getValue())));
            }
            Path expectedFile = Golden.sibling(script, ".svgsum");
            if (Boolean.getBoolean("tn.golden.update")) {
                Files.writeString(expectedFile, actual.toString(), StandardCharsets.UTF_8);
                return;
            }
            assertTrue(Files.exists(expectedFile), "missing " + expectedFile + " (run with -Dtn.golden.update=true)");
            Summary.assertMatches(Files.readString(expectedFile, StandardCharsets.UTF_8), actual.toString(), TOLERANCE,
                    "tn draw " + script);
        }));
    }

    /** Every tensor of every example script (not only the draw examples), drawn and checked. */
    @TestFactory
    Stream<DynamicTest> everyDiagramKeepsTheDrawingRules() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path script : Golden.files(EXAMPLES, ".tn")) {
            ScriptDiagrams.Result checked = checked(script);
            for (ScriptDiagrams.Named t : checked.tensors()) {
                tests.add(DynamicTest.dynamicTest(script.getFileName() + " " + t.name(), () -> {
                    // as tn draw draws it: with the options the script's draw(NAME, ...) gives (ellipsis= for a long chain)
                    String svg = Diagrams.svg(t.net(), t.name(), checked.options(t.name(), DrawOptions.defaults()));
                    List<String> problems = Quality.problems(new Svg(svg));
                    assertTrue(problems.isEmpty(), t.name() + " in " + script + ":\n" + String.join("\n", problems));
                }));
            }
        }
        return tests.stream();
    }

    static List<ScriptDiagrams.Named> tensorsOf(Path script) throws IOException {
        return checked(script).tensors();
    }

    /** The script's tensors and the options its draw() calls give them. */
    static ScriptDiagrams.Result checked(Path script) throws IOException {
        Source source = new Source(script.toString(), Files.readString(script, StandardCharsets.UTF_8));
        Diagnostics d = new Diagnostics();
        ScriptDiagrams.Result r = ScriptDiagrams.check(source, script.toAbsolutePath().getParent(), d);
        assertNotNull(r, d.format());
        return r;
    }

    @TestFactory
    Stream<DynamicTest> drawingTwiceGivesTheSameBytes() throws IOException {
        return drawExamples().stream().map(script -> DynamicTest.dynamicTest(script.getFileName().toString(), () -> {
            Map<String, String> first = drawWithCli(script, tmp.resolve("first"));
            Map<String, String> second = drawWithCli(script, tmp.resolve("second"));
            assertEquals(first.keySet(), second.keySet());
            for (String name : first.keySet()) assertEquals(first.get(name), second.get(name), name + " drawn twice");
            ScriptDiagrams.Result checked = checked(script);
            for (ScriptDiagrams.Named t : checked.tensors()) {
                DrawOptions options = checked.options(t.name(), DrawOptions.defaults());
                assertArrayEquals(Diagrams.svg(t.net(), t.name(), options).getBytes(StandardCharsets.UTF_8),
                        Diagrams.svg(t.net(), t.name(), options).getBytes(StandardCharsets.UTF_8), t.name());
            }
        }));
    }

    /**
     * Each draw example's diagrams rendered to PNG (Java2D painting the same display list as the
     * SVG): the image decodes and is not blank. Update mode writes them, with their SVGs, to docs/img/.
     */
    @TestFactory
    Stream<DynamicTest> diagramsRenderToPng() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path script : drawExamples()) {
            Path dir = tmp.resolve("png-" + stem(script));
            Golden.Result r = Golden.run("draw", script.toString(), "-d", dir.toString(), "--png");
            assertEquals(0, r.exitCode(), r.err());
            for (String line : r.out().split("\n")) {
                Path file = Path.of(line.substring(6));
                String name = file.getFileName().toString();
                if (!name.endsWith(".png")) continue;
                tests.add(DynamicTest.dynamicTest(stem(script) + " " + name, () -> {
                    byte[] png = Files.readAllBytes(file);
                    checkImage(png, file.toString());
                    Path image = IMAGES.resolve(stem(script) + "-" + name);
                    Path svg = file.resolveSibling(name.replace(".png", ".svg"));
                    if (Boolean.getBoolean("tn.golden.update")) {
                        Files.createDirectories(IMAGES);
                        Files.write(image, png);
                        Files.copy(svg, IMAGES.resolve(stem(script) + "-" + name.replace(".png", ".svg")),
                                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    } else {
                        assertTrue(Files.exists(image), "missing " + image + " (run with -Dtn.golden.update=true)");
                        checkImage(Files.readAllBytes(image), image.toString());
                    }
                }));
            }
        }
        return tests.stream();
    }

    static void checkImage(byte[] png, String what) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(img, what + " does not decode as an image");
        assertTrue(img.getWidth() > 20 && img.getHeight() > 20, what + " is too small");
        int ink = 0, white = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y) & 0xffffff;
                if (rgb == 0xffffff) white++;
                else if ((rgb & 0xff) < 0x80 && ((rgb >> 8) & 0xff) < 0x80) ink++;
            }
        }
        assertTrue(white > 0 && (img.getRGB(0, 0) & 0xffffff) == 0xffffff, what + " has no white background");
        assertTrue(ink > 100, what + " is blank (" + ink + " dark pixels)");
    }
}
