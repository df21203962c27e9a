package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tn.diag.Diagnostics;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;

/**
 * QK and OV circuits at GPT-2's vocabulary (50257 tokens, whose 50257 x 50257 matrix no array
 * can hold): svd, svdvals, eig, directions and norm go through the d_head-wide middle, in `tn
 * check` and when running, under a memory limit far below the 20 GB the whole matrix would take.
 * Oracles, all by plain loops over the model's weights: the power sums of the squared singular
 * values are the traces of powers of (A^T A)(B^T B) (they determine the spectrum), those of the
 * eigenvalues the traces of powers of B^T A, and entries of U S V^T are entries of A B^T.
 */
class VocabCircuitsTest {
    static final Nd4jBackend ND4J = new Nd4jBackend();
    static final int VOCAB = 50257, D = 96, HEADS = 12, DH = D / HEADS, HEAD = 5;

    static final String SCRIPT = """
            import transformer
            set memory_limit = 1e9
            m = transformer(layers=1, heads=12, d_model=96, vocab=50257, context=4, seed=3, mlp="none", layernorm=false, biases=false, std=0.3)
            QK = qk_circuit(m, 0, 5)
            S = svdvals(QK, left=[vocab], bond=r)
            U, S2, V = svd(QK, left=[vocab], bond=r2)
            re, im = eig(QK, bond=e)
            n = norm(QK)
            directions(ov_circuit(m, 0, 5), top=1, n=2)
            """;

    @Test
    void checkingAcceptsTheCircuitsAtGpt2sVocabulary() {
        Diagnostics d = Scripts.check(SCRIPT);
        assertFalse(d.any(), d.format());
    }

    @Test
    void theCircuitsAtGpt2sVocabularyAreFactoredThroughTheirMiddle() {
        List<Double> largest = new ArrayList<>();
        Scripts s = Scripts.run(ND4J, DType.FLOAT64, SCRIPT, (net, plan) -> largest.add(plan.largestIntermediate()));
        for (double l : largest) assertTrue(l <= (double) VOCAB * D, "a contraction's largest intermediate has " + l + " entries");

        double[][] a = side(s, "W_Q"), b = side(s, "W_K");
        double[] sv = s.values("S");
        assertEquals(DH, sv.length, "as many singular values as d_head");
        // sum s^(2j) = trace(((A^T A)(B^T B))^j) for j = 1..d_head: the whole spectrum.
        double[][] g = times(gram(a), gram(b)), power = identity(DH);
        for (int j = 1; j <= DH; j++) {
            power = times(power, g);
            double sum = 0;
            for (double x : sv) sum += Math.pow(x, 2 * j);
            assertEquals(trace(power), sum, 1e-9 * Math.abs(trace(power)), "sum of s^" + 2 * j);
        }
        for (int k = 1; k < DH; k++) assertTrue(sv[k] <= sv[k - 1], "descending");
        double[] sv2 = s.values("S2");
        for (int k = 0; k < DH; k++) assertEquals(sv[k], sv2[k], 1e-12 * sv[0], "svd and svdvals agree");
        assertEquals(Math.sqrt(trace(g)), s.values("n")[0], 1e-9 * Math.sqrt(trace(g)), "norm = sqrt(trace((A^T A)(B^T B)))");

        // U S V^T against entries of A B^T, and U, V isometries.
        double[] u = s.values("U"), v = s.values("V");
        SplittableRandom r = new SplittableRandom(9);
        for (int t = 0; t < 200; t++) {
            int i = r.nextInt(VOCAB), j = t < 20 ? i : r.nextInt(VOCAB);
            double want = 0, got = 0;
            for (int k = 0; k < DH; k++) want += a[i][k] * b[j][k];
            for (int k = 0; k < DH; k++) got += u[i * DH + k] * sv2[k] * v[j * DH + k];
            assertEquals(want, got, 1e-10 * sv[0], "entry [" + i + ", " + j + "]");
        }
        double[][] uu = new double[DH][DH], vv = new double[DH][DH];
        for (int i = 0; i < VOCAB; i++) {
            for (int p = 0; p < DH; p++) {
                for (int q = 0; q < DH; q++) {
                    uu[p][q] += u[i * DH + p] * u[i * DH + q];
                    vv[p][q] += v[i * DH + p] * v[i * DH + q];
                }
            }
        }
        for (int p = 0; p < DH; p++) {
            for (int q = 0; q < DH; q++) {
                assertEquals(p == q ? 1 : 0, uu[p][q], 1e-9, "U^T U");
                assertEquals(p == q ? 1 : 0, vv[p][q], 1e-9, "V^T V");
            }
        }

        // Eigenvalues: sum l^j = trace((A B^T)^j) = trace((B^T A)^j); for j = 1 also the diagonal of A B^T.
        double[] re = s.values("re"), im = s.values("im");
        assertEquals(DH, re.length);
        double diagonal = 0;
        for (int i = 0; i < VOCAB; i++) for (int k = 0; k < DH; k++) diagonal += a[i][k] * b[i][k];
        double[][] c = new double[DH][DH];
        for (int i = 0; i < VOCAB; i++) for (int p = 0; p < DH; p++) for (int q = 0; q < DH; q++) c[p][q] += b[i][p] * a[i][q];
        power = identity(DH);
        double scale = Math.hypot(re[0], im[0]);
        for (int j = 1; j <= DH; j++) {
            power = times(power, c);
            double sum = 0;
            for (int k = 0; k < DH; k++) sum += Math.pow(Math.hypot(re[k], im[k]), j) * Math.cos(j * Math.atan2(im[k], re[k]));
            assertEquals(trace(power), sum, 1e-9 * Math.pow(scale, j) * DH, "sum of eigenvalues^" + j);
            if (j == 1) assertEquals(diagonal, sum, 1e-9 * scale * DH, "the trace of the circuit");
        }
        assertTrue(s.printed().startsWith("direction 1: s = "), s.printed());
    }

