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
 * `...` stands for the remaining axes, aligned from the right and broadcast; those legs are
 * called _0, _1, ... in the result. As in numpy, an axis of size 1 stretches to the size its
 * letter (or broadcast position) has in the other operands.
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
                throw a.error(t + 1, "einsum: " + describe(a, t, x) + " has " + x.rank() + (x.rank() == 1 ? " axis" : " axes")
                        + " but its subscript \"" + texts[t] + "\" names " + term.letters() + (term.ellipsis() ? " besides ..." : "")
                        + (extra > 0 ? " (add ... to the subscript for the axes it does not name)" : ""));
            }
            broadcastRank = Math.max(broadcastRank, extra);
            terms.add(term);
            operands.add(x);
        }
        long[] broadcast = broadcastSizes(a, terms, operands, broadcastRank);
        long[] letterSize = letterSizes(a, terms, operands);
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
                char letter = letterAt(term, extra, k);
                // A size-1 axis stretches, as in numpy, to the size its letter (or broadcast
                // position) has elsewhere: the axis is dropped, so the operand no longer varies along it.
                long full = letter != 0 ? letterSize[letter] : broadcast[broadcastRank - extra + (k - term.before().length())];
                if (x.size(k) == 1 && full != 1) {
                    squeeze = true;
                    continue;
                }
                names.add(letter != 0 ? String.valueOf(letter) : ellipsisLegs.get(broadcastRank - extra + (k - term.before().length())));
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

    /** The letter naming axis k of an operand (0 for an axis of its ellipsis). */
    private static char letterAt(Term term, int extra, int k) {
        int before = term.before().length();
        if (k < before) return term.before().charAt(k);
        if (k < before + extra) return 0;
        return term.after().charAt(k - before - extra);
    }

    /** "operand 2 (B, legs [i, j])": counted from 1, as the user wrote it, with its legs or shape. */
    private static String describe(Args a, int t, Net x) {
        String text = a.span(t + 1).text().strip();
        boolean named = x.legs().stream().noneMatch(l -> l.startsWith("#"));
        String legs = named ? "legs [" + String.join(", ", x.legs()) + "]" : "shape " + java.util.Arrays.toString(x.sizes());
        return "operand " + (t + 1) + " (" + (text.length() <= 24 ? text + ", " : "") + legs + ")";
    }

    /**
     * The size of each letter, numpy's rule: the sizes of a letter's axes agree or are 1 (size 1
     * stretches), except that a letter repeated within one operand (a diagonal) needs equal sizes there.
     */
    private static long[] letterSizes(Args a, List<Term> terms, List<Net> operands) {
        long[] size = new long[Character.MAX_VALUE + 1];
        int[] from = new int[Character.MAX_VALUE + 1];
        java.util.Arrays.fill(size, 1);
        for (int t = 0; t < terms.size(); t++) {
            Term term = terms.get(t);
            Net x = operands.get(t);
            int extra = x.rank() - term.letters();
            long[] here = new long[Character.MAX_VALUE + 1];
            for (int k = 0; k < x.rank(); k++) {
                char c = letterAt(term, extra, k);
                if (c == 0) continue;
                long s = x.size(k);
                if (here[c] != 0 && here[c] != s) {
                    throw a.error(t + 1, "einsum: " + describe(a, t, x) + " repeats letter " + c + " on axes of sizes " + here[c] + " and " + s
                            + "; a repeated letter takes the diagonal, which needs equal sizes");
                }
                here[c] = s;
                if (s == 1) continue;
                if (size[c] != 1 && size[c] != s) {
                    throw a.error(t + 1, "einsum: letter " + c + " has size " + size[c] + " in " + describe(a, from[c], operands.get(from[c]))
                            + " but " + s + " in " + describe(a, t, x) + "; sizes must agree (or be 1, which stretches)");
                }
                size[c] = s;
                from[c] = t;
            }
        }
        return size;
    }

    /** The size of each broadcast axis, numpy's rule: sizes agree or are 1. */
    private static long[] broadcastSizes(Args a, List<Term> terms, List<Net> operands, int rank) {
        long[] sizes = new long[rank];
        int[] from = new int[rank];
        java.util.Arrays.fill(sizes, 1);
        for (int t = 0; t < terms.size(); t++) {
            Net x = operands.get(t);
            int extra = x.rank() - terms.get(t).letters();
            for (int q = 0; q < extra; q++) {
                long s = x.size(terms.get(t).before().length() + q);
                int p = rank - extra + q;
                if (s != 1 && sizes[p] != 1 && s != sizes[p]) {
                    throw a.error(t + 1, "einsum: broadcast axis _" + p + " (...) has size " + sizes[p] + " in " + describe(a, from[p], operands.get(from[p]))
                            + " but " + s + " in " + describe(a, t, x) + "; sizes must agree (or be 1, which stretches)");
                }
                if (s != 1) {
                    sizes[p] = s;
                    from[p] = t;
                }
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
