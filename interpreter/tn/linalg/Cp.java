package tn.linalg;

import java.util.ArrayList;
import java.util.List;
import tn.exec.DType;
import tn.net.Tensor;

/**
 * CP (CANDECOMP/PARAFAC) decomposition by alternating least squares: T ~ sum_r w_r a_r (x) b_r (x)
 * ..., with unit-norm factor columns and weights w. Each step solves for one factor exactly,
 * using the MTTKRP (the tensor contracted with every other factor, a network) and the Hadamard
 * product of the other factors' Gram matrices; the fit 1 - ||T - T_hat|| / ||T|| is measured
 * after every sweep, which never lowers it (each step is an exact least-squares solve), and the
 * iteration stops when a sweep changes it by less than the tolerance.
 *
 * <p>ALS finds a local optimum near its start. From random factors it often stalls far from the
 * best fit (a rank-10 40 x 40 x 40 tensor with 1% noise: fit 0.81 from seed 0), so the default
 * start is the HOSVD one, the leading left singular vectors of each unfolding (as tensorly's
 * default), which lands in the right basin for tensors with low-rank structure; several starts
 * can be run and the best kept.
 */
public final class Cp {
    private Cp() {}

    /**
     * Factors [leg_n, rank] as matrices, in the tensor's leg order; weights descending; the sweeps
     * made ({@code maxIter} when the tolerance was not reached).
     */
    public record Result(double[] weights, List<Matrix> factors, double fit, int iterations) {}

    /**
     * The HOSVD start: for each leg, the leading {@code rank} left singular vectors of the tensor
     * unfolded along it. A leg shorter than the rank has only that many; its other columns are
     * taken from {@code fill} (size x missing entries, row-major), e.g. seeded normal numbers.
     */
    public static List<Matrix> hosvdStart(Contraction c, Tensor t, int rank, java.util.function.IntFunction<double[]> fill) {
        List<Matrix> start = new ArrayList<>();
        for (int m = 0; m < t.rank(); m++) {
            int size = (int) t.shape()[m], known = Math.min(size, rank);
            Matrix u = Factorizations.svd(c.evaluator().backend(), c.unfold(t, List.of(t.legs().get(m)))).u();
            Matrix f = Matrix.zeros(size, rank);
            double[] extra = known < rank ? fill.apply(size * (rank - known)) : new double[0];
            for (int i = 0; i < size; i++) {
                for (int r = 0; r < rank; r++) f.set(i, r, r < known ? u.get(i, r) : extra[i * (rank - known) + r - known]);
            }
            start.add(f);
        }
        return start;
    }

    /** ALS from {@code runs} starts made in turn; the result with the best fit (the first of equal ones). */
    public static Result best(Contraction c, Tensor t, String rankLeg, int runs, java.util.function.IntFunction<List<Matrix>> start,
            double tol, int maxIter) {
        Result best = null;
        for (int k = 0; k < runs; k++) {
            Result r = decompose(c, t, rankLeg, start.apply(k), tol, maxIter);
            if (best == null || r.fit() > best.fit()) best = r;
        }
        return best;
    }

    /**
     * @param t the tensor (float64 arithmetic whatever its dtype)
     * @param rankLeg the name of the rank leg (not a leg of t)
     * @param initial one [size_n, rank] matrix per leg of t (e.g. seeded random)
     */
    public static Result decompose(Contraction c, Tensor t, String rankLeg, List<Matrix> initial, double tol, int maxIter) {
        int n = t.rank(), rank = initial.get(0).cols();
        List<Matrix> a = new ArrayList<>();
        for (Matrix m : initial) a.add(new Matrix(m.rows(), m.cols(), m.data().clone()));
        double[] weights = new double[rank];
        java.util.Arrays.fill(weights, 1);
        double normT = c.norm(t);
        if (normT == 0) {
            return finish(new double[rank], a, 1.0, 0);
        }
        double fit = 0, previous = Double.NEGATIVE_INFINITY;
        int it = 0;
        while (it < maxIter) {
            it++;
            for (int mode = 0; mode < n; mode++) {
                Matrix v = gramsExcept(a, mode, rank);
                Matrix m = mttkrp(c, t, a, mode, rankLeg);
                Matrix updated = m.times(pseudoInverse(c, v));
                for (int r = 0; r < rank; r++) {
                    double norm = 0;
                    for (int i = 0; i < updated.rows(); i++) norm += updated.get(i, r) * updated.get(i, r);
                    norm = Math.sqrt(norm);
                    weights[r] = norm;
                    if (norm > 0) for (int i = 0; i < updated.rows(); i++) updated.set(i, r, updated.get(i, r) / norm);
                }
                a.set(mode, updated);
            }
            // Measured directly (a network like the MTTKRP): the identity ||T||^2 - 2<T, T_hat> + ||T_hat||^2
            // cancels catastrophically near a perfect fit and would stop the iteration early.
            fit = 1 - residualNorm(c, t, weights, a, rankLeg) / normT;
            if (Math.abs(fit - previous) < tol) break;
            previous = fit;
        }
        return finish(weights, a, fit, it);
    }

