package tn.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tn.diag.Diagnostics;
import tn.diag.TnError;
import tn.exec.Backend;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;
import tn.reference.ReferenceBackend;

/**
 * Sums whose terms lack legs: repeated along them, as numpy broadcasts. The expected values are
 * numpy's, computed once with the expressions in the comments (A = [[1,2,3],[4,5,6]], b = [10,20,30],
 * W = [[1,2],[3,4],[5,6]], X = [[1,-1],[2,0.5]]) and written here.
 */
class BroadcastTest {
    static Stream<Backend> backends() {
        return Stream.of(new Nd4jBackend(), new ReferenceBackend());
    }

    private static final String DATA = "A = [[1, 2, 3], [4, 5, 6]][i, j]\nb = [10, 20, 30][j]\n"
            + "W = [[1, 2], [3, 4], [5, 6]][j, i]\nX = [[1, -1], [2, 0.5]][i, batch]\n";

    private static Scripts run(Backend be, String script) {
        return Scripts.run(be, DType.FLOAT64, DATA + script);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aBiasIsAddedAlongTheBatchLeg(Backend be) {
        Scripts s = run(be, "y = b + W X\n");
        assertArrayEquals(new double[] {15, 10, 31, 19, 47, 28}, s.values("y"), 0); // b[:, None] + W @ X
        assertEquals(List.of("j", "batch"), s.tensor("y").legs());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void numbersAndVectorsAreRepeated(Backend be) {
        Scripts s = run(be, "p = A + b\nm = b - A\none = A + 1\nt = 2 * A - b\nmix = A * norm([0.5][u] -> []) - 3 + b + A\n");
        assertArrayEquals(new double[] {11, 22, 33, 14, 25, 36}, s.values("p"), 0);  // A + b
        assertArrayEquals(new double[] {9, 18, 27, 6, 15, 24}, s.values("m"), 0);    // b - A
        assertArrayEquals(new double[] {2, 3, 4, 5, 6, 7}, s.values("one"), 0);      // A + 1
        assertArrayEquals(new double[] {-8, -16, -24, -2, -10, -18}, s.values("t"), 0); // 2 * A - b
        assertArrayEquals(new double[] {8.5, 20, 31.5, 13, 24.5, 36}, s.values("mix"), 1e-12); // A * 0.5 - 3 + b + A
        assertEquals(List.of("i", "j"), s.tensor("m").legs());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aScalarTensorIsRepeatedAlongEveryLeg(Backend be) {
        // x + x.sum() in numpy: [1, 2] + 3.
        Scripts s = Scripts.run(be, DType.FLOAT64, "x = [1, 2][n]\ny = x + sum(x)\nz = sum(x) - x\n");
        assertArrayEquals(new double[] {4, 5}, s.values("y"), 0);
        assertArrayEquals(new double[] {2, 1}, s.values("z"), 0);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void theTermWithAllLegsMayComeLast(Backend be) {
        // b[j] + c[i] + A[i, j]: neither of the first two has all legs, the third does.
        Scripts s = run(be, "c = [100, 200][i]\ny = b + c + A\n");
        assertArrayEquals(new double[] {111, 122, 133, 214, 225, 236}, s.values("y"), 0);
    }

    @Test
    void noTermWithAllLegsIsALocatedError() {
        TnError e = assertThrows(TnError.class, () -> run(new Nd4jBackend(), "c = [1, 2][i]\ny = b + c\n"));
        assertEquals(6, e.span().line());
        assertEquals("cannot add tensors with different legs: [j=3] and [i=2] (only on the left: j; only on the right: i):"
                + " a term is repeated along the legs it lacks only if another term has them all; to add at every"
                + " combination, write b .* ones(i) + c; if j and i are one leg, rename one: c[i -> j]", e.getMessage());
    }

    @Test
    void aLegWithTwoSizesIsAnErrorNamingBoth() {
        // q is local to f (size 4); the script's own q has size 3: they meet in the sum.
        Diagnostics d = Scripts.check("def f() {\n    leg q = 4\n    return ones(q)\n}\nx = f()\nleg q = 3\ny = ones(q) + x\n");
        assertEquals(1, d.size(), d.format());
        assertTrue(d.all().get(0).message().startsWith("cannot add: leg q has size 3 in ones(q) but 4 in x"),
                d.all().get(0).message());
    }
}
