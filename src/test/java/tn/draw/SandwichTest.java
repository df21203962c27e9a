package tn.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Shape;
import java.awt.geom.Point2D;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * A PEPS norm (examples/draw_peps.tn) is drawn as a grid: kets on a square grid, each bra behind its
 * ket at the same offset, so every physical leg points the same way.
 */
class SandwichTest {
    @Test
    void aPepsNormIsAGridWithItsPhysicalLegsPointingOneWay() throws Exception {
        ScriptDiagrams.Named peps = DrawExamplesTest.tensorsOf(java.nio.file.Path.of("examples", "draw_peps.tn")).stream()
                .filter(t -> t.name().equals("peps")).findFirst().orElseThrow();
        Svg svg = new Svg(Diagrams.svg(peps.net(), "peps", DrawOptions.defaults()));
        int physical = 0;
        Point2D first = null;
        for (Svg.Line l : svg.lines) {
            if (!svg.groups.get(l.leg()).getAttribute("data-name").startsWith("p[")) continue;
            physical++;
            double dx = l.end().getX() - l.start().getX(), dy = l.end().getY() - l.start().getY(), len = Math.hypot(dx, dy);
            Point2D u = new Point2D.Double(dx / len, dy / len);
            // each line runs from the ket to the bra (or back): the same direction up to its sign
            if (first == null) first = u;
            assertEquals(1, Math.abs(first.getX() * u.getX() + first.getY() * u.getY()), 1e-3, l.leg() + " points another way");
        }
        assertEquals(9, physical);
        TreeSet<Double> xs = new TreeSet<>(), ys = new TreeSet<>();
        for (Map.Entry<String, Shape> s : svg.shapes.entrySet()) {
            xs.add(Math.rint(s.getValue().getBounds2D().getCenterX() * 100) / 100);
            ys.add(Math.rint(s.getValue().getBounds2D().getCenterY() * 100) / 100);
        }
        assertEquals(18, svg.shapes.size());
        assertEquals(6, xs.size(), "three columns of kets and three of bras: " + xs);
        assertEquals(6, ys.size(), "three rows of kets and three of bras: " + ys);
        assertTrue(Quality.problems(svg).isEmpty(), String.join("\n", Quality.problems(svg)));
        assertTrue(List.of(Counts.of(svg).glyphOverlaps(), Counts.of(svg).labelOverlaps(), Counts.of(svg).throughGlyph()).stream().allMatch(c -> c == 0));
    }
}
