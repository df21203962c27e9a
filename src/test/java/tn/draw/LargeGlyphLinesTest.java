package tn.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tn.diag.Diagnostics;
import tn.diag.Source;

/**
 * Lines to and past a large glyph (a sum's box thousands of pixels wide, as in the diagrams of
 * examples/induction_training.tn): they start on its outline, parallel ones stay apart, and a line
 * leaving a tensor beside the box's corner does not cut through the corner.
 */
class LargeGlyphLinesTest {
    private static ScriptDiagrams.Named diagram(String script, String name) {
        Diagnostics d = new Diagnostics();
        ScriptDiagrams.Result r = ScriptDiagrams.check(new Source("t.tn", script), Path.of("."), d);
        assertNotNull(r, d.format());
        return r.tensors().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void parallelLegsOfAWideSumLeaveItsOutlineApart() throws Exception {
        // eight terms make the sum's box wide; T shares three legs with it
        String script = """
                leg i = 2, j = 2, k = 2, a = 2, b = 2
                A = random(i, a, seed=2)
                B = random(a, b, seed=3)
                C = random(b, j, k, seed=4)
                S = A B C + A B C + A B C + A B C + A B C + A B C + A B C + A B C
                T = random(i, j, k, seed=6)
                r = S T
                """;
        ScriptDiagrams.Named t = diagram(script, "r");
        Svg svg = new Svg(Diagrams.svg(t.net(), t.name(), DrawOptions.defaults()));
        assertEquals(List.of(), Quality.problems(svg));
        Counts c = Counts.of(svg);
        assertEquals(0, c.throughGlyph(), "lines through a glyph");
        assertEquals(0, c.crossings(), "crossings");
        // the three legs leave the box apart, not from one point (bent from the box's centre, 2 px apart)
        List<java.awt.geom.Point2D> starts = svg.lines.stream().filter(l -> l.from().equals("tensor-S") && l.to().equals("tensor-T"))
                .map(Svg.Line::start).toList();
        assertEquals(3, starts.size());
        for (int a = 0; a < 3; a++) {
            for (int b = a + 1; b < 3; b++) assertTrue(starts.get(a).distance(starts.get(b)) > 8, "legs leave S " + starts.get(a).distance(starts.get(b)) + " px apart");
        }
    }

    @Test
    void aLineFromBesideABoxCornerGoesAroundIt() {
        // the shape of a layer-1 head's slice beside the xp box in A1 of induction_training.tn:
        // 62 px right of the box, 14 px above its bottom, joined to a dot 1830 px left and 76 px down
        Model m = new Model();
        Model.Node box = new Model.Node(0, Model.Kind.TENSOR, "X", "tensor", Shape.BOX, m.root);
        box.hw = 1000;
        box.hh = 300;
        Model.Node s = new Model.Node(1, Model.Kind.TENSOR, "s", "tensor", Shape.CIRCLE, m.root);
        s.hw = s.hh = 15;
        s.x = 1000 + 62 + 15;
        s.y = 300 - 14;
        Model.Node t = new Model.Node(2, Model.Kind.TENSOR, "t", "tensor", Shape.CIRCLE, m.root);
        t.hw = t.hh = 15;
        t.x = s.x - 1830;
        t.y = s.y + 76;
        for (Model.Node n : List.of(box, s, t)) {
            m.nodes.add(n);
            m.root.nodes.add(n);
        }
        Model.Wire w = new Model.Wire("i", 2, 0);
        Model.Edge e = new Model.Edge(new Model.OnNode(s, 0), new Model.OnNode(t, 0), "i", 2, w);
        w.edges.add(e);
        m.wires.add(w);
        m.edges.add(e);
        new Router(m, DrawOptions.defaults(), new Ids(), Map.of()).route();
        Box inside = Glyphs.box(box).grow(-1);
        List<Vec> pts = Curves.sample(e.path);
        for (int k = 0; k + 1 < pts.size(); k++) {
            assertTrue(!Curves.segmentHitsBox(pts.get(k), pts.get(k + 1), inside), "the line s-t passes through X at " + pts.get(k));
        }
    }
}
