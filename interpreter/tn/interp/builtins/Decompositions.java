package tn.interp.builtins;

import java.util.ArrayList;
import java.util.List;
import tn.exec.DType;
import tn.interp.Args;
import tn.interp.Builtin;
import tn.interp.Interpreter;
import tn.interp.Printer;
import tn.interp.Value;
import tn.linalg.Factorizations;
import tn.linalg.Matrix;
import tn.linalg.Truncation;
import tn.linalg.Vectors;
import tn.linalg.Workspace;
import tn.net.Cut;
import tn.net.Net;

/**
 * Matrix factorisations of tensors across a bipartition of their legs: svd (with truncation),
 * svdvals, qr, polar, eigh, eig, and the isometry test. Factors are tensors with named legs; U, V
 * and Q are leaves of kind {@code isometry}, which diagrams draw as triangles.
 */
public final class Decompositions {
    private Decompositions() {}

    public static List<Builtin> all() {
        return List.of(
            Builtin.of("svd", "svd(T, left=[..], right=[..], bond=b, rank=, cutoff=)",
                "U, S, V with T = U S V (S a vector on the new leg b, shared by all three); with rank= (keep at most"
                    + " that many) or cutoff= (drop s < cutoff * s_max) a fourth result: the discarded weight"
                    + " sqrt(sum of the dropped s^2), which equals the Frobenius error of the truncation",
                Bipartition.guarded(Decompositions::svd)),
            Builtin.of("svdvals", "svdvals(T, left=[..], right=[..], bond=b)",
                "the singular values of T across the bipartition, descending, as a vector on leg b",
                Bipartition.guarded(Decompositions::svdvals)),
            Builtin.of("qr", "qr(T, left=[..], right=[..], bond=b)",
                "Q, R with T = Q R: Q[left.., b] an isometry, R[b, right..] upper triangular with diagonal >= 0",
                Bipartition.guarded(Decompositions::qr)),
            Builtin.of("polar", "polar(T, left=[..], right=[..])",
                "U, P with T = U P: U[left.., right'..] an isometry (the closest one to T), P[right'.., right..]"
                    + " symmetric positive semi-definite; the primed legs are new",
                Bipartition.guarded(Decompositions::polar)),
            Builtin.of("eigh", "eigh(M, left=[..], right=[..], bond=e)",
                "values, vectors of a symmetric M = vectors diag(values) vectors^T (Hermitian, vectors^dagger, for a complex M):"
                    + " values[e] real, ascending, vectors[left.., e] orthonormal",
                Bipartition.guarded(Decompositions::eigh)),
            Builtin.of("eig", "eig(M, left=[..], right=[..], bond=e, vectors=false)",
                "the eigenvalues of a square M as their real and imaginary parts re[e], im[e] (by decreasing"
                    + " modulus); with vectors=true also the eigenvectors' real and imaginary parts [left.., e]; for a"
                    + " product through a small middle (A B^T) the nonzero ones, from the reversed product B^T A",
                Bipartition.guarded(Decompositions::eig)),
            Builtin.of("is_isometry", "is_isometry(U, into=[..], tol=)",
                "true when contracting U with itself over the legs it maps into gives the identity on its"
                    + " other legs (into= defaults to every leg but the last); tol defaults to 1e-9 (float64)",
                Bipartition.guarded(Decompositions::isIsometry)));
    }

    // ---- svd ----------------------------------------------------------------------------------

