package tn.exec.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.Buffer;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tn.exec.BufferContractor;
import tn.exec.DType;
import tn.exec.Dense;
import tn.plan.Network;
import tn.plan.Plan;

/**
 * Strided views ({@link NdView}) and the OpenBLAS products that read them in place, against
 * float64 loops over the same entries: every path of {@link Blas#GEMM} (small products in Java,
 * cut products, batches shared out, float32 with more than {@link Blas#K_BLOCK} terms, dot
 * products) with offsets, leading dimensions wider than a row and batch strides wider than a
 * matrix. Views keep their entries through take, permute and reshape, and every other operation
 * sees the same numbers as on a row-major copy.
 */
class StridedViewTest {
    private static Buffer random(int n, long seed, boolean f64) {
        return SplitProductTest.random(n, seed, f64);
    }

    private static double get(Buffer b, long i) {
        return SplitProductTest.get(b, (int) i);
    }

    @Test
    void stridedProductsAgreeWithALoopOnEveryPath() {
        // {batch, m, n, k}: tiny (Java), cut by rows and by columns, a batch shared out, long k (blocked), few entries and long k (dots).
        int[][] shapes = {{2, 3, 4, 5}, {1, 256, 64, 96}, {1, 40, 300, 120}, {8, 64, 64, 64}, {1, 20, 24, 5000}, {2, 2, 3, 5000}};
        for (int[] s : shapes) {
            for (boolean f64 : new boolean[] {false, true}) {
                for (boolean ta : new boolean[] {false, true}) {
                    for (boolean tb : new boolean[] {false, true}) {
                        int batch = s[0], m = s[1], n = s[2], k = s[3];
                        int aRows = ta ? k : m, aCols = ta ? m : k, bRows = tb ? n : k, bCols = tb ? k : n;
                        int lda = aCols + 3, ldb = bCols + 7;
                        long aOff = 5, bOff = 2, aStride = (long) aRows * lda + 11, bStride = (long) bRows * ldb + 1;
                        Buffer a = random((int) (aOff + batch * aStride), 1, f64), b = random((int) (bOff + batch * bStride), 2, f64);
                        Buffer c = random(batch * m * n, 3, f64);
                        Blas.GEMM.multiply(batch, m, n, k, new BufferContractor.Matrix(a, aOff, lda, aStride), ta,
                                new BufferContractor.Matrix(b, bOff, ldb, bStride), tb, c);
                        String what = java.util.Arrays.toString(s) + (f64 ? " float64" : " float32") + " ta=" + ta + " tb=" + tb;
                        for (int p = 0; p < batch; p++) for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
                            double sum = 0, size = 0;
                            for (int q = 0; q < k; q++) {
                                double av = get(a, aOff + p * aStride + (ta ? (long) q * lda + i : (long) i * lda + q));
                                double bv = get(b, bOff + p * bStride + (tb ? (long) j * ldb + q : (long) q * ldb + j));
                                sum += av * bv;
                                size += Math.abs(av * bv);
                            }
                            assertEquals(sum, get(c, ((long) p * m + i) * n + j), (f64 ? 1e-12 : 1e-5) * (1 + size), what);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aViewKeepsItsEntriesThroughTakePermuteAndReshapeAndContractsAsItsCopyDoes() {
        Nd4jBackend b = new Nd4jBackend();
        int d = 8, heads = 2, dh = 4;
        double[] attn = new double[d * 3 * d];
        SplittableRandom rnd = new SplittableRandom(9);
        for (int i = 0; i < attn.length; i++) attn[i] = rnd.nextDouble(-1, 1);
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Dense base = b.fromDoubles(attn, new long[] {d, 3 * d}, dtype);
            for (int part = 0; part < 3; part++) {
                Dense w = b.strided(base, (long) part * d, new long[] {1, heads, d, dh}, new long[] {0, dh, 3L * d, 1});
                assertInstanceOf(NdView.class, w);
                double[] want = new double[heads * d * dh];
                for (int h = 0; h < heads; h++) for (int q = 0; q < d; q++) for (int e = 0; e < dh; e++) {
                    want[(h * d + q) * dh + e] = (float) attn[q * 3 * d + part * d + h * dh + e];
                    if (dtype == DType.FLOAT64) want[(h * d + q) * dh + e] = attn[q * 3 * d + part * d + h * dh + e];
                }
                assertArrayEquals(want, b.toDoubles(w), 0.0, "the entries, read through a copy");
                Dense w3 = b.reshape(w, new long[] {heads, d, dh});
                assertInstanceOf(NdView.class, w3, "dropping an axis of size 1 keeps the view");
                assertArrayEquals(want, b.toDoubles(w3), 0.0);
                Dense h1 = b.take(w3, 0, 1);
                assertInstanceOf(NdView.class, h1);
                assertArrayEquals(java.util.Arrays.copyOfRange(want, d * dh, 2 * d * dh), b.toDoubles(h1), 0.0);
                Dense t = b.permute(w3, new int[] {1, 0, 2});
                assertInstanceOf(NdView.class, t);
                double[] permuted = b.toDoubles(t);
                for (int h = 0; h < heads; h++) for (int q = 0; q < d; q++) for (int e = 0; e < dh; e++) {
                    assertEquals(want[(h * d + q) * dh + e], permuted[(q * heads + h) * dh + e], 0.0);
                }
                Dense flat = b.reshape(w3, new long[] {heads * d * dh});
                assertArrayEquals(want, b.toDoubles(flat), 0.0, "another reshape: of a copy");
                double[] abs = java.util.Arrays.stream(want).map(Math::abs).toArray();
                assertArrayEquals(abs, b.toDoubles(b.map(w3, tn.exec.Backend.Elementwise.ABS, 0)), 0.0, "an elementwise function of a view");
                // x[pos, d] w[head, d, dh] -> [pos, head, dh], read in place, against the copy.
                Dense x = b.fromDoubles(rnd.doubles(5 * d, -1, 1).toArray(), new long[] {5, d}, dtype);
                Network net = Network.of(List.of(new int[] {0, 1}, new int[] {2, 1, 3}), new int[] {0, 2, 3}, new long[] {5, d, heads, dh});
                Plan plan = Plan.fromPath(net, List.of(new int[] {0, 1}), "one step", 0);
                double[] inPlace = b.toDoubles(b.contract(plan, List.of(x, w3)));
                double[] copied = b.toDoubles(b.contract(plan, List.of(x, Nd4jBackend.nd(w3))));
                assertArrayEquals(copied, inPlace, dtype == DType.FLOAT64 ? 1e-14 : 1e-6);
            }
            assertNull(NdView.of(Nd4jBackend.nd(base), 1, new long[] {d, 3 * d}, new long[] {3L * d, 1}), "a view reaching past its base is refused");
        }
    }
}
