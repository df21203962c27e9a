package tn.exec.nd4j;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import tn.exec.BufferContractor;

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
        } else {
            FloatPointer x = new FloatPointer((FloatBuffer) a), y = new FloatPointer((FloatBuffer) b), z = new FloatPointer((FloatBuffer) c);
            for (int p = 0; p < batch; p++) {
                openblas.cblas_sgemm(openblas.CblasRowMajor, trans(ta), trans(tb), m, n, k, 1f, x.position((long) p * m * k), ta ? m : k,
                        y.position((long) p * k * n), tb ? k : n, 0f, z.position((long) p * m * n), n);
            }
        }
    };

    private static int trans(boolean t) {
        return t ? openblas.CblasTrans : openblas.CblasNoTrans;
    }
}
