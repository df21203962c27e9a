package tn.exec.nd4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * float32 matrix products with many terms per entry (k past {@link Blas#K_BLOCK}) against float64
 * loops over the same float32 numbers, 1e-6 relative (positive data, so no cancellation hides
 * or inflates the error): every transpose combination, batches, the few-entries path (Java dot
 * products) and the blocked sgemm path with row panels.
 */
class LongProductTest {
    private static FloatBuffer positive(int n, long seed) {
        FloatBuffer f = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) f.put(i, (float) rnd.nextDouble());
        return f;
    }

    /** C[p, i, j] = sum_q A[p, i, q] B[p, q, j] in float64, with A stored [k, m] when ta and B stored [n, k] when tb. */
    private static double reference(FloatBuffer a, boolean ta, FloatBuffer b, boolean tb, int p, int m, int n, int k, int i, int j) {
        double s = 0;
        for (int q = 0; q < k; q++) {
            double x = a.get(p * m * k + (ta ? q * m + i : i * k + q)), y = b.get(p * k * n + (tb ? j * k + q : q * n + j));
            s += x * y;
        }
        return s;
    }

    private static void check(int batch, int m, int n, int k, boolean ta, boolean tb, long panel) {
        FloatBuffer a = positive(batch * m * k, 1), b = positive(batch * k * n, 2);
        FloatBuffer c = ByteBuffer.allocateDirect(batch * m * n * 4).order(ByteOrder.nativeOrder()).asFloatBuffer();
        if (panel == 0) {
            Blas.GEMM.multiply(batch, m, n, k, a, ta, b, tb, c);
        } else {
            for (int p = 0; p < batch; p++) Blas.blocked(m, n, k, a, (long) p * m * k, ta, b, (long) p * k * n, tb, c, (long) p * m * n, panel);
        }
        for (int p = 0; p < batch; p++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < n; j++) {
                    double expected = reference(a, ta, b, tb, p, m, n, k, i, j), got = c.get(p * m * n + i * n + j);
                    String what = batch + "x[" + m + ", " + n + ", k=" + k + "] ta=" + ta + " tb=" + tb + " panel=" + panel + " at " + p + "," + i + "," + j;
                    assertTrue(Math.abs(got - expected) <= 1e-6 * expected, what + ": " + got + " vs " + expected);
                }
            }
        }
    }

    @Test
    void longProductsAreWithin1e6OfFloat64() {
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                check(1, 1, 1, 300_001, ta, tb, 0);   // a dot product (Java, float64)
                check(2, 3, 5, 50_000, ta, tb, 0);    // few entries, batched
                check(2, 20, 30, 9_000, ta, tb, 0);   // blocked sgemm, one panel
                check(1, 21, 30, 9_000, ta, tb, 200); // blocked sgemm, row panels of 6 rows (the last one short)
            }
        }
    }
}
