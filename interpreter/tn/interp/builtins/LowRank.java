package tn.interp.builtins;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tn.ast.Expr;
import tn.diag.TnError;
import tn.exec.Backend;
import tn.exec.DType;
import tn.exec.NonFiniteException;
import tn.interp.Args;
import tn.interp.Builtin;
import tn.interp.Interpreter;
import tn.interp.Rng;
import tn.interp.Value;
import tn.linalg.Contraction;
import tn.linalg.Cp;
import tn.linalg.Matrix;
import tn.linalg.TensorTrain;
import tn.linalg.Truncation;
import tn.linalg.Tucker;
import tn.net.Net;
import tn.net.Tensor;

/**
 * Low-rank tensor formats: CP (alternating least squares), Tucker (HOSVD, HOOI) and tensor trains
 * (TT-SVD, canonical forms, compression). A tensor train is returned as one network, the product
 * of its cores, so products with it (inner products, norms as {@code psi psi -> []}) are planned
 * core by core and never form the dense tensor.
 */
public final class LowRank {
    private LowRank() {}

    public static List<Builtin> all() {
        return List.of(
            Builtin.of("cp", "cp(T, rank=, bond=r, init=\"hosvd\", restarts=0, seed=0, tol=1e-10, max_iter=500)",
                "CP decomposition by alternating least squares: weights w[r], one factor [leg, r] per leg of T"
                    + " (unit columns), the fit 1 - ||T - w A B ...|| / ||T|| and the number of sweeps made; reconstruct with"
                    + " w A B C -> [i, j, k]. Starts from the leading singular vectors of each unfolding (init=\"random\":"
                    + " seeded normal factors); restarts=n adds n runs from random starts and keeps the best fit; stops when"
                    + " a sweep changes the fit by less than tol, or after max_iter sweeps",
                Bipartition.guarded(LowRank::cp)),
            Builtin.of("tucker", "tucker(T, ranks=[..], core=[..], method=\"hooi\", tol=1e-12, max_iter=100)",
                "Tucker decomposition: core G[core..], one orthonormal factor [leg, core leg] per leg of T, and"
                    + " the relative error ||T - G U1 U2 ...|| / ||T||; method \"hosvd\" or \"hooi\"",
                Bipartition.guarded(LowRank::tucker)),
            Builtin.of("tt", "tt(T, legs=[..], bond=b, max_bond=, cutoff=)",
                "a tensor train (MPS) of T by sequential SVDs, sites in the order of legs= (default: T's), bonds"
                    + " b1, b2, ...; returns the train (a network of cores) and the discarded weight, which equals"
                    + " the Frobenius error",
                Bipartition.guarded(LowRank::tt)),
            Builtin.of("canonical", "canonical(psi, center=leg | form=\"left\"|\"right\")",
                "the same tensor train with its orthogonality centre at the site of the leg (left: the last"
                    + " site, right: the first); cores before the centre are left-, after it right-orthonormal",
                Bipartition.guarded(LowRank::canonical)),
            Builtin.of("compress", "compress(psi, max_bond=, cutoff=)",
                "a tensor train with smaller bonds and the discarded weight (= the Frobenius error)",
                Bipartition.guarded(LowRank::compress)),
            Builtin.of("cores", "cores(psi)", "the cores of a tensor train, first site first", LowRank::cores));
    }

    // ---- CP -------------------------------------------------------------------------------------

