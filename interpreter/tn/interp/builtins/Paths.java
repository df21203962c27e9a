package tn.interp.builtins;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import tn.diag.TnError;
import tn.interp.Args;
import tn.interp.Builtin;
import tn.interp.Interpreter;
import tn.interp.Value;
import tn.linalg.Vectors;
import tn.net.Expansion;
import tn.net.Net;

/**
 * Path expansion: tagging the components of a network (heads, layers) and the slots they read
 * through, expanding a network into its named terms, and working with the terms: filtering by
 * component, ranking by the norm of their contribution, summing them back.
 */
public final class Paths {
    private Paths() {}

    public static List<Builtin> all() {
        return List.of(
            Builtin.of("tag", "tag(x, \"L0H3\", slot=false)",
                "x marked as a component of a path (a head, a layer) or, with slot=true, as the input slot a"
                    + " component reads through (\"Q\", \"K\", \"V\"); expand() names terms after these",
                Paths::tag),
            Builtin.of("expand", "expand(x, order=)",
                "the terms of x: products distributed over sums, bubbles kept whole with their argument expanded"
                    + " inside (split by source where it reads tagged slots); a tuple of tensors named by the components"
                    + " they pass through (\"direct\", \"L1H2<-V-L0H3\", \"L1<-{Q-L0, K-L0}\"); with order=k only terms"
                    + " through at most k components, plus one exact remainder",
                Paths::expand),
            Builtin.of("terms", "terms(E, through=\"L0H3\")", "the terms of an expansion that pass through a component",
                Paths::terms),
            Builtin.of("drop_terms", "drop_terms(E, \"L1H0<-K-L0H3\", ...)",
                "the terms of an expansion without the named ones (names, or tuples of names): total(drop_terms(E, t))"
                    + " is the expanded network minus the term t",
                Paths::dropTerms),
            Builtin.of("patch_terms", "patch_terms(E, F, \"L1H0<-K-L0H3\", ...)",
                "the terms of E with the named ones replaced by F's terms of the same names (the same network on other"
                    + " inputs): total(patch_terms(E, F, t)) is total(E) - t of E + t of F",
                Paths::patchTerms),
            Builtin.of("rank", "rank(E)", "the terms ordered by the Frobenius norm of their contribution, largest first",
                Paths::rank),
            Builtin.of("total", "total(E)", "the sum of the terms (equal to the expanded network)", Paths::total),
            Builtin.of("name", "name(x)", "the name of a tensor (a term's path, a variable's name)", a -> {
                a.expect(1, 1, "a tensor");
                String n = a.tensor(0).label();
                return new Value.Str(n == null ? "" : n);
            }),
            Builtin.of("str", "str(values...)", "the values' text joined: str(\"L\", 0, \"H\", 3) is \"L0H3\"", a -> {
                StringBuilder sb = new StringBuilder();
                for (int i = 0; i < a.count(); i++) {
                    Value v = a.value(i);
                    if (v instanceof Value.Str s) sb.append(s.value());
                    else if (v instanceof Value.Num n) sb.append(tn.interp.Printer.number(n.value()));
                    else if (v instanceof Value.Bool b) sb.append(b.value());
                    else throw a.error(i, "str() joins strings, numbers and truth values, not " + v.kind());
                }
                return new Value.Str(sb.toString());
            }));
    }

    private static Value tag(Args a) {
        a.expect(2, 2, "a tensor and a name");
        Net x = a.tensor(0);
        String name = a.string(1);
        if (name.isEmpty() || name.contains("<-")) throw a.error(1, "a tag is a non-empty name without \"<-\", e.g. \"L0H3\"");
        boolean slot = a.bool("slot", false);
        Net t = new Net.Relabel(x, x.legs(), a.span());
        t.setTag(name, slot);
        return new Value.TensorValue(t);
    }

