package tn.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import tn.diag.TnError;
import tn.exec.Backend;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;
import tn.reference.ReferenceBackend;

/** `.*`, the elementwise product, and `*` refusing to contract, on hand-computed values. */
class ElementwiseTest {
    static Stream<Backend> backends() {
        return Stream.of(new Nd4jBackend(), new ReferenceBackend());
    }

    private static final String VECTORS = "x = [1, 2][n]\ny = [3, 4][n]\nA = [[1, 2], [3, 4]][n, m]\nw = [5, 6, 7][k]\n";

    private static Scripts run(Backend b, String script) {
        return Scripts.run(b, DType.FLOAT64, VECTORS + script);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void sharedLegsAreKeptNotSummed(Backend b) {
        Scripts s = run(b, "h = x .* y\nthree = x .* y .* x\n");
        assertArrayEquals(new double[] {3, 8}, s.values("h"), 0);
        assertEquals(List.of("n"), s.tensor("h").legs());
        assertArrayEquals(new double[] {3, 16}, s.values("three"), 0);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aLegOnOneSideIsRepeated(Backend b) {
        // A_nm x_n: rows scaled by x (numpy: A * x[:, None]).
        Scripts s = run(b, "R = A .* x\nL = x .* A\n");
        assertArrayEquals(new double[] {1, 2, 6, 8}, s.values("R"), 0);
        assertEquals(List.of("n", "m"), s.tensor("R").legs());
        assertEquals(List.of("n", "m"), s.tensor("L").legs());
        assertArrayEquals(new double[] {1, 2, 6, 8}, s.values("L"), 0);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void numbersScaleAndJuxtapositionBindsTighter(Backend b) {
        // A x = [1 + 6, 2 + 8] on m; (A x) .* (A x) squares it; 2 * x .* y doubles x .* y.
        Scripts s = run(b, "s = 2 * x .* y\np = A x .* A x\nc = 3 .* x\nd = x .* y -> []\n");
        assertArrayEquals(new double[] {6, 16}, s.values("s"), 0);
        assertArrayEquals(new double[] {49, 100}, s.values("p"), 0);
        assertArrayEquals(new double[] {3, 6}, s.values("c"), 0);
        assertArrayEquals(new double[] {11}, s.values("d"), 0);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void starStaysForNumbersAndOuterProducts(Backend b) {
        Scripts s = run(b, "o = x * w\nq = norm(y) * x\nr = (x y) * w\n");
        assertArrayEquals(new double[] {5, 6, 7, 10, 12, 14}, s.values("o"), 0);
        assertArrayEquals(new double[] {5, 10}, s.values("q"), 1e-12);
        assertArrayEquals(new double[] {55, 66, 77}, s.values("r"), 0);
    }

    @Test
    void starBetweenTensorsThatShareALegIsAnError() {
        TnError e = assertThrows(TnError.class, () -> run(new Nd4jBackend(), "z = x * y\n"));
        assertTrue(e.getMessage().contains("share leg n") && e.getMessage().contains("x .* y")
                && e.getMessage().contains("write x y"), e.getMessage());
        assertEquals(5, e.span().line());
        // The factor after * against every factor before it: A shares n with x.
        TnError e2 = assertThrows(TnError.class, () -> run(new Nd4jBackend(), "z = w A * x\n"));
        assertTrue(e2.getMessage().contains("(w A) .* x"), e2.getMessage());
        // Checking finds it too, without computing.
        assertTrue(Scripts.check(VECTORS + "z = x * y\n").format().contains("share leg n"));
    }
}
