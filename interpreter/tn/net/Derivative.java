package tn.net;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tn.diag.Span;

/**
 * The derivative of a network with respect to one of its tensors, as a network. For a network
 * linear in A, dY/dA is the network with A removed ("poking a hole"), A's legs becoming free legs
 * (joined by identity lines to where A was); where A occurs more than once in a product the
 * product rule gives one such network per occurrence, summed; sums differentiate term by term.
 * Bubbles and reshapes contribute their local Jacobians ({@link BubbleDerivative}) by the chain
 * rule. The result is an ordinary network: planned, contracted and drawn like any other.
 */
public final class Derivative {
    /** Why a derivative cannot be taken, with the node where it failed. */
    public static final class Unsupported extends RuntimeException {
        private final transient Net where;

        Unsupported(String message, Net where) {
            super(message, null, false, false);
            this.where = where;
        }

        public Net where() { return where; }
    }

    /**
     * The most factors a derivative may hold in all. The product rule gives a product with the
     * tensor n times n terms of n factors each, so the derivative grows with the square of the
     * network (2,500 occurrences: 12.5 million factors and half a minute to check); past this the
     * network is refused rather than built.
     */
    static final long MAX_FACTORS = 1_000_000;

    /** The tensor differentiated by (forward mode: the only one). */
    private final Net hole;
    /** Every tensor differentiated by at once (reverse mode may take several: one backward pass). */
    private final java.util.Set<Net> holes = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<String> holeLegs;
    /** The prefix of the output legs an adjoint carries (reverse mode). */
    private final String outputPrefix;
    private final Span span;
    private final BubbleDerivative rules;
    private long factorsBuilt;
    /** Each node's derivative, built once: a network reuses its nodes (a residual stream feeds every layer). */
    private final Map<Net, Optional<Net>> done = new IdentityHashMap<>();
    private final Map<Net, Boolean> depends = new IdentityHashMap<>();
    private final Map<Net.Leaf, Optional<Net>> sources = new IdentityHashMap<>();

    private Derivative(Net hole, Net y, Span span) {
        this.hole = hole;
        this.holes.add(hole);
        this.span = span;
        this.rules = new BubbleDerivative(span);
        // Internal leg names no node of y has: y may itself be a derivative (a second derivative),
        // whose nodes carry the first one's internal legs.
        java.util.Set<String> taken = new java.util.HashSet<>();
        legNames(y, java.util.Collections.newSetFromMap(new IdentityHashMap<>()), taken);
        String d = fresh("#d", taken);
        this.outputPrefix = fresh("#o", taken);
        this.holeLegs = new ArrayList<>();
        for (int k = 0; k < hole.rank(); k++) holeLegs.add(d + k);
    }

    /** Every leg name of every node of n. */
    private static void legNames(Net n, java.util.Set<Net> seen, java.util.Set<String> into) {
        if (!seen.add(n)) return;
        into.addAll(n.legs());
        for (Net c : n.children()) legNames(c, seen, into);
    }

    /** {@code base} primed until no name in {@code taken} starts with it. */
    private static String fresh(String base, java.util.Set<String> taken) {
        String p = base;
        while (true) {
            String q = p;
            if (taken.stream().noneMatch(name -> name.startsWith(q))) return p;
            p += "'";
        }
    }

    /**
     * dY/dA with legs Y's legs then A's legs named {@code names} (which must not clash with Y's).
     * Returns null when A does not occur in Y. Built forward (tangents: every node's derivative
     * has its legs then A's) when Y has at least as many entries as A, else in reverse (adjoints:
     * every node's has its legs then Y's): each intermediate of the derivative is the node's size
     * times the smaller of the two, so the gradient of a scalar costs about one evaluation of Y.
     */
    public static Net of(Net y, Net a, List<String> names, Span span) {
        return of(y, a, names, span, y.denseSize() < a.denseSize());
    }

    /** The same, built in reverse (adjoints) or forward (tangents) as asked: both give the same numbers. */
    public static Net of(Net y, Net a, List<String> names, Span span, boolean reverse) {
        if (a.rank() == 0) throw new Unsupported("grad() with respect to a scalar is not supported; give the tensor a leg of size 1", a);
        Derivative d = new Derivative(a, y, span);
        if (!d.dependsOnHole(y)) return null;
        List<String> legs = new ArrayList<>(y.legs());
        legs.addAll(names);
        Net g = reverse ? d.reverse(y, names) : d.grad(y);
        if (g == null) return d.zero(y, a, legs); // a occurs, but the derivative vanishes (relu'' = 0)
        return reverse ? g : new Net.Relabel(g, legs, span);
    }

