package tn.draw;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tn.net.Net;

/**
 * A residual stream found in a network: x1 = x0 + f0(x0), x2 = x1 + f1(x1), ... where each sum's
 * first term is (the same node as) a value its second term reads. A transformer's forward pass is
 * one: x0 the embedding, the f's its attention and MLP blocks, and what reads the last x (the
 * unembedding) its head. Found from the network alone: the sums and which nodes they share, the
 * names of the functions the script called (from the sums' source text: {@code x + attention(...)}),
 * and the function whose body wrote the start (its {@code def}).
 *
 * <p>Networks that share their stream this way are DAGs whose trees are exponential in the number
 * of blocks (each block reads x three times), so nothing here walks the network as a tree: every
 * walk keeps the nodes it has seen, by identity.
 */
final class Stream {
    /** One residual addition: {@code sum = input + block}, {@code block} reading {@code input}. */
    record Step(Net sum, Net input, Net block, String function, int layer) {
        /** The block's name for expand= and ids: function and layer, {@code attention0}. */
        String name() { return function + layer; }
    }

    /** Fewer residual additions than this is a sum drawn as its terms (draw_sums' {@code x + relu(W x)}). */
    static final int MIN_STEPS = 2;

    final Net root;
    final Net start;
    final List<Step> steps;
    final Net top;

    private Stream(Net root, Net start, List<Step> steps, Net top) {
        this.root = root;
        this.start = start;
        this.steps = steps;
        this.top = top;
    }

    /** The stream of {@code root}, or null when it has fewer than {@link #MIN_STEPS} residual additions. */
    static Stream find(Net root) {
        Net top = null;
        ArrayDeque<Net> queue = new ArrayDeque<>();
        Map<Net, Boolean> seen = new IdentityHashMap<>();
        queue.add(root);
        seen.put(root, true);
        while (!queue.isEmpty() && top == null) {
            Net n = queue.poll();
            if (residualTerm(n) >= 0) {
                top = n;
                break;
            }
            for (Net c : n.children()) if (seen.put(c, true) == null) queue.add(c);
        }
        if (top == null) return null;
        List<Step> steps = new ArrayList<>();
        Net x = top;
        for (int k; (k = residualTerm(x)) >= 0; ) {
            Net.Sum s = (Net.Sum) x;
            Net input = s.terms().get(k), block = s.terms().get(1 - k);
            steps.add(new Step(s, input, block, function(s), 0));
            x = input;
        }
        if (steps.size() < MIN_STEPS) return null;
        Collections.reverse(steps);
        Map<String, Integer> counts = new LinkedHashMap<>();
        List<Step> numbered = new ArrayList<>();
        for (Step st : steps) {
            int layer = counts.merge(st.function(), 1, Integer::sum) - 1;
            numbered.add(new Step(st.sum(), st.input(), st.block(), st.function(), layer));
        }
        return new Stream(root, x, numbered, top);
    }

    /** The names expand= knows: start, each block's, and head when something reads the last value. */
    List<String> blockNames() {
        List<String> out = new ArrayList<>();
        out.add("start");
        for (Step st : steps) out.add(st.name());
        if (root != top) out.add("head");
        return out;
    }

    /**
     * Why {@code expand} cannot be done on {@code net} (a name that is no block of its stream, or
     * no stream at all), or null when it can.
     */
    static String check(Net net, List<String> expand) {
        List<String> named = expand.stream().filter(e -> !e.equals("all") && !e.matches("[0-9]+")).toList();
        if (expand.isEmpty()) return null;
        Stream s = find(net);
        if (s == null) return "expand= opens the blocks of a residual stream (a transformer's forward pass), and this network has none";
        List<String> known = s.blockNames();
        List<String> unknown = named.stream().filter(e -> !known.contains(e)).toList();
        if (unknown.isEmpty()) return null;
        return "expand= names " + String.join(", ", unknown) + ", which " + (unknown.size() == 1 ? "is" : "are")
                + " not a block of this network (its blocks: " + String.join(", ", known) + "; or a depth: 1 opens all)";
    }

    /** The term of a two-term sum of unit coefficients that the other term reads, or -1. */
    static int residualTerm(Net n) {
        if (!(n instanceof Net.Sum s) || s.terms().size() != 2) return -1;
        for (double c : s.coefficients()) if (c != 1) return -1;
        for (int k = 0; k < 2; k++) {
            Net x = s.terms().get(k);
            if (x.rank() == 0) continue;
            if (reads(s.terms().get(1 - k), x)) return k;
        }
        return -1;
    }

    /** Whether {@code target} (by identity) is inside {@code net}. */
    static boolean reads(Net net, Net target) {
        ArrayDeque<Net> stack = new ArrayDeque<>();
        Map<Net, Boolean> seen = new IdentityHashMap<>();
        stack.push(net);
        while (!stack.isEmpty()) {
            Net n = stack.pop();
            if (n == target) return true;
            for (Net c : n.children()) if (seen.put(c, true) == null) stack.push(c);
        }
        return false;
    }

    private static final Pattern CALL = Pattern.compile("\\+\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*\\(");
    private static final Pattern DEF = Pattern.compile("(?m)^\\s*def\\s+([A-Za-z_][A-Za-z0-9_]*)");

    /** The function a residual sum adds ({@code x + attention(...)} gives attention), else "block". */
    static String function(Net.Sum s) {
        if (s.span() == null) return "block";
        Matcher m = CALL.matcher(s.span().text());
        return m.find() ? m.group(1) : "block";
    }

    /** The function whose body wrote {@code n} (the last {@code def} before it in its source), or null. */
    static String writtenIn(Net n) {
        if (n.span() == null) return null;
        String text = n.span().source().text();
        Matcher m = DEF.matcher(text);
        String found = null;
        while (m.find() && m.start() < n.span().start()) found = m.group(1);
        return found;
    }
}
