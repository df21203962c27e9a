package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import tn.diag.TnError;
import tn.exec.Backend;
import tn.exec.DType;

/**
 * Every decomposition and spectrum builtin refuses a tensor with inf or nan entries before LAPACK
 * sees it (LAPACK failed with "BlasException: Failed to execute dgesvd: -6" and a stack trace, or
 * an internal error for eig), with a located error that names the tensor, counts the entries and
 * says where the first one is; and a LAPACK failure on finite input is a located error too.
 */
class NonFiniteInputTest {
    static Scripts run(String text) {
        return Scripts.run(DecompositionScriptTest.ND4J, DType.FLOAT32, text);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "U, S, V = svd(B, left=[i], bond=r)",
        "U, S, V, err = svd(B, left=[i], bond=r, rank=2)",
        "s = svdvals(B, left=[i], bond=r)",
        "Q, R = qr(B, left=[i], bond=r)",
        "U, P = polar(B, left=[i])",
        "re, im = eig(B, left=[i, j], bond=r)",
        "vals, vecs = eigh(B, left=[i, j], bond=r)",
        "w, X, Y, Z, fit, iters = cp(B, rank=2, bond=r)",
        "G, X, Y, Z, err = tucker(B, ranks=[2, 2, 2], core=[a, b, c])",
        "psi, err = tt(B, bond=b)",
        "directions(B -> [i, (j k)])",
        "ok = is_isometry(B, into=[i, j])",
    })
    void refusedWithTheCountAndTheFirstPlace(String call) {
        // exp overflows float32 (beyond 3.4e38) where 100 a > 88.7: some entries are inf.
        String head = """
                leg i = 3, j = 2, k = 6
                A = random(i, j, k, seed=5)
                B = exp(100 * A)
                """;
        Scripts ok = run(head);
        double[] values = ok.values("B");
        int count = 0, first = -1;
        for (int q = 0; q < values.length; q++) {
            if (Double.isInfinite(values[q])) {
                if (count++ == 0) first = q;
            }
        }
        assertTrue(count > 0 && count < values.length, "the script makes some infs: " + count);
        // Row-major over (i, j, k), every bipartition above keeps that order.
        String where = "[i=" + first / 12 + ", j=" + (first / 6) % 2 + ", k=" + first % 6 + "]";
        if (call.startsWith("directions")) where = "[i=" + first / 12 + ", j_k=" + first % 12 + "]";
        TnError e = assertThrows(TnError.class, () -> run(head + call + "\n"));
        String name = call.substring(call.indexOf('=') + 1).trim();
        name = name.substring(0, name.indexOf('('));
        assertEquals(name + "() of " + (call.startsWith("directions") ? "B -> [i, (j k)]" : "B") + ": " + count + " of 36 entries are inf,"
                + " the first (inf) at " + where + "; " + name + "() needs finite numbers: look for a division by zero, a log of 0"
                + " or a float32 overflow (beyond 3.4e38) where " + (call.startsWith("directions") ? "B -> [i, (j k)]" : "B") + " is computed",
                e.getMessage());
        assertEquals(4, e.span().line());
        assertEquals(call.indexOf('(') + 2, e.span().column(), "the error points at the tensor argument");
    }

    @Test
    void nanAndInfAreCountedApart() {
        String text = """
                set dtype = float64
                leg i = 2, j = 3
                A = random(i, j, seed=1)
                L = log(A)
                s = svdvals(L, bond=r)
                """;
        double[] a = run("set dtype = float64\nleg i = 2, j = 3\nA = random(i, j, seed=1)\n").values("A");
        int nans = 0, first = -1;
        for (int q = 0; q < a.length; q++) if (a[q] < 0 && nans++ == 0) first = q;
        assertTrue(nans > 0, "a random matrix has negative entries");
        TnError e = assertThrows(TnError.class, () -> run(text));
        assertTrue(e.getMessage().startsWith("svdvals() of L: " + nans + " of 6 entries " + (nans == 1 ? "is" : "are") + " nan, the first (nan) at [i="
                + first / 3 + ", j=" + first % 3 + "]"), e.getMessage());
    }

    @Test
    void aLapackFailureOnFiniteInputIsALocatedError() {
        // LAPACK reports a failure to converge as info > 0; the backend turns it into an ArithmeticException
        // (see Lapack.check). A backend that fails like that stands in for a matrix that makes LAPACK fail.
        Backend failing = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, (proxy, m, args) -> {
            if (m.getName().equals("svd")) throw new ArithmeticException("LAPACK's dgesdd failed on the 3 x 4 matrix (info 2: the SVD did not converge)");
            try {
                return m.invoke(DecompositionScriptTest.ND4J, args);
            } catch (java.lang.reflect.InvocationTargetException ex) {
                throw ex.getCause();
            }
        });
        TnError e = assertThrows(TnError.class, () -> Scripts.run(failing, DType.FLOAT64, """
                leg i = 3, j = 4
                A = random(i, j, seed=1)
                U, S, V = svd(A, bond=r)
                """));
        assertEquals("svd(): LAPACK's dgesdd failed on the 3 x 4 matrix (info 2: the SVD did not converge)", e.getMessage());
        assertEquals(3, e.span().line());
        assertEquals(11, e.span().column());
    }

    @Test
    void anOverflowInsideAFactorisationIsALocatedError() {
        // A product through a narrow cut is factorised from its sides: their finite entries (1e200)
        // make an inf in the small middle product Ra Rb^T.
        TnError e = assertThrows(TnError.class, () -> Scripts.run(DecompositionScriptTest.ND4J, DType.FLOAT64, """
                set dtype = float64
                leg i = 30, v = 40, d = 3
                A = 1e200 * random(i, d, seed=1)
                B = 1e200 * random(v, d, seed=2)
                s = svdvals(A B, left=[i], bond=r)
                """));
        assertTrue(e.getMessage().startsWith("svdvals(): an intermediate of the factorisation overflowed"), e.getMessage());
        assertEquals(5, e.span().line());
    }
}
