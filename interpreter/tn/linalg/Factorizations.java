package tn.linalg;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import tn.exec.Backend;
import tn.exec.ComplexDense;
import tn.exec.DType;
import tn.exec.Dense;

/**
 * Matrix factorisations on a {@link Backend}, with their results made canonical so that every
 * backend and every run agrees: singular values descending, eigenvalues in a fixed order, and the
 * sign (or phase) of every singular or eigen vector fixed so that its largest entry is positive.
 * Complex matrices (a {@link ComplexDense}, or the real and imaginary parts as two matrices) give
 * the same records with the imaginary parts of the factors filled in (null for real ones), planar
 * as complex arrays are; the transposes below stay plain (M = U diag(S) V^T), so V holds the
 * conjugated right singular vectors and a contraction U S V gives M back.
 */
public final class Factorizations {
    private Factorizations() {}

    /** M = U diag(S) V^T with U [m, k], V [n, k], k = min(m, n); uIm and vIm the imaginary parts (null when real). */
    public record Svd(Matrix u, double[] s, Matrix v, Matrix uIm, Matrix vIm) {
        public Svd(Matrix u, double[] s, Matrix v) {
            this(u, s, v, null, null);
        }

        public ComplexMatrix uMatrix() { return new ComplexMatrix(u, uIm); }

        public ComplexMatrix vMatrix() { return new ComplexMatrix(v, vIm); }
    }

    /** M = Q R with Q [m, k] orthonormal columns and R [k, n] upper triangular, diag(R) real >= 0; imaginary parts null when real. */
    public record Qr(Matrix q, Matrix r, Matrix qIm, Matrix rIm) {
        public Qr(Matrix q, Matrix r) {
            this(q, r, null, null);
        }

        public ComplexMatrix qMatrix() { return new ComplexMatrix(q, qIm); }

        public ComplexMatrix rMatrix() { return new ComplexMatrix(r, rIm); }
    }

    /** M = V diag(values) V^T for symmetric M (V^H for Hermitian), values ascending, vectors as columns; vectorsIm null when real. */
    public record Eigh(double[] values, Matrix vectors, Matrix vectorsIm) {
        public Eigh(double[] values, Matrix vectors) {
            this(values, vectors, null);
        }
    }

    /** The eigenvalues (real and imaginary parts) and eigenvectors (columns) of a general matrix. */
    public record Eig(double[] re, double[] im, Matrix vectorsRe, Matrix vectorsIm) {}

    public static Svd svd(Backend backend, Matrix m) {
        return svd(backend, dense(backend, m));
    }

    /** The SVD of a real or complex matrix. */
    public static Svd svd(Backend backend, ComplexMatrix m) {
        return svd(backend, m.isComplex() ? complex(backend, m.re(), m.im()) : dense(backend, m.re()));
    }

    /** The QR of a real or complex matrix. */
    public static Qr qr(Backend backend, ComplexMatrix m) {
        return m.isComplex() ? qr(backend, m.re(), m.im()) : qr(backend, m.re());
    }

    /** The SVD of a matrix [m, n] held by the backend (either dtype; factorised in float64). */
    public static Svd svd(Backend backend, Dense d) {
        int rows = (int) d.shape()[0], cols = (int) d.shape()[1], k = Math.min(rows, cols);
        boolean complex = d instanceof ComplexDense;
        if (k == 0) {
            return complex ? new Svd(Matrix.zeros(rows, 0), new double[0], Matrix.zeros(cols, 0), Matrix.zeros(rows, 0), Matrix.zeros(cols, 0))
                    : new Svd(Matrix.zeros(rows, 0), new double[0], Matrix.zeros(cols, 0));
        }
        Dense[] r = backend.svd(d);
        if (complex) return complexSvd(backend, r, k);
        Matrix u = matrix(backend, r[0]), v = matrix(backend, r[2]);
        double[] s = backend.toDoubles(r[1]);
        // Descending order (libraries give it; enforced so the rest can rely on it).
        Integer[] order = order(k, Comparator.comparingDouble((Integer j) -> -s[j]));
        u = columns(u, order);
        v = columns(v, order);
        double[] sorted = new double[k];
        for (int j = 0; j < k; j++) sorted[j] = Math.max(0, s[order[j]]);
        for (int j = 0; j < k; j++) {
            if (u.get(largest(u, j), j) < 0) {
                negateColumn(u, j);
                negateColumn(v, j);
            }
        }
        return new Svd(u, sorted, v);
    }

