package tn.interp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tn.ast.LegSpec;
import tn.diag.Span;
import tn.diag.TnError;
import tn.exec.DType;
import tn.net.Net;

/**
 * The notation's rules for building networks, with their checks: contraction by shared leg
 * names (and einsum's rule for the output), relabelling at the point of use, output lists with
 * grouped legs, splits, and sums of networks with matching legs.
 */
final class Networks {
    private final Legs legs;

    Networks(Legs legs) {
        this.legs = legs;
    }

    /** A leg name that has not been given yet (a literal array or loaded data before `[i, j]`). */
    static boolean anonymous(String leg) {
        return leg.startsWith("#");
    }

    // ---- products ---------------------------------------------------------------------------

    /**
     * The product of factors. A leg on one factor stays open; on two or more it is summed,
     * unless {@code output} lists it. {@code output} null means einsum's implicit rule: the legs
     * that occur exactly once, in order of first appearance.
     */
    Net product(List<Net> factors, double coefficient, List<LegSpec> output, Span span) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        Map<String, Integer> count = new HashMap<>();
        Map<String, Net> firstOn = new HashMap<>();
        DType dtype = null;
        for (Net f : factors) {
            dtype = dtype == null ? f.dtype() : DType.promote(dtype, f.dtype());
            for (int k = 0; k < f.rank(); k++) {
                String leg = f.legs().get(k);
                if (anonymous(leg)) throw unnamed(f);
                Long before = sizes.putIfAbsent(leg, f.size(k));
                if (before != null && before != f.size(k)) {
                    Net other = firstOn.get(leg);
                    throw new TnError(f.span(), "leg " + leg + " has size " + f.size(k) + " here but size " + before
                            + " on " + describe(other) + " at " + other.span().line() + ":" + other.span().column());
                }
                firstOn.putIfAbsent(leg, f);
                count.merge(leg, 1, Integer::sum);
            }
        }
        if (output == null) {
            List<String> open = new ArrayList<>();
            for (String leg : sizes.keySet()) if (count.get(leg) == 1) open.add(leg);
            if (factors.size() == 1 && coefficient == 1.0 && open.equals(factors.get(0).legs())) return factors.get(0);
            return new Net.Product(factors, open, sizesOf(open, sizes), dtype, coefficient, span);
        }
        // An explicit output list; groups in it are legs merged after the contraction.
        List<String> flat = new ArrayList<>();
        boolean grouped = false;
        for (LegSpec s : output) {
            if (s instanceof LegSpec.Name n) {
                addOutputLeg(flat, n.name(), n.span(), sizes);
            } else if (s instanceof LegSpec.Group g) {
                grouped = true;
                for (LegSpec.Name n : g.parts()) addOutputLeg(flat, n.name(), n.span(), sizes);
            } else {
                throw new TnError(s.span(), "a rename (i -> x) cannot appear in an output list; write x[i -> y] instead");
            }
        }
        Net p = factors.size() == 1 && coefficient == 1.0 && flat.equals(factors.get(0).legs())
                ? factors.get(0)
                : new Net.Product(factors, flat, sizesOf(flat, sizes), dtype, coefficient, span);
        return grouped ? group(p, output, span) : p;
    }

    private void addOutputLeg(List<String> flat, String leg, Span where, Map<String, Long> sizes) {
        if (!sizes.containsKey(leg)) {
            throw new TnError(where, "leg " + leg + " in the output list is on no factor (legs here: "
                    + String.join(", ", sizes.keySet()) + ")");
        }
        if (flat.contains(leg)) throw new TnError(where, "leg " + leg + " is listed twice in the output list");
        flat.add(leg);
    }

    /** Merges the grouped legs of an output list (row-major: the last part varies fastest). */
    private Net group(Net p, List<LegSpec> output, Span span) {
        List<String> names = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        for (LegSpec s : output) {
            if (s instanceof LegSpec.Name n) {
                names.add(n.name());
                sizes.add(p.sizeOf(n.name()));
            } else {
                LegSpec.Group g = (LegSpec.Group) s;
                long size = 1;
                for (LegSpec.Name n : g.parts()) size *= p.sizeOf(n.name());
                String name = g.groupName();
                if (names.contains(name) || (p.legs().contains(name) && !partOf(g, name))) {
                    throw new TnError(g.span(), "the grouped leg would be called " + name
                            + ", which is already a leg here; name it: m=(" + partsText(g) + ")");
                }
                legs.bind(name, size, g.span(), "as the group (" + partsText(g) + ")");
                names.add(name);
                sizes.add(size);
            }
        }
        int[] identity = new int[p.rank()];
        for (int k = 0; k < identity.length; k++) identity[k] = k;
        return new Net.Reshape(p, identity, names, sizes.stream().mapToLong(Long::longValue).toArray(), span);
    }

    private static boolean partOf(LegSpec.Group g, String name) {
        return g.parts().stream().anyMatch(n -> n.name().equals(name));
    }

    private static String partsText(LegSpec.Group g) {
        return String.join(" ", g.parts().stream().map(LegSpec.Name::name).toList());
    }

    // ---- relabelling ------------------------------------------------------------------------

    /**
     * `x[...]`: new names by position (with splits), or renames `i -> y` by name. A repeated
     * name on its own is traced (einsum's rule); see {@link #relabelFactor} for a factor.
     */
    Net relabel(Net target, List<LegSpec> specs, Span span) {
        Net raw = relabelFactor(target, specs, span);
        return hasRepeats(raw.legs()) ? product(List.of(raw), 1.0, null, span) : raw;
    }

    /**
     * The relabelled tensor as a factor of a product: a repeated name stays repeated, so the
     * product decides (with its other factors and its output list) what the repeat means:
     * `M[a, a] v[a]` sums M's diagonal against v, `M[a, a] -> [a]` keeps the diagonal.
     */
    Net relabelFactor(Net target, List<LegSpec> specs, Span span) {
        if (!specs.isEmpty() && specs.stream().allMatch(s -> s instanceof LegSpec.Rename)) return rename(target, specs, span);
        for (LegSpec s : specs) {
            if (s instanceof LegSpec.Rename r) {
                throw new TnError(r.span(), "mix of renames (i -> x) and positional leg names; use one or the other");
            }
        }
        if (specs.size() != target.rank()) {
            throw new TnError(span, "this tensor has " + target.rank() + " leg" + (target.rank() == 1 ? "" : "s")
                    + describeLegs(target) + " but " + specs.size() + " name" + (specs.size() == 1 ? " is" : "s are") + " given");
        }
        List<String> names = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        boolean split = false;
        for (int k = 0; k < specs.size(); k++) {
            LegSpec s = specs.get(k);
            long size = target.size(k);
            if (s instanceof LegSpec.Name n) {
                legs.bind(n.name(), size, n.span(), "here");
                names.add(n.name());
                sizes.add(size);
            } else {
                LegSpec.Group g = (LegSpec.Group) s;
                if (g.name() != null) throw new TnError(g.span(), "a name for a group only makes sense in an output list (-> [m=(i j)])");
                split = true;
                long[] parts = splitSizes(g, size);
                for (int p = 0; p < parts.length; p++) {
                    String part = g.parts().get(p).name();
                    legs.bind(part, parts[p], g.parts().get(p).span(), "here");
                    names.add(part);
                    sizes.add(parts[p]);
                }
            }
        }
        Net result;
        if (split) {
            int[] identity = new int[target.rank()];
            for (int k = 0; k < identity.length; k++) identity[k] = k;
            List<String> anonymousNames = new ArrayList<>();
            for (int k = 0; k < names.size(); k++) anonymousNames.add("#" + k);
            // Reshape gives the split legs directly; a relabel on top carries the (maybe repeated) names.
            Net reshaped = new Net.Reshape(target, identity, anonymousNames, sizes.stream().mapToLong(Long::longValue).toArray(), span);
            result = new Net.Relabel(reshaped, names, span);
        } else {
            result = new Net.Relabel(target, names, span);
        }
        return result;
    }

    private long[] splitSizes(LegSpec.Group g, long total) {
        long known = 1;
        int unknown = -1;
        long[] parts = new long[g.parts().size()];
        for (int p = 0; p < parts.length; p++) {
            long s = legs.size(g.parts().get(p).name());
            parts[p] = s;
            if (s < 0) {
                if (unknown >= 0) {
                    throw new TnError(g.span(), "cannot split a leg of size " + total + " into (" + partsText(g)
                            + "): the sizes of " + g.parts().get(unknown).name() + " and " + g.parts().get(p).name()
                            + " are unknown; declare all but one, e.g. leg " + g.parts().get(unknown).name() + " = ...");
                }
                unknown = p;
            } else {
                known *= s;
            }
        }
        if (unknown >= 0) {
            if (known == 0 || total % known != 0) {
                throw new TnError(g.span(), "cannot split a leg of size " + total + " into (" + partsText(g)
                        + "): " + total + " is not a multiple of " + known);
            }
            parts[unknown] = total / known;
        } else if (known != total) {
            throw new TnError(g.span(), "cannot split a leg of size " + total + " into (" + partsText(g)
                    + "): their sizes multiply to " + known);
        }
        return parts;
    }

    private Net rename(Net target, List<LegSpec> specs, Span span) {
        List<String> names = new ArrayList<>(target.legs());
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (LegSpec s : specs) {
            LegSpec.Rename r = (LegSpec.Rename) s;
            int k = target.legs().indexOf(r.from());
            if (k < 0) throw new TnError(r.span(), "this tensor has no leg " + r.from() + describeLegs(target));
            if (!seen.add(r.from())) throw new TnError(r.span(), "leg " + r.from() + " is renamed twice");
            legs.bind(r.to(), target.size(k), r.span(), "here");
            names.set(k, r.to());
        }
        return new Net.Relabel(target, names, span);
    }

    // ---- sums -------------------------------------------------------------------------------

    /** a + sign * b; the legs must match as sets, with equal sizes. */
    Net sum(Net a, Net b, double sign, Span span, Span opSpan) {
        if (!new java.util.HashSet<>(a.legs()).equals(new java.util.HashSet<>(b.legs()))) {
            throw new TnError(opSpan, "cannot " + (sign > 0 ? "add" : "subtract") + " tensors with different legs: "
                    + legList(a) + " and " + legList(b));
        }
        for (int k = 0; k < a.rank(); k++) {
            long other = b.sizeOf(a.legs().get(k));
            if (other != a.size(k)) {
                throw new TnError(opSpan, "cannot " + (sign > 0 ? "add" : "subtract") + ": leg " + a.legs().get(k)
                        + " has size " + a.size(k) + " on the left but " + other + " on the right");
            }
        }
        for (String leg : a.legs()) if (anonymous(leg)) throw unnamed(a);
        List<Net> terms = new ArrayList<>();
        List<Double> coefficients = new ArrayList<>();
        if (a instanceof Net.Sum s && s.label() == null) {
            terms.addAll(s.terms());
            for (double c : s.coefficients()) coefficients.add(c);
        } else {
            terms.add(a);
            coefficients.add(1.0);
        }
        terms.add(b);
        coefficients.add(sign);
        return new Net.Sum(terms, coefficients.stream().mapToDouble(Double::doubleValue).toArray(), span);
    }

    // ---- messages ---------------------------------------------------------------------------

    static TnError unnamed(Net n) {
        return new TnError(n.span(), "this tensor's legs have no names yet; name them where it is used, e.g. x[i, j]");
    }

    static String legList(Net n) {
        StringBuilder sb = new StringBuilder("[");
        for (int k = 0; k < n.rank(); k++) {
            if (k > 0) sb.append(", ");
            sb.append(anonymous(n.legs().get(k)) ? "_" : n.legs().get(k)).append('=').append(n.size(k));
        }
        return sb.append(']').toString();
    }

    private static String describeLegs(Net n) {
        return n.rank() == 0 ? "" : " " + legList(n);
    }

    private static String describe(Net n) {
        return n.label() != null ? n.label() : "the factor";
    }

    private static long[] sizesOf(List<String> legs, Map<String, Long> sizes) {
        long[] s = new long[legs.size()];
        for (int k = 0; k < s.length; k++) s[k] = sizes.get(legs.get(k));
        return s;
    }

    private static boolean hasRepeats(List<String> names) {
        return new java.util.HashSet<>(names).size() != names.size();
    }
}
