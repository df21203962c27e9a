package tn.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import tn.golden.Golden;

/**
 * The quality bar, measured on every diagram of every example (each tensor `tn draw --all` would
 * draw): no glyph overlaps a glyph, no label overlaps a glyph or a label, no line passes through a
 * glyph it does not join; at most as many open legs of a sum's terms pointing another way than in
 * its first terms, and line crossings, as src/test/resources/draw/quality.txt allows for that
 * diagram (the counts when the bound was last set; -Dtn.golden.update=true rewrites
 * it, and a bound that grows is a layout that got worse: review it).
 */
class DrawQualityTest {
    static final Path BOUNDS = Path.of("src", "test", "resources", "draw", "quality.txt");
    private static final Map<String, Counts> MEASURED = new java.util.TreeMap<>();

    /** Per diagram: the bounds on misaligned sum legs and on crossings. */
    static Map<String, int[]> bounds() throws IOException {
        Map<String, int[]> out = new LinkedHashMap<>();
        if (!Files.exists(BOUNDS)) return out;
        for (String line : Files.readAllLines(BOUNDS, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] w = line.trim().split("\\s+");
            out.put(w[0] + " " + w[1], new int[] {Integer.parseInt(w[w.length - 2]), Integer.parseInt(w[w.length - 1])});
        }
        return out;
    }

    @TestFactory
    Stream<DynamicTest> everyExampleDiagramMeetsTheQualityBar() throws IOException {
        Map<String, int[]> bounds = bounds();
        List<DynamicTest> tests = new ArrayList<>();
        for (Path script : Golden.files(DrawExamplesTest.EXAMPLES, ".tn")) {
            ScriptDiagrams.Result checked = DrawExamplesTest.checked(script);
            for (ScriptDiagrams.Named t : checked.tensors()) {
                String key = script.getFileName() + " " + t.name();
                // as tn draw draws it: with the blocks the script's draw(NAME, ..., expand=) opens, heads= likewise
                DrawOptions options = checked.options(t.name(), DrawOptions.defaults());
                tests.add(DynamicTest.dynamicTest(key, () -> {
                    Counts c = Counts.of(new Svg(Diagrams.svg(t.net(), t.name(), options)));
                    synchronized (MEASURED) {
                        MEASURED.put(key, c);
                    }
                    if (Boolean.getBoolean("tn.golden.update")) return;
                    assertEquals(0, c.glyphOverlaps(), key + ": glyphs overlapping glyphs");
                    assertEquals(0, c.labelOverlaps(), key + ": labels overlapping glyphs or labels");
                    assertEquals(0, c.throughGlyph(), key + ": lines through a glyph they do not join");
                    int[] bound = bounds.get(key);
                    assertTrue(bound != null, "no bounds for " + key + " in " + BOUNDS + " (run with -Dtn.golden.update=true)");
                    assertTrue(c.misalignedSumLegs() <= bound[0], key + ": " + c.misalignedSumLegs()
                            + " open legs of a sum's terms pointing another way than in the sum's first terms, at most " + bound[0] + " allowed");
                    assertTrue(c.crossings() <= bound[1], key + ": " + c.crossings() + " line crossings, at most " + bound[1] + " allowed");
                }));
            }
        }
        return tests.stream();
    }

    /** Update mode: the bounds file from the counts just measured (all four, the last one the bound). */
    @AfterAll
    static void writeBounds() throws IOException {
        if (!Boolean.getBoolean("tn.golden.update") || MEASURED.isEmpty()) return;
        StringBuilder sb = new StringBuilder("# example diagram: glyph-overlaps label-overlaps lines-through-glyphs misaligned-sum-legs crossings\n"
                + "# (the first three must be 0; the last two are each diagram's bounds: keep them at 0 where they are)\n");
        for (Map.Entry<String, Counts> e : MEASURED.entrySet()) sb.append(e.getKey()).append(' ').append(e.getValue().row()).append('\n');
        Files.writeString(BOUNDS, sb.toString(), StandardCharsets.UTF_8);
    }

    // ---- the counter itself, on drawings whose counts are known by construction ----------------

    private static String svg(String body) {
        return "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 200 200\">" + body + "</svg>";
    }

    private static String tensor(String id, double cx, double cy) {
        return "<g id=\"" + id + "\" class=\"tensor\"><circle class=\"shape\" cx=\"" + cx + "\" cy=\"" + cy + "\" r=\"10\"/></g>";
    }

    private static String line(String from, String to, String d) {
        return "<g id=\"leg-" + from + to + "\" class=\"leg\"><path class=\"line\" data-from=\"" + from + "\" data-to=\"" + to
                + "\" d=\"" + d + "\"/></g>";
    }

    @Test
    void countsWhatItIsShown() throws Exception {
        // A and B overlap; C is joined to D by a line that passes straight through B.
        String s = svg(tensor("A", 20, 20) + tensor("B", 35, 20) + tensor("C", 35, 60) + tensor("D", 35, -20)
                + line("C", "D", "M35,50 L35,-10"));
        assertEquals(new Counts(1, 0, 1, 0, 0), Counts.of(new Svg(s)));
        // Two lines forming an X cross once; a line ending on an outline does not pass through it.
        String x = svg(tensor("P", 0, 0) + tensor("Q", 100, 100) + tensor("R", 100, 0) + tensor("S", 0, 100)
                + line("P", "Q", "M7.07,7.07 L92.93,92.93") + line("R", "S", "M92.93,7.07 L7.07,92.93"));
        assertEquals(new Counts(0, 0, 0, 0, 1), Counts.of(new Svg(x)));
        // A label on a glyph and a label on a label.
        String t = svg(tensor("A", 50, 50) + "<text class=\"label\" x=\"50\" y=\"52\" font-size=\"10\" text-anchor=\"middle\">i</text>"
                + "<text class=\"label\" x=\"150\" y=\"150\" font-size=\"10\">jj</text><text class=\"label\" x=\"152\" y=\"151\" font-size=\"10\">k</text>");
        assertEquals(new Counts(0, 2, 0, 0, 0), Counts.of(new Svg(t)));
    }
}
