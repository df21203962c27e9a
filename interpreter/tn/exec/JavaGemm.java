package tn.exec;

import java.nio.Buffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import tn.exec.BufferContractor.Gemm;
import tn.exec.BufferContractor.Matrix;

/**
 * {@link BufferContractor}'s products in plain Java: i-q-j loops over contiguous rows (or over
 * operands where they lie, {@link Matrix}), summed in float64 in both types, and batched outer
 * products for products of one term. Used by the tests as the contractor's reference product,
 * and by the BLAS path for products too small to pay for a call.
 */
final class JavaGemm {
    private JavaGemm() {}

    /**
     * The plain-Java products (i-q-j loops over contiguous rows), summed in float64 in both
     * types: dot products of 4095 positive float32 terms summed in float32 were off by up to 1.6e-6.
     */
    static final Gemm GEMM = new Gemm() {
        @Override
        public void multiply(int batch, int m, int n, int k, Buffer a, boolean ta, Buffer b, boolean tb, Buffer c) {
            javaProduct(batch, m, n, k, a, ta, b, tb, c);
        }

        /** Operands where they lie: the same loop, reading at their offsets, leading dimensions and batch strides. */
        @Override
        public void multiply(int batch, int m, int n, int k, Matrix a, boolean ta, Matrix b, boolean tb, Buffer c) {
            if (a.isPacked(batch, ta ? k : m, ta ? m : k) && b.isPacked(batch, tb ? n : k, tb ? k : n)) {
                javaProduct(batch, m, n, k, a.data(), ta, b.data(), tb, c);
            } else {
                stridedProduct(batch, m, n, k, a, ta, b, tb, c);
            }
        }
    };

    private static void javaProduct(int batch, int m, int n, int k, Buffer a, boolean ta, Buffer b, boolean tb, Buffer c) {
        if (k == 1) {
            outer(batch, m, n, a, b, c);
            return;
        }
        if (c instanceof DoubleBuffer dc) {
            DoubleBuffer da = (DoubleBuffer) a, db = (DoubleBuffer) b;
            for (int i = 0, total = batch * m * n; i < total; i++) dc.put(i, 0);
            for (int p = 0; p < batch; p++) {
                int ao = p * m * k, bo = p * k * n, co = p * m * n;
                for (int i = 0; i < m; i++) {
                    int ci = co + i * n;
                    for (int q = 0; q < k; q++) {
                        double av = da.get(ao + (ta ? q * m + i : i * k + q));
                        if (tb) for (int j = 0; j < n; j++) dc.put(ci + j, dc.get(ci + j) + av * db.get(bo + j * k + q));
                        else for (int j = 0, bq = bo + q * n; j < n; j++) dc.put(ci + j, dc.get(ci + j) + av * db.get(bq + j));
                    }
                }
            }
        } else {
            // float32 data, float64 sums (a row of C at a time), rounded once when stored.
            FloatBuffer fa = (FloatBuffer) a, fb = (FloatBuffer) b, fc = (FloatBuffer) c;
            double[] row = new double[n];
            for (int p = 0; p < batch; p++) {
                int ao = p * m * k, bo = p * k * n, co = p * m * n;
                for (int i = 0; i < m; i++) {
                    java.util.Arrays.fill(row, 0);
                    for (int q = 0; q < k; q++) {
                        double av = fa.get(ao + (ta ? q * m + i : i * k + q));
                        if (tb) for (int j = 0; j < n; j++) row[j] += av * fb.get(bo + j * k + q);
                        else for (int j = 0, bq = bo + q * n; j < n; j++) row[j] += av * fb.get(bq + j);
                    }
                    for (int j = 0, ci = co + i * n; j < n; j++) fc.put(ci + j, (float) row[j]);
                }
            }
        }
    }

    /** {@link #GEMM}'s product for operands where they lie, summed in float64 in the same order (q ascending) as the packed loop. */
    private static void stridedProduct(int batch, int m, int n, int k, Matrix a, boolean ta, Matrix b, boolean tb, Buffer c) {
        double[] row = new double[n];
        for (int p = 0; p < batch; p++) {
            long ao = a.offset() + p * a.batchStride(), bo = b.offset() + p * b.batchStride();
            int lda = a.ld(), ldb = b.ld();
            for (int i = 0; i < m; i++) {
                Arrays.fill(row, 0);
                for (int q = 0; q < k; q++) {
                    double av = entry(a.data(), ao + (ta ? (long) q * lda + i : (long) i * lda + q));
                    for (int j = 0; j < n; j++) row[j] += av * entry(b.data(), bo + (tb ? (long) j * ldb + q : (long) q * ldb + j));
                }
                int ci = (p * m + i) * n;
                if (c instanceof DoubleBuffer dc) for (int j = 0; j < n; j++) dc.put(ci + j, row[j]);
                else for (int j = 0; j < n; j++) ((FloatBuffer) c).put(ci + j, (float) row[j]);
            }
        }
    }

