package tn.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Rectangle2D;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import tn.golden.Golden;

/**
 * Long chains drawn with an ellipsis (examples/draw_long_mps.tn: a 100-site MPS, its norm and
 * <psi|H|psi>, each drawn with ellipsis= by the script's draw() call, which tn draw follows): the
 * first and last sites kept with their names and leg labels, one ellipsis per row between them with
 * its dots, the bottom one saying how many sites it stands for, the bonds running into and out of
 * it, the columns of a sandwich lined up. Read back from the SVG that tn draw writes.
 */
class EllipsisTest {
    static final Path SCRIPT = Path.of("examples", "draw_long_mps.tn");

    @TempDir
    Path tmp;

    @Test
    void aHundredSiteMpsKeepsThreeSitesAtEachEndAndAnEllipsisBetween() throws Exception {
        Svg svg = new Svg(DrawExamplesTest.drawWithCli(SCRIPT, tmp).get("chain"));
        List<String> names = tensorNames(svg);
        assertEquals(List.of("S⁰·⁰", "S¹", "S²", "S⁹⁷", "S⁹⁸", "S⁹⁹·⁰"), names, "the kept sites, in order");
        Map<String, Rectangle2D> dots = ellipses(svg);
        assertEquals(1, dots.size(), "one row, one ellipsis: " + dots.keySet());
        Rectangle2D e = dots.values().iterator().next();
        Element g = svg.groups.get(dots.keySet().iterator().next());
        assertEquals(3, Svg.children(g).stream().filter(c -> c.getTagName().equals("circle") && c.getAttribute("class").equals("dot")).count(),
                "three dots, drawn (not a font's character)");
        assertEquals(List.of("94 sites"), texts(g, "count"));
        // between the third and the fourth kept site, on their row
        Map<String, Rectangle2D> tensors = tensorBoxes(svg);
        Rectangle2D s2 = tensors.get("tensor-S_b2"), s97 = tensors.get("tensor-S_2079_2077");
        assertTrue(s2.getMaxX() < e.getMinX() && e.getMaxX() < s97.getMinX(), "the ellipsis between S² and S⁹⁷");
        assertEquals(s2.getCenterY(), e.getCenterY(), 0.01, "on the row");
        // the bonds of the left-out sites: b[2] runs into it, b[96] out of it, both at the dots' height and touching its box
        Svg.Line in = line(svg, "b[2]"), out = line(svg, "b[96]");
        String id = dots.keySet().iterator().next();
        assertEquals(List.of("tensor-S_b2", id), List.of(in.from(), in.to()));
        assertEquals(List.of(id, "tensor-S_2079_2077"), List.of(out.from(), out.to()));
        assertEquals(e.getMinX(), in.end().getX(), 0.5, "b[2] ends at the ellipsis");
        assertEquals(e.getMaxX(), out.start().getX(), 0.5, "b[96] starts at the ellipsis");
        assertEquals(e.getCenterY(), in.end().getY(), 0.01);
        assertEquals(e.getCenterY(), out.start().getY(), 0.01);
        // the open legs of the kept sites only, labelled as the family names them
        TreeSet<String> legs = new TreeSet<>();
        for (Svg.Line l : svg.lines) legs.add(svg.groups.get(l.leg()).getAttribute("data-name"));
        assertEquals(new TreeSet<>(List.of("p[0]", "p[1]", "p[2]", "p[97]", "p[98]", "p[99]", "b[0]", "b[1]", "b[2]", "b[96]", "b[97]", "b[98]")), legs);
        assertTrue(svg.labels.stream().anyMatch(l -> l.text().equals("p[97]")), "p[97] labelled");
        assertClean(svg);
    }