    private static Value cp(Args a) {
        a.expect(1, 1, "a tensor");
        Net t = a.tensor(0);
        if (t.rank() < 2) throw a.error(0, "cp() needs a tensor with at least two legs, not " + t.legs());
        if (!a.has("rank")) throw a.error("cp() needs rank=, the number of rank-one terms");
        long rank = a.integer("rank", 0);
        if (rank < 1) throw new TnError(a.keywordSpan("rank"), "rank= must be at least 1, not " + rank);
        String bond = Bipartition.bond(a, t, "shared by the weights and every factor");
        double tol = a.number("tol", 1e-10);
        if (!(tol >= 0 && tol < 1)) {
            throw new TnError(a.keywordSpan("tol"), "tol= is the change of fit between two sweeps below which cp() stops: a number in [0, 1), not "
                    + tn.interp.Printer.number(tol));
        }
        long maxIter = a.integer("max_iter", 500);
        if (maxIter < 1) throw new TnError(a.keywordSpan("max_iter"), "max_iter= must be at least 1, not " + maxIter);
        String init = a.string("init", "hosvd");
        if (!init.equals("hosvd") && !init.equals("random")) {
            throw new TnError(a.keywordSpan("init"), "init= is \"hosvd\" (the default: the leading singular vectors of each unfolding)"
                    + " or \"random\" (seeded normal factors), not \"" + init + "\"");
        }
        long restarts = a.integer("restarts", 0);
        if (restarts < 0) throw new TnError(a.keywordSpan("restarts"), "restarts= is the number of extra runs from random starts: 0 or more, not " + restarts);
        boolean random = init.equals("random") || restarts > 0 || rank > minSize(t);
        if (a.has("seed") && !random) {
            throw new TnError(a.keywordSpan("seed"), "seed= has no effect here: the HOSVD start is not random (every leg is at least rank="
                    + rank + " long); use init=\"random\" or restarts= for random starts");
        }
        long seed = a.integer("seed", 0);
        Interpreter in = a.interpreter();
        in.bindLeg(bond, rank, a.keywordSpan("bond"));
        affordableCp(a, t, rank);
        Cp.Result r = null;
        if (in.concrete()) {
            Contraction c = contraction(a);
            Tensor x = finite(a, float64(in, t));
            // One stream of random numbers for every random start (and the HOSVD start's filling), so
            // the same seed gives the same runs.
            Rng rng = new Rng(seed);
            int k = (int) rank;
            r = Cp.best(c, x, bond, (int) (1 + restarts), run -> {
                if (run == 0 && init.equals("hosvd")) return Cp.hosvdStart(c, x, k, rng::normal);
                List<Matrix> start = new ArrayList<>();
                for (int m = 0; m < x.rank(); m++) start.add(new Matrix((int) x.shape()[m], k, rng.normal((int) (x.shape()[m] * k))));
                return start;
            }, tol, (int) maxIter);
        }
        List<Value> out = new ArrayList<>();
        out.add(new Value.TensorValue(Bipartition.leaf(in, List.of(bond), new long[] {rank}, t.dtype(), r == null ? null : r.weights(), "weights", a)));
        for (int m = 0; m < t.rank(); m++) {
            String leg = t.legs().get(m);
            out.add(new Value.TensorValue(Bipartition.leaf(in, List.of(leg, bond), new long[] {t.size(m), rank}, t.dtype(),
                    r == null ? null : r.factors().get(m).data(), "factor", a)));
        }
        out.add(Bipartition.number(a, r == null ? 0 : r.fit()));
        out.add(Bipartition.number(a, r == null ? 0 : r.iterations()));
        return new Value.Tuple(out);
    }

    private static long minSize(Net t) {
        long min = Long.MAX_VALUE;
        for (int m = 0; m < t.rank(); m++) min = Math.min(min, t.size(m));
        return min;
    }

    // ---- Tucker ---------------------------------------------------------------------------------