    private static Value expand(Args a) {
        a.expect(1, 1, "a tensor");
        Net x = a.tensor(0);
        int order = -1;
        if (a.has("order")) {
            long k = a.integer("order", 0);
            if (k < 0) throw new TnError(a.keywordSpan("order"), "order= is at least 0");
            order = (int) k;
        }
        List<Expansion.Term> terms;
        try {
            terms = Expansion.of(x, order, a.span());
        } catch (Expansion.TooLarge e) {
            throw a.error(e.getMessage());
        }
        List<Value> out = new ArrayList<>();
        for (Expansion.Term t : terms) {
            Net named = new Net.Relabel(t.net(), t.net().legs(), a.span());
            named.nameIfAnonymous(t.name());
            out.add(new Value.TensorValue(named));
        }
        return new Value.Tuple(out);
    }

    static List<Net> nets(Args a, int i) {
        Value v = a.value(i);
        if (!(v instanceof Value.Tuple t)) throw a.error(i, a.name() + "() needs the terms of an expansion (a tuple), not " + v.kind());
        List<Net> out = new ArrayList<>();
        for (Value x : t.items()) out.add(a.interpreter().asTensor(x, a.span(i), "a term"));
        return out;
    }

    /** The components a term's name passes through: "L1H2<-V-L0H3" has L1H2 and L0H3, "L1<-{Q-L0, K-L0}" L1 and L0. */
    static List<String> components(String name) {
        List<String> out = new ArrayList<>();
        for (String piece : name.replace("{", "").replace("}", "").replace(", ", "<-").split("<-")) {
            int dash = piece.indexOf('-');
            out.add(dash < 0 ? piece : piece.substring(dash + 1));
        }
        return out;
    }

    private static Value terms(Args a) {
        a.expect(1, 1, "the terms of an expansion");
        List<Net> nets = nets(a, 0);
        String through = a.string("through", null);
        if (through == null) throw a.error("terms() needs through=\"NAME\", a component such as \"L0H3\"");
        List<Value> out = new ArrayList<>();
        for (Net n : nets) if (n.label() != null && components(n.label()).contains(through)) out.add(new Value.TensorValue(n));
        return new Value.Tuple(out);
    }

    /** The term names given from argument {@code from} on: strings, or tuples of strings; at least one. */
    private static List<String> names(Args a, int from) {
        if (a.count() <= from) throw a.error(a.name() + "() needs the names of the terms, e.g. \"L1H0<-K-L0H3\" (name(t) is a term's name)");
        List<String> out = new ArrayList<>();
        for (int i = from; i < a.count(); i++) {
            Value v = a.value(i);
            List<Value> items = v instanceof Value.Tuple t ? t.items() : List.of(v);
            for (Value x : items) {
                if (!(x instanceof Value.Str s)) throw a.error(i, a.name() + "() takes the names of terms (strings, or tuples of them), not " + x.kind());
                out.add(s.value());
            }
        }
        return out;
    }

    /** Argument {@code i}'s position among the names, for the error of the name at index k of names(a, from). */
    private static int argumentOf(Args a, int from, int k) {
        int seen = 0;
        for (int i = from; i < a.count(); i++) {
            seen += a.value(i) instanceof Value.Tuple t ? t.items().size() : 1;
            if (k < seen) return i;
        }
        return a.count() - 1;
    }

    /** Refuses a name that no term of {@code nets} has (nothing asked for is ignored), naming the closest. */
    private static void requireNamed(Args a, List<Net> nets, List<String> names, int from, String which) {
        java.util.Set<String> known = new java.util.LinkedHashSet<>();
        for (Net n : nets) if (n.label() != null) known.add(n.label());
        for (int k = 0; k < names.size(); k++) {
            if (known.contains(names.get(k))) continue;
            String near = tn.interp.Suggest.closest(names.get(k), known);
            throw a.error(argumentOf(a, from, k), which + " has no term named \"" + names.get(k) + "\" (" + known.size() + " names"
                    + (near != null ? "; did you mean \"" + near + "\"?" : "; name(t) gives a term's name") + ")");
        }
    }

