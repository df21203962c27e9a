package tn.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tn.diag.Diagnostics;
import tn.diag.Source;
import tn.net.Net;

/** What the model of a network holds, and where the layout puts it. */
class ModelTest {
    static Net net(String script, String name) {
        Diagnostics d = new Diagnostics();
        ScriptDiagrams.Result r = ScriptDiagrams.check(new Source("t.tn", script), Path.of("."), d);
        assertNotNull(r, d.format());
        return r.tensors().stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow().net();
    }

    static Model model(String script, String name) {
        Model m = new ModelBuilder(DrawOptions.defaults().rule()).build(net(script, name));
        new Layout(Layout.Mode.AUTO, 1).layout(m);
        return m;
    }

    static long count(Model m, Model.Kind kind) {
        return m.nodes.stream().filter(n -> n.kind == kind).count();
    }

    @Test
    void aHyperedgeMeetsAtADot() {
        Model m = model("leg i = 2, j = 2, a = 3, b = 4\nA = random(i, a, b)\nv = random(b)\nB = random(b, a, j)\n"
                + "T = A[i, a, b] v[b] B[b, a, j]\n", "T");
        assertEquals(1, count(m, Model.Kind.HUB));
        Model.Wire b = m.wires.stream().filter(w -> w.name.equals("b")).findFirst().orElseThrow();
        assertEquals(3, b.edges.size());
        assertEquals(1, b.hubs.size());
    }

    @Test
    void aDiagonalMatrixIsAVectorOnACopyDot() {
        Model m = model("leg i = 3, j = 3\nv = random(i)\nD = diag(v, j)\n", "D");
        assertEquals(1, count(m, Model.Kind.HUB));
        Model.Wire w = m.wires.get(0);
        assertEquals(3, w.edges.size(), "to v, and the free legs i and j");
        assertEquals(2, w.edges.stream().filter(e -> e.b instanceof Model.Free).count());
    }

    @Test
    void anIdentityIsAPlainLineAndATraceALoop() {
        Model id = model("leg i = 3, j = 3\nI = eye(i, j)\n", "I");
        assertEquals(0, count(id, Model.Kind.TENSOR) + count(id, Model.Kind.HUB));
        assertEquals(2, id.edges.size());
        Model tr = model("leg i = 3, i' = 3\nM = random(i, i')\ntr = M[a, a]\n", "tr");
        assertEquals(1, tr.edges.size());
        assertTrue(tr.edges.get(0).isLoop());
        Model eyeTrace = model("leg i = 3, j = 3\nt = eye(i, j)[a, a]\n", "t");
        assertEquals(1, count(eyeTrace, Model.Kind.LOOP), "the trace of an identity is a closed loop");
        // A gradient of a scalar in reverse mode starts from the number 1 (a copy tensor of size 1):
        // a closed loop of size 1 is 1 and draws as nothing (it drew an empty ring beside the Hessian).
        Model hessian = model("set dtype = float64\nleg i = 4\nx = [-1.5, -0.2, 0.3, 2.0][i]\n"
                + "H = jacobian(grad(sum(tanh(x)), x), x)\n", "H");
        assertEquals(0, count(hessian, Model.Kind.LOOP));
        Model one = model("leg i = 1, j = 1\nt = eye(i, j)[a, a]\n", "t");
        assertEquals(0, count(one, Model.Kind.LOOP), "the trace of a 1 x 1 identity is 1");
    }

    @Test
    void aLineCrossesABubbleBorderAsOneLine() {
        Model m = model("leg d = 4, h = 3, o = 2\nW1 = random(h, d)\nW2 = random(o, h)\nx = random(d)\n"
                + "y = W2 relu(W1 x)\n", "y");
        assertEquals(1, m.root.children.size());
        Model.Scope relu = m.root.children.get(0);
        assertEquals("relu", relu.label);
        assertEquals(Set.of("W1", "x"), new TreeSet<>(relu.nodes.stream().map(n -> n.name).toList()));
        Model.Wire h = m.wires.stream().filter(w -> w.name.equals("h")).findFirst().orElseThrow();
        assertEquals(1, h.edges.size());
        assertEquals(Set.of("W1", "W2"), Set.of(h.edges.get(0).a.node().name, h.edges.get(0).other().name));
        assertEquals(0, count(m, Model.Kind.JOINT));
    }

    @Test
    void aReductionEndsItsLegInsideTheBubble() {
        Model m = model("leg o = 2, h = 3\nM = random(o, h)\ns = max(M, h)\nt = M -> [o]\n", "s");
        Model.Edge h = m.edges.stream().filter(e -> e.name.equals("h")).findFirst().orElseThrow();
        assertTrue(h.b instanceof Model.Cap c && c.reduced());
        assertEquals("max[h]", m.root.children.get(0).label);
        Model t = model("leg o = 2, h = 3\nM = random(o, h)\nt = M -> [o]\n", "t");
        Model.Edge summed = t.edges.stream().filter(e -> e.name.equals("h")).findFirst().orElseThrow();
        assertTrue(summed.b instanceof Model.Cap c && !c.reduced(), "a leg summed alone meets the ones vector");
    }

    @Test
    void groupedLegsPassThroughABar() {
        Model m = model("leg i = 2, j = 3, k = 4\nT = random(i, j, k)\ng = T -> [(i k), j]\n", "g");
        assertEquals(1, count(m, Model.Kind.FUSE));
        Model.Node bar = m.nodes.stream().filter(n -> n.kind == Model.Kind.FUSE).findFirst().orElseThrow();
        assertEquals(List.of("i", "k", "i_k"), bar.legs);
    }

