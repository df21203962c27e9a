package tn.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tn.exec.nd4j.Nd4jBackend;
import tn.net.Evaluator;
import tn.plan.Planner;

/**
 * Composition scores against the definition computed the slow way: the [d, d] circuits formed
 * as dense products and their Frobenius norms summed entry by entry. Factors of full rank (R from
 * the Gram matrix's Cholesky factor), of lower rank and zero (R from a QR), ill-conditioned ones,
 * and factors shared between circuits (V-composition reads each OV circuit on both sides).
 */
class CompositionTest {
    private static final Nd4jBackend ND4J = new Nd4jBackend();

    private static Matrix random(SplittableRandom rnd, int rows, int cols) {
        double[] d = new double[rows * cols];
        for (int i = 0; i < d.length; i++) d[i] = rnd.nextGaussian();
        return new Matrix(rows, cols, d);
    }

    /** x with column j replaced by column 0 times (j + 1) for j >= rank: rank {@code rank}. */
    private static Matrix lowRank(Matrix x, int rank) {
        double[] d = x.data().clone();
        for (int i = 0; i < x.rows(); i++) for (int j = rank; j < x.cols(); j++) d[i * x.cols() + j] = d[i * x.cols()] * (j + 1);
        return new Matrix(x.rows(), x.cols(), d);
    }

    /** x with column j scaled by 10^(-j): condition number about 10^(k-1). */
    private static Matrix graded(Matrix x) {
        double[] d = x.data().clone();
        for (int i = 0; i < x.rows(); i++) for (int j = 0; j < x.cols(); j++) d[i * x.cols() + j] *= Math.pow(10, -j);
        return new Matrix(x.rows(), x.cols(), d);
    }

    private static double dense(Composition.LowRank a, Composition.LowRank b) {
        Matrix ma = a.x().times(a.y().transpose()), mb = b.x().times(b.y().transpose());
        double na = ma.norm(), nb = mb.norm();
        return na == 0 || nb == 0 ? 0 : ma.times(mb).norm() / (na * nb);
    }

    @Test
    void scoresAreTheNormsOfTheDenseProducts() {
        SplittableRandom rnd = new SplittableRandom(5);
        int d = 24, k = 6;
        Composition.LowRank[] heads = new Composition.LowRank[6];
        heads[0] = new Composition.LowRank(random(rnd, d, k), random(rnd, d, k));
        heads[1] = new Composition.LowRank(lowRank(random(rnd, d, k), 2), random(rnd, d, k));
        heads[2] = new Composition.LowRank(random(rnd, d, k), lowRank(random(rnd, d, k), 1));
        heads[3] = new Composition.LowRank(new Matrix(d, k, new double[d * k]), random(rnd, d, k));
        heads[4] = new Composition.LowRank(graded(random(rnd, d, k)), random(rnd, d, k));
        heads[5] = heads[0].transpose(); // shares its factors with head 0
        double[][] got = Composition.scores(new Contraction(new Evaluator(ND4J, new Planner(), 8e9), null), heads, heads);
        for (int a = 0; a < heads.length; a++) {
            for (int b = 0; b < heads.length; b++) {
                double want = dense(heads[a], heads[b]);
                assertEquals(want, got[a][b], 1e-12 * Math.max(1, want), "heads " + a + ", " + b);
            }
        }
    }

    @Test
    void choleskyFactorsAGramMatrixAndRefusesASingularOne() {
        SplittableRandom rnd = new SplittableRandom(6);
        Matrix x = random(rnd, 10, 4);
        Matrix g = x.transpose().times(x);
        Matrix r = Composition.cholesky(g.data(), 4);
        Matrix back = r.transpose().times(r);
        for (int i = 0; i < 16; i++) assertEquals(g.data()[i], back.data()[i], 1e-12 * Math.abs(g.data()[0]));
        for (int i = 1; i < 4; i++) for (int j = 0; j < i; j++) assertEquals(0, r.get(i, j), 0, "upper triangular");
        Matrix low = lowRank(x, 2);
        assertEquals(null, Composition.cholesky(low.transpose().times(low).data(), 4));
        assertEquals(null, Composition.cholesky(new double[16], 4));
    }
}
