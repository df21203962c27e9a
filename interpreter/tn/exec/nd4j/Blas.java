package tn.exec.nd4j;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tn.exec.ArrayContractor;

/**
 * The OpenBLAS that ND4J bundles, called through JavaCPP: a GEMM costs a few microseconds of
 * overhead this way, against tens of microseconds for an ND4J operation, and runs at the
 * library's full speed (float32 2048^3 on this 2-core VM: ~150 GFLOP/s, against ~50 through
 * ND4J's own gemm). Tiny products stay in Java loops.
 *
 * <p>Operands are copied once into native memory and the result copied back (one memcpy each):
 * handing Java arrays to JavaCPP copies them in and out on every call (2048x64 by 64x2048:
 * 8 ms against 6.5 ms), and a buffer view per batch would copy the entire array each time.
 */
final class Blas {
    /** Below this many multiply-adds per matrix product the Java loops beat the call. */
    private static final long MIN_WORK = 4096;

    /** Up to this many entries in all, a single product is passed as Java arrays (cheaper than native allocations). */
    private static final long SMALL_ARRAYS = 1 << 16;

    private Blas() {}

    static final ArrayContractor.Gemm GEMM = new ArrayContractor.Gemm() {
        @Override
        public void multiply(int batch, int m, int n, int k, double[] a, boolean ta, double[] b, boolean tb, double[] c) {
            if ((long) m * n * k < MIN_WORK) {
                ArrayContractor.JAVA.multiply(batch, m, n, k, a, ta, b, tb, c);
                return;
            }
            int transA = ta ? openblas.CblasTrans : openblas.CblasNoTrans, transB = tb ? openblas.CblasTrans : openblas.CblasNoTrans;
            if (batch == 1 && (long) a.length + b.length + c.length < SMALL_ARRAYS) {
                openblas.cblas_dgemm(openblas.CblasRowMajor, transA, transB, m, n, k, 1.0, a, ta ? m : k, b, tb ? k : n, 0.0, c, n);
                return;
            }
            try (DoublePointer x = new DoublePointer(a.length); DoublePointer y = new DoublePointer(b.length); DoublePointer z = new DoublePointer(c.length)) {
                x.put(a, 0, a.length);
                y.put(b, 0, b.length);
                for (int p = 0; p < batch; p++) {
                    openblas.cblas_dgemm(openblas.CblasRowMajor, transA, transB, m, n, k, 1.0, x.position((long) p * m * k), ta ? m : k,
                            y.position((long) p * k * n), tb ? k : n, 0.0, z.position((long) p * m * n), n);
                }
                z.position(0).get(c, 0, c.length);
            }
        }

        @Override
        public void multiply(int batch, int m, int n, int k, float[] a, boolean ta, float[] b, boolean tb, float[] c) {
            if ((long) m * n * k < MIN_WORK) {
                ArrayContractor.JAVA.multiply(batch, m, n, k, a, ta, b, tb, c);
                return;
            }
            int transA = ta ? openblas.CblasTrans : openblas.CblasNoTrans, transB = tb ? openblas.CblasTrans : openblas.CblasNoTrans;
            if (batch == 1 && (long) a.length + b.length + c.length < SMALL_ARRAYS) {
                openblas.cblas_sgemm(openblas.CblasRowMajor, transA, transB, m, n, k, 1f, a, ta ? m : k, b, tb ? k : n, 0f, c, n);
                return;
            }
            try (FloatPointer x = new FloatPointer(a.length); FloatPointer y = new FloatPointer(b.length); FloatPointer z = new FloatPointer(c.length)) {
                x.put(a, 0, a.length);
                y.put(b, 0, b.length);
                for (int p = 0; p < batch; p++) {
                    openblas.cblas_sgemm(openblas.CblasRowMajor, transA, transB, m, n, k, 1f, x.position((long) p * m * k), ta ? m : k,
                            y.position((long) p * k * n), tb ? k : n, 0f, z.position((long) p * m * n), n);
                }
                z.position(0).get(c, 0, c.length);
            }
        }

        @Override
        public Object multiplyToOutput(int batch, int m, int n, int k, Object a, boolean ta, Object b, boolean tb, long[] shape) {
            if ((long) m * n * k < MIN_WORK || (long) batch * m * n < 1 << 16) return null;
            boolean f64 = a instanceof double[];
            INDArray out = Nd4j.createUninitialized(f64 ? DataType.DOUBLE : DataType.FLOAT, shape, 'c');
            int transA = ta ? openblas.CblasTrans : openblas.CblasNoTrans, transB = tb ? openblas.CblasTrans : openblas.CblasNoTrans;
            if (f64) {
                double[] da = (double[]) a, db = (double[]) b;
                DoublePointer z = new DoublePointer(out.data().addressPointer());
                try (DoublePointer x = new DoublePointer(da.length); DoublePointer y = new DoublePointer(db.length)) {
                    x.put(da, 0, da.length);
                    y.put(db, 0, db.length);
                    for (int p = 0; p < batch; p++) {
                        openblas.cblas_dgemm(openblas.CblasRowMajor, transA, transB, m, n, k, 1.0, x.position((long) p * m * k), ta ? m : k,
                                y.position((long) p * k * n), tb ? k : n, 0.0, z.position((long) p * m * n), n);
                    }
                }
            } else {
                float[] fa = (float[]) a, fb = (float[]) b;
                FloatPointer z = new FloatPointer(out.data().addressPointer());
                try (FloatPointer x = new FloatPointer(fa.length); FloatPointer y = new FloatPointer(fb.length)) {
                    x.put(fa, 0, fa.length);
                    y.put(fb, 0, fb.length);
                    for (int p = 0; p < batch; p++) {
                        openblas.cblas_sgemm(openblas.CblasRowMajor, transA, transB, m, n, k, 1f, x.position((long) p * m * k), ta ? m : k,
                                y.position((long) p * k * n), tb ? k : n, 0f, z.position((long) p * m * n), n);
                    }
                }
            }
            return out;
        }
    };
}