    /** A complex SVD from the backend's factors: the same order, and each u's largest entry made real and positive. */
    private static Svd complexSvd(Backend backend, Dense[] r, int k) {
        Matrix[] u = parts(backend, r[0]), v = parts(backend, r[2]);
        double[] s = backend.toDoubles(r[1]);
        Integer[] order = order(k, Comparator.comparingDouble((Integer j) -> -s[j]));
        for (Matrix[] x : List.of(u, v)) {
            x[0] = columns(x[0], order);
            x[1] = columns(x[1], order);
        }
        double[] sorted = new double[k];
        for (int j = 0; j < k; j++) sorted[j] = Math.max(0, s[order[j]]);
        for (int j = 0; j < k; j++) {
            // u_j s_j v_j^T is unchanged when u_j is multiplied by a phase and v_j by its inverse.
            double[] p = phase(u, j);
            rotateColumn(u, j, p[0], -p[1]);
            rotateColumn(v, j, p[0], p[1]);
        }
        return new Svd(u[0], sorted, v[0], u[1], v[1]);
    }

    /** The singular values alone, descending: U and V are never computed. */
    public static double[] svdvals(Backend backend, Dense d) {
        int k = (int) Math.min(d.shape()[0], d.shape()[1]);
        if (k == 0) return new double[0];
        double[] s = backend.toDoubles(backend.svdvals(d));
        Arrays.sort(s);
        double[] sorted = new double[k];
        for (int j = 0; j < k; j++) sorted[j] = Math.max(0, s[k - 1 - j]);
        return sorted;
    }

    /**
     * The SVD of A B^T (A [m, k], B [n, k]) through its small middle, never forming the m x n
     * product: A = Qa Ra, B = Qb Rb, Ra Rb^T = U S V^T, so A B^T = (Qa U) S (Qb V)^T; at most
     * min(m, n, k) singular values (the rest are zero).
     */
    public static Svd svdOfProduct(Backend backend, Matrix a, Matrix b) {
        Qr qa = qr(backend, a), qb = qr(backend, b);
        Svd middle = svd(backend, qa.r().times(qb.r().transpose()));
        Matrix u = qa.q().times(middle.u()), v = qb.q().times(middle.v());
        // The sign convention again, now on the full vectors.
        for (int j = 0; j < middle.s().length; j++) {
            if (u.get(largest(u, j), j) < 0) {
                negateColumn(u, j);
                negateColumn(v, j);
            }
        }
        return new Svd(u, middle.s(), v);
    }

    /**
     * The singular values of A B^T (A [m, k], B [n, k]) alone: those of Ra Rb^T, from the QRs of
     * the sides (no singular vectors, nothing m x k multiplied afterwards).
     */
    public static double[] svdvalsOfProduct(Backend backend, Matrix a, Matrix b) {
        Matrix ra = qr(backend, a).r(), rb = qr(backend, b).r();
        return svdvals(backend, dense(backend, ra.times(rb.transpose())));
    }

    /** The eigenvalues of A B^T (A, B [n, k]): those of the small B^T A, and zeros for the rest (up to n). */
    public static Eig eigOfProduct(Backend backend, Matrix a, Matrix b) {
        return eigOfProduct(backend, a, b, true);
    }