    private static Value svd(Args a) {
        a.expect(1, 1, "a tensor");
        Net t = a.tensor(0);
        Bipartition bp = Bipartition.read(a, t);
        String bond = Bipartition.bond(a, t, "between U, S and V");
        long rank = a.has("rank") ? a.integer("rank", 0) : -1;
        if (a.has("rank") && rank < 1) throw new tn.diag.TnError(a.keywordSpan("rank"), "rank= must be at least 1, not " + rank);
        double cutoff = cutoff(a);
        boolean truncating = a.has("rank") || a.has("cutoff");
        Interpreter in = a.interpreter();
        Cut.Sides cut = narrowest(t, bp, Math.min(bp.rows(), bp.cols()));
        if (cut == null) bp.whole(a);
        int k = (int) (cut != null ? cut.bondSize() : Math.min(bp.rows(), bp.cols()));
        int kept = rank > 0 ? (int) Math.min(k, rank) : k;
        Factorizations.Svd f = null;
        double discarded = 0;
        affordSvd(a, t, bp, cut, true);
        if (in.concrete()) {
            f = svdOf(a, t, bp, cut);
            kept = new Truncation(kept, cutoff).keep(f.s());
            discarded = Vectors.tailNorm(f.s(), kept);
        }
        in.bindLeg(bond, kept, a.keywordSpan("bond"));
        DType dt = t.dtype();
        // Complex: U and V complex (T = U S V, so V^dagger V = I), the singular values real.
        Net u = Bipartition.leaf(in, Bipartition.plus(bp.left(), bond), Bipartition.plus(bp.leftSizes(), kept), dt,
                f == null ? null : f.u().leadingColumns(kept).data(), f == null || f.uIm() == null ? null : f.uIm().leadingColumns(kept).data(),
                "isometry", a);
        Net s = Bipartition.leaf(in, List.of(bond), new long[] {kept}, dt.realPart(),
                f == null ? null : java.util.Arrays.copyOf(f.s(), kept), "singular values", a);
        Net v = Bipartition.leaf(in, Bipartition.plus(bp.right(), bond), Bipartition.plus(bp.rightSizes(), kept), dt,
                f == null ? null : f.v().leadingColumns(kept).data(), f == null || f.vIm() == null ? null : f.vIm().leadingColumns(kept).data(),
                "isometry", a);
        List<Value> out = new ArrayList<>(List.of(new Value.TensorValue(u), new Value.TensorValue(s), new Value.TensorValue(v)));
        if (truncating) out.add(Bipartition.number(a, discarded));
        return new Value.Tuple(out);
    }

    /**
     * The narrowest cut of a product network to factorise it through, or null; always null for a
     * complex tensor (the products through the cut are real-only: it is contracted whole).
     */
    static Cut.Sides narrowest(Net t, Bipartition bp, long within) {
        return t.dtype().isComplex() ? null : Cut.narrowest(t, bp.left(), bp.right(), within);
    }

    /**
     * The SVD of the tensor's matrix; a product network with a cut narrower than the matrix is
     * factorised through the cut (the two sides are contracted, the whole never is).
     */
    static Factorizations.Svd svdOf(Args a, Net t, Bipartition bp, Cut.Sides cut) {
        Interpreter in = a.interpreter();
        if (cut == null) return bp.finite(a, () -> Factorizations.svd(in.evaluator().backend(), bp.dense(in, t)));
        Matrix[] sides = bp.sides(a, cut);
        return Factorizations.svdOfProduct(in.evaluator().backend(), sides[0], sides[1]);
    }

    /**
     * The memory check of an SVD (with or without vectors); through a cut, the sides are matrices
     * [rows, bond] and [cols, bond] and the SVD is of their small middle.
     */
    static void affordSvd(Args a, Net t, Bipartition bp, Cut.Sides cut, boolean vectors) {
        int bytes = t.dtype().bytes();
        if (cut != null) {
            long b = cut.bondSize();
            double sides = (double) (bp.rows() + bp.cols()) * b;
            Bipartition.affordable(a, 6 * sides * Double.BYTES + Workspace.svd(b, b, 8, false), bp.describe(a) + " (through its "
                    + b + "-wide cut)", "");
        } else if (vectors) {
            double values = Workspace.svdvals(bp.rows(), bp.cols(), bytes, bp.permuted(t));
            Bipartition.affordable(a, Workspace.svd(bp.rows(), bp.cols(), bytes, bp.permuted(t)), bp.describe(a),
                    "; svdvals() needs " + tn.net.Units.bytes(values) + ", if the singular values are enough");
        } else {
            Bipartition.affordable(a, Workspace.svdvals(bp.rows(), bp.cols(), bytes, bp.permuted(t)), bp.describe(a), "");
        }
    }

    static double cutoff(Args a) {
        double cutoff = a.number("cutoff", 0);
        if (a.has("cutoff") && !(cutoff >= 0 && cutoff < 1)) {
            throw new tn.diag.TnError(a.keywordSpan("cutoff"), "cutoff= is relative to the largest singular value: "
                    + "a number in [0, 1), not " + Printer.number(cutoff));
        }
        return cutoff;
    }

