package tn.interp.builtins;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tn.exec.Backend;
import tn.exec.DType;
import tn.exec.Dense;
import tn.exec.NonFiniteException;
import tn.diag.TnError;
import tn.interp.Args;
import tn.interp.Interpreter;
import tn.linalg.Matrix;
import tn.net.Net;
import tn.net.Tensor;

/**
 * A tensor's legs split into row legs ({@code left=}) and column legs ({@code right=}): the
 * matrix every decomposition starts from, and the way back from factor matrices to tensors with
 * named legs. Also the shared argument reading of the decomposition builtins (the new bond leg).
 */
record Bipartition(List<String> left, List<String> right, long[] leftSizes, long[] rightSizes) {

    long rows() { return product(leftSizes); }

    long cols() { return product(rightSizes); }

    /**
     * Reads {@code left=} and {@code right=}: either may be omitted (it is then every other leg,
     * in the tensor's order); both omitted is allowed for a matrix (left = its first leg).
     */
    static Bipartition read(Args a, Net t) {
        List<String> left = a.legsKeyword("left"), right = a.legsKeyword("right");
        String name = a.name();
        if (t.rank() < 2) throw a.error(0, name + "() needs a tensor with at least two legs (one for each side), not " + t.legs());
        if (left == null && right == null) {
            if (t.rank() != 2) {
                throw a.error(name + "() needs left=[...] or right=[...] to say which of the legs " + t.legs()
                        + " are rows and which are columns");
            }
            left = List.of(t.legs().get(0));
        }
        if (left != null) check(a, t, left, "left");
        if (right != null) check(a, t, right, "right");
        if (left == null) left = rest(t, right);
        if (right == null) right = rest(t, left);
        Set<String> both = new HashSet<>(left);
        both.retainAll(right);
        if (!both.isEmpty()) throw a.error(name + "(): leg " + both.iterator().next() + " is on both sides");
        List<String> missing = new ArrayList<>(t.legs());
        missing.removeAll(left);
        missing.removeAll(right);
        if (!missing.isEmpty()) {
            throw a.error(name + "(): legs " + missing + " are on neither side; every leg of the tensor goes left or right");
        }
        if (left.isEmpty() || right.isEmpty()) {
            throw a.error(name + "() needs at least one leg on each side (the tensor's legs: " + String.join(", ", t.legs()) + ")");
        }
        return new Bipartition(List.copyOf(left), List.copyOf(right), sizes(t, left), sizes(t, right));
    }

    /**
     * Refuses a matrix too large for one array, for the factorisations that form it whole; those
     * that go through a narrower cut of a product (svd, svdvals, eig, directions of a circuit
     * W_E W_Q W_K^T W_E^T) never form it, and call this only when there is no such cut.
     */
    void whole(Args a) {
        if ((double) rows() * cols() > Integer.MAX_VALUE - 8) {
            throw a.error(a.name() + "() of a " + rows() + " x " + cols() + " matrix is larger than one array can hold"
                    + " (2^31 entries), and it is not a product with a narrower cut to factorise it through");
        }
    }

    private static void check(Args a, Net t, List<String> legs, String keyword) {
        Set<String> seen = new HashSet<>();
        for (String leg : legs) {
            if (!t.legs().contains(leg)) {
                throw new tn.diag.TnError(a.keywordSpan(keyword), a.name() + "(): the tensor has no leg " + leg
                        + " (its legs: " + String.join(", ", t.legs()) + ")");
            }
            if (!seen.add(leg)) throw new tn.diag.TnError(a.keywordSpan(keyword), a.name() + "(): leg " + leg + " is listed twice");
        }
    }

    private static List<String> rest(Net t, List<String> taken) {
        List<String> r = new ArrayList<>(t.legs());
        r.removeAll(taken);
        return r;
    }

    /** The sizes of the named legs of t. */
    static long[] sizes(Net t, List<String> legs) {
        long[] s = new long[legs.size()];
        for (int k = 0; k < s.length; k++) s[k] = t.sizeOf(legs.get(k));
        return s;
    }

    static long product(long[] sizes) {
        long n = 1;
        for (long s : sizes) n *= s;
        return n;
    }

    /** The new leg named by {@code bond=}: required, and not already a leg of the tensor. */
    static String bond(Args a, Net t, String role) {
        List<String> b = a.legsKeyword("bond");
        if (b == null) {
            throw a.error(a.name() + "() needs bond=NAME, the name of the new leg " + role + " (e.g. bond=r)");
        }
        if (b.size() != 1) throw new tn.diag.TnError(a.keywordSpan("bond"), "bond= is one leg name, not " + b.size());
        String name = b.get(0);
        if (t.legs().contains(name)) {
            throw new tn.diag.TnError(a.keywordSpan("bond"), "the bond leg must be a new name, but " + name + " is a leg of the tensor");
        }
        return name;
    }