    private static Value dropTerms(Args a) {
        a.expect(1, -1, "the terms of an expansion and the names of the terms to drop");
        List<Net> nets = nets(a, 0);
        List<String> names = names(a, 1);
        requireNamed(a, nets, names, 1, "the expansion");
        List<Value> out = new ArrayList<>();
        for (Net n : nets) if (!names.contains(n.label())) out.add(new Value.TensorValue(n));
        return new Value.Tuple(out);
    }

    private static Value patchTerms(Args a) {
        a.expect(2, -1, "two expansions and the names of the terms to patch");
        List<Net> into = nets(a, 0);
        List<Net> from = nets(a, 1);
        List<String> names = names(a, 2);
        requireNamed(a, into, names, 2, "the first expansion");
        requireNamed(a, from, names, 2, "the second expansion");
        java.util.Set<String> legs = new java.util.HashSet<>(into.get(0).legs());
        List<Value> out = new ArrayList<>();
        java.util.Set<String> placed = new java.util.HashSet<>();
        for (Net n : into) {
            if (!names.contains(n.label())) {
                out.add(new Value.TensorValue(n));
                continue;
            }
            // The other expansion's terms of that name (all of them), where the first of this name was.
            if (!placed.add(n.label())) continue;
            for (Net f : from) {
                if (!n.label().equals(f.label())) continue;
                if (!new java.util.HashSet<>(f.legs()).equals(legs)) {
                    throw a.error(1, "patch_terms(): the term \"" + n.label() + "\" has legs " + f.legs() + " here but the first expansion's terms have "
                            + into.get(0).legs() + "; patch expansions of the same network on other inputs");
                }
                out.add(new Value.TensorValue(f));
            }
        }
        return new Value.Tuple(out);
    }

    private static Value rank(Args a) {
        a.expect(1, 1, "the terms of an expansion");
        List<Net> nets = nets(a, 0);
        Interpreter in = a.interpreter();
        if (!in.concrete()) {
            List<Value> out = new ArrayList<>();
            for (Net n : nets) out.add(new Value.TensorValue(n));
            return new Value.Tuple(out);
        }
        double[] norms = norms(in, nets);
        List<Value> out = new ArrayList<>();
        for (int k : ranked(norms)) out.add(new Value.TensorValue(nets.get(k)));
        return new Value.Tuple(out);
    }

    /** The Frobenius norm of each term's contribution (evaluated). */
    static double[] norms(Interpreter in, List<Net> nets) {
        double[] norms = new double[nets.size()];
        for (int k = 0; k < norms.length; k++) {
            norms[k] = Vectors.norm(in.evaluator().backend().toDoubles(in.evaluator().evaluate(nets.get(k)).data()));
        }
        return norms;
    }

    /** Indices by norm, largest first (a stable sort: ties keep the expansion's order). */
    static Integer[] ranked(double[] norms) {
        Integer[] order = new Integer[norms.length];
        for (int k = 0; k < order.length; k++) order[k] = k;
        Arrays.sort(order, Comparator.comparingDouble((Integer k) -> -norms[k]));
        return order;
    }

    private static Value total(Args a) {
        a.expect(1, 1, "the terms of an expansion");
        List<Net> nets = nets(a, 0);
        if (nets.isEmpty()) throw a.error(0, "total() of no terms");
        for (Net n : nets) {
            if (!new java.util.HashSet<>(n.legs()).equals(new java.util.HashSet<>(nets.get(0).legs()))) {
                throw a.error(0, "total(): the terms have different legs (" + nets.get(0).legs() + " and " + n.legs() + ")");
            }
        }
        if (nets.size() == 1) return new Value.TensorValue(nets.get(0));
        double[] ones = new double[nets.size()];
        Arrays.fill(ones, 1);
        return new Value.TensorValue(new Net.Sum(nets, ones, a.span()));
    }
}
