package tn.exec.nd4j;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
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
            } else if (batch == 1 && (long) a.length + b.length + c.length < SMALL_ARRAYS) {
                openblas.cblas_dgemm(openblas.CblasRowMajor, trans(ta), trans(tb), m, n, k, 1.0, a, ta ? m : k, b, tb ? k : n, 0.0, c, n);
            } else {
                try (DoublePointer z = new DoublePointer(c.length)) {
                    intoNative(batch, m, n, k, a, ta, b, tb, z);
                    z.position(0).get(c, 0, c.length);
                }
            }
        }

        @Override
        public void multiply(int batch, int m, int n, int k, float[] a, boolean ta, float[] b, boolean tb, float[] c) {
            if ((long) m * n * k < MIN_WORK) {
                ArrayContractor.JAVA.multiply(batch, m, n, k, a, ta, b, tb, c);
            } else if (batch == 1 && (long) a.length + b.length + c.length < SMALL_ARRAYS) {
                openblas.cblas_sgemm(openblas.CblasRowMajor, trans(ta), trans(tb), m, n, k, 1f, a, ta ? m : k, b, tb ? k : n, 0f, c, n);
            } else {
                try (FloatPointer z = new FloatPointer(c.length)) {
                    intoNative(batch, m, n, k, a, ta, b, tb, z);
                    z.position(0).get(c, 0, c.length);
                }
            }
        }

        @Override
        public Object multiplyToOutput(int batch, int m, int n, int k, Object a, boolean ta, Object b, boolean tb, long[] shape) {
            if ((long) m * n * k < MIN_WORK || (long) batch * m * n < 1 << 16) return null;
            boolean f64 = a instanceof double[];
            INDArray out = Nd4j.createUninitialized(f64 ? DataType.DOUBLE : DataType.FLOAT, shape, 'c');
            Pointer address = out.data().addressPointer();
            intoNative(batch, m, n, k, a, ta, b, tb, f64 ? new DoublePointer(address) : new FloatPointer(address));
            return out;
        }
    };

    private static int trans(boolean t) {
        return t ? openblas.CblasTrans : openblas.CblasNoTrans;
    }

    /**
     * The batched product (a, b both double[] or both float[]) into native memory z of the same
     * type: both operands copied into native memory once, one GEMM call per batch.
     */
    private static void intoNative(int batch, int m, int n, int k, Object a, boolean ta, Object b, boolean tb, Pointer z) {
        if (a instanceof double[] da) {
            try (DoublePointer x = new DoublePointer(da); DoublePointer y = new DoublePointer((double[]) b)) {
                for (int p = 0; p < batch; p++) {
                    openblas.cblas_dgemm(openblas.CblasRowMajor, trans(ta), trans(tb), m, n, k, 1.0, x.position((long) p * m * k), ta ? m : k,
                            y.position((long) p * k * n), tb ? k : n, 0.0, ((DoublePointer) z).position((long) p * m * n), n);
                }
            }
        } else {
            try (FloatPointer x = new FloatPointer((float[]) a); FloatPointer y = new FloatPointer((float[]) b)) {
                for (int p = 0; p < batch; p++) {
                    openblas.cblas_sgemm(openblas.CblasRowMajor, trans(ta), trans(tb), m, n, k, 1f, x.position((long) p * m * k), ta ? m : k,
                            y.position((long) p * k * n), tb ? k : n, 0f, ((FloatPointer) z).position((long) p * m * n), n);
                }
            }
        }
    }
}