    private static Value tucker(Args a) {
        a.expect(1, 1, "a tensor");
        Net t = a.tensor(0);
        List<String> core = a.legsKeyword("core");
        if (core == null) throw a.error("tucker() needs core=[..], names for the core's legs (one per leg of the tensor: " + t.legs() + ")");
        if (core.size() != t.rank()) {
            throw new TnError(a.keywordSpan("core"), "core= names " + core.size() + " legs but the tensor has " + t.rank() + ": " + t.legs());
        }
        Set<String> seen = new HashSet<>();
        for (String c : core) {
            if (!seen.add(c)) throw new TnError(a.keywordSpan("core"), "core leg " + c + " is named twice");
            if (t.legs().contains(c)) throw new TnError(a.keywordSpan("core"), "core leg " + c + " is already a leg of the tensor; pick new names");
        }
        int[] ranks = ranks(a, t);
        String method = a.string("method", "hooi");
        if (!method.equals("hooi") && !method.equals("hosvd")) {
            throw new TnError(a.keywordSpan("method"), "method= is \"hosvd\" or \"hooi\", not \"" + method + "\"");
        }
        double tol = a.number("tol", 1e-12);
        long maxIter = a.integer("max_iter", 100);
        Interpreter in = a.interpreter();
        long[] coreShape = new long[ranks.length];
        for (int m = 0; m < ranks.length; m++) {
            coreShape[m] = ranks[m];
            in.bindLeg(core.get(m), ranks[m], a.keywordSpan("core"));
        }
        affordable(a, t);
        Tucker.Result r = in.concrete()
                ? Tucker.decompose(contraction(a), finite(a, float64(in, t)), core, ranks, method.equals("hooi"), tol, (int) maxIter)
                : null;
        List<Value> out = new ArrayList<>();
        Net g = r == null
                ? Bipartition.leaf(in, core, coreShape, t.dtype(), null, "core", a)
                : new Net.Leaf(Tensor.of(core, in.evaluator().backend().cast(r.core().data(), t.dtype())), "core", a.span());
        out.add(new Value.TensorValue(g));
        for (int m = 0; m < t.rank(); m++) {
            out.add(new Value.TensorValue(Bipartition.leaf(in, List.of(t.legs().get(m), core.get(m)), new long[] {t.size(m), ranks[m]},
                    t.dtype(), r == null ? null : r.factors().get(m).data(), "isometry", a)));
        }
        out.add(Bipartition.number(a, r == null ? 0 : r.error()));
        return new Value.Tuple(out);
    }

    /** ranks=[2, 3, 2] (one per leg) or ranks=2 (every leg). */
    private static int[] ranks(Args a, Net t) {
        if (!a.has("ranks")) throw a.error("tucker() needs ranks=[..], the core's size along each leg of " + t.legs());
        Value v = a.keyword("ranks");
        double[] values;
        if (v instanceof Value.Num n) {
            values = new double[t.rank()];
            java.util.Arrays.fill(values, n.value());
        } else {
            Net r = a.interpreter().asTensor(v, a.keywordSpan("ranks"), "ranks=");
            if (r.rank() != 1 || r.size(0) != t.rank()) {
                throw new TnError(a.keywordSpan("ranks"), "ranks= gives one size per leg of the tensor (" + t.rank() + " of them)");
            }
            Tensor x = a.interpreter().evaluator().evaluate(r);
            values = x.isConcrete() ? a.interpreter().evaluator().backend().toDoubles(x.data()) : literal(a);
        }
        int[] ranks = new int[t.rank()];
        for (int m = 0; m < ranks.length; m++) {
            double x = values[m];
            if (x != Math.rint(x) || x < 1 || x > t.size(m)) {
                throw new TnError(a.keywordSpan("ranks"), "the rank along " + t.legs().get(m) + " must be a whole number from 1 to "
                        + t.size(m) + ", not " + tn.interp.Printer.number(x));
            }
            ranks[m] = (int) x;
        }
        return ranks;
    }

    /** While checking, a literal ranks=[..] is still known (it is in the source). */
    private static double[] literal(Args a) {
        Expr e = a.keywordExpr("ranks");
        if (e instanceof Expr.ArrayLit l) return l.data();
        throw new tn.interp.Interpreter.NeedsValue();
    }

    // ---- tensor trains ----------------------------------------------------------------------------