    @Test
    void theRowsOfASandwichLeaveOutTheSameSitesSoColumnsLineUp() throws Exception {
        Map<String, String> drawn = DrawExamplesTest.drawWithCli(SCRIPT, tmp);
        for (String name : List.of("norm", "energy")) {
            int rows = name.equals("norm") ? 2 : 3;
            Svg svg = new Svg(drawn.get(name));
            Map<String, Rectangle2D> tensors = tensorBoxes(svg), dots = ellipses(svg);
            assertEquals(6 * rows, tensors.size(), name + ": 6 sites per row kept");
            assertEquals(rows, dots.size(), name + ": one ellipsis per row");
            TreeSet<Double> xs = new TreeSet<>(), ys = new TreeSet<>(), dotXs = new TreeSet<>(), dotYs = new TreeSet<>();
            for (Rectangle2D r : tensors.values()) {
                xs.add(round(r.getCenterX()));
                ys.add(round(r.getCenterY()));
            }
            for (Rectangle2D r : dots.values()) {
                dotXs.add(round(r.getCenterX()));
                dotYs.add(round(r.getCenterY()));
            }
            assertEquals(6, xs.size(), name + ": six columns of kept sites: " + xs);
            assertEquals(rows, ys.size(), name + ": " + rows + " rows: " + ys);
            assertEquals(1, dotXs.size(), name + ": the ellipses in one column: " + dotXs);
            assertEquals(ys, dotYs, name + ": an ellipsis on every row");
            List<Double> x = new ArrayList<>(xs);
            assertTrue(x.get(2) < dotXs.first() && dotXs.first() < x.get(3), name + ": the ellipses between the third and fourth columns");
            // only the bottom one says how many sites the column stands for
            List<String> counts = new ArrayList<>();
            for (String id : dots.keySet()) counts.addAll(texts(svg.groups.get(id), "count"));
            assertEquals(List.of("94 sites"), counts, name);
            Rectangle2D counted = dots.entrySet().stream().filter(d -> !texts(svg.groups.get(d.getKey()), "count").isEmpty()).findFirst().get().getValue();
            assertEquals(ys.last(), round(counted.getCenterY()), name + ": the count on the bottom row");
            // every bond into an ellipsis comes from its row's third site, every bond out of one goes to the fourth
            int into = 0, outOf = 0;
            for (Svg.Line l : svg.lines) {
                if (dots.containsKey(l.to())) {
                    into++;
                    assertEquals(round(dots.get(l.to()).getCenterY()), round(l.end().getY()), l.leg());
                    assertEquals(x.get(2), round(tensors.get(l.from()).getCenterX()), l.leg() + " from the third column");
                }
                if (dots.containsKey(l.from())) {
                    outOf++;
                    assertEquals(round(dots.get(l.from()).getCenterY()), round(l.start().getY()), l.leg());
                    assertEquals(x.get(3), round(tensors.get(l.to()).getCenterX()), l.leg() + " to the fourth column");
                }
            }
            assertEquals(List.of(rows, rows), List.of(into, outOf), name + ": a bond into and out of each ellipsis");
            assertClean(svg);
        }
    }

    @Test
    void drawingTwiceGivesTheSameBytes() throws Exception {
        Map<String, String> first = DrawExamplesTest.drawWithCli(SCRIPT, tmp.resolve("a"));
        Map<String, String> second = DrawExamplesTest.drawWithCli(SCRIPT, tmp.resolve("b"));
        assertEquals(List.of("chain", "norm", "energy"), new ArrayList<>(first.keySet()));
        assertEquals(first, second);
    }

    @Test
    void aChainTooShortToAbbreviateIsDrawnInFull() throws Exception {
        // draw_mps.tn's chain has 4 sites: with 3 kept at each end nothing is left out
        Path mps = Path.of("examples", "draw_mps.tn");
        Golden.Result plain = Golden.run("draw", mps.toString(), "-d", tmp.resolve("plain").toString(), "--name", "chain,energy");
        Golden.Result kept = Golden.run("draw", mps.toString(), "-d", tmp.resolve("kept").toString(), "--name", "chain,energy", "--ellipsis", "3");
        assertEquals(0, kept.exitCode(), kept.err());
        for (String n : List.of("chain.svg", "energy.svg")) {
            assertEquals(Files.readString(tmp.resolve("plain").resolve(n)), Files.readString(tmp.resolve("kept").resolve(n)), n);
        }
        assertEquals(0, plain.exitCode());
        Golden.Result shorter = Golden.run("draw", mps.toString(), "-d", tmp.resolve("one").toString(), "--name", "chain", "--ellipsis", "1");
        assertEquals(0, shorter.exitCode(), shorter.err());
        assertTrue(Files.readString(tmp.resolve("one").resolve("chain.svg")).contains("2 sites"), "with 1 kept at each end, 2 of 4 left out");
    }

