package tn.net;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tn.diag.Span;

/**
 * The derivative rules of bubbles and reshapes, as networks: the local Jacobian of one node
 * applied to a tangent (forward: legs the inner network's plus extra legs E, giving the node's legs
 * plus E) or to a cotangent (reverse: the node's legs plus E, giving the inner network's plus E).
 * Every factor refers to the very nodes of the original network (the inner network u, the bubble's
 * own value), so an evaluation computes them once and the derivative reuses them.
 *
 * <ul>
 * <li>elementwise f: f'(u) joined to the tangent on all of u's legs (a copy tensor: in a
 *     {@link Net.Product} a leg on two factors and in the output is a hyperedge, the elementwise
 *     product); f' is a bubble (relu' = step, abs' = sign, gelu', tanh', sigmoid') or a power, and
 *     the derivatives of gelu', tanh', sigmoid' are written with bubbles that have rules, so any order works;
 * <li>softmax over S: diag(p) - p p^T on S, as p t - p (sum_S p t): symmetric, so one rule for both
 *     directions;
 * <li>layernorm over S (no affine part, biased variance, eps inside the root):
 *     r (t - mean_S t - y mean_S(y t)) with r = (var + eps)^(-1/2), y the output: symmetric too;
 * <li>sum and mean: linear (a contraction with a vector of ones, scaled by 1/n for the mean);
 *     norm: u / ||u||; max and min: the indicator of the arg max (min), split evenly among ties (the
 *     subgradient torch's amax/amin uses);
 * <li>reshape: the same regrouping applied to the tangent (forward) or undone on the cotangent.
 * </ul>
 */
final class BubbleDerivative {
    private final Span span;

    BubbleDerivative(Span span) {
        this.span = span;
    }

    /** J_b t: t has the legs of b's inner network then {@code extra}; the result b's legs then extra. Null: zero. */
    Net forward(Net.Bubble b, Net t, List<String> extra) {
        Net u = b.inner();
        BubbleFunction f = b.function();
        if (f.kind != BubbleFunction.Kind.REDUCE) return symmetric(b, t, extra);
        List<String> s = over(b);
        List<String> out = concat(b.legs(), extra);
        return switch (f) {
            case SUM -> product(1, out, t);
            case MEAN -> product(1 / count(u, s), out, t);
            case NORM -> product(1, out, u, t, pow(b, -1));
            default -> product(1, out, indicator(b), t);
        };
    }

    /** J_b^T g: g has b's legs then {@code extra}; the result the inner network's legs then extra. */
    Net reverse(Net.Bubble b, Net g, List<String> extra) {
        Net u = b.inner();
        BubbleFunction f = b.function();
        if (f.kind != BubbleFunction.Kind.REDUCE) return symmetric(b, g, extra);
        List<String> s = over(b);
        List<String> out = concat(u.legs(), extra);
        List<Net> factors = new ArrayList<>();
        factors.add(g);
        double c = 1;
        switch (f) {
            case SUM -> factors.addAll(ones(u, s));
            case MEAN -> { factors.addAll(ones(u, s)); c = 1 / count(u, s); }
            case NORM -> { factors.add(u); factors.add(pow(b, -1)); }
            default -> factors.add(indicator(b));
        }
        return product(c, out, factors.toArray(Net[]::new));
    }

