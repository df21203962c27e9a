package tn.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tn.diag.Diagnostics;
import tn.diag.TnError;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;

/** Legs whose sizes belong to the values that made them: two models side by side, local declarations. */
class ScopedLegsTest {
    private static final String SMALL = "import transformer\nids = [1, 2, 3]\n"
            + "small = transformer(layers=1, heads=2, d_model=8, vocab=10, context=6, seed=1)\n";
    private static final String BIG = "big = transformer(layers=2, heads=4, d_model=16, vocab=12, context=6, seed=2)\n";

    private static Scripts run(String text) {
        return Scripts.run(new Nd4jBackend(), DType.FLOAT64, text);
    }

    @Test
    void twoModelsOfDifferentShapesGiveWhatEachGivesAlone() {
        // The oracle: each model run in a script of its own.
        double[] smallAlone = run(SMALL + "y = forward(small, ids)\n").values("y");
        double[] bigAlone = run("import transformer\nids = [1, 2, 3]\n" + BIG + "y = forward(big, ids)\n").values("y");
        Scripts both = run(SMALL + BIG + "a = forward(small, ids)\nb = forward(big, ids)\nc = forward(small, ids)\n");
        assertArrayEquals(smallAlone, both.values("a"), 0);
        assertArrayEquals(bigAlone, both.values("b"), 0);
        assertArrayEquals(smallAlone, both.values("c"), 0);
        assertEquals(List.of("pos", "vocab"), both.tensor("b").legs());
        assertEquals(12, both.tensor("b").data().shape()[1]);
    }

    @Test
    void valuesOfTwoModelsMeetingOnALegIsAnErrorNamingBothSizesAndPlaces() {
        TnError e = assertThrows(TnError.class, () -> run(SMALL + BIG + "a = forward(small, ids)\nb = forward(big, ids)\nab = a b\n"));
        assertEquals("leg vocab has size 10 on a but size 12 on b: values made with two sizes of vocab (10 from 3:9, 12 from 4:7)"
                + " cannot meet on it; rename it on one of them to keep both, e.g. b[vocab -> vocab2]", e.getMessage());
        assertEquals(7, e.span().line());
    }

    @Test
    void anInferredSizeMayChangeWhereTheValuesNeverMeet() {
        // Before: `leg n has size 3 here but size 2`; now each vector keeps its own n.
        Scripts s = run("x = [1, 2][n]\ny = [1, 2, 3][n]\nxx = x x\nyy = y y\nz = ones(n)\n");
        assertArrayEquals(new double[] {5}, s.values("xx"), 0);
        assertArrayEquals(new double[] {14}, s.values("yy"), 0);
        assertArrayEquals(new double[] {1, 1, 1}, s.values("z"), 0); // a creation reads the latest size
        Diagnostics d = Scripts.check("x = [1, 2][n]\ny = [1, 2, 3][n]\nxy = x y\n");
        assertEquals(1, d.size(), d.format());
        assertTrue(d.all().get(0).message().startsWith("leg n has size 2 on x but size 3 on y: values made with two sizes of n (2 from 1:12, 3 from 2:15)"),
                d.all().get(0).message());
    }

    @Test
    void aDeclaredSizeIsStillAPromise() {
        Diagnostics d = Scripts.check("leg n = 2\ny = [1, 2, 3][n]\nleg n = 3\n");
        assertEquals(2, d.size(), d.format());
        assertEquals("leg n has size 3 here but size 2 at 1:5", d.all().get(0).message());
        assertEquals("leg n has size 3 here but size 2 at 1:5", d.all().get(1).message());
    }

    @Test
    void aLegDeclaredInAFunctionBelongsToItsValues() {
        Scripts s = run("leg q = 3\ndef column() {\n    leg q = 4\n    return ones(q)\n}\nx = column()\ny = ones(q)\n");
        assertEquals(4, s.tensor("x").data().shape()[0]);
        assertEquals(3, s.tensor("y").data().shape()[0]);
    }
}
