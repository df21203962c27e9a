package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tn.diag.Diagnostics;
import tn.diag.TnError;
import tn.exec.DType;
import tn.linalg.Workspace;

/**
 * Every factorisation estimates its working memory from the sizes and refuses, at the call, one
 * that is over the memory limit: in `tn check` (no numbers) as well as when running, with the
 * limit that would do and, for svd, what svdvals would need. (Issue #16: svdvals of a 2500 x 2000
 * matrix under a 30 MB limit used 564 MB.) The estimates themselves are in tn.linalg.Workspace,
 * with the peaks measured against them.
 */
class DecompositionMemoryTest {
    static final String MATRIX = """
            set dtype = float32
            leg i = 2500, j = 2000
            set memory_limit = %s
            A = random(i, j, seed=1)
            """;

    @Test
    void svdvalsOfALargeMatrixIsRefusedWhenCheckingAndWhenRunning() {
        String text = MATRIX.formatted("30e6") + "s = svdvals(A, bond=r)\n";
        double needs = Workspace.svdvals(2500, 2000, 4, false);
        // The estimate's terms, by hand: LAPACK's float64 copy (5e6 x 8 bytes), dgesdd's workspace without vectors
        // (7 k + 64 (m + n) doubles, k = 2000) and the values.
        assertEquals(40e6 + (7 * 2000 + 64 * 4500) * 8 + 2000 * 8, needs, 1);
        String message = "svdvals() of the 2500 x 2000 matrix of A needs about 42.4 MB of working memory, over the memory limit of"
                + " 30.0 MB: raise it to 45 MB or more (--memory-limit 45MB, or `set memory_limit = 45e6`)";
        Diagnostics d = Scripts.check(text);
        assertTrue(d.format().contains(message), d.format());
        assertTrue(d.format().contains(":5:5:"), "located at the call: " + d.format());
        TnError e = assertThrows(TnError.class, () -> Scripts.run(DecompositionScriptTest.ND4J, DType.FLOAT32, text));
        assertEquals(message, e.getMessage());
        // The advice works: at the limit it names, the same call runs.
        Scripts ok = Scripts.run(DecompositionScriptTest.ND4J, DType.FLOAT32, MATRIX.formatted("45e6") + "s = svdvals(A, bond=r)\n");
        assertEquals(2000, ok.values("s").length);
    }

    @Test
    void svdPointsToSvdvalsWhenItWouldFit() {
        Diagnostics d = Scripts.check(MATRIX.formatted("100e6") + "U, S, V = svd(A, bond=r)\n");
        assertTrue(d.format().contains("svd() of the 2500 x 2000 matrix of A needs about 252.0 MB of working memory, over the memory limit"
                + " of 100.0 MB: raise it to 265 MB or more (--memory-limit 265MB, or `set memory_limit = 265e6`); svdvals() needs 42.4 MB,"
                + " if the singular values are enough"), d.format());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "Q, R = qr(A, bond=r)|qr() of the 2500 x 2000 matrix of A needs about",
        "U, P = polar(A)|polar() of the 2500 x 2000 matrix of A needs about",
        "vals, vecs = eigh(A[i, j] A[k, j] -> [i, k], bond=e)|eigh() of the 2500 x 2500 matrix of A[i, j] A[k, j] -> [i, k] needs about",
        "re, im = eig(A[i, j] A[k, j] -> [i, k], bond=e)|eig() of the 2500 x 2500 matrix of A[i, j] A[k, j] -> [i, k] (through its 2000-wide cut) needs about",
        "directions(A)|directions() of the 2500 x 2000 matrix of A needs about",
        "w, X, Y, fit, iters = cp(A, rank=3, bond=r)|cp() of A (5.00e+6 entries) at rank 3 needs about",
        "G, X, Y, err = tucker(A, ranks=[3, 3], core=[a, b])|tucker() of A (5.00e+6 entries) needs about",
        "psi, err = tt(A, bond=b)|tt() of A (5.00e+6 entries) needs about",
    })
    void everyFactorisationIsCheckedBeforeItRuns(String call, String message) {
        Diagnostics d = Scripts.check("leg k = 2500\n" + MATRIX.formatted("30e6") + call + "\n");
        assertTrue(d.format().contains(message), d.format());
        assertTrue(d.format().contains("over the memory limit of 30.0 MB: raise it to"), d.format());
    }

    @Test
    void smallFactorisationsAreNotAffected() {
        Scripts s = Scripts.run(DecompositionScriptTest.ND4J, DType.FLOAT32, """
                leg i = 40, j = 30
                set memory_limit = 1e6
                A = random(i, j, seed=1)
                U, S, V = svd(A, bond=r)
                Q, R = qr(A, bond=q)
                """);
        assertEquals(30, s.values("S").length);
        assertTrue(Workspace.svd(40, 30, 4, false) < 1e6);
    }
}
