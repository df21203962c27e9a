package tn.exec.nd4j;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import tn.exec.BufferContractor;
import tn.exec.Reductions;

/**
 * The OpenBLAS that ND4J bundles, called through JavaCPP on native buffers in place (no copy in
 * or out): a GEMM costs a few microseconds of overhead this way, against tens of microseconds
 * for an ND4J operation, and runs at the library's full speed (float32 2048^3 on this 2-core VM:
 * ~150-185 GFLOP/s, against ~50 through ND4J's own gemm). Tiny products, and buffers on the Java
 * heap, stay in Java loops.
 */
final class Blas {
    /** Below this many multiply-adds per matrix product the Java loops beat the call. */
    private static final long MIN_WORK = 4096;
    /**
     * sgemm sums in float32: past this many terms per entry (k) a float32 product is computed in
     * blocks of this many terms whose results are added in float64. A full contraction of 10^8
     * float32 normal numbers (x x) was 1.7e-5 off in one sgemm; a float32 sum of 4096 terms
     * stays within about 2e-7.
     */
    static final int K_BLOCK = 4096;
    /**
     * A float32 product with many terms and at most this many entries is computed as float64
     * dot products in Java ({@link Reductions#dot}), read in place: blocks of sgemm calls on
     * matrices of one row or column would pay the call 24000 times for 10^8 terms.
     */
    private static final long FEW = 16;
    /** The float64 accumulator of {@link #blocked} holds at most this many entries (32 MB). */
    private static final long PANEL = 1 << 22;

    private Blas() {}

    static final BufferContractor.Gemm GEMM = (batch, m, n, k, a, ta, b, tb, c) -> {
        if ((long) m * n * k < MIN_WORK || !(a.isDirect() && b.isDirect() && c.isDirect())) {
            BufferContractor.JAVA.multiply(batch, m, n, k, a, ta, b, tb, c);
        } else if (c instanceof DoubleBuffer dc) {
            DoublePointer x = new DoublePointer((DoubleBuffer) a), y = new DoublePointer((DoubleBuffer) b), z = new DoublePointer(dc);
            for (int p = 0; p < batch; p++) {
                openblas.cblas_dgemm(openblas.CblasRowMajor, trans(ta), trans(tb), m, n, k, 1.0, x.position((long) p * m * k), ta ? m : k,
                        y.position((long) p * k * n), tb ? k : n, 0.0, z.position((long) p * m * n), n);
            }
        } else if (k > K_BLOCK) {
            for (int p = 0; p < batch; p++) {
                long ao = (long) p * m * k, bo = (long) p * k * n, co = (long) p * m * n;
                if ((long) m * n <= FEW) dots(m, n, k, (FloatBuffer) a, (int) ao, ta, (FloatBuffer) b, (int) bo, tb, (FloatBuffer) c, (int) co);
                else blocked(m, n, k, (FloatBuffer) a, ao, ta, (FloatBuffer) b, bo, tb, (FloatBuffer) c, co, PANEL);
            }
        } else {
            FloatPointer x = new FloatPointer((FloatBuffer) a), y = new FloatPointer((FloatBuffer) b), z = new FloatPointer((FloatBuffer) c);
            for (int p = 0; p < batch; p++) {
                openblas.cblas_sgemm(openblas.CblasRowMajor, trans(ta), trans(tb), m, n, k, 1f, x.position((long) p * m * k), ta ? m : k,
                        y.position((long) p * k * n), tb ? k : n, 0f, z.position((long) p * m * n), n);
            }
        }
    };

    static void dots(int m, int n, int k, FloatBuffer a, int ao, boolean ta, FloatBuffer b, int bo, boolean tb, FloatBuffer c, int co) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double d = Reductions.dot(a, ao + (ta ? i : i * k), ta ? m : 1, b, bo + (tb ? j * k : j), tb ? 1 : n, k);
                c.put(co + i * n + j, (float) d);
            }
        }
    }

    /**
     * A float32 product with more than {@link #K_BLOCK} terms per entry: sgemm on blocks of
     * K_BLOCK terms, the blocks' products added in float64 (a row panel of C at a time, so the
     * accumulator stays under {@code panelEntries} entries), rounded once into C.
     */
    static void blocked(int m, int n, int k, FloatBuffer a, long ao, boolean ta, FloatBuffer b, long bo, boolean tb, FloatBuffer c, long co,
            long panelEntries) {
        FloatPointer x = new FloatPointer(a), y = new FloatPointer(b);
        int panel = (int) Math.max(1, Math.min(m, panelEntries / n));
        FloatPointer part = new FloatPointer((long) panel * n);
        try {
            FloatBuffer partView = part.asBuffer();
            double[] acc = new double[panel * n];
            for (int i0 = 0; i0 < m; i0 += panel) {
                int rows = Math.min(panel, m - i0), count = rows * n;
                java.util.Arrays.fill(acc, 0, count, 0);
                for (int q0 = 0; q0 < k; q0 += K_BLOCK) {
                    int kb = Math.min(K_BLOCK, k - q0);
                    long aAt = ao + (ta ? (long) q0 * m + i0 : (long) i0 * k + q0), bAt = bo + (tb ? q0 : (long) q0 * n);
                    openblas.cblas_sgemm(openblas.CblasRowMajor, trans(ta), trans(tb), rows, n, kb, 1f, x.position(aAt), ta ? m : k,
                            y.position(bAt), tb ? k : n, 0f, part.position(0), n);
                    for (int e = 0; e < count; e++) acc[e] += partView.get(e);
                }
                for (int e = 0; e < count; e++) c.put((int) (co + (long) i0 * n + e), (float) acc[e]);
            }
        } finally {
            part.deallocate();
        }
    }

    private static int trans(boolean t) {
        return t ? openblas.CblasTrans : openblas.CblasNoTrans;
    }
}
