package tn.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tn.exec.Backend;
import tn.exec.nd4j.Nd4jBackend;
import tn.reference.ReferenceBackend;

/**
 * The factorisations on ND4J against their defining identities (reconstruction, orthonormality,
 * order, triangularity) and against the plain-Java reference backend's textbook algorithms
 * (Jacobi, Householder), which share no code with ND4J.
 */
class FactorizationsTest {
    static final Backend ND4J = new Nd4jBackend();
    static final Backend REFERENCE = new ReferenceBackend();

    static Matrix random(int rows, int cols, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] d = new double[rows * cols];
        for (int i = 0; i < d.length; i++) d[i] = r.nextDouble(-1, 1);
        return new Matrix(rows, cols, d);
    }

    /** A matrix of exact rank {@code rank}. */
    static Matrix lowRank(int rows, int cols, int rank, long seed) {
        return random(rows, rank, seed).times(random(rank, cols, seed + 1));
    }

    static Stream<Arguments> shapes() {
        return Stream.of(Arguments.of(1, 1), Arguments.of(5, 1), Arguments.of(1, 5), Arguments.of(7, 3), Arguments.of(3, 7),
                Arguments.of(16, 16), Arguments.of(40, 17), Arguments.of(17, 40), Arguments.of(100, 10), Arguments.of(10, 100),
                Arguments.of(33, 31));
    }

    static void assertClose(Matrix expected, Matrix actual, double tol, String what) {
        assertEquals(expected.rows(), actual.rows(), what + " rows");
        assertEquals(expected.cols(), actual.cols(), what + " cols");
        for (int i = 0; i < expected.data().length; i++) {
            assertEquals(expected.data()[i], actual.data()[i], tol, what + " entry " + i);
        }
    }

    static Matrix identity(int n) {
        Matrix m = Matrix.zeros(n, n);
        for (int i = 0; i < n; i++) m.set(i, i, 1);
        return m;
    }

    static Matrix usv(Factorizations.Svd f) {
        Matrix us = new Matrix(f.u().rows(), f.u().cols(), f.u().data().clone());
        for (int i = 0; i < us.rows(); i++) for (int j = 0; j < us.cols(); j++) us.set(i, j, us.get(i, j) * f.s()[j]);
        return us.times(f.v().transpose());
    }

    @ParameterizedTest(name = "svd {0}x{1}")
    @MethodSource("shapes")
    void svdReconstructsWithOrthonormalFactorsOnBothBackends(int rows, int cols) {
        Matrix m = random(rows, cols, 31L * rows + cols);
        int k = Math.min(rows, cols);
        for (Backend b : List.of(ND4J, REFERENCE)) {
            Factorizations.Svd f = Factorizations.svd(b, m);
            assertEquals(k, f.s().length);
            assertClose(m, usv(f), 1e-12, "U S V^T");
            assertClose(identity(k), f.u().transpose().times(f.u()), 1e-12, "U^T U");
            assertClose(identity(k), f.v().transpose().times(f.v()), 1e-12, "V^T V");
            for (int j = 1; j < k; j++) assertTrue(f.s()[j - 1] >= f.s()[j], "descending");
        }
        Factorizations.Svd a = Factorizations.svd(ND4J, m), r = Factorizations.svd(REFERENCE, m);
        assertArrayEquals(r.s(), a.s(), 1e-12);
        // With distinct singular values and the sign convention, the vectors agree too.
        assertClose(r.u(), a.u(), 1e-9, "U vs reference");
        assertClose(r.v(), a.v(), 1e-9, "V vs reference");
    }

    @Test
    void svdOfRankDeficientMatrixHasZeroTailAndStillOrthonormalFactors() {
        Matrix m = lowRank(9, 6, 2, 5);
        for (Backend b : List.of(ND4J, REFERENCE)) {
            Factorizations.Svd f = Factorizations.svd(b, m);
            for (int j = 2; j < 6; j++) assertEquals(0, f.s()[j], 1e-13);
            assertClose(identity(6), f.u().transpose().times(f.u()), 1e-12, "U^T U");
            assertClose(m, usv(f), 1e-12, "reconstruction");
        }
    }

    @Test
    void svdOfAKnownMatrix() {
        // [[3, 0], [4, 5]] has singular values sqrt(45) and sqrt(5) (hand computed: A^T A = [[25, 20], [20, 25]]).
        Matrix m = new Matrix(2, 2, new double[] {3, 0, 4, 5});
        assertArrayEquals(new double[] {Math.sqrt(45), Math.sqrt(5)}, Factorizations.svd(ND4J, m).s(), 1e-14);
    }

    @Test
    void eckartYoungTheTruncationErrorIsTheDiscardedWeight() {
        Matrix m = random(12, 9, 77);
        Factorizations.Svd f = Factorizations.svd(ND4J, m);
        for (int r = 1; r <= 9; r++) {
            Factorizations.Svd t = new Factorizations.Svd(f.u().leadingColumns(r), java.util.Arrays.copyOf(f.s(), r), f.v().leadingColumns(r));
            Matrix diff = usv(t);
            for (int i = 0; i < diff.data().length; i++) diff.data()[i] -= m.data()[i];
            assertEquals(Vectors.tailNorm(f.s(), r), diff.norm(), 1e-12, "rank " + r);
        }
    }

    @ParameterizedTest(name = "qr {0}x{1}")
    @MethodSource("shapes")
    void qrReconstructsWithIsometricQAndTriangularR(int rows, int cols) {
        Matrix m = random(rows, cols, 17L * rows + cols);
        int k = Math.min(rows, cols);
        Factorizations.Qr a = Factorizations.qr(ND4J, m), r = Factorizations.qr(REFERENCE, m);
        for (Factorizations.Qr f : List.of(a, r)) {
            assertClose(m, f.q().times(f.r()), 1e-12, "Q R");
            assertClose(identity(k), f.q().transpose().times(f.q()), 1e-12, "Q^T Q");
            for (int i = 0; i < k; i++) {
                assertTrue(f.r().get(i, i) >= 0, "diagonal of R non-negative");
                for (int j = 0; j < i; j++) assertEquals(0, f.r().get(i, j), 0, "R below the diagonal");
            }
        }
        assertClose(r.r(), a.r(), 1e-10, "R vs reference");
    }

    @ParameterizedTest(name = "eigh {0}")
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2, 5, 16, 40})
    void eighDiagonalisesSymmetricMatricesOnBothBackends(int n) {
        Matrix x = random(n, n, n);
        Matrix m = x.plusTranspose();
        Factorizations.Eigh a = Factorizations.eigh(ND4J, m), r = Factorizations.eigh(REFERENCE, m);
        for (Factorizations.Eigh f : List.of(a, r)) {
            Matrix lambda = Matrix.zeros(n, n);
            for (int i = 0; i < n; i++) lambda.set(i, i, f.values()[i]);
            assertClose(m, f.vectors().times(lambda).times(f.vectors().transpose()), 1e-11, "V L V^T");
            assertClose(identity(n), f.vectors().transpose().times(f.vectors()), 1e-11, "V^T V");
            for (int i = 1; i < n; i++) assertTrue(f.values()[i - 1] <= f.values()[i], "ascending");
        }
        assertArrayEquals(r.values(), a.values(), 1e-11);
        assertClose(r.vectors(), a.vectors(), 1e-8, "vectors vs reference");
    }

    @Test
    void eigOfARotationHasConjugateImaginaryValuesAndSatisfiesAvEqualsLambdaV() {
        // A quarter turn in the plane and a stretch by 2: eigenvalues 2, i, -i (hand computed).
        Matrix m = new Matrix(3, 3, new double[] {0, -1, 0, 1, 0, 0, 0, 0, 2});
        Factorizations.Eig e = Factorizations.eig(ND4J, m);
        assertArrayEquals(new double[] {2, 0, 0}, e.re(), 1e-14);
        assertArrayEquals(new double[] {0, 1, -1}, e.im(), 1e-14);
        checkEigenpairs(m, e);
    }

    @Test
    void eigOfRandomMatricesTraceAndEigenpairs() {
        for (int n : new int[] {1, 4, 9, 20}) {
            Matrix m = random(n, n, 100 + n);
            Factorizations.Eig e = Factorizations.eig(ND4J, m);
            double trace = 0, sum = 0, imag = 0;
            for (int i = 0; i < n; i++) {
                trace += m.get(i, i);
                sum += e.re()[i];
                imag += e.im()[i];
            }
            assertEquals(trace, sum, 1e-10, "trace = sum of eigenvalues");
            assertEquals(0, imag, 1e-10, "imaginary parts cancel in conjugate pairs");
            checkEigenpairs(m, e);
            for (int i = 1; i < n; i++) assertTrue(Math.hypot(e.re()[i - 1], e.im()[i - 1]) >= Math.hypot(e.re()[i], e.im()[i]) - 1e-12);
        }
    }

    @Test
    void eigAgreesWithEighOnSymmetricMatrices() {
        Matrix m = random(6, 6, 9).plusTranspose();
        double[] re = Factorizations.eig(ND4J, m).re().clone();
        java.util.Arrays.sort(re);
        assertArrayEquals(Factorizations.eigh(ND4J, m).values(), re, 1e-11);
    }

    /** A v = lambda v in complex arithmetic, for every pair, and unit vectors. */
    static void checkEigenpairs(Matrix m, Factorizations.Eig e) {
        int n = m.rows();
        for (int k = 0; k < n; k++) {
            double norm = 0;
            for (int i = 0; i < n; i++) {
                double avRe = 0, avIm = 0;
                for (int j = 0; j < n; j++) {
                    avRe += m.get(i, j) * e.vectorsRe().get(j, k);
                    avIm += m.get(i, j) * e.vectorsIm().get(j, k);
                }
                double vr = e.vectorsRe().get(i, k), vi = e.vectorsIm().get(i, k);
                assertEquals(e.re()[k] * vr - e.im()[k] * vi, avRe, 1e-10, "Re(Av) pair " + k);
                assertEquals(e.re()[k] * vi + e.im()[k] * vr, avIm, 1e-10, "Im(Av) pair " + k);
                norm += vr * vr + vi * vi;
            }
            assertEquals(1, norm, 1e-12, "unit eigenvector");
        }
    }

    @Test
    void truncationKeepsByRankAndRelativeCutoffAndAtLeastOne() {
        double[] s = {10, 5, 1, 0.01, 0};
        assertEquals(5, Truncation.NONE.keep(s));
        assertEquals(2, new Truncation(2, 0).keep(s));
        assertEquals(3, new Truncation(0, 0.05).keep(s));
        assertEquals(1, new Truncation(0, 0.99).keep(s));
        assertEquals(4, new Truncation(0, 1e-4).keep(s));
        assertEquals(Math.sqrt(1 + 1e-4), Vectors.tailNorm(s, 2), 1e-15);
    }
}