    /**
     * The same; without {@code vectors} the eigenvectors are those of the small B^T A only (the
     * n x k products A w are skipped, and the result's vectors are null).
     */
    public static Eig eigOfProduct(Backend backend, Matrix a, Matrix b, boolean vectors) {
        Eig small = eig(backend, b.transpose().times(a));
        if (!vectors) return new Eig(small.re(), small.im(), null, null);
        // If B^T A w = l w then (A B^T)(A w) = l (A w): the vectors of the big matrix are A w, normalised.
        Matrix re = a.times(small.vectorsRe()), im = a.times(small.vectorsIm());
        for (int j = 0; j < re.cols(); j++) {
            double norm = 0;
            for (int i = 0; i < re.rows(); i++) norm += re.get(i, j) * re.get(i, j) + im.get(i, j) * im.get(i, j);
            norm = Math.sqrt(norm);
            if (norm == 0) continue;
            for (int i = 0; i < re.rows(); i++) {
                re.set(i, j, re.get(i, j) / norm);
                im.set(i, j, im.get(i, j) / norm);
            }
        }
        return new Eig(small.re(), small.im(), re, im);
    }

    public static Qr qr(Backend backend, Matrix m) {
        int k = Math.min(m.rows(), m.cols());
        if (k == 0) return new Qr(Matrix.zeros(m.rows(), 0), Matrix.zeros(0, m.cols()));
        Dense[] r = backend.qr(dense(backend, m));
        Matrix q = matrix(backend, r[0]).leadingColumns(k), rr = matrix(backend, r[1]).leadingRows(k);
        for (int j = 0; j < k; j++) {
            if (rr.get(j, j) < 0) {
                negateColumn(q, j);
                for (int c = 0; c < rr.cols(); c++) rr.set(j, c, -rr.get(j, c));
            }
            for (int i = j + 1; i < k; i++) rr.set(i, j, 0); // exact zeros below the diagonal
        }
        return new Qr(q, rr);
    }

    /** Thin QR of a complex matrix (its parts): diag(R) real and >= 0, exact zeros below it. */
    public static Qr qr(Backend backend, Matrix re, Matrix im) {
        int k = Math.min(re.rows(), re.cols());
        if (k == 0) return new Qr(Matrix.zeros(re.rows(), 0), Matrix.zeros(0, re.cols()), Matrix.zeros(re.rows(), 0), Matrix.zeros(0, re.cols()));
        Dense[] r = backend.qr(complex(backend, re, im));
        Matrix[] q = parts(backend, r[0]), rr = parts(backend, r[1]);
        for (int j = 0; j < k; j++) {
            double a = rr[0].get(j, j), b = rr[1].get(j, j), mod = Math.hypot(a, b);
            double pr = mod == 0 ? 1 : a / mod, pi = mod == 0 ? 0 : b / mod;
            // Q_j p times conj(p) R_j is Q_j R_j; R_jj becomes |R_jj|.
            rotateColumn(q, j, pr, pi);
            for (int c = 0; c < rr[0].cols(); c++) {
                double x = rr[0].get(j, c), y = rr[1].get(j, c);
                rr[0].set(j, c, x * pr + y * pi);
                rr[1].set(j, c, y * pr - x * pi);
            }
            rr[1].set(j, j, 0);
            for (int i = j + 1; i < k; i++) {
                rr[0].set(i, j, 0);
                rr[1].set(i, j, 0);
            }
        }
        return new Qr(q[0], rr[0], q[1], rr[1]);
    }