    @Test
    void theLadderIsLaidOutInTwoRowsOfFive() {
        String ladder = "leg i = 3, j = 3, r = 2, k = 3, l = 3, s = 2, m = 3, n = 3, t = 2, o = 3, p = 3, u = 2, q = 3\n"
                + "A = random(i, j)\nV = random(i, r)\nB = random(j, k, l)\nW = random(r, k, s)\nC = random(l, m, n)\n"
                + "X = random(s, m, t)\nD = random(n, o, p)\nY = random(t, o, u)\nE = random(p, q)\nZ = random(u, q)\n"
                + "L = A[i,j] V[i,r] B[j,k,l] W[r,k,s] C[l,m,n] X[s,m,t] D[n,o,p] Y[t,o,u] E[p,q] Z[u,q]\n";
        Model m = model(ladder, "L");
        Set<Double> rows = new TreeSet<>(), columns = new TreeSet<>();
        for (Model.Node n : m.nodes) {
            rows.add(n.y);
            columns.add(n.x);
        }
        assertEquals(2, rows.size());
        assertEquals(5, columns.size());
        double top = m.nodes.stream().filter(n -> n.name.equals("A")).findFirst().get().y;
        for (String name : List.of("A", "B", "C", "D", "E")) {
            assertEquals(top, m.nodes.stream().filter(n -> n.name.equals(name)).findFirst().get().y, name + " on the top rail");
        }
    }

    @Test
    void anMpsHangsItsPhysicalLegsDown() throws Exception {
        String mps = "leg p1 = 2, p2 = 2, p3 = 2, p4 = 2, b1 = 3, b2 = 3, b3 = 3\n"
                + "A1 = random(p1, b1)\nA2 = random(b1, p2, b2)\nA3 = random(b2, p3, b3)\nA4 = random(b3, p4)\n"
                + "psi = A1 A2 A3 A4\n";
        Svg svg = new Svg(Diagrams.svg(net(mps, "psi"), "psi", DrawOptions.defaults()));
        for (Svg.Line l : svg.lines) {
            if (!l.to().equals("free")) continue;
            assertTrue(l.end().getY() > l.start().getY() + 20 && Math.abs(l.end().getX() - l.start().getX()) < 1e-6,
                    l.leg() + " points down");
        }
    }

    @Test
    void parallelLegsAreSeparateCurves() throws Exception {
        Svg svg = new Svg(Diagrams.svg(net("leg i = 2, j = 3, k = 4\nA = random(i, j, k)\nB = random(i, j, k)\nn = A B\n", "n"),
                "n", DrawOptions.defaults()));
        assertEquals(3, svg.lines.size());
        assertTrue(Quality.problems(svg).isEmpty(), String.join("\n", Quality.problems(svg)));
    }

    @Test
    void aSumInsideABubbleIsDrawnAsItsTermsInABox() throws Exception {
        String s = "leg d = 4, h = 3\nW = random(h, d)\nx = random(d)\nb = random(h)\nz = relu(W x + b)\n";
        assertEquals(1, count(model(s, "z"), Model.Kind.SUM));
        Svg svg = new Svg(Diagrams.svg(net(s, "z"), "z", DrawOptions.defaults()));
        assertNotNull(svg.groups.get("sum-1"), svg.groups.keySet().toString());
        assertTrue(svg.groups.containsKey("tensor-W") && svg.groups.containsKey("tensor-b") && svg.groups.containsKey("term-1"));
        assertTrue(Quality.problems(svg).isEmpty(), String.join("\n", Quality.problems(svg)));
    }

    @Test
    void isometriesAreTrianglesPointingToTheirSmallestLeg() throws Exception {
        String s = "leg i = 5, r = 2\nU = random(i, r)\nx = random(r)\ny = U x\n";
        DrawOptions marked = DrawOptions.defaults().withMarks(Set.of("U"), Set.of());
        Model m = new ModelBuilder(marked.rule()).build(net(s, "y"));
        new Layout(Layout.Mode.AUTO, 1).layout(m);
        new Router(m, marked, new Ids(), java.util.Map.of()).route();
        Model.Node u = m.nodes.stream().filter(n -> "U".equals(n.name)).findFirst().orElseThrow();
        Model.Node x = m.nodes.stream().filter(n -> "x".equals(n.name)).findFirst().orElseThrow();
        assertEquals(Shape.TRIANGLE, u.shape);
        Vec tip = Vec.polar(u.tipAngle, 1), toX = x.at().minus(u.at()).unit();
        assertTrue(tip.dot(toX) > 0.99, "the tip points along r, towards x");
        assertEquals(1, ShapeRule.tipLeg(new long[] {5, 2}));
        assertEquals(Shape.SQUARE, new ShapeRule(Set.of(), Set.of("Q")).tensor("Q", "random"));
        assertEquals(Shape.TRIANGLE, new ShapeRule(Set.of(), Set.of()).tensor(null, "isometry"));
    }

    /** A square isometry is orthogonal: the 3 x 3 V of the SVD of a 4 x 3 matrix is a square, U (4 x 3) a triangle. */
    @Test
    void aSquareIsometryIsASquare() throws Exception {
        String s = "leg i = 4, j = 3, r = 3\nA = random(i, j, seed=1)\nU, S, V = svd(A, left=[i], bond=r)\nusv = U S V\n";
        Svg svg = new Svg(Diagrams.svg(net(s, "usv"), "usv", DrawOptions.defaults()));
        assertEquals("square", svg.groups.get("tensor-V").getAttribute("data-shape"));
        assertEquals("triangle", svg.groups.get("tensor-U").getAttribute("data-shape"));
        ShapeRule rule = new ShapeRule(Set.of("W"), Set.of());
        assertEquals(Shape.SQUARE, rule.tensor("W", "random", new long[] {2, 2, 4}));
        assertEquals(Shape.TRIANGLE, rule.tensor("W", "random", new long[] {2, 3, 4}));
    }
}
