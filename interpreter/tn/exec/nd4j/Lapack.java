package tn.exec.nd4j;

import static org.bytedeco.openblas.global.openblas.LAPACKE_dgeev;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dgeqrf;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dgesdd;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dorgqr;
import static org.bytedeco.openblas.global.openblas.LAPACKE_dsyevd;
import static org.bytedeco.openblas.global.openblas.LAPACK_COL_MAJOR;

import java.nio.DoubleBuffer;
import org.bytedeco.javacpp.DoublePointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import tn.exec.DType;
import tn.exec.Dense;
import tn.exec.NonFiniteException;

/**
 * The matrix factorisations, by LAPACK (the LAPACKE in the OpenBLAS that ND4J bundles) called
 * through JavaCPP on native float64 buffers: one working copy of the input (LAPACK overwrites it),
 * the outputs written straight into the results' memory, and LAPACK's status turned into an
 * {@link ArithmeticException} naming the routine (never ND4J's BlasException).
 *
 * <p>Why not ND4J's wrappers (1.0.0-M2.1): {@code Nd4j.linalg().svd} always fails, its gesvd
 * crashes the JVM with a thin U, so it needed the full m x m U (a 2500 x 2000 SVD took 50 s and
 * 360 MB more than the matrix), and it cannot skip the vectors for the singular values alone.
 * Here: dgesdd (divide and conquer, what numpy uses) with the thin U, or with no vectors at all;
 * dgeqrf + dorgqr; dsyevd; dgeev with right eigenvectors only.
 *
 * <p>Layout. A row-major buffer of X [p, q] is the column-major buffer of X^T. Factorising X^T =
 * U' S V'^T in LAPACK's column-major terms gives X = V' S U'^T: X's U is V'^T, whose column-major
 * [k, p] buffer is the row-major [p, k] matrix itself, so the larger factor needs no transposing.
 */
final class Lapack {
    private Lapack() {}

    /**
     * SVD of a matrix [m, n] of any dtype: {U [m, k], S [k], V [n, k]} (k = min(m, n)), or {S}
     * without vectors. Singular values descending.
     */
    static Dense[] svd(INDArray a, boolean vectors) {
        long m = a.rows(), n = a.columns();
        boolean tall = m >= n;
        // X = A when tall, A^T when wide: X [p, q] with p >= q = k, so X's U is the larger factor.
        int p = (int) Math.max(m, n), q = (int) Math.min(m, n), k = q;
        DoublePointer x = copy(a, !tall);
        DoublePointer s = new DoublePointer(k);
        DoublePointer ux = new DoublePointer(vectors ? (long) p * k : 1), vxt = new DoublePointer(vectors ? (long) k * q : 1);
        try {
            int info = Blas.openBlasThreads(() -> LAPACKE_dgesdd(LAPACK_COL_MAJOR, (byte) (vectors ? 'S' : 'N'), q, p, x, q, s, vxt, vectors ? q : 1, ux, vectors ? k : 1));
            check("dgesdd", info, m, n, "the SVD did not converge");
        } catch (RuntimeException | Error e) {
            ux.close();
            vxt.close();
            s.close();
            throw e;
        } finally {
            x.close();
        }
        Dense sv = dense(s, new long[] {k});
        if (!vectors) {
            ux.close();
            vxt.close();
            return new Dense[] {sv};
        }
        DoublePointer vx = transpose(vxt, k, q);
        vxt.close();
        Dense big = dense(ux, new long[] {p, k}), small = dense(vx, new long[] {q, k});
        return tall ? new Dense[] {big, sv, small} : new Dense[] {small, sv, big};
    }