    private static Value svdvals(Args a) {
        a.expect(1, 1, "a tensor");
        Net t = a.tensor(0);
        Bipartition bp = Bipartition.read(a, t);
        String bond = Bipartition.bond(a, t, "of the singular values");
        Interpreter in = a.interpreter();
        Cut.Sides cut = narrowest(t, bp, Math.min(bp.rows(), bp.cols()));
        if (cut == null) bp.whole(a);
        int k = (int) (cut != null ? cut.bondSize() : Math.min(bp.rows(), bp.cols()));
        in.bindLeg(bond, k, a.keywordSpan("bond"));
        affordSvd(a, t, bp, cut, false);
        double[] s = null;
        if (in.concrete() && cut == null) {
            s = bp.finite(a, () -> Factorizations.svdvals(in.evaluator().backend(), bp.dense(in, t)));
        } else if (in.concrete()) {
            Matrix[] sides = bp.sides(a, cut);
            s = Factorizations.svdvalsOfProduct(in.evaluator().backend(), sides[0], sides[1]);
        }
        return new Value.TensorValue(Bipartition.leaf(in, List.of(bond), new long[] {k}, t.dtype().realPart(), s, "singular values", a));
    }

    // ---- qr and polar ---------------------------------------------------------------------------

    private static Value qr(Args a) {
        a.expect(1, 1, "a tensor");
        Net t = a.tensor(0);
        Bipartition bp = Bipartition.read(a, t);
        bp.whole(a);
        String bond = Bipartition.bond(a, t, "between Q and R");
        Interpreter in = a.interpreter();
        int k = (int) Math.min(bp.rows(), bp.cols());
        in.bindLeg(bond, k, a.keywordSpan("bond"));
        Bipartition.affordable(a, Workspace.qr(bp.rows(), bp.cols(), t.dtype().bytes()), bp.describe(a), "");
        Factorizations.Qr f = null;
        if (in.concrete() && t.dtype().isComplex()) {
            Matrix[] m = bp.finite(a, () -> bp.parts(in, t));
            f = Factorizations.qr(in.evaluator().backend(), m[0], m[1]);
        } else if (in.concrete()) {
            f = bp.finite(a, () -> Factorizations.qr(in.evaluator().backend(), bp.matrix(in, t)));
        }
        Net q = Bipartition.leaf(in, Bipartition.plus(bp.left(), bond), Bipartition.plus(bp.leftSizes(), k), t.dtype(),
                f == null ? null : f.q().data(), f == null || f.qIm() == null ? null : f.qIm().data(), "isometry", a);
        Net r = Bipartition.leaf(in, Bipartition.plus(bond, bp.right()), Bipartition.plus(k, bp.rightSizes()), t.dtype(),
                f == null ? null : f.r().data(), f == null || f.rIm() == null ? null : f.rIm().data(), "triangular", a);
        return new Value.Tuple(List.of(new Value.TensorValue(q), new Value.TensorValue(r)));
    }

    private static Value polar(Args a) {
        a.expect(1, 1, "a tensor");
        Net t = a.tensor(0);
        Bipartition bp = Bipartition.read(a, t);
        bp.whole(a);
        Interpreter in = a.interpreter();
        List<String> primed = new ArrayList<>();
        for (int k = 0; k < bp.right().size(); k++) {
            String p = tn.interp.Interpreter.primed(bp.right().get(k));
            if (t.legs().contains(p)) throw a.error("polar() names its new legs " + p + ", ..., but " + p + " is already a leg of the tensor");
            in.bindLeg(p, bp.rightSizes()[k], a.span());
            primed.add(p);
        }
        int cols = (int) bp.cols();
        Bipartition.affordable(a, Workspace.polar(bp.rows(), bp.cols(), t.dtype().bytes(), bp.permuted(t)), bp.describe(a), "");
        double[] u = null, p = null;
        if (in.concrete()) {
            Factorizations.Svd f = bp.finite(a, () -> Factorizations.svd(in.evaluator().backend(), bp.dense(in, t)));
            Matrix vt = f.v().transpose();
            u = f.u().times(vt).data();
            Matrix vs = f.v().leadingColumns(f.s().length);
            Matrix scaled = Matrix.zeros(vs.rows(), vs.cols());
            for (int i = 0; i < vs.rows(); i++) for (int j = 0; j < vs.cols(); j++) scaled.set(i, j, vs.get(i, j) * f.s()[j]);
            p = scaled.times(vt).data();
        }
        List<String> uLegs = new ArrayList<>(bp.left());
        uLegs.addAll(primed);
        List<String> pLegs = new ArrayList<>(primed);
        pLegs.addAll(bp.right());
        long[] uShape = concat(bp.leftSizes(), bp.rightSizes()), pShape = concat(bp.rightSizes(), bp.rightSizes());
        Net un = Bipartition.leaf(in, uLegs, uShape, t.dtype(), u, bp.rows() >= cols ? "isometry" : "co-isometry", a);
        Net pn = Bipartition.leaf(in, pLegs, pShape, t.dtype(), p, "positive", a);
        return new Value.Tuple(List.of(new Value.TensorValue(un), new Value.TensorValue(pn)));
    }