    /**
     * The tensor's entries as a rows x cols matrix (left legs row-major, then right legs); a
     * {@link NonFiniteException} when one is inf or nan (see {@link #finite}).
     */
    Matrix matrix(Interpreter in, Net t) {
        double[] data = in.evaluator().backend().toDoubles(dense(in, t));
        NonFiniteException.check(data);
        return new Matrix((int) rows(), (int) cols(), data);
    }

    /** The real and imaginary parts of a complex tensor's matrix [rows, cols] (inf or nan refused). */
    Matrix[] parts(Interpreter in, Net t) {
        Backend backend = in.evaluator().backend();
        Dense d = dense(in, t);
        double[] re = backend.toDoubles(((tn.exec.ComplexDense) d).re()), im = backend.toDoubles(((tn.exec.ComplexDense) d).im());
        double[] both = java.util.Arrays.copyOf(re, re.length + im.length);
        System.arraycopy(im, 0, both, re.length, im.length);
        try {
            NonFiniteException.check(both);
        } catch (NonFiniteException e) {
            // Named by its entry of the matrix, whichever part it is in.
            throw new NonFiniteException(e.count(), e.infinities(), e.first() % re.length, e.value());
        }
        return new Matrix[] {new Matrix((int) rows(), (int) cols(), re), new Matrix((int) rows(), (int) cols(), im)};
    }

    /** The same matrix [rows, cols] held by the backend, in the tensor's dtype (no copy when the legs are in order). */
    Dense dense(Interpreter in, Net t) {
        Tensor x = in.evaluator().evaluate(t);
        Backend backend = in.evaluator().backend();
        int[] perm = new int[x.rank()];
        boolean identity = true;
        for (int k = 0; k < perm.length; k++) {
            perm[k] = x.legs().indexOf(k < left.size() ? left.get(k) : right.get(k - left.size()));
            identity &= perm[k] == k;
        }
        Dense d = identity ? x.data() : backend.permute(x.data(), perm);
        return backend.reshape(d, new long[] {rows(), cols()});
    }

    /**
     * Runs a factorisation of this matrix of the call's tensor argument: an inf or nan in it
     * becomes a located error that names the tensor, counts them and says where the first is.
     */
    <T> T finite(Args a, java.util.function.Supplier<T> factorisation) {
        try {
            return factorisation.get();
        } catch (NonFiniteException e) {
            List<String> legs = new ArrayList<>(left);
            legs.addAll(right);
            long[] sizes = java.util.Arrays.copyOf(leftSizes, leftSizes.length + rightSizes.length);
            System.arraycopy(rightSizes, 0, sizes, leftSizes.length, rightSizes.length);
            throw nonFinite(a, e, legs, sizes, "");
        }
    }

    /** The error for a tensor argument with inf or nan entries; {@code part} says which part of it ("" for all of it). */
    static TnError nonFinite(Args a, NonFiniteException e, List<String> legs, long[] sizes, String part) {
        StringBuilder at = new StringBuilder("[");
        long rest = e.first();
        long[] index = new long[sizes.length];
        for (int k = sizes.length - 1; k >= 0; k--) {
            index[k] = rest % sizes[k];
            rest /= sizes[k];
        }
        for (int k = 0; k < legs.size(); k++) at.append(k > 0 ? ", " : "").append(legs.get(k)).append('=').append(index[k]);
        at.append(']');
        long nans = e.count() - e.infinities();
        String kinds = nans == 0 ? "inf" : e.infinities() == 0 ? "nan" : "inf or nan (" + e.infinities() + " inf, " + nans + " nan)";
        String value = Double.isNaN(e.value()) ? "nan" : e.value() > 0 ? "inf" : "-inf";
        String what = a.expr(0).span().text();
        return new TnError(a.span(0), a.name() + "() of " + what + ": " + part + e.count() + " of " + product(sizes) + " entries "
                + (e.count() == 1 ? "is " : "are ") + kinds + ", the first (" + value + ") at " + at + "; " + a.name()
                + "() needs finite numbers: look for a division by zero, a log of 0 or a float32 overflow (beyond 3.4e38)"
                + " where " + what + " is computed");
    }

    /** True when the legs must be reordered to make the matrix (a copy of the tensor). */
    boolean permuted(Net t) {
        List<String> order = new ArrayList<>(left);
        order.addAll(right);
        return !order.equals(t.legs());
    }

    /** "the 2500 x 2000 matrix of A" for messages. */
    String describe(Args a) {
        return "the " + rows() + " x " + cols() + " matrix of " + a.expr(0).span().text();
    }