    private static Value tt(Args a) {
        a.expect(1, 1, "a tensor");
        Net t = a.tensor(0);
        List<String> sites = a.legsKeyword("legs");
        if (sites == null) sites = t.legs();
        if (!new HashSet<>(sites).equals(new HashSet<>(t.legs())) || sites.size() != t.rank()) {
            throw new TnError(a.keywordSpan("legs"), "legs= lists every leg of the tensor once, in site order (its legs: " + t.legs() + ")");
        }
        String bond = Bipartition.bond(a, t, "prefix of the bonds (b gives b1, b2, ...)");
        Truncation trunc = truncation(a);
        Interpreter in = a.interpreter();
        int n = sites.size();
        int[] dims = new int[n];
        for (int k = 0; k < n; k++) dims[k] = (int) t.sizeOf(sites.get(k));
        List<String> bonds = new ArrayList<>();
        for (int k = 1; k < n; k++) {
            String b = bond + k;
            if (t.legs().contains(b)) throw new TnError(a.keywordSpan("bond"), "the bond " + b + " would clash with a leg of the tensor");
            bonds.add(b);
        }
        affordable(a, t);
        if (!in.concrete()) {
            // Bond sizes are known only when running; while checking the train has its full sizes.
            List<TensorTrain.Core> cores = new ArrayList<>();
            long left = 1;
            for (int k = 0; k < n; k++) {
                long l = left, size = dims[k];
                long r = k == n - 1 ? 1 : Math.min(l * size, remaining(dims, k + 1));
                if (trunc.maxRank() > 0) r = Math.min(r, trunc.maxRank());
                cores.add(new TensorTrain.Core((int) l, (int) size, (int) r, null));
                left = r;
            }
            return new Value.Tuple(List.of(new Value.TensorValue(train(a, cores, sites, bonds, t.dtype())), Bipartition.number(a, 0)));
        }
        Tensor x = float64(in, t);
        double[][] data = entries(a, x, sites);
        long[] siteSizes = new long[n];
        for (int k = 0; k < n; k++) siteSizes[k] = dims[k];
        try {
            for (double[] part : data) if (part != null) NonFiniteException.check(part);
        } catch (NonFiniteException e) {
            throw Bipartition.nonFinite(a, e, sites, siteSizes, "");
        }
        TensorTrain.Result r = TensorTrain.fromDense(in.evaluator().backend(), data[0], data[1], dims, trunc);
        return new Value.Tuple(List.of(new Value.TensorValue(train(a, r.cores(), sites, bonds, t.dtype())), Bipartition.number(a, r.discarded())));
    }

    private static long remaining(int[] dims, int from) {
        long n = 1;
        for (int k = from; k < dims.length; k++) n *= dims[k];
        return n;
    }

    private static Truncation truncation(Args a) {
        long maxBond = a.integer("max_bond", 0);
        if (a.has("max_bond") && maxBond < 1) throw new TnError(a.keywordSpan("max_bond"), "max_bond= must be at least 1, not " + maxBond);
        return new Truncation((int) Math.min(maxBond, Integer.MAX_VALUE), Decompositions.cutoff(a));
    }

    private static Value canonical(Args a) {
        a.expect(1, 1, "a tensor train");
        Train psi = Train.of(a, a.tensor(0));
        int center;
        if (a.has("center") && a.has("form")) throw a.error("canonical() takes center= or form=, not both");
        if (a.has("center")) {
            List<String> c = a.legsKeyword("center");
            center = c.size() == 1 ? psi.sites.indexOf(c.get(0)) : -1;
            if (center < 0) throw new TnError(a.keywordSpan("center"), "center= is one of the train's site legs: " + psi.sites);
        } else {
            String form = a.string("form", "left");
            if (form.equals("left")) center = psi.sites.size() - 1;
            else if (form.equals("right")) center = 0;
            else throw new TnError(a.keywordSpan("form"), "form= is \"left\" or \"right\", not \"" + form + "\"");
        }
        Interpreter in = a.interpreter();
        if (!in.concrete()) return new Value.TensorValue(train(a, psi.cores, psi.sites, psi.bonds, psi.dtype, center));
        List<TensorTrain.Core> cores = TensorTrain.canonical(in.evaluator().backend(), psi.cores, center);
        return new Value.TensorValue(train(a, cores, psi.sites, psi.bonds, psi.dtype, center));
    }

    private static Value compress(Args a) {
        a.expect(1, 1, "a tensor train");
        Train psi = Train.of(a, a.tensor(0));
        Truncation trunc = truncation(a);
        if (!a.has("max_bond") && !a.has("cutoff")) throw a.error("compress() needs max_bond= or cutoff=");
        Interpreter in = a.interpreter();
        if (!in.concrete()) return new Value.Tuple(List.of(new Value.TensorValue(train(a, psi.cores, psi.sites, psi.bonds, psi.dtype)), Bipartition.number(a, 0)));
        TensorTrain.Result r = TensorTrain.compress(in.evaluator().backend(), psi.cores, trunc);
        return new Value.Tuple(List.of(new Value.TensorValue(train(a, r.cores(), psi.sites, psi.bonds, psi.dtype)), Bipartition.number(a, r.discarded())));
    }

