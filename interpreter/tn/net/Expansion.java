package tn.net;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import tn.diag.Span;

/**
 * Path expansion: a network containing sums, distributed into a sum of product networks. Products
 * distribute over sums (coefficients and signs multiplied through); a bubble is not split (it is
 * nonlinear): its argument is expanded inside it and the bubble stays one factor. Terms are named
 * by the tagged components they pass through ("L1H2<-V-L0H3": head 2 of layer 1 reading, through
 * its V input, the output of head 3 of layer 0; "direct" when none), and their order is the number
 * of components. Sub-expansions are shared by identity, so terms share sub-networks and computed
 * intermediates.
 */
public final class Expansion {
    /** One term: its network (coefficient included), name and order. */
    public record Term(Net net, String name, int order) {}

    /** Expansions larger than this are refused (use order= to keep the low-order terms). */
    public static final int MAX_TERMS = 100_000;

    private final Span span;
    private final int maxOrder;
    private final Map<Net, List<Part>> memo = new IdentityHashMap<>();

    /** A term while expanding: the network, and the name suffix built so far. */
    private record Part(Net net, String name, int order) {}

    private Expansion(Span span, int maxOrder) {
        this.span = span;
        this.maxOrder = maxOrder;
    }

    /** Thrown when the expansion would have too many terms. */
    public static final class TooLarge extends RuntimeException {
        TooLarge(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * The terms of {@code net} with at most {@code maxOrder} components (-1: all); with a limit, a last
     * term "remainder" holds exactly the rest (the network minus the kept terms), so the sum stays exact.
     */
    public static List<Term> of(Net net, int maxOrder, Span span) {
        Expansion e = new Expansion(span, maxOrder);
        List<Part> parts = e.expand(net);
        List<Term> out = new ArrayList<>();
        for (Part p : parts) out.add(new Term(p.net(), name(p.name()), p.order()));
        if (maxOrder >= 0) {
            // The rest, exactly: the network minus the kept terms (the dropped ones are never enumerated).
            List<Net> nets = new ArrayList<>();
            nets.add(net);
            for (Term t : out) nets.add(t.net());
            double[] c = new double[nets.size()];
            java.util.Arrays.fill(c, -1);
            c[0] = 1;
            out.add(new Term(new Net.Sum(nets, c, span), "remainder (order > " + maxOrder + ")", maxOrder + 1));
        }
        return out;
    }

    /** Separates the slot pieces ("V-L0H3") gathered for one component while its terms are built. */
    private static final String PIECE = "\u001f";

    private static String name(String raw) {
        if (raw.isEmpty()) return "direct";
        return raw.startsWith(PIECE) ? "direct" + joined(raw) : raw;
    }

    /**
     * A component's slot pieces as a suffix: "<-V-L0H3" for one; "<-{Q-L0, V-L0}" for several read at
     * once (in parallel, unlike the chain "L2H0<-V-L1H1<-V-L0H0").
     */
    private static String joined(String pieces) {
        List<String> ps = new ArrayList<>();
        for (String p : pieces.split(PIECE)) if (!p.isEmpty()) ps.add(p);
        if (ps.isEmpty()) return "";
        return ps.size() == 1 ? "<-" + ps.get(0) : "<-{" + String.join(", ", ps) + "}";
    }

    private List<Part> expand(Net n) {
        List<Part> m = memo.get(n);
        if (m != null) return m;
        List<Part> out = tagged(n, raw(n));
        if (out.size() > MAX_TERMS) throw new TooLarge("the expansion has more than " + MAX_TERMS + " terms; keep the low orders with order=");
        memo.put(n, out);
        return out;
    }

    /** Applies n's own tag to the terms of its content. */
    private List<Part> tagged(Net n, List<Part> parts) {
        if (n.tag() == null) return parts;
        List<Part> out = new ArrayList<>();
        for (Part p : parts) {
            if (n.isSlot()) {
                // Entering a component through a slot: a piece "V-" + where the input came from (none if direct).
                out.add(new Part(p.net(), p.name().isEmpty() ? "" : PIECE + n.tag() + "-" + name(p.name()), p.order()));
            } else {
                if (maxOrder >= 0 && p.order() + 1 > maxOrder) continue;
                out.add(new Part(p.net(), n.tag() + joined(p.name()), p.order() + 1));
            }
        }
        return out;
    }

    private List<Part> raw(Net n) {
        if (n instanceof Net.Leaf || n instanceof Net.Delta) return List.of(new Part(n, "", 0));
        if (n instanceof Net.Relabel r) {
            List<Part> out = new ArrayList<>();
            for (Part p : expand(r.inner())) {
                out.add(new Part(p.net() == r.inner() ? r : new Net.Relabel(p.net(), r.legs(), r.span()), p.name(), p.order()));
            }
            return out;
        }
        if (n instanceof Net.Sum s) {
            List<Part> out = new ArrayList<>();
            double[] c = s.coefficients();
            for (int k = 0; k < s.terms().size(); k++) {
                for (Part p : expand(s.terms().get(k))) out.add(new Part(scaled(p.net(), c[k]), p.name(), p.order()));
            }
            return out;
        }
        if (n instanceof Net.Product p) {
            List<Part> acc = List.of(new Part(null, "", 0));
            List<List<Net>> factorLists = new ArrayList<>();
            factorLists.add(new ArrayList<>());
            for (Net f : p.factors()) {
                List<Part> fs = expand(f);
                List<Part> next = new ArrayList<>();
                List<List<Net>> nextFactors = new ArrayList<>();
                for (int a = 0; a < acc.size(); a++) {
                    for (Part q : fs) {
                        int order = acc.get(a).order() + q.order();
                        if (maxOrder >= 0 && order > maxOrder) continue;
                        next.add(new Part(null, acc.get(a).name() + q.name(), order));
                        List<Net> l = new ArrayList<>(factorLists.get(a));
                        l.add(q.net());
                        nextFactors.add(l);
                    }
                }
                if (next.size() > MAX_TERMS) throw new TooLarge("the expansion has more than " + MAX_TERMS + " terms; keep the low orders with order=");
                acc = next;
                factorLists = nextFactors;
            }
            List<Part> out = new ArrayList<>();
            for (int a = 0; a < acc.size(); a++) {
                List<Net> fs = factorLists.get(a);
                boolean same = fs.equals(p.factors());
                Net net = same ? p : new Net.Product(fs, p.legs(), p.sizes(), p.dtype(), p.coefficient(), p.span());
                out.add(new Part(net, acc.get(a).name(), acc.get(a).order()));
            }
            return out;
        }
        if (n instanceof Net.Bubble b) {
            List<Net> slots = new ArrayList<>();
            findSlots(b.inner(), slots, java.util.Collections.newSetFromMap(new IdentityHashMap<>()));
            if (!slots.isEmpty()) return slotted(b, slots);
            // Not split: the argument is expanded inside the bubble, which stays one factor.
            List<Part> inner = expand(b.inner());
            if (inner.size() == 1 && inner.get(0).net() == b.inner()) return List.of(new Part(b, "", 0));
            List<Net> nets = new ArrayList<>();
            for (Part q : inner) nets.add(q.net());
            double[] ones = new double[nets.size()];
            java.util.Arrays.fill(ones, 1);
            Net sum = nets.size() == 1 ? nets.get(0) : new Net.Sum(nets, ones, b.span());
            return List.of(new Part(new Net.Bubble(b.function(), sum, b.over(), b.parameter(), b.span()), "", 0));
        }
        return List.of(new Part(n, "", 0)); // a reshape: one factor
    }

    /** The slot-tagged nodes inside a bubble's argument, each once, in the order met. */
    private static void findSlots(Net n, List<Net> out, java.util.Set<Net> seen) {
        if (!seen.add(n)) return;
        if (n.tag() != null && n.isSlot()) {
            out.add(n);
            return;
        }
        if (n instanceof Net.Relabel r) findSlots(r.inner(), out, seen);
        else if (n instanceof Net.Product p) for (Net f : p.factors()) findSlots(f, out, seen);
        else if (n instanceof Net.Sum s) for (Net t : s.terms()) findSlots(t, out, seen);
        else if (n instanceof Net.Bubble b) findSlots(b.inner(), out, seen);
        else if (n instanceof Net.Reshape r) findSlots(r.inner(), out, seen);
    }

    /**
     * A bubble reading slots (an attention pattern reading its Q and K inputs), split by the source
     * each slot reads: with slot j's terms t_0 (direct), t_1, ... and cumulative inputs C_j(i) =
     * t_0 + ... + t_i, the term for sources (c_1, ..., c_m) is the mixed difference of the bubble
     * over the slots with c_j > 0 (C_j(c_j) minus C_j(c_j - 1)), the others at C_j(c_j). Summed
     * over all sources this telescopes to the bubble itself: exact, though the bubble is nonlinear;
     * for a multilinear bubble the terms are the ordinary distributed ones.
     */
    private List<Part> slotted(Net.Bubble b, List<Net> slots) {
        int m = slots.size();
        List<List<Part>> terms = new ArrayList<>();
        List<List<Net>> cumulative = new ArrayList<>();
        long total = 1;
        for (Net slot : slots) {
            List<Part> ts = expand(slot);
            terms.add(ts);
            List<Net> cs = new ArrayList<>();
            List<Net> acc = new ArrayList<>();
            for (Part t : ts) {
                acc.add(t.net());
                double[] ones = new double[acc.size()];
                java.util.Arrays.fill(ones, 1);
                cs.add(acc.size() == 1 ? acc.get(0) : new Net.Sum(new ArrayList<>(acc), ones, span));
            }
            cumulative.add(cs);
            total *= ts.size();
            if (total > MAX_TERMS) throw new TooLarge("the expansion has more than " + MAX_TERMS + " terms; keep the low orders with order=");
        }
        Map<String, Net> variants = new java.util.HashMap<>();
        List<Part> out = new ArrayList<>();
        int[] c = new int[m];
        while (true) {
            int order = 0;
            StringBuilder name = new StringBuilder();
            for (int j = 0; j < m; j++) {
                Part t = terms.get(j).get(c[j]);
                order += t.order();
                name.append(t.name());
            }
            if (maxOrder < 0 || order <= maxOrder) {
                List<Integer> moving = new ArrayList<>();
                for (int j = 0; j < m; j++) if (c[j] > 0) moving.add(j);
                List<Net> nets = new ArrayList<>();
                List<Double> signs = new ArrayList<>();
                for (int e = 0; e < (1 << moving.size()); e++) {
                    int[] at = c.clone();
                    int lowered = 0;
                    for (int q = 0; q < moving.size(); q++) {
                        if ((e >> q & 1) == 0) {
                            at[moving.get(q)]--;
                            lowered++;
                        }
                    }
                    String key = java.util.Arrays.toString(at);
                    Net v = variants.get(key);
                    if (v == null) {
                        Map<Net, Net> sub = new IdentityHashMap<>();
                        for (int j = 0; j < m; j++) sub.put(slots.get(j), cumulative.get(j).get(at[j]));
                        v = Substitution.of(b, sub);
                        variants.put(key, v);
                    }
                    nets.add(v);
                    signs.add(lowered % 2 == 0 ? 1.0 : -1.0);
                }
                Net net = nets.size() == 1 ? nets.get(0) : new Net.Sum(nets, signs.stream().mapToDouble(Double::doubleValue).toArray(), span);
                out.add(new Part(net, name.toString(), order));
            }
            int j = m - 1;
            while (j >= 0 && ++c[j] == terms.get(j).size()) c[j--] = 0;
            if (j < 0) break;
        }
        return out;
    }

    private Net scaled(Net n, double c) {
        if (c == 1.0) return n;
        return new Net.Product(List.of(n), n.legs(), n.sizes(), n.dtype(), c, span);
    }
}