    /**
     * The derivatives of y with respect to each of {@code xs} (a model's weights: the gradient of a
     * loss by every parameter) from ONE backward pass: every node's adjoint is built once and
     * shared, so the gradients together cost about one evaluation of y, not one each. Each is as
     * {@link #of} gives it (y's legs, then x's named {@code names.get(k)}); null where x does not
     * occur in y. The tensors must be independent: one computed from another is refused, since
     * what its derivative would hold the other fixed is ambiguous.
     */
    public static List<Net> reverseAll(Net y, List<Net> xs, List<List<String>> names, Span span) {
        for (Net x : xs) if (x.rank() == 0) throw new Unsupported("grad() with respect to a scalar is not supported; give the tensor a leg of size 1", x);
        Derivative d = new Derivative(xs.get(0), y, span);
        d.holes.addAll(xs);
        for (Net x : xs) {
            if (d.reaches(x, x)) throw new Unsupported("the tensors are not independent: one of them is computed from another; take their gradients one at a time", x);
        }
        Map<Net, Net> adjoints = d.adjoints(y);
        List<Net> out = new ArrayList<>();
        for (int k = 0; k < xs.size(); k++) {
            Net x = xs.get(k);
            Net g = d.finish(y, x, adjoints.get(x), names.get(k));
            if (g == null && d.occurs(y, x, java.util.Collections.newSetFromMap(new IdentityHashMap<>()))) {
                List<String> legs = new ArrayList<>(y.legs());
                legs.addAll(names.get(k));
                g = d.zero(y, x, legs); // read, but the derivative vanishes
            }
            out.add(g);
        }
        return out;
    }

    /** Whether x is a node of n (a stored slice's source counts). */
    private boolean occurs(Net n, Net x, java.util.Set<Net> seen) {
        if (n == x) return true;
        if (n == null || !seen.add(n)) return false;
        if (n instanceof Net.Leaf) return occurs(sourceOf(n), x, seen);
        for (Net c : n.children()) if (occurs(c, x, seen)) return true;
        return false;
    }

    /** Whether a hole other than {@code from} is inside {@code n} (below {@code from} itself). */
    private boolean reaches(Net n, Net from) {
        if (n != from && holes.contains(n)) return true;
        if (n instanceof Net.Leaf) return sourceOf(n) != null && reaches(sourceOf(n), from);
        if (n instanceof Net.Delta) return false;
        if (n instanceof Net.Relabel r) return reaches(r.inner(), from);
        if (n instanceof Net.Bubble b) return reaches(b.inner(), from);
        if (n instanceof Net.Reshape r) return reaches(r.inner(), from);
        for (Net c : n instanceof Net.Product p ? p.factors() : ((Net.Sum) n).terms()) if (reaches(c, from)) return true;
        return false;
    }

    private boolean dependsOnHole(Net n) {
        Boolean known = depends.get(n);
        if (known != null) return known;
        boolean d;
        if (holes.contains(n)) d = true;
        else if (n instanceof Net.Leaf) d = sourceOf(n) != null && dependsOnHole(sourceOf(n));
        else if (n instanceof Net.Delta) d = false;
        else if (n instanceof Net.Relabel r) d = dependsOnHole(r.inner());
        else if (n instanceof Net.Bubble b) d = dependsOnHole(b.inner());
        else if (n instanceof Net.Reshape r) d = dependsOnHole(r.inner());
        else {
            d = false;
            for (Net c : n instanceof Net.Product p ? p.factors() : ((Net.Sum) n).terms()) d |= dependsOnHole(c);
        }
        depends.put(n, d);
        return d;
    }

    // ---- forward: tangents -----------------------------------------------------------------

    /** The derivative of {@code n}: legs n's legs then the hole's (internal names), or null if it is constant. */
    private Net grad(Net n) {
        Optional<Net> memo = done.get(n);
        if (memo != null) return memo.orElse(null);
        Net g = dependsOnHole(n) ? build(n) : null;
        done.put(n, Optional.ofNullable(g));
        return g;
    }

    /**
     * The network a stored tensor is the value of (a slice of a layer-stacked weight: the stack
     * with one-hot vectors), made once per derivative; null for other tensors.
     */
    private Net sourceOf(Net n) {
        if (!(n instanceof Net.Leaf leaf)) return null;
        return sources.computeIfAbsent(leaf, l -> Optional.ofNullable(l.source())).orElse(null);
    }

