package tn.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tn.diag.Diagnostics;
import tn.diag.TnError;
import tn.exec.Backend;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;
import tn.reference.ReferenceBackend;

/** The notation's semantics on hand-computed values, on both the ND4J and the reference backend. */
class InterpreterTest {
    static Stream<Backend> backends() {
        return Stream.of(new Nd4jBackend(), new ReferenceBackend());
    }

    private static double[] run(Backend b, String script, String name) {
        return Scripts.run(b, DType.FLOAT64, script).values(name);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void matrixProductOfLiterals(Backend b) {
        String s = "A = [[1, 2], [3, 4]][i, j]\nB = [[5, 6], [7, 8]][j, k]\nC = A B\n";
        assertArrayEquals(new double[] {19, 22, 43, 50}, run(b, s, "C"), 0);
        Scripts r = Scripts.run(b, DType.FLOAT64, s);
        assertEquals(List.of("i", "k"), r.tensor("C").legs());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void traceDiagonalAndKeptOrder(Backend b) {
        String s = "M = [[1, 2], [3, 4]][a, b]\nt = M[x, x]\nd = M[x, x] -> [x]\nT = M -> [b, a]\n";
        assertArrayEquals(new double[] {5}, run(b, s, "t"), 0);
        assertArrayEquals(new double[] {1, 4}, run(b, s, "d"), 0);
        assertArrayEquals(new double[] {1, 3, 2, 4}, run(b, s, "T"), 0);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aRepeatedLegInAProductMeetsTheOtherFactors(Backend b) {
        // sum_a M[a,a] v[a] = 1*10 + 4*20
        String s = "M = [[1, 2], [3, 4]][a, b]\nv = [10, 20][a]\nr = M[a, a] v[a]\n";
        assertArrayEquals(new double[] {90}, run(b, s, "r"), 0);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void copyTensorsAreMergedOrSpreadOnADiagonal(Backend b) {
        String s = "leg i = 3, j = 3, k = 3\nI = delta(i, j)\nn = delta(i, j) -> []\n"
                + "D = diag([1, 2, 3][i], j)\nT = delta(i, j, k) -> [i, j, k]\n";
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, run(b, s, "I"), 0);
        assertArrayEquals(new double[] {3}, run(b, s, "n"), 0);
        assertArrayEquals(new double[] {1, 0, 0, 0, 2, 0, 0, 0, 3}, run(b, s, "D"), 0);
        double[] t = run(b, s, "T");
        for (int x = 0; x < 27; x++) assertEquals(x == 0 || x == 13 || x == 26 ? 1 : 0, t[x], 0);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void hyperedgeAndBatchLegs(Backend b) {
        String s = "x = [1, 2][n]\ny = [3, 4][n]\nz = [5, 6][n]\nh = x y z\nbatch = x y -> [n]\n";
        assertArrayEquals(new double[] {1 * 3 * 5 + 2 * 4 * 6}, run(b, s, "h"), 0);
        assertArrayEquals(new double[] {3, 8}, run(b, s, "batch"), 0);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void groupsSplitsSumsAndScalars(Backend b) {
        String s = "leg i = 2, j = 2\nT = arange(i, j)\nG = T -> [(j i)]\nS = G[(j i)]\n"
                + "D = 2 * T - T / 2 + T -> [j, i]\nN = T / norm(T)\n";
        assertArrayEquals(new double[] {0, 2, 1, 3}, run(b, s, "G"), 0);
        assertArrayEquals(new double[] {0, 2, 1, 3}, run(b, s, "S"), 0); // legs j, i
        assertArrayEquals(new double[] {0, 2.5, 5, 7.5}, run(b, s, "D"), 1e-12);
        double norm = Math.sqrt(0 + 1 + 4 + 9);
        assertArrayEquals(new double[] {0, 1 / norm, 2 / norm, 3 / norm}, run(b, s, "N"), 1e-12);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void bubblesApplyAfterContracting(Backend b) {
        String s = "W = [[1, -1], [2, 0]][o, i]\nx = [1, 2][i]\nh = relu(W x)\np = softmax([0, 0.6931471805599453][k], k)\n";
        assertArrayEquals(new double[] {0, 2}, run(b, s, "h"), 0);
        assertArrayEquals(new double[] {1.0 / 3, 2.0 / 3}, run(b, s, "p"), 1e-12);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void einsumFollowsNumpy(Backend b) {
        String s = "A = [[1, 2], [3, 4]][r, c]\nt = einsum(\"ii\", A)\nT = einsum(\"ij->ji\", A)\nI = einsum(\"ba\", A)\n";
        assertArrayEquals(new double[] {5}, run(b, s, "t"), 0);
        assertArrayEquals(new double[] {1, 3, 2, 4}, run(b, s, "T"), 0);
        // implicit mode sorts the output letters: "ba" -> "ab", a transpose
        assertArrayEquals(new double[] {1, 3, 2, 4}, run(b, s, "I"), 0);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void randomIsReproducibleFromItsSeed(Backend b) {
        String s = "leg i = 4\nx = random(i, seed=5)\ny = random(i, seed=5)\nz = random(i, seed=6)\n";
        Scripts r = Scripts.run(b, DType.FLOAT64, s);
        assertArrayEquals(r.values("x"), r.values("y"), 0);
        assertTrue(r.values("x")[0] != r.values("z")[0]);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void functionsHaveTheirOwnLegs(Backend b) {
        String s = "def sq(M) = M[a, b] M[b, c] -> [a, c]\nX = sq([[1, 1], [0, 1]][r, s])\nY = sq([[2]][p, q])\n";
        Scripts r = Scripts.run(b, DType.FLOAT64, s);
        assertArrayEquals(new double[] {1, 2, 0, 1}, r.values("X"), 0);
        assertArrayEquals(new double[] {4}, r.values("Y"), 0); // a, b, c of size 1 now: local to each call
    }

    @ParameterizedTest
    @MethodSource("backends")
    void floatThirtyTwoByDefaultAndPromotedWhenMixed(Backend b) {
        Scripts r = Scripts.run(b, DType.FLOAT32, "leg n = 2\nx = ones(n)\ny = ones(n, dtype=float64)\nz = x y\n");
        assertEquals(DType.FLOAT32, r.tensor("x").dtype());
        assertEquals(DType.FLOAT64, r.tensor("z").dtype());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aFailedAssertionStopsTheRun(Backend b) {
        TnError e = assertThrows(TnError.class, () -> Scripts.run(b, DType.FLOAT64, "assert 1 > 2"));
        assertEquals("assertion failed: 1 > 2 (1 > 2 is false)", e.getMessage());
    }

    @org.junit.jupiter.api.Test
    void checkingReportsEveryStatementsErrorOnce() {
        Diagnostics d = Scripts.check("leg i = 2\na = nope\nb = a a\nc = ones(q)\nd = ones(i)[x, y]\n");
        assertEquals(3, d.size(), d.format());
        assertEquals("unknown name nope", d.all().get(0).message());
        assertEquals("leg q has no size yet; declare it first, e.g. leg q = 4", d.all().get(1).message());
        assertEquals("this tensor has 1 leg [i=2] but 2 names are given", d.all().get(2).message());
    }

    @ParameterizedTest
    @MethodSource("backends")
    void sumsFoldLeftToRightNumbersFirstThenTensors(Backend b) {
        // Hand-computed: numbers add up as numbers until a tensor comes (here the scalar x y = 50);
        // each term keeps its sign; parentheses group.
        String s = "x = [1, 2][i]\ny = [10, 20][i]\nn = 1 + 2 - 4\na = 1 + 2 + x y - 4\nc = x - (y + x) + y\n"
                + "d = (x + y) + (x - y)\ns = 3 - x y\n";
        Scripts r = Scripts.run(b, DType.FLOAT64, s);
        assertEquals(-1, ((Value.Num) r.module.globals().get("n")).value(), 0);
        assertArrayEquals(new double[] {1 + 2 + 50 - 4}, r.values("a"), 0);
        assertArrayEquals(new double[] {0, 0}, r.values("c"), 0);
        assertArrayEquals(new double[] {2, 4}, r.values("d"), 0);
        assertArrayEquals(new double[] {3 - 50}, r.values("s"), 0);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void aLongSumIsOneFlatSumWithTheRightValue(Backend b) {
        // 3,001 terms: x + 2x - x + 2x - x ... = x + 1000 (2 - 1) x + ... checked against a loop.
        StringBuilder text = new StringBuilder("x = [1, -3][i]\ny = x");
        double expected = 1;
        for (int k = 0; k < 1500; k++) {
            text.append(k % 2 == 0 ? " + 2 x" : " - x");
            expected += k % 2 == 0 ? 2 : -1;
        }
        Scripts r = Scripts.run(b, DType.FLOAT64, text + "\n");
        assertArrayEquals(new double[] {expected, -3 * expected}, r.values("y"), 0);
        tn.net.Net y = ((Value.TensorValue) r.module.globals().get("y")).net();
        assertEquals(1501, ((tn.net.Net.Sum) y).terms().size());
    }

    @org.junit.jupiter.api.Test
    void checkingBroadcastsSumsAndRefusesOnlyTermsWithoutACommonShape() {
        // A vector, a number, a scalar are repeated along the legs they lack (see BroadcastTest);
        // j beside k has no term with both: the one error.
        Diagnostics d = Scripts.check("leg i = 2, j = 3, k = 4\nA = ones(i, j)\nb = ones(j)\nC = A + b\nD = b - A\nE = A + ones(i, k)\n"
                + "F = 1 + 2 + A\n");
        assertEquals(1, d.size(), d.format());
        assertEquals("cannot add tensors with different legs: [i=2, j=3] and [i=2, k=4] (only on the left: j; only on the right: k):"
                + " a term is repeated along the legs it lacks only if another term has them all; to add at every combination,"
                + " write A .* ones(k) + ones(i, k); if j and k are one leg, rename one: ones(i, k)[k -> j]", d.all().get(0).message());
    }

    @org.junit.jupiter.api.Test
    void numpyHabitsAreAnsweredWithTheTnForm() {
        Diagnostics d = Scripts.check("leg i = 2, j = 3\nA = arange(i, j)\na = A[0, 2]\nt = A.T\nr = trace(A)\n"
                + "z = [[1, 2]][1, 0]\n");
        assertEquals(4, d.size(), d.format());
        assertEquals("legs are named, not numbered: tn writes this as pick(A, i=0, j=2) (A has legs [i=2, j=3])", d.all().get(0).message());
        assertEquals(".T: only records (models, results) have fields, not a tensor; legs are named, so their order does not"
                + " matter in products; A -> [j, i] reorders them and A[i -> k] renames one", d.all().get(1).message());
        assertEquals("unknown function trace: tn writes the trace of M as M[a, a]: a leg repeated on one factor is summed",
                d.all().get(2).message());
        assertEquals("legs are named, not numbered, and these have no names yet: name them, then pick:"
                + " pick([[1, 2]][a, b], a=1, b=0)", d.all().get(3).message());
    }

    @org.junit.jupiter.api.Test
    void importingAFileThatIsNotAScriptIsRefusedAtTheImport(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path weights = dir.resolve("w.safetensors");
        java.nio.file.Files.write(weights, new byte[] {'X', 0, 0, 0, 0, 0, 0, 0, '{', '}'});
        TnError e = assertThrows(TnError.class, () -> Scripts.run(new tn.exec.nd4j.Nd4jBackend(), DType.FLOAT64,
                "import \"" + weights.toAbsolutePath() + "\"\n"));
        assertTrue(e.getMessage().contains("import reads tn scripts (.tn files)"), e.getMessage());
        assertEquals(1, e.span().line());
    }
}
