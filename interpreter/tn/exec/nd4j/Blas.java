package tn.exec.nd4j;

import org.bytedeco.openblas.global.openblas;
import tn.exec.SmallContractor;

/**
 * The OpenBLAS that ND4J bundles, called directly on Java arrays through JavaCPP: a dgemm costs
 * about a microsecond of overhead this way, against tens of microseconds for an ND4J operation,
 * which is what small and mid-sized contraction steps need. Tiny products stay in Java loops.
 */
final class Blas {
    /** Below this many multiply-adds the Java loops beat the call. */
    private static final long MIN_WORK = 4096;

    private Blas() {}

    static final SmallContractor.Gemm GEMM = (m, n, k, a, ao, b, bo, c, co) -> {
        if ((long) m * n * k < MIN_WORK) {
            SmallContractor.JAVA.multiply(m, n, k, a, ao, b, bo, c, co);
            return;
        }
        // The array overloads take whole arrays: copy out a batch's matrices when offset.
        double[] x = ao == 0 && a.length == m * k ? a : java.util.Arrays.copyOfRange(a, ao, ao + m * k);
        double[] y = bo == 0 && b.length == k * n ? b : java.util.Arrays.copyOfRange(b, bo, bo + k * n);
        boolean direct = co == 0 && c.length == m * n;
        double[] z = direct ? c : new double[m * n];
        openblas.cblas_dgemm(openblas.CblasRowMajor, openblas.CblasNoTrans, openblas.CblasNoTrans, m, n, k,
                1.0, x, k, y, n, 0.0, z, n);
        if (!direct) System.arraycopy(z, 0, c, co, m * n);
    };
}