    private static long[] concat(long[] x, long[] y) {
        long[] r = java.util.Arrays.copyOf(x, x.length + y.length);
        System.arraycopy(y, 0, r, x.length, y.length);
        return r;
    }

    // ---- eigen ----------------------------------------------------------------------------------

    private static Bipartition square(Args a, Net t) {
        Bipartition bp = Bipartition.read(a, t);
        if (bp.rows() != bp.cols()) {
            throw a.error(a.name() + "() needs a square matrix, but left legs " + bp.left() + " make " + bp.rows()
                    + " rows and right legs " + bp.right() + " make " + bp.cols() + " columns");
        }
        return bp;
    }

    private static Value eigh(Args a) {
        a.expect(1, 1, "a symmetric tensor");
        Net t = a.tensor(0);
        Bipartition bp = square(a, t);
        bp.whole(a);
        String bond = Bipartition.bond(a, t, "of the eigenvalues");
        double tol = a.number("tol", 1e-8);
        Interpreter in = a.interpreter();
        int n = (int) bp.rows();
        in.bindLeg(bond, n, a.keywordSpan("bond"));
        Bipartition.affordable(a, Workspace.eigh(n, t.dtype().bytes()), bp.describe(a), "");
        Factorizations.Eigh f = null;
        if (in.concrete() && t.dtype().isComplex()) {
            Matrix[] m = bp.finite(a, () -> bp.parts(in, t));
            double asym = Factorizations.asymmetry(m[0], m[1]);
            if (asym > tol) {
                throw a.error("eigh() needs a Hermitian matrix, but ||M - M^dagger|| / ||M|| = " + Printer.number(asym)
                        + " (tol=" + Printer.number(tol) + "); use eig() for general matrices");
            }
            f = Factorizations.eigh(in.evaluator().backend(), m[0], m[1]);
        } else if (in.concrete()) {
            Matrix m = bp.finite(a, () -> bp.matrix(in, t));
            double asym = Factorizations.asymmetry(m);
            if (asym > tol) {
                throw a.error("eigh() needs a symmetric matrix, but ||M - M^T|| / ||M|| = " + Printer.number(asym)
                        + " (tol=" + Printer.number(tol) + "); use eig() for general matrices");
            }
            f = Factorizations.eigh(in.evaluator().backend(), m);
        }
        // A Hermitian matrix's eigenvalues are real; its eigenvectors complex.
        Net values = Bipartition.leaf(in, List.of(bond), new long[] {n}, t.dtype().realPart(), f == null ? null : f.values(), "eigenvalues", a);
        Net vectors = Bipartition.leaf(in, Bipartition.plus(bp.left(), bond), Bipartition.plus(bp.leftSizes(), n), t.dtype(),
                f == null ? null : f.vectors().data(), f == null || f.vectorsIm() == null ? null : f.vectorsIm().data(), "isometry", a);
        return new Value.Tuple(List.of(new Value.TensorValue(values), new Value.TensorValue(vectors)));
    }