    /** A Hermitian matrix (its parts; made exactly Hermitian, (M + M^H) / 2): real values ascending, each vector's largest entry real and positive. */
    public static Eigh eigh(Backend backend, Matrix re, Matrix im) {
        int n = re.rows();
        Matrix hre = symmetrised(re), him = Matrix.zeros(n, n);
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) him.set(i, j, 0.5 * (im.get(i, j) - im.get(j, i)));
        Dense[] r = backend.eigh(complex(backend, hre, him));
        double[] values = backend.toDoubles(r[0]);
        Matrix[] vectors = parts(backend, r[1]);
        Integer[] order = order(n, Comparator.comparingDouble((Integer j) -> values[j]));
        vectors[0] = columns(vectors[0], order);
        vectors[1] = columns(vectors[1], order);
        double[] sorted = new double[n];
        for (int j = 0; j < n; j++) {
            sorted[j] = values[order[j]];
            double[] p = phase(vectors, j);
            rotateColumn(vectors, j, p[0], -p[1]);
        }
        return new Eigh(sorted, vectors[0], vectors[1]);
    }

    /** The eigenvalues and eigenvectors of a general complex matrix (its parts), as {@link #eig(Backend, Matrix)} orders them. */
    public static Eig eig(Backend backend, Matrix re, Matrix im) {
        return eig(backend, complex(backend, re, im), re.rows());
    }

    /** ||M - M^H|| / ||M|| of a complex square matrix (its parts): how far it is from Hermitian. */
    public static double asymmetry(Matrix re, Matrix im) {
        double norm = Math.hypot(re.norm(), im.norm());
        if (norm == 0) return 0;
        double sum = 0;
        for (int i = 0; i < re.rows(); i++) {
            for (int j = 0; j < re.cols(); j++) {
                double a = re.get(i, j) - re.get(j, i), b = im.get(i, j) + im.get(j, i);
                sum += a * a + b * b;
            }
        }
        return Math.sqrt(sum) / norm;
    }

    public static Eigh eigh(Backend backend, Matrix m) {
        int n = m.rows();
        Matrix sym = symmetrised(m);
        Dense[] r = backend.eigh(dense(backend, sym));
        double[] values = backend.toDoubles(r[0]);
        Matrix vectors = matrix(backend, r[1]);
        Integer[] order = order(n, Comparator.comparingDouble((Integer j) -> values[j]));
        vectors = columns(vectors, order);
        double[] sorted = new double[n];
        for (int j = 0; j < n; j++) sorted[j] = values[order[j]];
        for (int j = 0; j < n; j++) if (vectors.get(largest(vectors, j), j) < 0) negateColumn(vectors, j);
        return new Eigh(sorted, vectors);
    }

    /** Eigenvalues by decreasing modulus (then real part, then imaginary part, both decreasing). */
    public static Eig eig(Backend backend, Matrix m) {
        return eig(backend, dense(backend, m), m.rows());
    }

    private static Eig eig(Backend backend, Dense d, int n) {
        Dense[] r = backend.eig(d);
        double[] re = backend.toDoubles(r[0]), im = backend.toDoubles(r[1]);
        Matrix vre = matrix(backend, r[2]), vim = matrix(backend, r[3]);
        Comparator<Integer> byModulus = Comparator.comparingDouble((Integer j) -> -Math.hypot(re[j], im[j]));
        Integer[] order = order(n, byModulus.thenComparingDouble(j -> -round(re[j])).thenComparingDouble(j -> -round(im[j])));
        vre = columns(vre, order);
        vim = columns(vim, order);
        double[] sre = new double[n], sim = new double[n];
        for (int j = 0; j < n; j++) {
            sre[j] = re[order[j]];
            sim[j] = im[order[j]];
        }
        // Each vector's phase: its largest entry (by modulus) made real and positive; unit length.
        for (int j = 0; j < n; j++) {
            int big = 0;
            double best = -1, total = 0;
            for (int i = 0; i < n; i++) {
                double mod = Math.hypot(vre.get(i, j), vim.get(i, j));
                total += mod * mod;
                if (mod > best * (1 + 1e-9)) {
                    best = mod;
                    big = i;
                }
            }
            double cr = vre.get(big, j) / best, ci = -vim.get(big, j) / best, scale = 1 / Math.sqrt(total);
            for (int i = 0; i < n; i++) {
                double a = vre.get(i, j), b = vim.get(i, j);
                vre.set(i, j, (a * cr - b * ci) * scale);
                vim.set(i, j, (a * ci + b * cr) * scale);
            }
            vim.set(big, j, 0);
        }
        return new Eig(sre, sim, vre, vim);
    }

    /** ||M - M^T|| / ||M||: how far a square matrix is from symmetric (0 for the zero matrix). */
    public static double asymmetry(Matrix m) {
        double norm = m.norm();
        if (norm == 0) return 0;
        double[] d = new double[m.data().length];
        for (int i = 0; i < m.rows(); i++) for (int j = 0; j < m.cols(); j++) d[i * m.cols() + j] = m.get(i, j) - m.get(j, i);
        return Vectors.norm(d) / norm;
    }

    /** The phase (cos, sin) of column j's largest entry by modulus (the first of near-equal ones); (1, 0) for a zero column. */
    private static double[] phase(Matrix[] x, int j) {
        int best = -1;
        double value = -1;
        for (int i = 0; i < x[0].rows(); i++) {
            double a = Math.hypot(x[0].get(i, j), x[1].get(i, j));
            if (a > value * (1 + 1e-9) + 1e-300) {
                value = a;
                best = i;
            }
        }
        if (best < 0 || value <= 1e-300) return new double[] {1, 0};
        return new double[] {x[0].get(best, j) / value, x[1].get(best, j) / value};
    }

    /** Column j of a complex matrix (its parts) times cos + i sin. */
    private static void rotateColumn(Matrix[] x, int j, double cos, double sin) {
        for (int i = 0; i < x[0].rows(); i++) {
            double a = x[0].get(i, j), b = x[1].get(i, j);
            x[0].set(i, j, a * cos - b * sin);
            x[1].set(i, j, a * sin + b * cos);
        }
    }

    /** The real and imaginary parts of a complex matrix the backend holds. */
    private static Matrix[] parts(Backend backend, Dense d) {
        ComplexDense c = (ComplexDense) d;
        return new Matrix[] {matrix(backend, c.re()), matrix(backend, c.im())};
    }

    private static Dense complex(Backend backend, Matrix re, Matrix im) {
        return new ComplexDense(dense(backend, re), dense(backend, im), DType.COMPLEX128);
    }

    private static Matrix symmetrised(Matrix m) {
        Matrix s = Matrix.zeros(m.rows(), m.cols());
        for (int i = 0; i < m.rows(); i++) for (int j = 0; j < m.cols(); j++) s.set(i, j, 0.5 * (m.get(i, j) + m.get(j, i)));
        return s;
    }

    /** Rounded to 12 significant digits, so ties in a sort key do not depend on the last bits. */
    private static double round(double x) {
        if (x == 0 || !Double.isFinite(x)) return x;
        return new java.math.BigDecimal(x).round(new java.math.MathContext(12)).doubleValue();
    }

    private static Integer[] order(int n, Comparator<Integer> by) {
        Integer[] o = new Integer[n];
        for (int j = 0; j < n; j++) o[j] = j;
        Arrays.sort(o, by);
        return o;
    }

    /** The row of the largest |entry| in column j (the first of near-equal ones). */
    private static int largest(Matrix m, int j) {
        int best = 0;
        double value = -1;
        for (int i = 0; i < m.rows(); i++) {
            double a = Math.abs(m.get(i, j));
            if (a > value * (1 + 1e-9) + 1e-300) {
                value = a;
                best = i;
            }
        }
        return best;
    }

    private static void negateColumn(Matrix m, int j) {
        for (int i = 0; i < m.rows(); i++) m.set(i, j, -m.get(i, j));
    }

    private static Matrix columns(Matrix m, Integer[] order) {
        Matrix r = Matrix.zeros(m.rows(), order.length);
        for (int i = 0; i < m.rows(); i++) for (int j = 0; j < order.length; j++) r.set(i, j, m.get(i, order[j]));
        return r;
    }

    private static Dense dense(Backend backend, Matrix m) {
        return backend.fromDoubles(m.data(), new long[] {m.rows(), m.cols()}, DType.FLOAT64);
    }

    private static Matrix matrix(Backend backend, Dense d) {
        long[] shape = d.shape();
        return new Matrix((int) shape[0], (int) shape[1], backend.toDoubles(d));
    }
}
