package tn.linalg;

import java.util.ArrayList;
import java.util.List;
import tn.exec.Backend;

/**
 * Tensor trains (matrix product states) as lists of three-leg cores (left bond, site, right bond;
 * the outer bonds have size 1): built from a dense tensor by sequential SVDs (TT-SVD), brought to
 * left-, right- or mixed-canonical form by QR sweeps, and compressed by an SVD sweep from the
 * canonical form, where the discarded weights of the steps add up exactly (in squares) to the
 * Frobenius error. Real and complex trains take the same steps ({@link ComplexMatrix}, with the
 * plain transposes of {@link Factorizations}: a right-orthonormal core B has B B^dagger = I).
 */
public final class TensorTrain {
    private TensorTrain() {}

    /** A core's entries, row-major over (left, site, right); {@code im} the imaginary parts (null when real). */
    public record Core(int left, int site, int right, double[] data, double[] im) {
        public Core(int left, int site, int right, double[] data) {
            this(left, site, right, data, null);
        }

        static Core of(int left, int site, int right, ComplexMatrix m) {
            return new Core(left, site, right, m.re().data(), m.imData());
        }

        ComplexMatrix leftMatrix() { return ComplexMatrix.of(left * site, right, data, im); }

        ComplexMatrix rightMatrix() { return ComplexMatrix.of(left, site * right, data, im); }
    }

    /** Cores and the discarded weight (the Frobenius norm of what the truncations dropped). */
    public record Result(List<Core> cores, double discarded) {}

    /** TT-SVD of a dense tensor (row-major over the sites, in order; {@code im} null when real). */
    public static Result fromDense(Backend backend, double[] data, double[] im, int[] dims, Truncation truncation) {
        List<Core> cores = new ArrayList<>();
        double discarded2 = 0;
        int left = 1;
        ComplexMatrix rest = ComplexMatrix.of(dims[0], data.length / dims[0], data.clone(), im == null ? null : im.clone());
        for (int k = 0; k < dims.length - 1; k++) {
            Factorizations.Svd f = Factorizations.svd(backend, rest);
            int keep = truncation.keep(f.s());
            double tail = Vectors.tailNorm(f.s(), keep);
            discarded2 += tail * tail;
            cores.add(Core.of(left, dims[k], keep, f.uMatrix().leadingColumns(keep)));
            // The remainder S V^T, reshaped so the next site joins the rows.
            ComplexMatrix sv = f.vMatrix().leadingColumns(keep).scaleColumns(f.s()).transpose();
            left = keep;
            int rows = keep * dims[k + 1];
            rest = sv.reshape(rows, sv.re().data().length / rows);
        }
        cores.add(Core.of(left, dims[dims.length - 1], 1, rest));
        return new Result(cores, Math.sqrt(discarded2));
    }

    /** The same train with every core left of {@code center} left-orthonormal and every core right of it right-orthonormal. */
    public static List<Core> canonical(Backend backend, List<Core> in, int center) {
        List<Core> cores = new ArrayList<>(in);
        for (int k = 0; k < center; k++) {
            Core c = cores.get(k);
            Factorizations.Qr f = Factorizations.qr(backend, c.leftMatrix());
            int kept = f.q().cols();
            cores.set(k, Core.of(c.left(), c.site(), kept, f.qMatrix()));
            Core next = cores.get(k + 1);
            cores.set(k + 1, Core.of(kept, next.site(), next.right(), f.rMatrix().times(next.rightMatrix())));
        }
        for (int k = cores.size() - 1; k > center; k--) {
            Core c = cores.get(k);
            Factorizations.Qr f = Factorizations.qr(backend, c.rightMatrix().transpose());
            int kept = f.q().cols();
            cores.set(k, Core.of(kept, c.site(), c.right(), f.qMatrix().transpose()));
            Core prev = cores.get(k - 1);
            cores.set(k - 1, Core.of(prev.left(), prev.site(), kept, prev.leftMatrix().times(f.rMatrix().transpose())));
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
            cores.set(k, Core.of(keep, c.site(), c.right(), f.vMatrix().leadingColumns(keep).transpose()));
            ComplexMatrix us = f.uMatrix().leadingColumns(keep).scaleColumns(f.s());
            Core prev = cores.get(k - 1);
            cores.set(k - 1, Core.of(prev.left(), prev.site(), keep, prev.leftMatrix().times(us)));
        }
        return new Result(cores, Math.sqrt(discarded2));
    }
}