    /** The rules whose Jacobian is symmetric (elementwise, softmax, layernorm): the same in both directions. */
    private Net symmetric(Net.Bubble b, Net v, List<String> extra) {
        Net u = b.inner();
        List<String> legs = b.legs();
        List<String> out = concat(legs, extra);
        BubbleFunction f = b.function();
        if (f == BubbleFunction.SOFTMAX) {
            // p v - p (sum_S p v), the second term with S renamed apart in p and v.
            Map<String, String> apart = apart(b.over(), out);
            Net p2 = new Net.Relabel(b, rename(legs, apart), span);
            Net v2 = new Net.Relabel(v, concat(rename(legs, apart), extra), span);
            return sum(new double[] {1, -1}, product(1, out, b, v), product(1, out, b, p2, v2));
        }
        if (f == BubbleFunction.LAYERNORM) {
            List<String> s = b.over();
            double n = count(u, s);
            // c = u - mean_S u, r = (mean_S c^2 + eps)^(-1/2): the layer norm's own scale.
            Net centered = sum(new double[] {1, -1}, u, product(1, legs, with(List.of(reduce(BubbleFunction.MEAN, u, s)), ones(u, s))));
            Net variance = reduce(BubbleFunction.MEAN, new Net.Bubble(BubbleFunction.POW, centered, List.of(), 2, span), s);
            Net eps = product(b.parameter() / u.sizeOf(s.get(0)), variance.legs(), with(ones(u, List.of(s.get(0))), ones(variance, variance.legs())));
            Net r = new Net.Bubble(BubbleFunction.POW, sum(new double[] {1, 1}, variance, eps), List.of(), -0.5, span);
            Net meanV = reduce(BubbleFunction.MEAN, v, s);
            Net meanYV = reduce(BubbleFunction.MEAN, product(1, out, b, v), s);
            List<Net> broadcast = new ArrayList<>(List.of(r, meanV));
            broadcast.addAll(ones(u, s));
            return sum(new double[] {1, -1, -1}, product(1, out, r, v), product(1, out, broadcast.toArray(Net[]::new)),
                    product(1, out, r, b, meanYV));
        }
        // Elementwise: f'(u) joined to v on every leg.
        double c = 1;
        Net d;
        switch (f) {
            case RELU -> d = bubble(BubbleFunction.STEP, u);
            case GELU -> d = bubble(BubbleFunction.GELU_GRAD, u);
            case TANH -> d = bubble(BubbleFunction.TANH_GRAD, u);
            case SIGMOID -> d = bubble(BubbleFunction.SIGMOID_GRAD, u);
            case EXP -> d = b;
            case LOG -> d = pow(u, -1);
            case SQRT -> { d = pow(u, -0.5); c = 0.5; }
            case ABS -> d = bubble(BubbleFunction.SIGN, u);
            case POW -> {
                double p = b.parameter();
                if (p == 0) return null;
                c = p;
                d = p == 1 ? null : pow(u, p - 1);
            }
            case STEP, SIGN -> { return null; } // zero almost everywhere
            // The derivatives' own derivatives, in terms of bubbles that have rules, so every order works.
            case TANH_GRAD -> { d = product(1, legs, bubble(BubbleFunction.TANH, u), b); c = -2; } // -2 tanh tanh'
            case SIGMOID_GRAD -> { // s' (1 - 2 s)
                return sum(new double[] {1, -2}, product(1, out, b, v), product(1, out, b, bubble(BubbleFunction.SIGMOID, u), v));
            }
            case GELU_GRAD -> { return geluSecond(u, v, out); }
            default -> throw new Derivative.Unsupported("the derivative of " + f.label() + " is not supported", b);
        }
        return d == null ? product(c, out, v) : product(c, out, d, v);
    }

    /**
     * gelu''(u) v for GPT-2's gelu(u) = u s(z), s the sigmoid, z = 2k (u + a u^3), k = sqrt(2/pi),
     * a = 0.044715: gelu' = s(z) + u s'(z) z', so gelu'' = 2 s'(z) z' + u s''(z) z'^2 + u s'(z) z''
     * with z' = 2k + 6ka u^2, z'' = 12ka u and s'' = s' (1 - 2 s).
     */
    private Net geluSecond(Net u, Net v, List<String> out) {
        double k = Math.sqrt(2 / Math.PI), a = 0.044715;
        List<String> legs = u.legs();
        Net one = product(1, legs, ones(u, legs));
        Net z = sum(new double[] {2 * k, 2 * k * a}, u, pow(u, 3));
        Net dz = sum(new double[] {2 * k, 6 * k * a}, one, pow(u, 2));
        Net s = bubble(BubbleFunction.SIGMOID, z), ds = bubble(BubbleFunction.SIGMOID_GRAD, z);
        return sum(new double[] {2, 1, -2, 12 * k * a},
                product(1, out, ds, dz, v),
                product(1, out, u, ds, pow(dz, 2), v),
                product(1, out, u, s, ds, pow(dz, 2), v),
                product(1, out, pow(u, 2), ds, v));
    }

    /** J_r t for a reshape: the same regrouping, with the extra legs carried along last. */
    Net forward(Net.Reshape r, Net t, List<String> extra) {
        int rank = r.inner().rank();
        int[] perm = new int[rank + extra.size()];
        int[] p = r.permutation();
        for (int k = 0; k < perm.length; k++) perm[k] = k < rank ? p[k] : k;
        return new Net.Reshape(t, perm, concat(r.legs(), extra), concat(r.sizes(), t, extra), span);
    }