    private Net build(Net n) {
        if (n == hole) return identity();
        if (n instanceof Net.Leaf) return grad(sourceOf(n)); // the same legs, in the same order
        if (n instanceof Net.Relabel r) {
            Net g = grad(r.inner());
            if (g == null) return null;
            List<String> legs = new ArrayList<>(r.legs());
            legs.addAll(holeLegs);
            return new Net.Relabel(g, legs, span);
        }
        if (n instanceof Net.Product p) {
            List<Net> terms = new ArrayList<>();
            List<String> out = new ArrayList<>(p.legs());
            out.addAll(holeLegs);
            long[] sizes = sizesWithHole(p);
            for (int k = 0; k < p.factors().size(); k++) {
                Net g = grad(p.factors().get(k));
                if (g == null) continue;
                count(p);
                List<Net> factors = new ArrayList<>(p.factors());
                factors.set(k, g);
                terms.add(new Net.Product(factors, out, sizes, p.dtype(), p.coefficient(), span));
            }
            return sum(terms, null);
        }
        if (n instanceof Net.Sum s) {
            List<Net> terms = new ArrayList<>();
            List<Double> coefficients = new ArrayList<>();
            for (int k = 0; k < s.terms().size(); k++) {
                Net g = grad(s.terms().get(k));
                if (g == null) continue;
                // A term's legs may be in another order than the sum's; its tangent keeps the term's order.
                terms.add(g);
                coefficients.add(s.coefficients()[k]);
            }
            return sum(terms, coefficients);
        }
        if (n instanceof Net.Bubble b) {
            Net g = grad(b.inner());
            return g == null ? null : rules.forward(b, g, holeLegs);
        }
        Net.Reshape r = (Net.Reshape) n;
        Net g = grad(r.inner());
        return g == null ? null : rules.forward(r, g, holeLegs);
    }

    private void count(Net.Product p) {
        factorsBuilt += p.factors().size();
        if (factorsBuilt > MAX_FACTORS) {
            throw new Unsupported("the derivative would have more than " + MAX_FACTORS + " factors (by the product"
                    + " rule, a product of " + p.factors().size() + " factors gives one term per occurrence of the"
                    + " tensor); take derivatives of smaller networks, e.g. of a loop's body, and combine them", p);
        }
    }

    // ---- reverse: adjoints -------------------------------------------------------------------

    /**
     * Backpropagation as a network: the adjoint of Y is the identity from Y's legs to new legs O
     * (for a scalar, the number 1); each node passes its adjoint (its legs then O) to the nodes it
     * reads, through the transpose of its local Jacobian; a node read in several places sums what
     * it receives. Nodes are visited parents first (reverse topological order), so every adjoint is
     * complete before it is passed on.
     */
    private Net reverse(Net y, List<String> names) {
        return finish(y, hole, adjoints(y).get(hole), names);
    }

    /** The adjoint of every hole (legs the hole's then O, the output's legs as #o0, #o1, ...). */
    private Map<Net, Net> adjoints(Net y) {
        List<String> o = outputLegs(y);
        List<Net> order = new ArrayList<>();
        topological(y, java.util.Collections.newSetFromMap(new IdentityHashMap<>()), order);
        Map<Net, List<Net>> received = new IdentityHashMap<>();
        List<Net> seed = new ArrayList<>();
        for (int k = 0; k < y.rank(); k++) seed.add(new Net.Delta(List.of(y.legs().get(k), o.get(k)), y.size(k), y.dtype(), span));
        if (seed.isEmpty()) seed.add(new Net.Delta(List.of("#one"), 1, y.dtype(), span)); // the number 1
        receive(received, y, rules.product(1, BubbleDerivative.concat(y.legs(), o), seed));
        Map<Net, Net> adjoints = new IdentityHashMap<>();
        for (int k = order.size() - 1; k >= 0 && adjoints.size() < holes.size(); k--) {
            Net n = order.get(k);
            List<Net> in = received.remove(n);
            if (in == null) continue;
            Net g = in.size() == 1 ? in.get(0) : new Net.Sum(in, ones(in.size()), span);
            if (holes.contains(n)) adjoints.put(n, g); // a hole is a variable: nothing passes through it
            else pass(n, g, o, received);
        }
        return adjoints;
    }

    private List<String> outputLegs(Net y) {
        List<String> o = new ArrayList<>();
        for (int k = 0; k < y.rank(); k++) o.add(outputPrefix + k);
        return o;
    }

    /** A hole's adjoint as the derivative: Y's legs (O) first, then the hole's, named as asked; null without one. */
    private Net finish(Net y, Net x, Net adjoint, List<String> names) {
        if (adjoint == null) return null;
        List<String> legs = new ArrayList<>(y.legs());
        legs.addAll(names);
        return new Net.Relabel(rules.product(1, BubbleDerivative.concat(outputLegs(y), x.legs()), adjoint), legs, span);
    }

    /** Post-order over the nodes that depend on the hole (children before parents), stopping at the hole. */
    private void topological(Net n, java.util.Set<Net> seen, List<Net> order) {
        if (!dependsOnHole(n) || !seen.add(n)) return;
        if (!holes.contains(n)) {
            if (n instanceof Net.Relabel r) topological(r.inner(), seen, order);
            else if (n instanceof Net.Bubble b) topological(b.inner(), seen, order);
            else if (n instanceof Net.Reshape r) topological(r.inner(), seen, order);
            else if (n instanceof Net.Product p) for (Net f : p.factors()) topological(f, seen, order);
            else if (n instanceof Net.Sum s) for (Net t : s.terms()) topological(t, seen, order);
            else if (n instanceof Net.Leaf) topological(sourceOf(n), seen, order);
        }
        order.add(n);
    }

