package tn.exec.nd4j;

import static org.bytedeco.openblas.global.openblas.LAPACKE_zgeev;
import static org.bytedeco.openblas.global.openblas.LAPACKE_zgeqrf;
import static org.bytedeco.openblas.global.openblas.LAPACKE_zgesdd;
import static org.bytedeco.openblas.global.openblas.LAPACKE_zheevd;
import static org.bytedeco.openblas.global.openblas.LAPACKE_zungqr;
import static org.bytedeco.openblas.global.openblas.LAPACK_ROW_MAJOR;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tn.exec.ComplexDense;
import tn.exec.DType;
import tn.exec.Dense;
import tn.exec.NonFiniteException;

/**
 * The factorisations of complex matrices, by the complex double LAPACK routines of the OpenBLAS
 * that ND4J bundles (zgesdd, zgeqrf + zungqr, zheevd, zgeev), the same library as {@link Lapack}
 * uses for real ones. A planar complex matrix (real and imaginary parts, see {@link ComplexDense})
 * is interleaved into LAPACK's complex16 layout, row-major (LAPACKE transposes for Fortran); the
 * results are planar float64 again: complex factors as complex128, singular values and Hermitian
 * eigenvalues real. A complex64 matrix is factorised in complex128, as real ones are in float64.
 */
final class ComplexLapack {
    private ComplexLapack() {}

    /**
     * SVD of M [m, n]: {U [m, k], S [k], V [n, k]} (k = min(m, n)) with M = U diag(S) V^T, the
     * plain transpose (so V is the conjugate of the right singular vectors: LAPACK's Vh
     * transposed), as {@link tn.exec.Backend#svd} asks; or {S} alone.
     */
    static Dense[] svd(ComplexDense a, boolean vectors) {
        int m = rows(a), n = cols(a), k = Math.min(m, n);
        double[] x = interleaved(a);
        // Without vectors LAPACKE's row-major checks still want ldvt >= n (it says "parameter 11"
        // for ldvt = 1), so the leading dimensions stay those of the thin factors; nothing is written there.
        double[] s = new double[k], u = new double[vectors ? 2 * m * k : 2], vh = new double[vectors ? 2 * k * n : 2];
        int info = Blas.openBlasThreads(() -> LAPACKE_zgesdd(LAPACK_ROW_MAJOR, (byte) (vectors ? 'S' : 'N'), m, n, x, n, s, u, k, vh, n));
        check("zgesdd", info, m, n, "the SVD did not converge");
        Dense sv = real(s, k);
        if (!vectors) return new Dense[] {sv};
        double[] v = new double[2 * n * k];
        for (int b = 0; b < k; b++) {
            for (int j = 0; j < n; j++) {
                v[2 * (j * k + b)] = vh[2 * (b * n + j)];
                v[2 * (j * k + b) + 1] = vh[2 * (b * n + j) + 1];
            }
        }
        return new Dense[] {planar(u, m, k), sv, planar(v, n, k)};
    }

    /** Thin QR of M [m, n]: {Q [m, k] with orthonormal columns, R [k, n] upper triangular}. */
    static Dense[] qr(ComplexDense a) {
        int m = rows(a), n = cols(a), k = Math.min(m, n);
        double[] x = interleaved(a), tau = new double[2 * Math.max(1, k)];
        check("zgeqrf", Blas.openBlasThreads(() -> LAPACKE_zgeqrf(LAPACK_ROW_MAJOR, m, n, x, n, tau)), m, n, "");
        double[] r = new double[2 * k * n];
        for (int i = 0; i < k; i++) {
            for (int j = i; j < n; j++) {
                r[2 * (i * n + j)] = x[2 * (i * n + j)];
                r[2 * (i * n + j) + 1] = x[2 * (i * n + j) + 1];
            }
        }
        // zungqr makes the first k columns of x (row stride n) into Q.
        check("zungqr", Blas.openBlasThreads(() -> LAPACKE_zungqr(LAPACK_ROW_MAJOR, m, k, k, x, n, tau)), m, n, "");
        double[] q = new double[2 * m * k];
        for (int i = 0; i < m; i++) System.arraycopy(x, 2 * i * n, q, 2 * i * k, 2 * k);
        return new Dense[] {planar(q, m, k), planar(r, k, n)};
    }