    /** J_r^T g for a reshape: g reshaped to the permuted inner shape, then permuted back by leg name. */
    Net reverse(Net.Reshape r, Net g, List<String> extra) {
        Net u = r.inner();
        int[] p = r.permutation();
        List<String> permuted = new ArrayList<>();
        long[] sizes = new long[p.length];
        for (int k = 0; k < p.length; k++) {
            permuted.add(u.legs().get(p[k]));
            sizes[k] = u.size(p[k]);
        }
        int[] identity = new int[r.rank() + extra.size()];
        for (int k = 0; k < identity.length; k++) identity[k] = k;
        Net regrouped = new Net.Reshape(g, identity, concat(permuted, extra), concat(sizes, g, extra), span);
        return product(1, concat(u.legs(), extra), regrouped);
    }

    // ---- pieces ------------------------------------------------------------------------------

    /** The indicator of the max (min) over the bubble's legs, divided by the number of ties. */
    private Net indicator(Net.Bubble b) {
        Net u = b.inner();
        List<String> s = over(b);
        Net spread = product(1, u.legs(), with(List.of(b), ones(u, s)));
        // step(max - u) is 1 below the max; 1 - that is 1 exactly at it (the max is one of the entries).
        Net below = b.function() == BubbleFunction.MAX ? sum(new double[] {1, -1}, spread, u) : sum(new double[] {1, -1}, u, spread);
        Net at = sum(new double[] {1, -1}, product(1, u.legs(), ones(u, u.legs())), bubble(BubbleFunction.STEP, below));
        return product(1, u.legs(), at, pow(reduce(BubbleFunction.SUM, at, s), -1));
    }

    private static List<String> over(Net.Bubble b) {
        return b.over().isEmpty() ? b.inner().legs() : b.over();
    }

    private Net bubble(BubbleFunction f, Net u) {
        return new Net.Bubble(f, u, List.of(), 0, span);
    }

    private Net pow(Net u, double p) {
        return new Net.Bubble(BubbleFunction.POW, u, List.of(), p, span);
    }

    private Net reduce(BubbleFunction f, Net u, List<String> legs) {
        return new Net.Bubble(f, u, legs, 0, span);
    }

    /** One vector of ones per leg (a copy tensor with one leg), sized as on {@code n}. */
    private List<Net> ones(Net n, List<String> legs) {
        List<Net> out = new ArrayList<>();
        for (String leg : legs) out.add(new Net.Delta(List.of(leg), n.sizeOf(leg), n.dtype(), span));
        return out;
    }

    private static double count(Net u, List<String> legs) {
        double n = 1;
        for (String leg : legs) n *= u.sizeOf(leg);
        return n;
    }

    /** New names for {@code legs}, primed until they clash with none of {@code taken} (so diagrams read k'). */
    private static Map<String, String> apart(List<String> legs, List<String> taken) {
        Map<String, String> m = new HashMap<>();
        java.util.Set<String> used = new java.util.HashSet<>(taken);
        for (String leg : legs) {
            String name = leg + "'";
            while (used.contains(name)) name += "'";
            used.add(name);
            m.put(leg, name);
        }
        return m;
    }

    private static List<String> rename(List<String> legs, Map<String, String> m) {
        List<String> out = new ArrayList<>();
        for (String leg : legs) out.add(m.getOrDefault(leg, leg));
        return out;
    }

    /** The factors joined by leg names, keeping {@code out} (sizes found on the factors), times c. */
    Net product(double c, List<String> out, Net... factors) {
        return product(c, out, List.of(factors));
    }

    Net product(double c, List<String> out, List<Net> factors) {
        Map<String, Long> sizes = new HashMap<>();
        tn.exec.DType dtype = factors.get(0).dtype();
        for (Net f : factors) {
            for (int k = 0; k < f.rank(); k++) sizes.putIfAbsent(f.legs().get(k), f.size(k));
            dtype = tn.exec.DType.promote(dtype, f.dtype());
        }
        long[] s = new long[out.size()];
        for (int k = 0; k < s.length; k++) {
            Long size = sizes.get(out.get(k));
            if (size == null) throw new IllegalStateException("leg " + out.get(k) + " is on no factor");
            s[k] = size;
        }
        return new Net.Product(factors, out, s, dtype, c, span);
    }

    Net sum(double[] c, Net... terms) {
        return new Net.Sum(List.of(terms), c, span);
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static List<Net> with(List<Net> a, List<Net> b) {
        List<Net> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /** {@code sizes} followed by the sizes of the legs {@code extra} on {@code n}. */
    private static long[] concat(long[] sizes, Net n, List<String> extra) {
        long[] out = java.util.Arrays.copyOf(sizes, sizes.length + extra.size());
        for (int k = 0; k < extra.size(); k++) out[sizes.length + k] = n.sizeOf(extra.get(k));
        return out;
    }
}
