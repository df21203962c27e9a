package tn.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Circuits (examples/draw_circuit.tn, built by stdlib/quantum.tn) are drawn as circuits: the input
 * states in one column on the left, one row per qubit, each bra of the amplitude at the right end of
 * its qubit's row, each one-qubit gate on its qubit's row and each two-qubit gate halfway between
 * its two rows, and every wire running left to right. Read back from the SVG, not from the layout.
 */
class CircuitTest {
    @Test
    void anAmplitudeIsDrawnAsItsCircuit() throws Exception {
        Svg svg = svgOf("amplitude");
        List<Rectangle2D> ends = new ArrayList<>(), gates = new ArrayList<>();
        for (var e : svg.shapes.entrySet()) (e.getKey().contains("literal") ? ends : gates).add(e.getValue().getBounds2D());
        assertEquals(8, ends.size(), "4 input states and 4 bras: " + svg.shapes.keySet());
        assertEquals(12 + 5, gates.size(), "12 one-qubit gates and 5 fSim gates");
        TreeSet<Double> endXs = new TreeSet<>(), rows = new TreeSet<>();
        for (Rectangle2D r : ends) {
            endXs.add(round(r.getCenterX()));
            rows.add(round(r.getCenterY()));
        }
        assertEquals(2, endXs.size(), "the states in one column, the bras in another: " + endXs);
        assertEquals(4, rows.size(), "one row per qubit: " + rows);
        List<Double> y = new ArrayList<>(rows);
        double step = y.get(1) - y.get(0);
        for (int k = 2; k < y.size(); k++) assertEquals(step, y.get(k) - y.get(k - 1), 0.01, "evenly spaced rows: " + y);
        int between = 0;
        for (Rectangle2D g : gates) {
            assertTrue(g.getCenterX() > endXs.first() && g.getCenterX() < endXs.last(), "gates between the states and the bras");
            double cy = round(g.getCenterY());
            if (rows.contains(cy)) continue;
            between++;
            boolean halfway = false;
            for (int k = 0; k + 1 < y.size(); k++) halfway |= Math.abs(cy - (y.get(k) + y.get(k + 1)) / 2) < 0.01;
            assertTrue(halfway, "a two-qubit gate halfway between two neighbouring rows: " + cy + " " + y);
        }
        assertEquals(5, between, "the 5 fSim gates sit between rows");
        for (Svg.Line l : svg.lines) {
            if (l.to().equals("free")) continue;
            double dx = l.points().get(l.points().size() - 1).getX() - l.points().get(0).getX();
            assertTrue(Math.abs(dx) > 1, l.leg() + ": a wire runs left to right, never straight up or down");
        }
        assertTrue(Quality.problems(svg).isEmpty(), String.join("\n", Quality.problems(svg)));
        Counts c = Counts.of(svg);
        assertEquals(List.of(0, 0, 0, 0), List.of(c.glyphOverlaps(), c.labelOverlaps(), c.throughGlyph(), c.crossings()));
    }

    @Test
    void theGhzStateHasOneRowPerQubit() throws Exception {
        Svg svg = svgOf("ghz");
        TreeSet<Double> startXs = new TreeSet<>(), rows = new TreeSet<>();
        for (var e : svg.shapes.entrySet()) {
            if (!e.getKey().contains("literal")) continue;
            startXs.add(round(e.getValue().getBounds2D().getCenterX()));
            rows.add(round(e.getValue().getBounds2D().getCenterY()));
        }
        assertEquals(1, startXs.size(), "the 4 input states in one column: " + startXs);
        assertEquals(4, rows.size(), "on 4 rows: " + rows);
        Counts c = Counts.of(svg);
        assertEquals(List.of(0, 0, 0, 0), List.of(c.glyphOverlaps(), c.labelOverlaps(), c.throughGlyph(), c.crossings()));
    }

    private static Svg svgOf(String name) throws Exception {
        ScriptDiagrams.Named net = DrawExamplesTest.tensorsOf(java.nio.file.Path.of("examples", "draw_circuit.tn")).stream()
                .filter(t -> t.name().equals(name)).findFirst().orElseThrow();
        return new Svg(Diagrams.svg(net.net(), name, DrawOptions.defaults()));
    }

    private static double round(double v) {
        return Math.rint(v * 100) / 100;
    }

}