    /** Passes n's adjoint g (legs n's then O) to the nodes n reads. */
    private void pass(Net n, Net g, List<String> o, Map<Net, List<Net>> received) {
        if (n instanceof Net.Leaf) {
            receive(received, sourceOf(n), g); // a slice: its source has its legs, in its order
        } else if (n instanceof Net.Relabel r) {
            receive(received, r.inner(), new Net.Relabel(g, BubbleDerivative.concat(r.inner().legs(), o), span));
        } else if (n instanceof Net.Product p) {
            for (int k = 0; k < p.factors().size(); k++) {
                Net f = p.factors().get(k);
                if (!dependsOnHole(f)) continue;
                count(p);
                List<Net> factors = new ArrayList<>(p.factors());
                factors.remove(k);
                factors.add(g);
                // A leg only this factor has (summed by it alone) gets ones: the adjoint spreads along it.
                for (int l = 0; l < f.rank(); l++) {
                    String leg = f.legs().get(l);
                    if (factors.stream().noneMatch(x -> x.legs().contains(leg))) {
                        factors.add(new Net.Delta(List.of(leg), f.size(l), f.dtype(), span));
                    }
                }
                Net contribution = rules.product(p.coefficient(), BubbleDerivative.concat(f.legs(), o), factors);
                receive(received, f, contribution);
            }
        } else if (n instanceof Net.Sum s) {
            for (int k = 0; k < s.terms().size(); k++) {
                Net t = s.terms().get(k);
                if (!dependsOnHole(t)) continue;
                double c = s.coefficients()[k];
                boolean same = t.legs().equals(s.legs());
                receive(received, t, same && c == 1 ? g : rules.product(c, BubbleDerivative.concat(t.legs(), o), g));
            }
        } else if (n instanceof Net.Bubble b) {
            Net a = rules.reverse(b, g, o);
            if (a != null) receive(received, b.inner(), a);
        } else {
            Net.Reshape r = (Net.Reshape) n;
            receive(received, r.inner(), rules.reverse(r, g, o));
        }
    }

    private static void receive(Map<Net, List<Net>> received, Net n, Net adjoint) {
        received.computeIfAbsent(n, k -> new ArrayList<>()).add(adjoint);
    }

    private static double[] ones(int n) {
        double[] c = new double[n];
        java.util.Arrays.fill(c, 1.0);
        return c;
    }

    /** Zeros with y's legs then a's, named {@code legs}: a derivative that vanishes everywhere. */
    private Net zero(Net y, Net a, List<String> legs) {
        List<Net> lines = new ArrayList<>();
        long[] sizes = new long[legs.size()];
        for (int k = 0; k < legs.size(); k++) {
            sizes[k] = k < y.rank() ? y.size(k) : a.size(k - y.rank());
            lines.add(new Net.Delta(List.of(legs.get(k)), sizes[k], y.dtype(), span));
        }
        if (lines.isEmpty()) lines.add(new Net.Delta(List.of("#one"), 1, y.dtype(), span));
        return new Net.Product(lines, legs, sizes, y.dtype(), 0.0, span);
    }

    /** The hole itself: identity lines from each of its legs to the matching new leg. */
    private Net identity() {
        List<Net> lines = new ArrayList<>();
        List<String> out = new ArrayList<>(hole.legs());
        out.addAll(holeLegs);
        long[] sizes = new long[out.size()];
        for (int k = 0; k < hole.rank(); k++) {
            lines.add(new Net.Delta(List.of(hole.legs().get(k), holeLegs.get(k)), hole.size(k), hole.dtype(), span));
            sizes[k] = sizes[k + hole.rank()] = hole.size(k);
        }
        return new Net.Product(lines, out, sizes, hole.dtype(), 1.0, span);
    }

    private long[] sizesWithHole(Net n) {
        long[] sizes = java.util.Arrays.copyOf(n.sizes(), n.rank() + hole.rank());
        for (int k = 0; k < hole.rank(); k++) sizes[n.rank() + k] = hole.size(k);
        return sizes;
    }

    private Net sum(List<Net> terms, List<Double> coefficients) {
        if (terms.isEmpty()) return null;
        if (terms.size() == 1 && (coefficients == null || coefficients.get(0) == 1.0)) return terms.get(0);
        double[] c = new double[terms.size()];
        for (int k = 0; k < c.length; k++) c[k] = coefficients == null ? 1.0 : coefficients.get(k);
        return new Net.Sum(terms, c, span);
    }
}