    /** A Hermitian matrix [n, n] (its upper triangle is read): {values [n] ascending, real; vectors [n, n] as columns}. */
    static Dense[] eigh(ComplexDense a) {
        int n = rows(a);
        double[] x = interleaved(a), w = new double[n];
        check("zheevd", Blas.openBlasThreads(() -> LAPACKE_zheevd(LAPACK_ROW_MAJOR, (byte) 'V', (byte) 'U', n, x, n, w)), n, n, "the eigensolver did not converge");
        return new Dense[] {real(w, n), planar(x, n, n)};
    }

    /**
     * A general matrix [n, n]: {values re [n], im [n], vectors re [n, n], im [n, n]} (columns,
     * unit length), the same four real arrays as {@link Lapack#eig} gives for a real matrix.
     */
    static Dense[] eig(ComplexDense a) {
        int n = rows(a);
        // No left vectors; LAPACKE's row-major checks want ldvl >= n all the same (vl is never written).
        double[] x = interleaved(a), w = new double[2 * n], vl = new double[2], vr = new double[2 * n * n];
        check("zgeev", Blas.openBlasThreads(() -> LAPACKE_zgeev(LAPACK_ROW_MAJOR, (byte) 'N', (byte) 'V', n, x, n, w, vl, n, vr, n)), n, n,
                "the QR algorithm did not converge");
        double[] wre = new double[n], wim = new double[n], vre = new double[n * n], vim = new double[n * n];
        for (int j = 0; j < n; j++) {
            wre[j] = w[2 * j];
            wim[j] = w[2 * j + 1];
        }
        for (int i = 0; i < n * n; i++) {
            vre[i] = vr[2 * i];
            vim[i] = vr[2 * i + 1];
        }
        return new Dense[] {real(wre, n), real(wim, n), real(vre, n, n), real(vim, n, n)};
    }

    private static int rows(ComplexDense a) { return (int) a.shape()[0]; }

    private static int cols(ComplexDense a) { return (int) a.shape()[1]; }

    /**
     * The matrix as LAPACK's complex16 array, row-major (re, im, re, im, ...); also the scan for
     * inf and nan, reported with the row-major index of the entry (either part).
     */
    private static double[] interleaved(ComplexDense a) {
        double[] re = doubles(a.re()), im = doubles(a.im()), x = new double[2 * re.length];
        long bad = 0, infinities = 0, first = -1;
        double firstValue = 0;
        for (int i = 0; i < re.length; i++) {
            x[2 * i] = re[i];
            x[2 * i + 1] = im[i];
            for (double v : new double[] {re[i], im[i]}) {
                if (Double.isFinite(v)) continue;
                if (bad++ == 0) {
                    first = i;
                    firstValue = v;
                }
                if (Double.isInfinite(v)) infinities++;
            }
        }
        if (bad > 0) throw new NonFiniteException(bad, infinities, first, firstValue);
        return x;
    }

    private static double[] doubles(Dense part) {
        INDArray c = NdDense.contiguous(Nd4jBackend.nd(part).array(), DataType.DOUBLE);
        return c.ravel().toDoubleVector();
    }

    /** Interleaved complex16 [rows, cols] as a planar complex128 array. */
    private static Dense planar(double[] x, int rows, int cols) {
        double[] re = new double[rows * cols], im = new double[rows * cols];
        for (int i = 0; i < re.length; i++) {
            re[i] = x[2 * i];
            im[i] = x[2 * i + 1];
        }
        return new ComplexDense(real(re, rows, cols), real(im, rows, cols), DType.COMPLEX128);
    }

    private static Dense real(double[] data, long... shape) {
        return new NdDense(Nd4j.createFromArray(data).reshape('c', shape), DType.FLOAT64);
    }

    /** LAPACK's status, as {@link Lapack} reports it. */
    private static void check(String routine, int info, long m, long n, String meaning) {
        if (info == 0) return;
        if (info > 0) {
            throw new ArithmeticException("LAPACK's " + routine + " failed on the " + m + " x " + n + " complex matrix (info " + info + ": "
                    + (meaning.isEmpty() ? "no result" : meaning) + "); rescaling the tensor may help");
        }
        throw new ArithmeticException("LAPACK's " + routine + " refused argument " + (-info) + " for the " + m + " x " + n
                + " complex matrix (an inf or nan, e.g. from an overflow)");
    }
}
