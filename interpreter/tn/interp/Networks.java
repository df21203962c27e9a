package tn.interp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
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
public final class Networks {
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
                    // Two values made with different sizes of one leg (two models, say) meet here.
                    Net other = firstOn.get(leg);
                    String written = f.label() != null && !inside(f.span(), span) ? f.label() : quote(f.span());
                    throw new TnError(span, "leg " + leg + " has size " + before + " on " + name(other, span) + " but size "
                            + f.size(k) + " on " + name(f, span) + ": values made with two sizes of " + leg + " ("
                            + origin(leg, before, other, span) + ", " + origin(leg, f.size(k), f, span)
                            + ") cannot meet on it; rename it on one of them to keep both, e.g. "
                            + operand(written, "x") + "[" + leg + " -> " + leg + "2]");
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
        java.util.Set<String> listed = new java.util.HashSet<>();
        boolean grouped = false;
        for (LegSpec s : output) {
            if (s instanceof LegSpec.Name n) {
                addOutputLeg(flat, listed, n.name(), n.span(), sizes);
            } else if (s instanceof LegSpec.Group g) {
                grouped = true;
                for (LegSpec.Name n : g.parts()) addOutputLeg(flat, listed, n.name(), n.span(), sizes);
            } else if (s instanceof LegSpec.Number n) {
                throw new TnError(n.span(), "legs are named, not numbered: list the legs to keep by name (legs here: "
                        + String.join(", ", sizes.keySet()) + ")");
            } else {
                throw new TnError(s.span(), "a rename (i -> x) cannot appear in an output list; write x[i -> y] instead");
            }
        }
        Net p = factors.size() == 1 && coefficient == 1.0 && flat.equals(factors.get(0).legs())
                ? factors.get(0)
                : new Net.Product(factors, flat, sizesOf(flat, sizes), dtype, coefficient, span);
        return grouped ? group(p, output, span) : p;
    }

    /**
     * The elementwise product `a .* b`: a product that keeps every leg, so a leg on both factors is
     * a hyperedge with an open end (a copy dot in the diagram) and legs on one are an outer product.
     */
    Net elementwise(List<Net> factors, double coefficient, Span span) {
        List<LegSpec> all = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Net f : factors) {
            for (String leg : f.legs()) {
                if (anonymous(leg)) throw unnamed(f);
                if (seen.add(leg)) all.add(new LegSpec.Name(span, leg));
            }
        }
        return product(factors, coefficient, all, span);
    }

    /**
     * A `*` in a product must not contract: its right factor may share no leg with the factors
     * before it. `x * y` on two vectors is a dot product by tn's rule but elementwise in numpy,
     * so tn asks which was meant.
     */
    void checkStar(List<Net> before, Net right, Span star, Span leftSource, Span rightSource) {
        List<String> shared = new ArrayList<>();
        for (String leg : right.legs()) {
            if (before.stream().anyMatch(f -> f.legs().contains(leg)) && !shared.contains(leg)) shared.add(leg);
        }
        if (shared.isEmpty()) return;
        String x = operand(quote(leftSource), "x");
        String y = operand(quote(rightSource), "y");
        String which = legWord(shared);
        throw new TnError(star, "* between tensors that share " + which + ": write " + x + " " + y + " (side by side) to sum over "
                + names(shared) + ", or " + x + " .* " + y + " for the elementwise product, which keeps "
                + (shared.size() == 1 ? "it" : "them") + " (* is for numbers and tensors with no leg in common)");
    }

    /** An operand's text fit to quote inside a longer expression, or {@code fallback}. */
    private static String operand(String text, String fallback) {
        if (text == null) return fallback;
        return text.matches("[\\w.']+(\\([^()]*\\))?(\\[[^\\]]*\\])?") ? text : "(" + text + ")";
    }

    private void addOutputLeg(List<String> flat, java.util.Set<String> listed, String leg, Span where, Map<String, Long> sizes) {
        if (!sizes.containsKey(leg)) {
            throw new TnError(where, "leg " + leg + " in the output list is on no factor (legs here: "
                    + String.join(", ", sizes.keySet()) + ")");
        }
        if (!listed.add(leg)) throw new TnError(where, "leg " + leg + " is listed twice in the output list");
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

    /** A warning about a product: where (a factor as written) and what. */
    record Hyperedge(Span where, String message) {}

    /**
     * The accidental hyperedge: `A1 A2 A1 A2`, a bra and a ket written with the same names, puts
     * each bond leg on four factors, which tn (like einsum) reads as one index shared by all four,
     * not as two contractions. A leg on three or more factors among which a tensor repeats is
     * reported at the tensor's second copy, with the fix. {@code written} is each factor's source.
     */
    static Hyperedge repeatedTensorHyperedge(List<Net> factors, List<Span> written) {
        Map<String, List<Integer>> on = new LinkedHashMap<>();
        for (int k = 0; k < factors.size(); k++) {
            for (String leg : new LinkedHashSet<>(factors.get(k).legs())) on.computeIfAbsent(leg, x -> new ArrayList<>()).add(k);
        }
        // Each factor's first copy, by value or by how it is written: linear in the number of factors.
        Map<Net, Integer> byValue = new java.util.IdentityHashMap<>();
        Map<String, Integer> byText = new HashMap<>();
        int first = -1, second = -1;
        List<String> others = new ArrayList<>();
        for (int k = 0; k < factors.size(); k++) {
            String text = written.get(k).text();
            Integer j = byValue.putIfAbsent(factors.get(k), k);
            Integer t = byText.putIfAbsent(text, k);
            if (j == null) j = t;
            if (j == null) continue;
            boolean hyper = false;
            for (String leg : factors.get(k).legs()) if (on.get(leg).size() >= 3) hyper = true;
            if (!hyper) continue;
            if (first < 0) {
                first = j;
                second = k;
            } else if (j != first && !others.contains(text) && !text.equals(written.get(first).text())) {
                others.add(text);
            }
        }
        if (second < 0) return null;
        List<String> legs = new ArrayList<>();
        for (String leg : factors.get(second).legs()) if (on.get(leg).size() >= 3 && !legs.contains(leg)) legs.add(leg);
        String quoted = quote(written.get(second));
        String target = operand(quoted, "the copy");
        List<String> renames = new ArrayList<>();
        for (String leg : legs) renames.add(leg + " -> " + leg + "'");
        int most = 0;
        for (String leg : legs) most = Math.max(most, on.get(leg).size());
        return new Hyperedge(written.get(second), (legs.size() == 1 ? "leg " + legs.get(0) + " is" : "legs " + String.join(", ", legs) + " are")
                + " on " + (legs.size() == 1 ? most + " factors" : "three or more factors each") + " and " + (quoted != null ? quoted : "a tensor")
                + " is twice among them" + (others.isEmpty() ? "" : " (so are " + String.join(", ", others) + ")")
                + ": a leg on three or more factors is one index shared by all of them (a hyperedge), not a contraction of each"
                + " copy with its neighbour. If this copy is another one (a bra under a ket), give it its own legs: "
                + target + "[" + String.join(", ", renames) + "]");
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
        for (LegSpec s : specs) if (s instanceof LegSpec.Number) throw numbered(target, specs, span);
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

    /**
     * The terms of a sum, each repeated along the sum's legs it lacks (numpy's broadcasting, by
     * leg name rather than by position): the sum's legs are those of its first term that has
     * every leg of every term, in that term's order. A leg must have one size in all terms, and
     * some term must have all the legs: `x[i] + y[j]` (an outer sum, or a misnamed leg) is an
     * error that says how to write either. {@code ops} are the + and - (null for the first term),
     * {@code sources} where each term is written.
     */
    List<Net> broadcastTerms(List<Net> terms, double[] signs, List<Span> ops, List<Span> sources) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        Map<String, Integer> firstOn = new HashMap<>();
        for (int k = 0; k < terms.size(); k++) {
            Net term = terms.get(k);
            for (String leg : term.legs()) if (anonymous(leg)) throw unnamed(term);
            for (int j = 0; j < term.rank(); j++) {
                String leg = term.legs().get(j);
                Long before = sizes.putIfAbsent(leg, term.size(j));
                firstOn.putIfAbsent(leg, k);
                if (before != null && before != term.size(j)) {
                    String there = quote(sources.get(firstOn.get(leg))), here = quote(sources.get(k));
                    throw new TnError(ops.get(k), "cannot " + verb(signs[k]) + ": leg " + leg + " has size " + before
                            + (there == null ? " on the left" : " in " + there) + " but " + term.size(j)
                            + (here == null ? " on the right" : " in " + here) + sizeHint(leg)
                            + "; a leg has one size in every term of a sum");
                }
            }
        }
        int full = -1;
        for (int k = 0; k < terms.size() && full < 0; k++) if (terms.get(k).rank() == sizes.size()) full = k;
        if (full < 0) {
            // Located at the first term after which no term so far has every leg so far.
            Set<String> so = new LinkedHashSet<>();
            int fullSoFar = -1;
            for (int k = 0; ; k++) {
                so.addAll(terms.get(k).legs());
                if (fullSoFar >= 0 && terms.get(fullSoFar).rank() == so.size()) continue;
                fullSoFar = terms.get(k).rank() == so.size() ? k : -1;
                if (fullSoFar < 0) throw noTermHasAllLegs(terms, k, sizes, verb(signs[k]), ops.get(k), sources);
            }
        }
        Net target = terms.get(full);
        List<Net> out = new ArrayList<>(terms.size());
        for (Net term : terms) out.add(term.rank() == target.rank() ? term : broadcast(term, target));
        return out;
    }

    /**
     * {@code b} repeated along the legs of {@code x} it lacks: b times a vector of ones (a one-leg
     * copy tensor, never stored) for each, its legs in x's order.
     */
    static Net broadcast(Net b, Net x) {
        return broadcast(b, x, b.span());
    }

    /** As {@link #broadcast(Net, Net)}, the repetition located at {@code where} (the broadcast() builtin's call). */
    public static Net broadcast(Net b, Net x, Span where) {
        List<Net> factors = new ArrayList<>();
        factors.add(b);
        for (int k = 0; k < x.rank(); k++) {
            if (!b.legs().contains(x.legs().get(k))) factors.add(new Net.Delta(List.of(x.legs().get(k)), x.size(k), b.dtype(), where));
        }
        return new Net.Product(factors, x.legs(), x.sizes(), b.dtype(), 1.0, where);
    }

    private static String verb(double sign) {
        return sign > 0 ? "add" : "subtract";
    }

    /** A term that, with those before it, leaves no term holding every leg. */
    private static TnError noTermHasAllLegs(List<Net> terms, int k, Map<String, Long> sizes, String verb, Span op, List<Span> sources) {
        Set<String> left = new LinkedHashSet<>();
        for (int j = 0; j < k; j++) left.addAll(terms.get(j).legs());
        Net term = terms.get(k);
        List<String> onlyLeft = new ArrayList<>(left);
        onlyLeft.removeAll(term.legs());
        List<String> onlyRight = new ArrayList<>(term.legs());
        onlyRight.removeAll(left);
        StringBuilder leftList = new StringBuilder("[");
        for (String leg : left) leftList.append(leftList.length() > 1 ? ", " : "").append(leg).append('=').append(sizes.get(leg));
        leftList.append(']');
        String l = operand(quote(sources.get(0).to(sources.get(k - 1))), "x");
        String r = operand(quote(sources.get(k)), "y");
        return new TnError(op, "cannot " + verb + " tensors with different legs: " + leftList + " and " + legList(term)
                + " (only on the left: " + names(onlyLeft) + "; only on the right: " + names(onlyRight) + "): a term is repeated"
                + " along the legs it lacks only if another term has them all; to " + verb + " at every combination, write "
                + l + " .* ones(" + names(onlyRight) + ") " + (verb.equals("add") ? "+" : "-") + " " + r + "; if "
                + onlyLeft.get(0) + " and " + onlyRight.get(0) + " are one leg, rename one: " + r + "[" + onlyRight.get(0)
                + " -> " + onlyLeft.get(0) + "]");
    }

    /** Where a leg of the other size was declared, for a size clash in a sum. */
    private String sizeHint(String leg) {
        Legs.Binding b = legs.lookup(leg);
        return b == null || b.where() == null ? "" : " (leg " + leg + " is declared with size " + b.size() + " at "
                + b.where().line() + ":" + b.where().column() + ")";
    }

    /** The source of an operand for a message, or null when it is too long to quote. */
    private static String quote(Span span) {
        if (span.end() - span.start() > 40) return null;
        String text = span.text();
        return text.indexOf('\n') < 0 ? text : null;
    }

    private static String legWord(List<String> legs) {
        return (legs.size() == 1 ? "leg " : "legs ") + names(legs);
    }

    private static String names(List<String> legs) {
        return String.join(", ", legs.stream().map(n -> anonymous(n) ? "_" : n).toList());
    }

    /**
     * The sum of terms (checked with {@link #checkSummand}) with their coefficients. A first term
     * that is itself an unnamed sum is spliced in, so `(a + b) + c` is one flat sum; not once it has
     * been computed (an argument a function used): its value is then the term, which also keeps
     * the new sum from reading the old one's terms after Evaluator.valuesOnly gave them back.
     */
    Net sum(List<Net> terms, double[] coefficients, Span span) {
        List<Net> all = new ArrayList<>(terms.size());
        List<Double> cs = new ArrayList<>(terms.size());
        Net first = terms.get(0);
        if (first instanceof Net.Sum s && s.label() == null && coefficients[0] == 1.0 && s.cached() == null) {
            all.addAll(s.terms());
            for (double c : s.coefficients()) cs.add(c);
        } else {
            all.add(first);
            cs.add(coefficients[0]);
        }
        for (int k = 1; k < terms.size(); k++) {
            all.add(terms.get(k));
            cs.add(coefficients[k]);
        }
        return new Net.Sum(all, cs.stream().mapToDouble(Double::doubleValue).toArray(), span);
    }

    // ---- messages ---------------------------------------------------------------------------

    /** `A[0, 1]`: numpy's indexing, answered with tn's pick and the tensor's own leg names. */
    private static TnError numbered(Net target, List<LegSpec> specs, Span span) {
        LegSpec.Number first = (LegSpec.Number) specs.stream().filter(s -> s instanceof LegSpec.Number).findFirst().orElseThrow();
        // The target as written: the relabel's text before its '['.
        String written = span.source().text().substring(span.start(), Math.max(span.start(), specs.get(0).span().start() - 1)).strip();
        String name = written.length() <= 40 && written.indexOf('\n') < 0 && !written.isEmpty() ? written
                : target.label() != null ? target.label() : "x";
        if (target.rank() == 0) return new TnError(first.span(), "legs are named, not numbered, and " + name + " has no legs to pick from");
        boolean named = target.legs().stream().noneMatch(Networks::anonymous);
        List<String> legs = new ArrayList<>();
        for (int k = 0; k < target.rank(); k++) legs.add(named ? target.legs().get(k) : String.valueOf((char) ('a' + k % 26)));
        List<String> picks = new ArrayList<>();
        for (int k = 0; k < Math.min(specs.size(), legs.size()); k++) {
            if (specs.get(k) instanceof LegSpec.Number n) picks.add(legs.get(k) + "=" + n.text());
        }
        if (named) {
            return new TnError(first.span(), "legs are named, not numbered: tn writes this as pick(" + name + ", "
                    + String.join(", ", picks) + ") (" + name + " has legs " + legList(target) + ")");
        }
        return new TnError(first.span(), "legs are named, not numbered, and these have no names yet: name them, then pick: pick("
                + name + "[" + String.join(", ", legs) + "], " + String.join(", ", picks) + ")");
    }

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

    /** A factor as written in this product, or by its name (the variable) when made elsewhere. */
    private static String name(Net n, Span product) {
        String text = quote(n.span());
        if (n.label() != null && (!inside(n.span(), product) || text == null)) return n.label();
        return text != null ? text : "the factor";
    }

    /** `10 from 3:9`: where the leg got this size (else where the factor was made). */
    private String origin(String leg, long size, Net factor, Span from) {
        Span at = legs.origin(leg, size);
        if (at == null) at = factor.span();
        return size + " from " + at.line() + ":" + at.column() + (at.source() == from.source() ? "" : " of " + at.source().name());
    }

    private static boolean inside(Span a, Span b) {
        return a.source() == b.source() && a.start() >= b.start() && a.end() <= b.end();
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