    /** Thin QR of a matrix [m, n]: {Q [m, k] orthonormal columns, R [k, n] upper triangular}. */
    static Dense[] qr(INDArray a) {
        int m = (int) a.rows(), n = (int) a.columns(), k = Math.min(m, n);
        // A^T row-major is A column-major, as LAPACK wants it (lda = m).
        DoublePointer x = copy(a, true);
        DoublePointer tau = new DoublePointer(Math.max(1, k));
        try {
            check("dgeqrf", Blas.openBlasThreads(() -> LAPACKE_dgeqrf(LAPACK_COL_MAJOR, m, n, x, m, tau)), m, n, "");
            DoubleBuffer xb = x.asBuffer();
            DoublePointer r = new DoublePointer(Math.max(1, (long) k * n));
            DoubleBuffer rb = r.asBuffer();
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < n; j++) rb.put(i * n + j, j >= i ? xb.get(i + j * m) : 0.0);
            }
            check("dorgqr", Blas.openBlasThreads(() -> LAPACKE_dorgqr(LAPACK_COL_MAJOR, m, k, k, x, m, tau)), m, n, "");
            DoublePointer q = new DoublePointer(Math.max(1, (long) m * k));
            DoubleBuffer qb = q.asBuffer();
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < k; j++) qb.put(i * k + j, xb.get(i + j * m));
            }
            return new Dense[] {dense(q, new long[] {m, k}), dense(r, new long[] {k, n})};
        } finally {
            x.close();
            tau.close();
        }
    }

    /** A symmetric matrix [n, n] (its upper triangle is read): {values [n] ascending, vectors [n, n] as columns}. */
    static Dense[] eigh(INDArray a) {
        int n = (int) a.rows();
        DoublePointer x = copy(a, false);
        DoublePointer w = new DoublePointer(n);
        try {
            check("dsyevd", Blas.openBlasThreads(() -> LAPACKE_dsyevd(LAPACK_COL_MAJOR, (byte) 'V', (byte) 'U', n, x, n, w)), n, n, "the eigensolver did not converge");
            // Column-major eigenvectors as columns: row-major, that is their transpose.
            DoublePointer v = transpose(x, n, n);
            return new Dense[] {dense(w, new long[] {n}), dense(v, new long[] {n, n})};
        } catch (RuntimeException | Error e) {
            w.close();
            throw e;
        } finally {
            x.close();
        }
    }

    /**
     * A general matrix [n, n]: {values re [n], im [n], vectors re [n, n], im [n, n]} (columns,
     * unit length). dgeev stores a complex pair's vector as two real columns (re, im) for the
     * value with positive imaginary part; its partner is the conjugate.
     */
    static Dense[] eig(INDArray a) {
        int n = (int) a.rows();
        DoublePointer x = copy(a, true);
        DoublePointer wr = new DoublePointer(n), wi = new DoublePointer(n), vr = new DoublePointer((long) n * n), vl = new DoublePointer(1);
        try {
            check("dgeev", Blas.openBlasThreads(() -> LAPACKE_dgeev(LAPACK_COL_MAJOR, (byte) 'N', (byte) 'V', n, x, n, wr, wi, vl, 1, vr, n)), n, n,
                    "the QR algorithm did not converge");
            DoublePointer re = new DoublePointer((long) n * n), im = new DoublePointer((long) n * n);
            DoubleBuffer v = vr.asBuffer(), reb = re.asBuffer(), imb = im.asBuffer(), wib = wi.asBuffer();
            for (int j = 0; j < n; j++) {
                double imag = wib.get(j);
                for (int i = 0; i < n; i++) {
                    double c = v.get(i + j * n);
                    if (imag == 0 || j + 1 == n) {
                        reb.put(i * n + j, c);
                        imb.put(i * n + j, 0.0);
                    } else {
                        double d = v.get(i + (j + 1) * n);
                        reb.put(i * n + j, c);
                        imb.put(i * n + j, d);
                        reb.put(i * n + j + 1, c);
                        imb.put(i * n + j + 1, -d);
                    }
                }
                if (imag != 0) j++;
            }
            return new Dense[] {dense(wr, new long[] {n}), dense(wi, new long[] {n}), dense(re, new long[] {n, n}), dense(im, new long[] {n, n})};
        } catch (RuntimeException | Error e) {
            wr.close();
            wi.close();
            throw e;
        } finally {
            x.close();
            vr.close();
            vl.close();
        }
    }

    /** LAPACK's status: 0 is success, > 0 a failure to converge, < 0 an argument it refused. */
    private static void check(String routine, int info, long m, long n, String meaning) {
        if (info == 0) return;
        if (info > 0) {
            throw new ArithmeticException("LAPACK's " + routine + " failed on the " + m + " x " + n + " matrix (info " + info + ": "
                    + (meaning.isEmpty() ? "no result" : meaning) + "); rescaling the tensor or computing in float64 may help");
        }
        // LAPACKE checks its inputs for nan (argument 5 or 6 is the matrix): tn refuses non-finite input before
        // this, so it can be reached only by values that overflow inside a factorisation.
        throw new ArithmeticException("LAPACK's " + routine + " refused argument " + (-info) + " for the " + m + " x " + n
                + " matrix (an inf or nan, e.g. from an overflow)");
    }

    /**
     * A fresh native float64 copy of the matrix (any dtype), row-major; of its transpose when
     * {@code transposed} (which is the matrix in column-major order). A {@link NonFiniteException}
     * (indices into the matrix as given) when it has an inf or nan.
     */
    private static DoublePointer copy(INDArray a, boolean transposed) {
        INDArray c = NdDense.contiguous(a, a.dataType() == DataType.DOUBLE ? DataType.DOUBLE : DataType.FLOAT);
        int rows = (int) c.rows(), cols = (int) c.columns();
        long n = (long) rows * cols;
        DoublePointer p = new DoublePointer(Math.max(1, n));
        DoubleBuffer dst = p.asBuffer();
        java.nio.Buffer src = NdDense.buffer(c);
        DoubleBuffer d = src instanceof DoubleBuffer db ? db : null;
        java.nio.FloatBuffer f = d == null ? (java.nio.FloatBuffer) src : null;
        // The copy is also the scan for inf and nan (LAPACK fails on them, e.g. dgesdd's "-6").
        long bad = 0, infinities = 0, first = -1;
        double firstValue = 0;
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double x = d != null ? d.get(i * cols + j) : f.get(i * cols + j);
                if (!Double.isFinite(x)) {
                    if (bad++ == 0) {
                        first = (long) i * cols + j;
                        firstValue = x;
                    }
                    if (Double.isInfinite(x)) infinities++;
                }
                dst.put(transposed ? j * rows + i : i * cols + j, x);
            }
        }
        if (bad > 0) {
            p.close();
            throw new NonFiniteException(bad, infinities, first, firstValue);
        }
        java.lang.ref.Reference.reachabilityFence(c); // the buffer views do not keep c's memory alive
        return p;
    }

    /** The row-major [cols, rows] transpose of the row-major [rows, cols] buffer, as new memory. */
    private static DoublePointer transpose(DoublePointer x, int rows, int cols) {
        DoublePointer t = new DoublePointer(Math.max(1, (long) rows * cols));
        DoubleBuffer src = x.asBuffer(), dst = t.asBuffer();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) dst.put(j * rows + i, src.get(i * cols + j));
        }
        return t;
    }

    private static Dense dense(DoublePointer p, long[] shape) {
        return new NdDense(p, p::close, shape, DType.FLOAT64);
    }
}
