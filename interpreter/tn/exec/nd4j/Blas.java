package tn.exec.nd4j;

import java.nio.Buffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import tn.exec.BufferContractor;
import tn.exec.BufferContractor.Matrix;
import tn.exec.Parallel;
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
    /**
     * A product with at least this many multiply-adds (about 25 us on one thread here) is split
     * over {@link Parallel}; below it handing a part to a helper costs more than it saves.
     */
    static final long SPLIT = 1 << 20;
    /**
     * A batch of small products is shared out when the batch has at least this many
     * multiply-adds in all: below it, moving the operands to the other core's cache costs more
     * than it saves (GPT-2's 12 heads of 64 x 64 x 64 ran at 21-46 GFLOP/s shared, 55-65 not).
     */
    static final long BATCH_SPLIT = 1 << 23;
    /** Blocks of a split product start on multiples of this many rows or columns (whole SIMD registers). */
    private static final int ALIGN = 16;

    /** ND4J's handle on OpenBLAS's thread count (ND4J sets it as it starts, so it is asked first). */
    private static final org.nd4j.linalg.api.blas.Blas THREADS = org.nd4j.linalg.factory.Nd4j.factory().blas();

    static {
        // tn cuts the products over its own threads (Parallel); OpenBLAS's would compete with them.
        if (Parallel.THREADS > 1) THREADS.setMaxThreads(1);
    }

    private Blas() {}

    /**
     * {@code work} with OpenBLAS threaded over every processor, for what tn does not cut itself
     * (LAPACK's factorizations, ND4J's own products), with {@link Parallel}'s helpers held so
     * no product of tn's runs beside it; OpenBLAS is back on one thread afterwards.
     */
    static <T> T openBlasThreads(java.util.function.Supplier<T> work) {
        if (Parallel.THREADS == 1) return work.get();
        return Parallel.exclusive(() -> {
            THREADS.setMaxThreads(Parallel.THREADS);
            try {
                return work.get();
            } finally {
                THREADS.setMaxThreads(1);
            }
        });
    }

    static final BufferContractor.Gemm GEMM = new BufferContractor.Gemm() {
        @Override
        public void multiply(int batch, int m, int n, int k, Buffer a, boolean ta, Buffer b, boolean tb, Buffer c) {
            multiply(batch, m, n, k, Matrix.packed(a, ta ? k : m, ta ? m : k), ta, Matrix.packed(b, tb ? n : k, tb ? k : n), tb, c);
        }

        @Override
        public void multiply(int batch, int m, int n, int k, Matrix a, boolean ta, Matrix b, boolean tb, Buffer c) {
            if ((long) m * n * k < MIN_WORK || !(a.data().isDirect() && b.data().isDirect() && c.isDirect())) {
                BufferContractor.JAVA.multiply(batch, m, n, k, a, ta, b, tb, c);
            } else if (c instanceof FloatBuffer fc && k > K_BLOCK) {
                for (int p = 0; p < batch; p++) {
                    long ao = a.offset() + p * a.batchStride(), bo = b.offset() + p * b.batchStride(), co = (long) p * m * n;
                    FloatBuffer fa = (FloatBuffer) a.data(), fb = (FloatBuffer) b.data();
                    if ((long) m * n <= FEW) dots(m, n, k, fa, ao, a.ld(), ta, fb, bo, b.ld(), tb, fc, co);
                    else blocked(m, n, k, fa, ao, a.ld(), ta, fb, bo, b.ld(), tb, fc, co, PANEL);
                }
            } else {
                batched(batch, m, n, k, a, ta, b, tb, c);
            }
        }
    };

    /**
     * {@code batch} products C_p = op(A_p) op(B_p) (A and B where they lie, C packed), float32 or
     * float64 as C is: shared out among the threads a product at a time when there are at least
     * as many products as threads (or they are small) and {@link #BATCH_SPLIT} multiply-adds in
     * all; otherwise one after another, each cut over the threads when it is large ({@link
     * #product}).
     */
    private static void batched(int batch, int m, int n, int k, Matrix a, boolean ta, Matrix b, boolean tb, Buffer c) {
        long each = (long) m * n * k;
        Buffer ad = a.data(), bd = b.data();
        int lda = a.ld(), ldb = b.ld();
        if (batch > 1 && each * batch >= BATCH_SPLIT && (each < SPLIT || batch >= Parallel.THREADS)) {
            Parallel.run(batch, p -> call(ta, tb, m, n, k, ad, a.offset() + p * a.batchStride(), lda, bd, b.offset() + p * b.batchStride(), ldb, c,
                    (long) p * m * n, n));
        } else {
            for (int p = 0; p < batch; p++) {
                product(ta, tb, m, n, k, ad, a.offset() + p * a.batchStride(), lda, bd, b.offset() + p * b.batchStride(), ldb, c, (long) p * m * n, n);
            }
        }
    }

    /**
     * One product C = op(A) op(B) (row-major, leading dimensions given, offsets in entries): when
     * it has at least {@link #SPLIT} multiply-adds, C's rows or columns (whichever there are more
     * of) are cut into one block per {@link Parallel} thread, each block one BLAS call, taken by
     * whichever thread comes first. The cut depends on the shape and {@link Parallel#THREADS}
     * only, so a product gives the same bits on every run.
     */
    static void product(boolean ta, boolean tb, int m, int n, int k, Buffer a, long ao, int lda, Buffer b, long bo, int ldb, Buffer c, long co,
            int ldc) {
        if ((long) m * n * k < SPLIT || Parallel.THREADS == 1) {
            call(ta, tb, m, n, k, a, ao, lda, b, bo, ldb, c, co, ldc);
            return;
        }
        boolean byRows = m > n;
        int extent = byRows ? m : n;
        int chunks = (int) Math.max(1, Math.min(Parallel.THREADS, extent / ALIGN));
        Parallel.run(chunks, part -> {
            int from = bound(extent, part, chunks), to = bound(extent, part + 1, chunks);
            if (from >= to) return;
            if (byRows) {
                call(ta, tb, to - from, n, k, a, ao + (ta ? from : (long) from * lda), lda, b, bo, ldb, c, co + (long) from * ldc, ldc);
            } else {
                call(ta, tb, m, to - from, k, a, ao, lda, b, bo + (tb ? (long) from * ldb : from), ldb, c, co + from, ldc);
            }
        });
    }

    /** Where chunk {@code part} of [0, extent) starts when cut into {@code chunks} chunks on multiples of {@link #ALIGN}. */
    static int bound(int extent, int part, int chunks) {
        if (part >= chunks) return extent;
        long at = (long) extent * part / chunks;
        return (int) Math.min(extent, (at + ALIGN / 2) / ALIGN * ALIGN);
    }

    /** One BLAS call on the calling thread: sgemm or dgemm as C is float32 or float64. */
    private static void call(boolean ta, boolean tb, int m, int n, int k, Buffer a, long ao, int lda, Buffer b, long bo, int ldb, Buffer c, long co,
            int ldc) {
        if (c instanceof DoubleBuffer dc) {
            openblas.cblas_dgemm(openblas.CblasRowMajor, trans(ta), trans(tb), m, n, k, 1.0, new DoublePointer((DoubleBuffer) a).position(ao), lda,
                    new DoublePointer((DoubleBuffer) b).position(bo), ldb, 0.0, new DoublePointer(dc).position(co), ldc);
        } else {
            openblas.cblas_sgemm(openblas.CblasRowMajor, trans(ta), trans(tb), m, n, k, 1f, new FloatPointer((FloatBuffer) a).position(ao), lda,
                    new FloatPointer((FloatBuffer) b).position(bo), ldb, 0f, new FloatPointer((FloatBuffer) c).position(co), ldc);
        }
    }

    /** A float32 product with few entries and many terms each, as dot products summed in float64; A and B at leading dimensions lda and ldb. */
    static void dots(int m, int n, int k, FloatBuffer a, long ao, int lda, boolean ta, FloatBuffer b, long bo, int ldb, boolean tb, FloatBuffer c, long co) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double d = Reductions.dot(a, (int) (ao + (ta ? i : (long) i * lda)), ta ? lda : 1, b, (int) (bo + (tb ? (long) j * ldb : j)), tb ? 1 : ldb, k);
                c.put((int) (co + (long) i * n + j), (float) d);
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
        blocked(m, n, k, a, ao, ta ? m : k, ta, b, bo, tb ? k : n, tb, c, co, panelEntries);
    }

    /** As {@link #blocked(int, int, int, FloatBuffer, long, boolean, FloatBuffer, long, boolean, FloatBuffer, long, long)}, A and B at leading dimensions lda and ldb. */
    static void blocked(int m, int n, int k, FloatBuffer a, long ao, int lda, boolean ta, FloatBuffer b, long bo, int ldb, boolean tb, FloatBuffer c,
            long co, long panelEntries) {
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
                    long aAt = ao + (ta ? (long) q0 * lda + i0 : (long) i0 * lda + q0), bAt = bo + (tb ? q0 : (long) q0 * ldb);
                    product(ta, tb, rows, n, kb, a, aAt, lda, b, bAt, ldb, partView, 0, n);
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