    private static Value cores(Args a) {
        a.expect(1, 1, "a tensor train");
        Net t = a.tensor(0);
        Train.of(a, t); // checks the structure
        List<Value> out = new ArrayList<>();
        for (Net f : ((Net.Product) t).factors()) out.add(new Value.TensorValue(f));
        return new Value.Tuple(out);
    }

    /** The network of a train: cores [site, b1], [b1, site, b2], ..., [b(n-1), site]. */
    private static Net train(Args a, List<TensorTrain.Core> cores, List<String> sites, List<String> bonds, DType dtype) {
        return train(a, cores, sites, bonds, dtype, -1);
    }

    /**
     * ... made canonical about the core {@code center} (-1: not canonical): the cores before it are
     * left-canonical, those after it right-canonical, which their kind records for diagrams.
     */
    private static Net train(Args a, List<TensorTrain.Core> cores, List<String> sites, List<String> bonds, DType dtype, int center) {
        Interpreter in = a.interpreter();
        int n = cores.size();
        List<Net> factors = new ArrayList<>();
        long[] outSizes = new long[n];
        for (int k = 0; k < n; k++) {
            TensorTrain.Core c = cores.get(k);
            List<String> legs = new ArrayList<>();
            List<Long> shape = new ArrayList<>();
            if (k > 0) { legs.add(bonds.get(k - 1)); shape.add((long) c.left()); }
            legs.add(sites.get(k));
            shape.add((long) c.site());
            if (k < n - 1) { legs.add(bonds.get(k)); shape.add((long) c.right()); }
            outSizes[k] = c.site();
            String kind = center < 0 ? "tt core" : k < center ? "left-canonical" : k > center ? "right-canonical" : "orthogonality centre";
            Net core = Bipartition.leaf(in, legs, shape.stream().mapToLong(Long::longValue).toArray(), dtype, c.data(), c.im(), kind, a);
            core.nameIfAnonymous("G" + (k + 1)); // the usual name of the k-th core of a train
            factors.add(core);
        }
        return new Net.Product(factors, sites, outSizes, dtype, 1.0, a.span());
    }

    /** A tensor train read back from its network: a chain of cores with one site leg each. */
    private record Train(List<TensorTrain.Core> cores, List<String> sites, List<String> bonds, DType dtype) {
        static Train of(Args a, Net t) {
            String not = a.name() + "() needs a tensor train (as made by tt()): a product of cores in a chain, each with one open leg";
            if (!(t instanceof Net.Product p) || p.factors().size() < 1 || p.coefficient() != 1.0) throw a.error(0, not);
            List<Net> fs = p.factors();
            Map<String, Integer> count = new HashMap<>();
            for (Net f : fs) for (String leg : f.legs()) count.merge(leg, 1, Integer::sum);
            List<String> sites = new ArrayList<>(), bonds = new ArrayList<>();
            List<TensorTrain.Core> cores = new ArrayList<>();
            Interpreter in = a.interpreter();
            for (int k = 0; k < fs.size(); k++) {
                Net f = fs.get(k);
                String site = null, left = null, right = null;
                for (String leg : f.legs()) {
                    if (p.legs().contains(leg) && count.get(leg) == 1) {
                        if (site != null) throw a.error(0, not + "; core " + (k + 1) + " has two open legs " + site + " and " + leg);
                        site = leg;
                    } else if (count.get(leg) == 2 && k > 0 && fs.get(k - 1).legs().contains(leg)) {
                        left = leg;
                    } else if (count.get(leg) == 2 && k + 1 < fs.size() && fs.get(k + 1).legs().contains(leg)) {
                        right = leg;
                    } else {
                        throw a.error(0, not + "; leg " + leg + " of core " + (k + 1) + " does not join it to a neighbour");
                    }
                }
                if (site == null) throw a.error(0, not + "; core " + (k + 1) + " has no open leg");
                if ((k > 0) != (left != null) || (k + 1 < fs.size()) != (right != null)) {
                    throw a.error(0, not + "; core " + (k + 1) + " is not joined to both neighbours by one leg each");
                }
                if (f.rank() != 1 + (left != null ? 1 : 0) + (right != null ? 1 : 0)) throw a.error(0, not);
                sites.add(site);
                if (right != null) bonds.add(right);
                int l = left == null ? 1 : (int) f.sizeOf(left), s = (int) f.sizeOf(site), r = right == null ? 1 : (int) f.sizeOf(right);
                double[][] data = {null, null};
                if (in.concrete()) {
                    List<String> order = new ArrayList<>();
                    if (left != null) order.add(left);
                    order.add(site);
                    if (right != null) order.add(right);
                    Tensor x = in.evaluator().evaluate(f);
                    data = entries(a, x, order);
                    try {
                        for (double[] part : data) if (part != null) NonFiniteException.check(part);
                    } catch (NonFiniteException e) {
                        throw Bipartition.nonFinite(a, e, order, sizes(f, order), "in core " + (k + 1) + ", ");
                    }
                }
                cores.add(new TensorTrain.Core(l, s, r, data[0], data[1]));
            }
            return new Train(cores, sites, bonds, t.dtype());
        }
    }