    private static Result finish(double[] weights, List<Matrix> a, double fit, int it) {
        int rank = weights.length;
        Integer[] order = new Integer[rank];
        for (int r = 0; r < rank; r++) order[r] = r;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(weights[y], weights[x]));
        double[] w = new double[rank];
        List<Matrix> out = new ArrayList<>();
        for (Matrix m : a) out.add(Matrix.zeros(m.rows(), rank));
        for (int r = 0; r < rank; r++) {
            w[r] = weights[order[r]];
            int sign = 1;
            for (int f = 0; f < a.size(); f++) {
                Matrix src = a.get(f), dst = out.get(f);
                // Signs: every factor but the first has its largest entry positive; the first absorbs the product.
                int flip = 1;
                if (f > 0) {
                    int big = 0;
                    for (int i = 1; i < src.rows(); i++) if (Math.abs(src.get(i, order[r])) > Math.abs(src.get(big, order[r])) * (1 + 1e-9)) big = i;
                    if (src.get(big, order[r]) < 0) flip = -1;
                    sign *= flip;
                }
                for (int i = 0; i < src.rows(); i++) dst.set(i, r, flip * src.get(i, order[r]));
            }
            if (sign < 0) {
                Matrix first = out.get(0);
                for (int i = 0; i < first.rows(); i++) first.set(i, r, -first.get(i, r));
            }
        }
        return new Result(w, out, fit, it);
    }

    /** T contracted with every factor but {@code mode}: [size_mode, rank]. */
    static Matrix mttkrp(Contraction c, Tensor t, List<Matrix> a, int mode, String rankLeg) {
        List<Tensor> factors = new ArrayList<>();
        factors.add(t);
        for (int m = 0; m < a.size(); m++) {
            if (m != mode) factors.add(c.tensor(a.get(m), t.legs().get(m), rankLeg, DType.FLOAT64));
        }
        Tensor r = c.contract(factors, List.of(t.legs().get(mode), rankLeg));
        return new Matrix((int) r.shape()[0], (int) r.shape()[1], c.evaluator().backend().toDoubles(r.data()));
    }

    /** The Hadamard product of A_m^T A_m over every m except {@code mode} (-1: all). */
    static Matrix gramsExcept(List<Matrix> a, int mode, int rank) {
        Matrix v = Matrix.zeros(rank, rank);
        java.util.Arrays.fill(v.data(), 1);
        for (int m = 0; m < a.size(); m++) {
            if (m == mode) continue;
            Matrix g = a.get(m).transpose().times(a.get(m));
            for (int i = 0; i < v.data().length; i++) v.data()[i] *= g.data()[i];
        }
        return v;
    }

    /** The pseudo-inverse of a symmetric positive semi-definite matrix (eigenvalues below 1e-12 max dropped). */
    static Matrix pseudoInverse(Contraction c, Matrix v) {
        Factorizations.Eigh e = Factorizations.eigh(c.evaluator().backend(), v);
        double max = 0;
        for (double x : e.values()) max = Math.max(max, Math.abs(x));
        int n = v.rows();
        Matrix r = Matrix.zeros(n, n);
        for (int k = 0; k < n; k++) {
            double lambda = e.values()[k];
            if (lambda <= 1e-12 * max) continue;
            for (int i = 0; i < n; i++) {
                double vi = e.vectors().get(i, k) / lambda;
                for (int j = 0; j < n; j++) r.set(i, j, r.get(i, j) + vi * e.vectors().get(j, k));
            }
        }
        return r;
    }

    /** ||T - sum_r w_r a_r (x) b_r ...||, with the reconstruction contracted as a network. */
    static double residualNorm(Contraction c, Tensor t, double[] w, List<Matrix> a, String rankLeg) {
        List<Tensor> factors = new ArrayList<>();
        factors.add(c.tensor(List.of(rankLeg), new long[] {w.length}, w, DType.FLOAT64));
        for (int m = 0; m < a.size(); m++) factors.add(c.tensor(a.get(m), t.legs().get(m), rankLeg, DType.FLOAT64));
        return c.distance(t, c.contract(factors, t.legs()));
    }
}
