package tn.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tn.exec.Backend;
import tn.exec.ComplexBackend;
import tn.exec.ComplexDense;
import tn.exec.DType;
import tn.exec.Dense;
import tn.exec.nd4j.Nd4jBackend;
import tn.io.NdData;
import tn.io.Npz;

/**
 * The complex factorisations (LAPACK's zgesdd, zgeqrf + zungqr, zheevd, zgeev under
 * {@link Factorizations}) against numpy's (src/test/resources/complex/make_fixtures.py, linalg.npz)
 * on what no gauge changes: singular values, |<u_i|u_i'>|, projectors, |R_ij|, eigenvalues; and
 * against their identities: reconstruction, V^dagger V = I, Eckart-Young for the truncation.
 * Complex arithmetic here is written out in the test, independently of tn's.
 */
class ComplexFactorizationsTest {
    static final Backend B = ComplexBackend.over(new Nd4jBackend());
    static final Map<String, NdData> NP;

    static {
        try {
            NP = Npz.read(Path.of("src/test/resources/complex/linalg.npz"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A complex matrix as its parts {re, im}. */
    static Matrix[] fixture(String key) {
        NdData d = NP.get(key);
        int rows = (int) d.shape()[0], cols = d.shape().length > 1 ? (int) d.shape()[1] : 1;
        double[] re = new double[rows * cols], im = new double[rows * cols];
        for (int i = 0; i < re.length; i++) {
            re[i] = d.isComplex() ? d.data()[2 * i] : d.data()[i];
            im[i] = d.isComplex() ? d.data()[2 * i + 1] : 0;
        }
        return new Matrix[] {new Matrix(rows, cols, re), new Matrix(rows, cols, im)};
    }

    static double[] reals(String key) {
        return NP.get(key).data();
    }

    static Dense dense(Matrix[] m, DType dtype) {
        long[] shape = {m[0].rows(), m[0].cols()};
        return new ComplexDense(B.fromDoubles(m[0].data(), shape, dtype.realPart()), B.fromDoubles(m[1].data(), shape, dtype.realPart()), dtype);
    }

    /** a b of complex matrices, with conj(a) when {@code conjugateA} (and a transposed when {@code transposeA}). */
    static Matrix[] times(Matrix[] a, boolean transposeA, boolean conjugateA, Matrix[] b) {
        Matrix ar = transposeA ? a[0].transpose() : a[0], ai = transposeA ? a[1].transpose() : a[1];
        double sign = conjugateA ? -1 : 1;
        int n = ar.rows(), k = ar.cols(), m = b[0].cols();
        Matrix re = Matrix.zeros(n, m), im = Matrix.zeros(n, m);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double r = 0, s = 0;
                for (int l = 0; l < k; l++) {
                    double x = ar.get(i, l), y = sign * ai.get(i, l), u = b[0].get(l, j), v = b[1].get(l, j);
                    r += x * u - y * v;
                    s += x * v + y * u;
                }
                re.set(i, j, r);
                im.set(i, j, s);
            }
        }
        return new Matrix[] {re, im};
    }

    static Matrix[] scaleColumns(Matrix[] a, double[] s) {
        Matrix re = Matrix.zeros(a[0].rows(), s.length), im = Matrix.zeros(a[0].rows(), s.length);
        for (int i = 0; i < re.rows(); i++) {
            for (int j = 0; j < s.length; j++) {
                re.set(i, j, a[0].get(i, j) * s[j]);
                im.set(i, j, a[1].get(i, j) * s[j]);
            }
        }
        return new Matrix[] {re, im};
    }

    static double distance(Matrix[] a, Matrix[] b) {
        double worst = 0;
        for (int i = 0; i < a[0].data().length; i++) {
            worst = Math.max(worst, Math.hypot(a[0].data()[i] - b[0].data()[i], a[1].data()[i] - b[1].data()[i]));
        }
        return worst;
    }

    static Matrix[] identity(int n) {
        Matrix re = Matrix.zeros(n, n);
        for (int i = 0; i < n; i++) re.set(i, i, 1);
        return new Matrix[] {re, Matrix.zeros(n, n)};
    }

    /** |<a_j|b_j>| for column j of each. */
    static double overlap(Matrix[] a, Matrix[] b, int j) {
        double r = 0, s = 0;
        for (int i = 0; i < a[0].rows(); i++) {
            double x = a[0].get(i, j), y = -a[1].get(i, j), u = b[0].get(i, j), v = b[1].get(i, j);
            r += x * u - y * v;
            s += x * v + y * u;
        }
        return Math.hypot(r, s);
    }

    static Matrix[] transpose(Matrix[] a) {
        return new Matrix[] {a[0].transpose(), a[1].transpose()};
    }

    @ParameterizedTest
    @ValueSource(strings = {"m", "wide"})
    void svdMatchesNumpyUpToPhasesAndReconstructs(String key) {
        Matrix[] a = fixture(key);
        Factorizations.Svd f = Factorizations.svd(B, dense(a, DType.COMPLEX128));
        double[] s = reals(key + "_s");
        int k = s.length;
        for (int j = 0; j < k; j++) assertEquals(s[j], f.s()[j], 1e-12, "singular value " + j);
        Matrix[] u = {f.u(), f.uIm()}, v = {f.v(), f.vIm()};
        // A = U diag(S) V^T (plain transpose: V holds the conjugated right singular vectors).
        assertTrue(distance(times(scaleColumns(u, f.s()), false, false, transpose(v)), a) < 1e-12, "U S V^T = A");
        assertTrue(distance(times(u, true, true, u), identity(k)) < 1e-12, "U^dagger U = I");
        assertTrue(distance(times(v, true, true, v), identity(k)) < 1e-12, "V^dagger V = I");
        // Against numpy's vectors: the same up to a phase each (numpy's V^T is its Vh).
        Matrix[] nu = fixture(key + "_u"), nv = transpose(fixture(key + "_vh"));
        for (int j = 0; j < k; j++) {
            assertEquals(1, overlap(nu, u, j), 1e-12, "|<u_" + j + "|u_" + j + "'>|");
            assertEquals(1, overlap(nv, v, j), 1e-12, "|<v_" + j + "|v_" + j + "'>|");
        }
        assertEquals(s.length, Factorizations.svdvals(B, dense(a, DType.COMPLEX128)).length);
        double[] alone = Factorizations.svdvals(B, dense(a, DType.COMPLEX128));
        for (int j = 0; j < k; j++) assertEquals(s[j], alone[j], 1e-12, "svdvals " + j);
    }

    @ParameterizedTest
    @ValueSource(strings = {"m", "wide"})
    void truncationErrorIsEckartYoung(String key) {
        Matrix[] a = fixture(key);
        Factorizations.Svd f = Factorizations.svd(B, dense(a, DType.COMPLEX128));
        int kept = new Truncation(2, 0).keep(f.s());
        assertEquals(2, kept);
        double discarded = Vectors.tailNorm(f.s(), kept);
        // numpy's error of its best rank-2 approximation, and the Frobenius error of tn's own.
        assertEquals(reals(key + "_rank2_error")[0], discarded, 1e-12);
        Matrix[] u2 = {f.u().leadingColumns(2), f.uIm().leadingColumns(2)}, v2 = {f.v().leadingColumns(2), f.vIm().leadingColumns(2)};
        Matrix[] approx = times(scaleColumns(u2, java.util.Arrays.copyOf(f.s(), 2)), false, false, transpose(v2));
        double frobenius = 0;
        for (int i = 0; i < a[0].data().length; i++) {
            double x = a[0].data()[i] - approx[0].data()[i], y = a[1].data()[i] - approx[1].data()[i];
            frobenius += x * x + y * y;
        }
        assertEquals(Math.sqrt(frobenius), discarded, 1e-12);
    }

    @Test
    void complex64IsFactorisedInDoublePrecisionFromItsEntries() {
        Matrix[] a = fixture("m");
        double[] s = Factorizations.svdvals(B, dense(a, DType.COMPLEX64)), expected = reals("m_s");
        for (int j = 0; j < s.length; j++) assertEquals(expected[j], s[j], 1e-5, "singular value " + j);
    }

    @ParameterizedTest
    @ValueSource(strings = {"m", "wide"})
    void qrHasARealPositiveDiagonalAndNumpysModuli(String key) {
        Matrix[] a = fixture(key);
        Factorizations.Qr f = Factorizations.qr(B, a[0], a[1]);
        Matrix[] q = {f.q(), f.qIm()}, r = {f.r(), f.rIm()};
        int k = Math.min(a[0].rows(), a[0].cols());
        assertTrue(distance(times(q, false, false, r), a) < 1e-12, "Q R = A");
        assertTrue(distance(times(q, true, true, q), identity(k)) < 1e-12, "Q^dagger Q = I");
        Matrix[] nr = fixture(key + "_r"), nq = fixture(key + "_q");
        for (int i = 0; i < k; i++) {
            assertTrue(r[0].get(i, i) >= 0 && r[1].get(i, i) == 0, "diagonal " + i + " real and >= 0");
            for (int j = 0; j < r[0].cols(); j++) {
                if (j < i) assertTrue(r[0].get(i, j) == 0 && r[1].get(i, j) == 0, "below the diagonal");
                // R is unique up to a phase per row: |R_ij| is numpy's.
                assertEquals(Math.hypot(nr[0].get(i, j), nr[1].get(i, j)), Math.hypot(r[0].get(i, j), r[1].get(i, j)), 1e-12);
            }
        }
        // The projector Q Q^dagger does not depend on the phases.
        assertTrue(distance(times(transpose(q), true, true, transpose(q)), times(transpose(nq), true, true, transpose(nq))) < 1e-12);
    }

    @Test
    void eighOfAHermitianMatrixHasNumpysRealValuesAndProjectors() {
        Matrix[] h = fixture("herm");
        Factorizations.Eigh f = Factorizations.eigh(B, h[0], h[1]);
        double[] w = reals("herm_values");
        for (int j = 0; j < w.length; j++) assertEquals(w[j], f.values()[j], 1e-12, "eigenvalue " + j);
        Matrix[] v = {f.vectors(), f.vectorsIm()}, nv = fixture("herm_vectors");
        assertTrue(distance(times(scaleColumns(v, f.values()), false, false, transpose(new Matrix[] {v[0], neg(v[1])})), h) < 1e-12,
                "V diag(w) V^dagger = H");
        for (int j = 0; j < w.length; j++) assertEquals(1, overlap(nv, v, j), 1e-12, "|<v_" + j + "|v_" + j + "'>|");
    }

    @Test
    void eigOfAGeneralComplexMatrixHasNumpysValuesAndVectors() {
        Matrix[] a = fixture("sq");
        Factorizations.Eig f = Factorizations.eig(B, a[0], a[1]);
        Matrix[] lam = fixture("eig_sorted"), nx = fixture("eig_vectors"), x = {f.vectorsRe(), f.vectorsIm()};
        for (int j = 0; j < f.re().length; j++) {
            assertEquals(lam[0].data()[j], f.re()[j], 1e-12, "eigenvalue " + j + " (real part)");
            assertEquals(lam[1].data()[j], f.im()[j], 1e-12, "eigenvalue " + j + " (imaginary part)");
            assertEquals(1, overlap(nx, x, j), 1e-12, "|<x_" + j + "|x_" + j + "'>|");
        }
        // A x = x diag(lambda), with complex lambda.
        Matrix[] ax = times(a, false, false, x);
        Matrix dre = Matrix.zeros(5, 5), dim = Matrix.zeros(5, 5);
        for (int j = 0; j < 5; j++) {
            dre.set(j, j, f.re()[j]);
            dim.set(j, j, f.im()[j]);
        }
        assertTrue(distance(ax, times(x, false, false, new Matrix[] {dre, dim})) < 1e-12, "A x = x diag(lambda)");
    }

    private static Matrix neg(Matrix m) {
        double[] d = m.data().clone();
        for (int i = 0; i < d.length; i++) d[i] = -d[i];
        return new Matrix(m.rows(), m.cols(), d);
    }
}