    private static Value eig(Args a) {
        a.expect(1, 1, "a square tensor");
        Net t = a.tensor(0);
        Bipartition bp = square(a, t);
        String bond = Bipartition.bond(a, t, "of the eigenvalues");
        boolean withVectors = a.bool("vectors", false);
        Interpreter in = a.interpreter();
        // A product through a small middle, A B^T: the nonzero eigenvalues are those of the reversed B^T A.
        Cut.Sides cut = narrowest(t, bp, bp.rows());
        if (cut == null) bp.whole(a);
        int n = (int) (cut != null ? cut.bondSize() : bp.rows());
        in.bindLeg(bond, n, a.keywordSpan("bond"));
        if (cut == null) {
            Bipartition.affordable(a, Workspace.eig(n, t.dtype().bytes()), bp.describe(a), "");
        } else {
            Bipartition.affordable(a, 6.0 * 2 * bp.rows() * n * Double.BYTES + Workspace.eig(n, 8), bp.describe(a) + " (through its " + n + "-wide cut)", "");
        }
        Factorizations.Eig f = null;
        if (in.concrete()) {
            if (t.dtype().isComplex()) {
                Matrix[] m = bp.finite(a, () -> bp.parts(in, t));
                f = Factorizations.eig(in.evaluator().backend(), m[0], m[1]);
            } else if (cut == null) {
                f = bp.finite(a, () -> Factorizations.eig(in.evaluator().backend(), bp.matrix(in, t)));
            } else {
                Matrix[] sides = bp.sides(a, cut);
                f = Factorizations.eigOfProduct(in.evaluator().backend(), sides[0], sides[1], withVectors);
            }
        }
        // Real and imaginary parts, real tensors also for a complex M (the same results as for a real one).
        DType part = t.dtype().realPart();
        List<Value> out = new ArrayList<>();
        out.add(new Value.TensorValue(Bipartition.leaf(in, List.of(bond), new long[] {n}, part, f == null ? null : f.re(), "eigenvalues", a)));
        out.add(new Value.TensorValue(Bipartition.leaf(in, List.of(bond), new long[] {n}, part, f == null ? null : f.im(), "eigenvalues", a)));
        if (withVectors) {
            List<String> legs = Bipartition.plus(bp.left(), bond);
            long[] shape = Bipartition.plus(bp.leftSizes(), n);
            out.add(new Value.TensorValue(Bipartition.leaf(in, legs, shape, part, f == null ? null : f.vectorsRe().data(), "eigenvectors", a)));
            out.add(new Value.TensorValue(Bipartition.leaf(in, legs, shape, part, f == null ? null : f.vectorsIm().data(), "eigenvectors", a)));
        }
        return new Value.Tuple(out);
    }


    // ---- isometries -----------------------------------------------------------------------------

    private static Value isIsometry(Args a) {
        a.expect(1, 1, "a tensor");
        Net t = a.tensor(0);
        if (t.rank() < 2) throw a.error(0, "is_isometry() needs a tensor with at least two legs, not " + t.legs());
        List<String> into = a.legsKeyword("into");
        if (into == null) into = t.legs().subList(0, t.rank() - 1);
        for (String leg : into) {
            if (!t.legs().contains(leg)) {
                throw new tn.diag.TnError(a.keywordSpan("into"), "is_isometry(): the tensor has no leg " + leg
                        + " (its legs: " + String.join(", ", t.legs()) + ")");
            }
        }
        if (into.size() == t.rank()) throw new tn.diag.TnError(a.keywordSpan("into"), "is_isometry(): into= must leave at least one leg out");
        double tol = a.number("tol", t.dtype() == DType.FLOAT64 || t.dtype() == DType.COMPLEX128 ? 1e-9 : 1e-5);
        Interpreter in = a.interpreter();
        List<String> from = new ArrayList<>(t.legs());
        from.removeAll(into);
        Bipartition bp = new Bipartition(List.copyOf(into), from, Bipartition.sizes(t, into), Bipartition.sizes(t, from));
        bp.whole(a);
        if (!in.concrete()) return new Value.Unknown();
        double worst = 0;
        if (t.dtype().isComplex()) {
            // U^dagger U = (A - iB)^T (A + iB) = (A^T A + B^T B) + i (A^T B - B^T A).
            Matrix[] m = bp.finite(a, () -> bp.parts(in, t));
            Matrix ta = m[0].transpose(), tb = m[1].transpose();
            Matrix re = ta.times(m[0]), re2 = tb.times(m[1]), im = ta.times(m[1]), im2 = tb.times(m[0]);
            for (int i = 0; i < re.rows(); i++) {
                for (int j = 0; j < re.cols(); j++) {
                    worst = Math.max(worst, Math.hypot(re.get(i, j) + re2.get(i, j) - (i == j ? 1 : 0), im.get(i, j) - im2.get(i, j)));
                }
            }
        } else {
            Matrix m = bp.finite(a, () -> bp.matrix(in, t));
            Matrix gram = m.transpose().times(m);
            for (int i = 0; i < gram.rows(); i++) {
                for (int j = 0; j < gram.cols(); j++) worst = Math.max(worst, Math.abs(gram.get(i, j) - (i == j ? 1 : 0)));
            }
        }
        String detail = "largest entry of U^" + (t.dtype().isComplex() ? "dagger" : "T") + " U - I is " + Printer.number(worst) + " (tol=" + Printer.number(tol) + ")";
        if (bp.rows() < bp.cols()) detail += "; U maps " + bp.cols() + " dimensions into " + bp.rows() + ", so it cannot be one";
        return new Value.Bool(worst <= tol, detail);
    }

}