    // ---- shared ---------------------------------------------------------------------------------

    /** The tensor's entries with its legs in {@code order}, row-major: {real parts, imaginary parts or null when real}. */
    private static double[][] entries(Args a, Tensor x, List<String> order) {
        Contraction c = contraction(a);
        if (!(x.data() instanceof tn.exec.ComplexDense z)) return new double[][] {c.data(x, order), null};
        return new double[][] {c.data(Tensor.of(x.legs(), z.re()), order), c.data(Tensor.of(x.legs(), z.im()), order)};
    }

    private static Contraction contraction(Args a) {
        return new Contraction(a.interpreter().evaluator(), a.span());
    }

    /** The memory check of CP, Tucker and TT-SVD, from the tensor's size. */
    private static void affordable(Args a, Net t) {
        double entries = 1;
        for (int m = 0; m < t.rank(); m++) entries *= t.size(m);
        Bipartition.affordable(a, tn.linalg.Workspace.lowRank(entries), a.expr(0).span().text() + " (" + tn.net.Units.count(entries) + " entries)", "");
    }

    /**
     * cp()'s working memory, and the rank's own limit: the r x r Gram matrices and the [size, r]
     * factors are Java arrays (at most 2^31 entries each).
     */
    private static void affordableCp(Args a, Net t, long rank) {
        double entries = 1, legSizes = 0, largest = 0;
        for (int m = 0; m < t.rank(); m++) {
            entries *= t.size(m);
            legSizes += t.size(m);
            largest = Math.max(largest, t.size(m));
        }
        if ((double) rank * rank > Integer.MAX_VALUE - 8 || (double) rank * largest > Integer.MAX_VALUE - 8) {
            throw new TnError(a.keywordSpan("rank"), "rank=" + rank + " is too large for cp(): its " + rank + " x " + rank
                    + " Gram matrices (and [leg, rank] factors) would not fit in one array; a rank above the tensor's "
                    + tn.net.Units.count(entries) + " entries is never needed");
        }
        Bipartition.affordable(a, tn.linalg.Workspace.cp(entries, legSizes, rank),
                a.expr(0).span().text() + " (" + tn.net.Units.count(entries) + " entries) at rank " + rank, "");
    }

    /** The tensor itself; an error naming it when an entry is inf or nan. */
    private static Tensor finite(Args a, Tensor x) {
        try {
            NonFiniteException.check(a.interpreter().evaluator().backend().toDoubles(x.data()));
        } catch (NonFiniteException e) {
            throw Bipartition.nonFinite(a, e, x.legs(), x.shape(), "");
        }
        return x;
    }

    private static long[] sizes(Net f, List<String> legs) {
        long[] s = new long[legs.size()];
        for (int k = 0; k < s.length; k++) s[k] = f.sizeOf(legs.get(k));
        return s;
    }

    /** The tensor in float64 (complex128 when complex), the precision the factorisations work in. */
    private static Tensor float64(Interpreter in, Net t) {
        Tensor x = in.evaluator().evaluate(t);
        Backend b = in.evaluator().backend();
        DType wide = x.dtype().isComplex() ? DType.COMPLEX128 : DType.FLOAT64;
        return x.dtype() == wide ? x : Tensor.of(x.legs(), b.cast(x.data(), wide));
    }
}
