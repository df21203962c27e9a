package tn.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tn.diag.Diagnostics;
import tn.diag.Source;

/**
 * A sum's terms keep each open leg on the side the sum's first terms draw it (issue #20), also
 * where the room at a tensor argues against it: a single tensor with two legs that the first term
 * points the same way (attention scores plus a mask, as in examples/draw_attention_head.tn) fans
 * them both to that side instead of turning one of them away. Counted on the SVG by {@link Counts}.
 * And a term is mirrored to put each leg's tensor on the side its leg is wanted, when the
 * directions its legs took first do not tell (both right, wanted up and down).
 */
class SumAlignmentTest {
    private static Svg drawn(String script, String name) throws Exception {
        Diagnostics d = new Diagnostics();
        ScriptDiagrams.Result r = ScriptDiagrams.check(new Source("t.tn", script), Path.of("."), d);
        assertNotNull(r, d.format());
        ScriptDiagrams.Named t = r.tensors().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
        return new Svg(Diagrams.svg(t.net(), t.name(), DrawOptions.defaults()));
    }

    @Test
    void aMaskKeepsBothLegsOnTheSideTheScoresPointThem() throws Exception {
        String script = """
                leg head = 2, dh = 2, d = 3, e = 3, pos = 4, key = 4
                Q = random(head, d, dh, seed=1)
                X = random(d, pos, seed=2)
                K = random(head, e, dh, seed=3)
                Y = random(e, key, seed=4)
                mask = random(head, pos, key, seed=5)
                s = (Q X K Y -> [head, pos, key]) + mask
                """;
        Svg svg = drawn(script, "s");
        assertEquals(0, Counts.misaligned(svg), "legs of the mask pointing another way than the scores'");
        Counts c = Counts.of(svg);
        assertEquals(0, c.glyphOverlaps() + c.labelOverlaps() + c.throughGlyph(), c.row());
    }

    /** A copy dot at the origin joined to a tensor above it (leg pos) and one below it (leg key); all three legs open. */
    private static Model scores() {
        Model m = new Model();
        Model.Node dot = node(m, 0, Model.Kind.HUB, 0, 0), above = node(m, 1, Model.Kind.TENSOR, 100, -50),
                below = node(m, 2, Model.Kind.TENSOR, 100, 50);
        edge(m, dot, new Model.OnNode(above, 0), "d");
        edge(m, dot, new Model.OnNode(below, 0), "e");
        edge(m, dot, new Model.Free("head", 0), "head");
        edge(m, above, new Model.Free("pos", 1), "pos");
        edge(m, below, new Model.Free("key", 2), "key");
        return m;
    }

    private static Model.Node node(Model m, int index, Model.Kind kind, double x, double y) {
        Model.Node n = new Model.Node(index, kind, "n" + index, "random", Shape.CIRCLE, m.root);
        n.hw = n.hh = 10;
        n.x = x;
        n.y = y;
        m.nodes.add(n);
        m.root.nodes.add(n);
        return n;
    }

    private static void edge(Model m, Model.Node a, Model.End b, String name) {
        Model.Wire w = new Model.Wire(name, 2, 0);
        Model.Edge e = new Model.Edge(new Model.OnNode(a, 0), b, name, 2, w);
        w.edges.add(e);
        m.wires.add(w);
        m.edges.add(e);
    }

    @Test
    void aTermWhoseLegsAllPointRightIsMirroredToPutEachLegsTensorOnItsSide() {
        Model drawn = scores(), m = scores();
        // routed first: pos and key both right, head left; the sum wants pos down and key up
        Map<Model.Edge, Double> got = new LinkedHashMap<>();
        got.put(drawn.edges.get(2), Math.PI);
        got.put(drawn.edges.get(3), 0.0);
        got.put(drawn.edges.get(4), 0.0);
        Diagrams.mirrorParts(m, drawn, got, Map.of("head", Math.PI, "pos", Math.PI / 2, "key", -Math.PI / 2));
        assertEquals(50, m.nodes.get(1).y, 1e-9, "pos's tensor below");
        assertEquals(-50, m.nodes.get(2).y, 1e-9, "key's tensor above");
        assertEquals(100, m.nodes.get(1).x, 1e-9, "not mirrored left to right: head stays left");
    }
}
