package tn.interp.builtins;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import tn.ast.LegSpec;
import tn.interp.Args;
import tn.interp.Builtin;
import tn.interp.Value;
import tn.net.Net;

/**
 * numpy's einsum, so equations can be pasted: `einsum("ij,jk->ik", A, B)`. Each operand's axes
 * are named by the letters of its term (in order; the operand's own leg names are ignored), and
 * the result's legs are named by the output letters. Without `->`, the output is the broadcast
 * (ellipsis) axes followed by every letter that occurs once, in alphabetical order, as in numpy.
 * `...` stands for the remaining axes, aligned from the right and broadcast (size 1 stretches);
 * those legs are called _0, _1, ... in the result.
 */
public final class Einsum {
    private static final String ELLIPSIS = "...";

    private Einsum() {}

    public static List<Builtin> all() {
        return List.of(Builtin.of("einsum", "einsum(\"ij,jk->ik\", A, B, ...)",
                "numpy's einsum (explicit and implicit mode, ... broadcasting); the result's legs are named by the output letters",
                Einsum::einsum));
    }

    /** One operand's term: letters before and after its ellipsis (all in {@code before} if none). */
    private record Term(String before, String after, boolean ellipsis) {
        int letters() { return before.length() + after.length(); }

        static Term parse(String text) {
            int e = text.indexOf(ELLIPSIS);
            if (e < 0) return new Term(text, "", false);
            return new Term(text.substring(0, e), text.substring(e + ELLIPSIS.length()), true);
        }
    }

    private static Value einsum(Args a) {
        a.expect(2, -1, "an equation and one or more tensors");
        String equation = a.string(0).replace(" ", "");
        String[] sides = equation.split("->", -1);
        if (sides.length > 2) throw a.error(0, "einsum: more than one -> in \"" + equation + "\"");
        String[] texts = sides[0].split(",", -1);
        if (texts.length != a.count() - 1) {
            throw a.error(0, "einsum: the equation has " + texts.length + " operand" + (texts.length == 1 ? "" : "s")
                    + " but " + (a.count() - 1) + " tensor" + (a.count() == 2 ? " is" : "s are") + " given");
        }
        List<Term> terms = new ArrayList<>();
        List<Net> operands = new ArrayList<>();
        int broadcastRank = 0;
        for (int t = 0; t < texts.length; t++) {
            Term term = Term.parse(texts[t]);
            checkLetters(a, term.before() + term.after());
            Net x = a.tensor(t + 1);
            int extra = x.rank() - term.letters();
            if (extra < 0 || (extra > 0 && !term.ellipsis())) {
                throw a.error(t + 1, "einsum: operand " + t + " has " + x.rank() + " axes but its term \"" + texts[t]
                        + "\" names " + term.letters());
            }
            broadcastRank = Math.max(broadcastRank, extra);
            terms.add(term);
            operands.add(x);
        }
        long[] broadcast = broadcastSizes(a, terms, operands, broadcastRank);
        List<String> ellipsisLegs = new ArrayList<>();
        for (int p = 0; p < broadcastRank; p++) ellipsisLegs.add("_" + p);

        List<Net> factors = new ArrayList<>();
        int[] count = new int[Character.MAX_VALUE + 1];
        for (int t = 0; t < terms.size(); t++) {
            Term term = terms.get(t);
            Net x = operands.get(t);
            int extra = x.rank() - term.letters();
            List<String> names = new ArrayList<>();
            List<Long> sizes = new ArrayList<>();
            boolean squeeze = false;
            for (int k = 0; k < x.rank(); k++) {
                String name;
                if (k < term.before().length()) {
                    name = String.valueOf(term.before().charAt(k));
                } else if (k < term.before().length() + extra) {
                    int p = broadcastRank - extra + (k - term.before().length());
                    if (x.size(k) == 1 && broadcast[p] != 1) { // stretched: the axis is dropped
                        squeeze = true;
                        continue;
                    }
                    name = ellipsisLegs.get(p);
                } else {
                    name = String.valueOf(term.after().charAt(k - term.before().length() - extra));
                }
                names.add(name);
                sizes.add(x.size(k));
            }
            for (char c : (term.before() + term.after()).toCharArray()) count[c]++;
            if (squeeze) {
                int[] identity = new int[x.rank()];
                for (int k = 0; k < identity.length; k++) identity[k] = k;
                factors.add(new Net.Reshape(x, identity, names, sizes.stream().mapToLong(Long::longValue).toArray(), a.span(t + 1)));
            } else {
                factors.add(new Net.Relabel(x, names, a.span(t + 1)));
            }
        }
        List<String> out = new ArrayList<>();
        if (sides.length == 2) {
            Term o = Term.parse(sides[1]);
            checkLetters(a, o.before() + o.after());
            if (!o.ellipsis() && broadcastRank > 0) {
                throw a.error(0, "einsum: the operands have " + broadcastRank + " broadcast axes (...) but the output does not say where they go; add ... to the output");
            }
            String letters = o.before() + o.after();
            for (char c : letters.toCharArray()) {
                if (count[c] == 0) throw a.error(0, "einsum: output letter " + c + " does not occur in the inputs");
                if (letters.indexOf(c) != letters.lastIndexOf(c)) throw a.error(0, "einsum: output letter " + c + " is repeated");
            }
            for (char c : o.before().toCharArray()) out.add(String.valueOf(c));
            if (o.ellipsis()) out.addAll(ellipsisLegs);
            for (char c : o.after().toCharArray()) out.add(String.valueOf(c));
        } else {
            out.addAll(ellipsisLegs);
            TreeSet<Character> once = new TreeSet<>();
            for (Term term : terms) for (char c : (term.before() + term.after()).toCharArray()) if (count[c] == 1) once.add(c);
            for (char c : once) out.add(String.valueOf(c));
        }
        List<LegSpec> output = out.stream().map(n -> (LegSpec) new LegSpec.Name(a.span(0), n)).toList();
        return new Value.TensorValue(a.interpreter().productOf(factors, output, a.span()));
    }

    /** The size of each broadcast axis, numpy's rule: sizes agree or are 1. */
    private static long[] broadcastSizes(Args a, List<Term> terms, List<Net> operands, int rank) {
        long[] sizes = new long[rank];
        java.util.Arrays.fill(sizes, 1);
        for (int t = 0; t < terms.size(); t++) {
            Net x = operands.get(t);
            int extra = x.rank() - terms.get(t).letters();
            for (int q = 0; q < extra; q++) {
                long s = x.size(terms.get(t).before().length() + q);
                int p = rank - extra + q;
                if (s != 1 && sizes[p] != 1 && s != sizes[p]) {
                    throw a.error(t + 1, "einsum: broadcast axes of sizes " + sizes[p] + " and " + s + " do not match (only size 1 stretches)");
                }
                if (s != 1) sizes[p] = s;
            }
        }
        return sizes;
    }

    private static void checkLetters(Args a, String letters) {
        for (char c : letters.toCharArray()) {
            if (!Character.isLetter(c)) throw a.error(0, "einsum: '" + c + "' is not a letter (subscripts are letters a-z, A-Z, and ... for broadcasting)");
        }
    }
}