    private static double entry(Buffer b, long i) {
        return b instanceof DoubleBuffer d ? d.get((int) i) : ((FloatBuffer) b).get((int) i);
    }

    /**
     * C[p] = a[p] b[p]^T for one term per entry (k = 1: with one term, transposed and plain layouts
     * are the same): a batched outer product, in practice a scaling along a batch leg (a layer
     * norm's weight times its output: 768 batches of 64 x 1 in GPT-2, 25 times a forward, where the
     * general loop spent ~1 ms each on per-row set-up). A float32 product is exact in float64, so
     * rounding it once gives the float32 product, as the general loop does.
     */
    private static void outer(int batch, int m, int n, Buffer a, Buffer b, Buffer c) {
        // Read and written in bulk, many entries of C per call: a get or put per entry is a
        // virtual call (tn's buffers come in several classes), and a direct buffer copies fewer
        // than 7 entries one by one. Small products (m x n of 1 x 1 when the product is
        // elementwise along the batch leg) are done several batches at a time; large ones a few
        // rows of C at a time.
        int per = m * n;
        int batches = per == 0 ? batch : Math.max(1, Math.min(batch, CHUNK / per));
        int rows = batches > 1 || n == 0 ? m : Math.max(1, Math.min(m, CHUNK / n));
        if (c instanceof DoubleBuffer dc) {
            DoubleBuffer da = (DoubleBuffer) a, db = (DoubleBuffer) b;
            double[] col = SCRATCH_D.get().take(0, batches * m), row = SCRATCH_D.get().take(1, batches * n), out = SCRATCH_D.get().take(2, batches * rows * n);
            for (int p0 = 0, ci = 0; p0 < batch; p0 += batches) {
                int pb = Math.min(batches, batch - p0);
                da.get(p0 * m, col, 0, pb * m);
                db.get(p0 * n, row, 0, pb * n);
                for (int i0 = 0; i0 < m; i0 += rows) {
                    int r = Math.min(rows, m - i0), o = 0;
                    for (int q = 0; q < pb; q++) {
                        if (n == 1) {
                            double bv = row[q]; // a column scaled: the loop over j would be one step
                            for (int i = i0, ai = q * m; i < i0 + r; i++) out[o++] = col[ai + i] * bv;
                        } else {
                            for (int i = i0; i < i0 + r; i++) {
                                double av = col[q * m + i];
                                for (int j = 0, bj = q * n; j < n; j++) out[o++] = av * row[bj + j];
                            }
                        }
                    }
                    dc.put(ci, out, 0, o);
                    ci += o;
                }
            }
        } else {
            FloatBuffer fa = (FloatBuffer) a, fb = (FloatBuffer) b, fc = (FloatBuffer) c;
            float[] col = SCRATCH_F.get().take(0, batches * m), row = SCRATCH_F.get().take(1, batches * n), out = SCRATCH_F.get().take(2, batches * rows * n);
            for (int p0 = 0, ci = 0; p0 < batch; p0 += batches) {
                int pb = Math.min(batches, batch - p0);
                fa.get(p0 * m, col, 0, pb * m);
                fb.get(p0 * n, row, 0, pb * n);
                for (int i0 = 0; i0 < m; i0 += rows) {
                    int r = Math.min(rows, m - i0), o = 0;
                    for (int q = 0; q < pb; q++) {
                        // In float32: the float32 product is the exact one rounded once, as in float64 then cast.
                        if (n == 1) {
                            float bv = row[q];
                            for (int i = i0, ai = q * m; i < i0 + r; i++) out[o++] = col[ai + i] * bv;
                        } else {
                            for (int i = i0; i < i0 + r; i++) {
                                float av = col[q * m + i];
                                for (int j = 0, bj = q * n; j < n; j++) out[o++] = av * row[bj + j];
                            }
                        }
                    }
                    fc.put(ci, out, 0, o);
                    ci += o;
                }
            }
        }
    }

    /**
     * Per-thread arrays {@link #outer} reads and writes through, grown as needed (to at most a few
     * times {@link #CHUNK} entries): a backward pass makes thousands of small outer products, and
     * new arrays for each cost more than the products.
     */
    private static final class FloatScratch {
        private final float[][] arrays = new float[3][];

        float[] take(int k, int n) {
            if (arrays[k] == null || arrays[k].length < n) arrays[k] = new float[Math.max(n, 64)];
            return arrays[k];
        }
    }

    private static final class DoubleScratch {
        private final double[][] arrays = new double[3][];

        double[] take(int k, int n) {
            if (arrays[k] == null || arrays[k].length < n) arrays[k] = new double[Math.max(n, 64)];
            return arrays[k];
        }
    }

    private static final ThreadLocal<FloatScratch> SCRATCH_F = ThreadLocal.withInitial(FloatScratch::new);
    private static final ThreadLocal<DoubleScratch> SCRATCH_D = ThreadLocal.withInitial(DoubleScratch::new);

    /** Entries of C {@link #outer} writes per bulk call. */
    private static final int CHUNK = 1 << 14;
}
