package tn.linalg;

import java.util.ArrayList;
import java.util.List;
import tn.exec.Backend;

/**
 * Tensor trains (matrix product states) as lists of three-leg cores (left bond, site, right bond;
 * the outer bonds have size 1): built from a dense tensor by sequential SVDs (TT-SVD), brought to
 * left-, right- or mixed-canonical form by QR sweeps, and compressed by an SVD sweep from the
 * canonical form, where the discarded weights of the steps add up exactly (in squares) to the
 * Frobenius error.
 */
public final class TensorTrain {
    private TensorTrain() {}

    /** A core's entries, row-major over (left, site, right). */
    public record Core(int left, int site, int right, double[] data) {
        Matrix leftMatrix() { return new Matrix(left * site, right, data); }

        Matrix rightMatrix() { return new Matrix(left, site * right, data); }
    }

    /** Cores and the discarded weight (the Frobenius norm of what the truncations dropped). */
    public record Result(List<Core> cores, double discarded) {}

    /** TT-SVD of a dense tensor (row-major over the sites, in order). */
    public static Result fromDense(Backend backend, double[] data, int[] dims, Truncation truncation) {
        List<Core> cores = new ArrayList<>();
        double discarded2 = 0;
        int left = 1;
        Matrix rest = new Matrix(dims[0], data.length / dims[0], data.clone());
        for (int k = 0; k < dims.length - 1; k++) {
            Factorizations.Svd f = Factorizations.svd(backend, rest);
            int keep = truncation.keep(f.s());
            double tail = Vectors.tailNorm(f.s(), keep);
            discarded2 += tail * tail;
            cores.add(new Core(left, dims[k], keep, f.u().leadingColumns(keep).data()));
            // The remainder S V^T, reshaped so the next site joins the rows.
            Matrix sv = f.v().leadingColumns(keep).transpose();
            for (int i = 0; i < keep; i++) for (int j = 0; j < sv.cols(); j++) sv.set(i, j, sv.get(i, j) * f.s()[i]);
            left = keep;
            int rows = keep * dims[k + 1];
            rest = new Matrix(rows, sv.data().length / rows, sv.data());
        }
        cores.add(new Core(left, dims[dims.length - 1], 1, rest.data()));
        return new Result(cores, Math.sqrt(discarded2));
    }

    /** The same train with every core left of {@code center} left-orthonormal and every core right of it right-orthonormal. */
    public static List<Core> canonical(Backend backend, List<Core> in, int center) {
        List<Core> cores = new ArrayList<>(in);
        for (int k = 0; k < center; k++) {
            Core c = cores.get(k);
            Factorizations.Qr f = Factorizations.qr(backend, c.leftMatrix());
            int kept = f.q().cols();
            cores.set(k, new Core(c.left(), c.site(), kept, f.q().data()));
            Core next = cores.get(k + 1);
            Matrix m = f.r().times(next.rightMatrix());
            cores.set(k + 1, new Core(kept, next.site(), next.right(), m.data()));
        }
        for (int k = cores.size() - 1; k > center; k--) {
            Core c = cores.get(k);
            Factorizations.Qr f = Factorizations.qr(backend, c.rightMatrix().transpose());
            int kept = f.q().cols();
            cores.set(k, new Core(kept, c.site(), c.right(), f.q().transpose().data()));
            Core prev = cores.get(k - 1);
            Matrix m = prev.leftMatrix().times(f.r().transpose());
            cores.set(k - 1, new Core(prev.left(), prev.site(), kept, m.data()));
        }
        return cores;
    }

    /**
     * Truncates every bond: left-canonical form first, then an SVD sweep from the right end, each
     * step keeping what {@code truncation} allows and passing U S on to the left.
     */
    public static Result compress(Backend backend, List<Core> in, Truncation truncation) {
        List<Core> cores = canonical(backend, in, in.size() - 1);
        double discarded2 = 0;
        for (int k = cores.size() - 1; k > 0; k--) {
            Core c = cores.get(k);
            Factorizations.Svd f = Factorizations.svd(backend, c.rightMatrix());
            int keep = truncation.keep(f.s());
            double tail = Vectors.tailNorm(f.s(), keep);
            discarded2 += tail * tail;
            cores.set(k, new Core(keep, c.site(), c.right(), f.v().leadingColumns(keep).transpose().data()));
            Matrix us = f.u().leadingColumns(keep);
            for (int i = 0; i < us.rows(); i++) for (int j = 0; j < keep; j++) us.set(i, j, us.get(i, j) * f.s()[j]);
            Core prev = cores.get(k - 1);
            cores.set(k - 1, new Core(prev.left(), prev.site(), keep, prev.leftMatrix().times(us).data()));
        }
        return new Result(cores, Math.sqrt(discarded2));
    }
}
