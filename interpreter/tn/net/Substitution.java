package tn.net;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A network with one of its sub-networks replaced by another with the same legs: the nodes on the
 * paths to it are rebuilt, every other node is shared (with its computed value), so re-evaluating
 * after a change recomputes only what depends on it. Used for finite differences.
 */
public final class Substitution {
    private final Map<Net, Net> replacements;
    private final Map<Net, Net> done = new IdentityHashMap<>();

    private Substitution(Map<Net, Net> replacements) {
        this.replacements = replacements;
    }

    /** {@code net} with {@code target} replaced, or {@code net} itself when it does not contain it. */
    public static Net of(Net net, Net target, Net replacement) {
        Map<Net, Net> m = new IdentityHashMap<>();
        m.put(target, replacement);
        return new Substitution(m).apply(net);
    }

    /** {@code net} with every key of {@code replacements} (by identity) replaced by its value. */
    public static Net of(Net net, Map<Net, Net> replacements) {
        return new Substitution(replacements).apply(net);
    }

    private Net apply(Net n) {
        Net r = replacements.get(n);
        if (r != null) return r;
        Net memo = done.get(n);
        if (memo != null) return memo;
        Net out = rebuild(n);
        done.put(n, out);
        return out;
    }

    private Net rebuild(Net n) {
        if (n instanceof Net.Leaf leaf) {
            // A slice of a tensor that changes (pick of a layer-stacked weight) changes with it.
            Net source = leaf.source();
            if (source == null) return n;
            Net changed = apply(source);
            return changed == source ? n : changed;
        }
        if (n instanceof Net.Delta) return n;
        if (n instanceof Net.Relabel r) {
            Net inner = apply(r.inner());
            return inner == r.inner() ? n : new Net.Relabel(inner, r.legs(), r.span());
        }
        if (n instanceof Net.Product p) {
            List<Net> factors = new ArrayList<>();
            boolean changed = false;
            for (Net f : p.factors()) {
                Net g = apply(f);
                changed |= g != f;
                factors.add(g);
            }
            return changed ? new Net.Product(factors, p.legs(), p.sizes(), p.dtype(), p.coefficient(), p.span()) : n;
        }
        if (n instanceof Net.Sum s) {
            List<Net> terms = new ArrayList<>();
            boolean changed = false;
            for (Net t : s.terms()) {
                Net g = apply(t);
                changed |= g != t;
                terms.add(g);
            }
            return changed ? new Net.Sum(terms, s.coefficients(), s.span()) : n;
        }
        if (n instanceof Net.Bubble b) {
            Net inner = apply(b.inner());
            return inner == b.inner() ? n : new Net.Bubble(b.function(), inner, b.over(), b.parameter(), b.span());
        }
        Net.Reshape r = (Net.Reshape) n;
        Net inner = apply(r.inner());
        return inner == r.inner() ? n : new Net.Reshape(inner, r.permutation(), r.legs(), r.sizes(), r.span());
    }
}
