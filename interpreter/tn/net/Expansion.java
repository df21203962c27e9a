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

    private static String name(String suffix) {
        if (suffix.isEmpty()) return "direct";
        return suffix.startsWith("<-") ? "direct" + suffix : suffix;
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
                // Entering a component through a slot: "<-V-" + where the input came from (nothing if direct).
                out.add(new Part(p.net(), p.name().isEmpty() || p.name().startsWith("<-") ? p.name() : "<-" + n.tag() + "-" + p.name(), p.order()));
            } else {
                if (maxOrder >= 0 && p.order() + 1 > maxOrder) continue;
                out.add(new Part(p.net(), n.tag() + p.name(), p.order() + 1));
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

    private Net scaled(Net n, double c) {
        if (c == 1.0) return n;
        return new Net.Product(List.of(n), n.legs(), n.sizes(), n.dtype(), c, span);
    }
}