    @Test
    void belowTheArrayLimitTheFactoredSpectrumIsTheDenseOne() {
        Scripts s = Scripts.run(ND4J, DType.FLOAT64, """
                import transformer
                m = transformer(layers=1, heads=12, d_model=96, vocab=1500, context=4, seed=3, mlp="none", layernorm=false, biases=false, std=0.3)
                S = svdvals(qk_circuit(m, 0, 5), left=[vocab], bond=r)
                Sd = svdvals(detach(qk_circuit(m, 0, 5)), left=[vocab], bond=rd)
                re, im = eig(qk_circuit(m, 0, 5), bond=e)
                red, imd = eig(detach(qk_circuit(m, 0, 5)), bond=ed)
                """);
        double[] sv = s.values("S"), dense = s.values("Sd");
        assertEquals(DH, sv.length);
        for (int k = 0; k < dense.length; k++) assertEquals(k < DH ? sv[k] : 0, dense[k], 1e-10 * dense[0], "singular value " + k);
        double[] re = s.values("re"), im = s.values("im"), red = s.values("red"), imd = s.values("imd");
        for (int k = 0; k < DH; k++) {
            assertEquals(red[k], re[k], 1e-10 * Math.abs(red[0]), "eigenvalue " + k + " (real)");
            assertEquals(imd[k], im[k], 1e-10 * Math.abs(red[0]), "eigenvalue " + k + " (imaginary)");
        }
    }

    @Test
    void whatHasNoNarrowCutIsStillRefusedAtThatSize() {
        Diagnostics d = Scripts.check("""
                import transformer
                m = transformer(layers=1, heads=12, d_model=96, vocab=50257, context=4, seed=3, mlp="none")
                Q, R = qr(qk_circuit(m, 0, 5), left=[vocab], bond=q)
                """);
        assertTrue(d.format().contains("qr() of a 50257 x 50257 matrix is larger than one array can hold (2^31 entries), and it is not"
                + " a product with a narrower cut to factorise it through"), d.format());
    }

    /** One side of the QK circuit, W_E W^h [vocab, d_head], by loops over the model's weights. */
    static double[][] side(Scripts s, String weight) {
        double[] we = field(s, "W_E"), w = field(s, weight);
        double[][] out = new double[VOCAB][DH];
        for (int i = 0; i < VOCAB; i++) {
            for (int m = 0; m < D; m++) {
                double x = we[i * D + m];
                for (int k = 0; k < DH; k++) out[i][k] += x * w[(HEAD * D + m) * DH + k]; // W[layer 0, head, d_model, d_head]
            }
        }
        return out;
    }

    static double[] field(Scripts s, String name) {
        Value.Record m = (Value.Record) s.module.globals().get("m");
        return s.interpreter.evaluator().backend().toDoubles(s.interpreter.evaluator().evaluate(((Value.TensorValue) m.fields().get(name)).net()).data());
    }

    static double[][] gram(double[][] x) {
        int k = x[0].length;
        double[][] g = new double[k][k];
        for (double[] row : x) for (int p = 0; p < k; p++) for (int q = 0; q < k; q++) g[p][q] += row[p] * row[q];
        return g;
    }

    static double[][] times(double[][] x, double[][] y) {
        int n = x.length;
        double[][] z = new double[n][n];
        for (int i = 0; i < n; i++) for (int l = 0; l < n; l++) for (int j = 0; j < n; j++) z[i][j] += x[i][l] * y[l][j];
        return z;
    }

    static double[][] identity(int n) {
        double[][] z = new double[n][n];
        for (int i = 0; i < n; i++) z[i][i] = 1;
        return z;
    }

    static double trace(double[][] x) {
        double t = 0;
        for (int i = 0; i < x.length; i++) t += x[i][i];
        return t;
    }
}