    @Test
    void aNetworkThatIsNoChainIsAnError() throws Exception {
        // the PEPS norm of draw_peps.tn: a doubled grid, no rows of sites
        Golden.Result r = Golden.run("draw", Path.of("examples", "draw_peps.tn").toString(), "-d", tmp.toString(), "--ellipsis", "2");
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().startsWith("error: peps: ellipsis= leaves out the middle sites of a chain"), r.err());
        assertTrue(r.err().contains("draw it without ellipsis="), r.err());
        // a transformer's residual stream
        r = Golden.run("draw", Path.of("examples", "draw_transformer.tn").toString(), "-d", tmp.toString(), "--ellipsis", "2");
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().contains("ellipsis= leaves out the middle sites of a chain") && r.err().contains("residual stream"), r.err());
        // a ring: every site joined to two others, no ends
        Path ring = tmp.resolve("ring.tn");
        Files.writeString(ring, "import mps\nleg l = 2, q = 2, r = 2\nA = random(l, q, r, seed=1)\nring = norm_network(mps_ring(A, 12, 2, 2))\n");
        r = Golden.run("draw", ring.toString(), "-d", tmp.toString(), "--ellipsis", "2");
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.err().startsWith("error: ring: ellipsis= leaves out the middle sites of a chain"), r.err());
        // a count that is no count
        r = Golden.run("draw", SCRIPT.toString(), "-d", tmp.toString(), "--ellipsis", "-1");
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("error: --ellipsis: ellipsis= is how many sites of a long chain to keep at each end"), r.err());
    }

    /** Without the option a long sandwich still draws as its rows (the layered layout gives up at this length). */
    @Test
    void aHundredSiteSandwichWithoutTheEllipsisIsDrawnAsThreeRows() throws Exception {
        Path script = Files.writeString(tmp.resolve("energy.tn"), "import mps\nset dtype = float64\n"
                + "psi = random_mps(100, chi=2, d=2, seed=1)\nenergy = expectation_network(psi, tfim_mpo(100, J=1, h=1))\n");
        Golden.Result r = Golden.run("draw", script.toString(), "-o", tmp.resolve("energy.svg").toString());
        assertEquals(0, r.exitCode(), r.err());
        Svg svg = new Svg(Files.readString(tmp.resolve("energy.svg")));
        Map<String, Rectangle2D> tensors = tensorBoxes(svg);
        assertEquals(300, tensors.size());
        TreeMap<Double, Integer> rows = new TreeMap<>();
        TreeMap<Double, Integer> columns = new TreeMap<>();
        for (Rectangle2D t : tensors.values()) {
            rows.merge(Math.rint(t.getCenterY() * 10) / 10, 1, Integer::sum); // glyph outlines are drawn to 0.01
            columns.merge(Math.rint(t.getCenterX() * 10) / 10, 1, Integer::sum);
        }
        assertEquals(List.of(100, 100, 100), List.copyOf(rows.values()), "ket, operator and bra in three rows");
        assertEquals(100, columns.size(), "one column per site: " + columns);
        assertTrue(columns.values().stream().allMatch(c -> c == 3), "each site's three tensors in its column");
        assertClean(svg);
    }

    private static void assertClean(Svg svg) {
        assertTrue(Quality.problems(svg).isEmpty(), String.join("\n", Quality.problems(svg)));
        Counts c = Counts.of(svg);
        assertEquals(List.of(0, 0, 0, 0), List.of(c.glyphOverlaps(), c.labelOverlaps(), c.throughGlyph(), c.crossings()));
    }

    private static List<String> tensorNames(Svg svg) {
        List<Map.Entry<Double, String>> at = new ArrayList<>();
        for (Map.Entry<String, Element> g : svg.groups.entrySet()) {
            if (!g.getValue().getAttribute("class").equals("tensor")) continue;
            at.add(Map.entry(svg.shapes.get(g.getKey()).getBounds2D().getCenterX(), g.getValue().getAttribute("data-name")));
        }
        at.sort(Map.Entry.comparingByKey());
        return at.stream().map(Map.Entry::getValue).toList();
    }

    private static Map<String, Rectangle2D> tensorBoxes(Svg svg) {
        return boxes(svg, "tensor");
    }

    private static Map<String, Rectangle2D> ellipses(Svg svg) {
        return boxes(svg, "ellipsis");
    }

    private static Map<String, Rectangle2D> boxes(Svg svg, String cls) {
        Map<String, Rectangle2D> out = new TreeMap<>();
        for (Map.Entry<String, Element> g : svg.groups.entrySet()) {
            if (g.getValue().getAttribute("class").equals(cls)) out.put(g.getKey(), svg.shapes.get(g.getKey()).getBounds2D());
        }
        return out;
    }

    private static List<String> texts(Element g, String cls) {
        return Svg.children(g).stream().filter(c -> c.getTagName().equals("text") && c.getAttribute("class").equals(cls))
                .map(Element::getTextContent).toList();
    }

    private static Svg.Line line(Svg svg, String leg) {
        return svg.lines.stream().filter(l -> svg.groups.get(l.leg()).getAttribute("data-name").equals(leg)).findFirst().orElseThrow();
    }

    private static double round(double v) {
        return Math.rint(v * 100) / 100;
    }
}