    /**
     * Refuses a factorisation whose working memory (estimated from the sizes, so while checking as
     * well as running) is over the memory limit; {@code alternative} is advice to add ("" for none).
     */
    static void affordable(Args a, double bytes, String what, String alternative) {
        double limit = a.interpreter().evaluator().memoryLimitBytes();
        if (bytes <= limit) return;
        long mb = (long) Math.ceil(bytes * 1.05 / 1e6);
        throw a.error(a.name() + "() of " + what + " needs about " + tn.net.Units.bytes(bytes) + " of working memory, over the memory limit of "
                + tn.net.Units.bytes(limit) + ": raise it to " + mb + " MB or more (--memory-limit " + mb + "MB, or `set memory_limit = "
                + mb + "e6`)" + alternative);
    }

    /**
     * A builtin whose factorisations may fail: LAPACK's failures (no convergence, an overflow
     * inside it) become errors at the call instead of exceptions.
     */
    static java.util.function.Function<Args, tn.interp.Value> guarded(java.util.function.Function<Args, tn.interp.Value> body) {
        return a -> {
            try {
                return body.apply(a);
            } catch (NonFiniteException e) {
                throw new TnError(a.span(), a.name() + "(): an intermediate of the factorisation overflowed (" + e.count()
                        + " entries inf or nan); rescale the tensor");
            } catch (ArithmeticException e) {
                throw new TnError(a.span(), a.name() + "(): " + e.getMessage());
            }
        };
    }

    /**
     * The two sides of a cut as matrices: left legs x bond legs, and right legs x bond legs; an
     * inf or nan in either is an error naming that side.
     */
    Matrix[] sides(Args a, tn.net.Cut.Sides cut) {
        Interpreter in = a.interpreter();
        Bipartition l = new Bipartition(left, cut.bond(), leftSizes, sizes(cut.left(), cut.bond()));
        Bipartition r = new Bipartition(right, cut.bond(), rightSizes, sizes(cut.right(), cut.bond()));
        return new Matrix[] {l.side(a, in, cut.left(), "in the factors left of its narrowest cut, "),
            r.side(a, in, cut.right(), "in the factors right of its narrowest cut, ")};
    }

    private Matrix side(Args a, Interpreter in, Net t, String part) {
        try {
            return matrix(in, t);
        } catch (NonFiniteException e) {
            List<String> legs = new ArrayList<>(left);
            legs.addAll(right);
            long[] sizes = java.util.Arrays.copyOf(leftSizes, leftSizes.length + rightSizes.length);
            System.arraycopy(rightSizes, 0, sizes, leftSizes.length, rightSizes.length);
            throw nonFinite(a, e, legs, sizes, part);
        }
    }

    /** A tensor leaf with the given legs (data row-major; null data while checking). */
    static Net leaf(Interpreter in, List<String> legs, long[] shape, DType dtype, double[] data, String kind, Args a) {
        Tensor t = in.concrete()
                ? Tensor.of(legs, in.evaluator().backend().fromDoubles(data, shape, dtype))
                : Tensor.signature(legs, shape, dtype);
        return new Net.Leaf(t, kind, a.span());
    }

    /** A leaf of complex {@code dtype} from its parts; a real one (the existing leaf) when {@code im} is null. */
    static Net leaf(Interpreter in, List<String> legs, long[] shape, DType dtype, double[] re, double[] im, String kind, Args a) {
        if (im == null || !in.concrete()) return leaf(in, legs, shape, dtype, re, kind, a);
        Backend b = in.evaluator().backend();
        Dense d = new tn.exec.ComplexDense(b.fromDoubles(re, shape, dtype.realPart()), b.fromDoubles(im, shape, dtype.realPart()), dtype);
        return new Net.Leaf(Tensor.of(legs, d), kind, a.span());
    }

    static List<String> plus(List<String> legs, String extra) {
        List<String> r = new ArrayList<>(legs);
        r.add(extra);
        return r;
    }

    static List<String> plus(String first, List<String> legs) {
        List<String> r = new ArrayList<>();
        r.add(first);
        r.addAll(legs);
        return r;
    }

    static long[] plus(long[] sizes, long extra) {
        long[] r = java.util.Arrays.copyOf(sizes, sizes.length + 1);
        r[sizes.length] = extra;
        return r;
    }

    static long[] plus(long first, long[] sizes) {
        long[] r = new long[sizes.length + 1];
        r[0] = first;
        System.arraycopy(sizes, 0, r, 1, sizes.length);
        return r;
    }

    /** A number result (an error, a fit) as a scalar tensor, so it works in tensor arithmetic too. */
    static tn.interp.Value number(Args a, double value) {
        Net n = a.interpreter().scalar(value, a.span());
        // A fit, an error, a discarded weight: real also under a complex dtype (as norm() is).
        if (n.dtype().isComplex()) n = leaf(a.interpreter(), List.of(), new long[0], n.dtype().realPart(), new double[] {value}, "scalar", a);
        return new tn.interp.Value.TensorValue(n);
    }
}
