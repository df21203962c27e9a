package tn.net;

import java.util.ArrayList;
import java.util.List;
import tn.diag.Span;

/**
 * The derivative of a network with respect to one of its tensors, by "poking a hole": for a
 * network linear in A, dY/dA is the network with A removed, A's legs becoming free legs (joined
 * by identity lines to where A was). Where A occurs more than once in a product the product rule
 * gives one such network per occurrence, summed; sums differentiate term by term. Bubbles and
 * reshapes around A are not linear (or not yet supported) and are refused with the reason.
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

    private final Net hole;
    private final List<String> holeLegs;
    private final Span span;
    private long factorsBuilt;

    private Derivative(Net hole, Span span) {
        this.hole = hole;
        this.span = span;
        this.holeLegs = new ArrayList<>();
        for (int k = 0; k < hole.rank(); k++) holeLegs.add("#d" + k);
    }

    /**
     * dY/dA with legs Y's legs then A's legs named {@code names} (which must not clash with Y's).
     * Returns null when A does not occur in Y.
     */
    public static Net of(Net y, Net a, List<String> names, Span span) {
        if (a.rank() == 0) throw new Unsupported("grad() with respect to a scalar is not supported; give the tensor a leg of size 1", a);
        Derivative d = new Derivative(a, span);
        Net g = d.grad(y);
        if (g == null) return null;
        List<String> legs = new ArrayList<>(y.legs());
        legs.addAll(names);
        return new Net.Relabel(g, legs, span);
    }

    /** The derivative of {@code n}: legs n's legs then the hole's (internal names), or null if it is constant. */
    private Net grad(Net n) {
        if (n == hole) return identity();
        if (n instanceof Net.Leaf || n instanceof Net.Delta) return null;
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
                factorsBuilt += p.factors().size();
                if (factorsBuilt > MAX_FACTORS) {
                    throw new Unsupported("the derivative would have more than " + MAX_FACTORS + " factors (by the product"
                            + " rule, a product of " + p.factors().size() + " factors gives one term per occurrence of the"
                            + " tensor); take derivatives of smaller networks, e.g. of a loop's body, and combine them", p);
                }
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
                terms.add(g);
                coefficients.add(s.coefficients()[k]);
            }
            return sum(terms, coefficients);
        }
        if (n instanceof Net.Bubble b) {
            if (grad(b.inner()) == null) return null;
            throw new Unsupported("the tensor is inside a " + b.function().label() + " bubble, where the network is not"
                    + " linear in it; grad() takes derivatives of multilinear networks (use finite differences here)", b);
        }
        Net.Reshape r = (Net.Reshape) n;
        if (grad(r.inner()) == null) return null;
        throw new Unsupported("grad() through grouped or split legs is not supported; group or split after taking the derivative", r);
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
