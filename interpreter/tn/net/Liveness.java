package tn.net;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import tn.exec.Dense;

/**
 * Which values are still needed while only values are asked for ({@link Evaluator#valuesOnly}:
 * `detach(forward(m, ids))`), so that an intermediate's memory goes back as soon as the last step
 * reading it has run, as reference counting frees a temporary in numpy or torch under no_grad,
 * instead of every activation of a forward staying reachable from the result's network until the
 * network itself is dropped (a GPT-2 forward's ~100 MB, and a garbage collection to find them).
 *
 * <p>A value is needed while a node that will be evaluated may read it: a node is <em>live</em> when
 * a held node (the interpreter's variables and the arguments of the calls running) reaches it
 * through nodes not yet computed, itself included. A computed node reads nothing below it, so
 * the nodes under a computed variable are not live: only a derivative or an expansion built later
 * would read them again, and within the scope none is built of what the scope computed (if one
 * were, the nodes it needs are computed again, the same way: dropping a memo never changes a
 * number).
 *
 * <p>Two things release values. Within one evaluation, each node of the graph the root reaches
 * uncomputed counts its parents there; a parent lets go of its children when it is computed, or,
 * for a product flattened into a larger contraction and never computed itself, when it is not
 * needed either; a node no parent needs and that is not live is dead, and its memo and value go
 * at once. Between evaluations, nodes the scope computed that survived (roots, live nodes) are
 * kept in a register, and those that are no longer live go at the start of the next evaluation
 * and when the scope ends.
 *
 * <p>Only values this scope made are released: a result that is one of its inputs (a
 * relabelling, a sum of one term) counts one more holder, and the values of tensors, of nodes
 * computed before the scope, of complex nodes, and values handed to a caller ({@link
 * Evaluator#evaluate} returns them: a detached tensor keeps its data) are never released. The
 * backend frees nothing a view may still read. The test suite runs with freed memory filled with
 * NaNs ({@code tn.poison}), so a value read after its release would show.
 */
final class Liveness {
    private final Consumer<Dense> release;
    /** Values this scope made, and how many nodes hold each as their memo. */
    private final Map<Dense, int[]> holders = new IdentityHashMap<>();
    /** Values this scope made that were handed to a caller: never released (dropped from here with their last holder). */
    private final Set<Dense> escaped = identitySet();
    /** Nodes the scope computed that outlived their evaluation, with their value's memo. */
    private final Map<Net, Tensor> register = new IdentityHashMap<>();

    // The evaluation running now.
    /** Parents still needing each node of the graph the root reaches uncomputed. */
    private Map<Net, int[]> waiting;
    /** Nodes whose hold on their children has ended. */
    private Set<Net> done;
    /** The root and the live nodes: their memos stay. */
    private Set<Net> kept;
    /** Values of the graph's boundary (tensors, nodes computed earlier) the scope did not make. */
    private Set<Dense> inputs;

    Liveness(Consumer<Dense> release) {
        this.release = release;
    }

    /**
     * Before evaluating {@code root} (not computed): counts the graph the root reaches uncomputed,
     * then drops what is no longer live. {@code held}: the nodes the script can still reach, asked
     * only when there is something to keep or drop.
     */
    void begin(Net root, java.util.function.Supplier<Iterable<Net>> held) {
        waiting = new IdentityHashMap<>();
        done = identitySet();
        kept = identitySet();
        inputs = identitySet();
        Set<Net> read = identitySet(); // the computed nodes the graph reads
        Deque<Net> todo = new ArrayDeque<>();
        waiting.put(root, new int[1]);
        todo.push(root);
        while (!todo.isEmpty()) {
            Net n = todo.pop();
            for (Net c : n.children()) {
                if (c.concrete != null || c instanceof Net.Leaf) {
                    Dense d = c.concrete != null ? c.concrete.data() : ((Net.Leaf) c).tensor().data();
                    if (d != null && !holders.containsKey(d)) inputs.add(d);
                    read.add(c);
                    continue;
                }
                int[] parents = waiting.get(c);
                if (parents == null) {
                    waiting.put(c, parents = new int[1]);
                    todo.push(c);
                }
                parents[0]++;
            }
        }
        kept.add(root);
        // Nothing to keep or drop in a graph of the root alone: the register waits for the next
        // evaluation (what it holds goes a little later, never wrongly), unless it has grown.
        if (waiting.size() == 1 && register.size() < SWEEP_AT) return;
        Set<Net> live = live(held.get(), root);
        for (Net n : waiting.keySet()) if (live.contains(n)) kept.add(n);
        live.addAll(read);
        sweep(live);
    }

    /** Registered nodes past which an evaluation of a root alone still sweeps. */
    private static final int SWEEP_AT = 32;

    /** {@code n} has been computed, its value {@code t}: it no longer needs its children. */
    void computed(Net n, Tensor t) {
        if (waiting == null || !waiting.containsKey(n) || n instanceof Net.Leaf) return; // a tensor, or a node made during the evaluation
        Dense d = t.data();
        if (d != null && !inputs.contains(d) && !t.dtype().isComplex()) { // complex values share parts in ways not tracked here
            holders.computeIfAbsent(d, k -> new int[1])[0]++; // new, or passed on by a node that holds it too
        }
        letGo(n);
    }

    /** The evaluation has ended (or failed): the nodes it computed that are still memoised go to the register. */
    void end() {
        if (waiting == null) return;
        for (Net n : waiting.keySet()) {
            if (n.concrete != null && holders.containsKey(n.concrete.data())) register.put(n, n.concrete);
        }
        waiting = null;
        done = kept = null;
        inputs = null;
    }

    /** The caller receives {@code d}: it is never released. */
    void escape(Dense d) {
        if (d != null && holders.containsKey(d)) escaped.add(d); // a value the scope did not make is never released anyway
    }

    /** The scope ends: whatever is not live goes; the rest stays memoised, left to the garbage collector. */
    void close(Iterable<Net> held) {
        sweep(live(held, null));
        register.clear();
        holders.clear();
        escaped.clear();
    }

    private void letGo(Net n) {
        if (!done.add(n)) return;
        for (Net c : n.children()) {
            int[] parents = waiting.get(c);
            if (parents != null && --parents[0] == 0) dead(c);
        }
    }

    /** No node of the evaluation needs {@code n} any more. */
    private void dead(Net n) {
        Tensor t = n.concrete;
        if (t != null && !kept.contains(n)) drop(n, t);
        letGo(n); // a product flattened into its parents, never computed itself, lets go now
    }

    private void drop(Net n, Tensor t) {
        if (n.concrete == t) n.concrete = null;
        Dense d = t.data();
        int[] count = d == null ? null : holders.get(d);
        if (count != null && --count[0] == 0) {
            holders.remove(d);
            if (!escaped.remove(d)) release.accept(d);
        }
    }

    /** Drops the registered nodes that are not live. */
    private void sweep(Set<Net> live) {
        List<Net> gone = new ArrayList<>();
        for (Net n : register.keySet()) if (!live.contains(n)) gone.add(n);
        for (Net n : gone) drop(n, register.remove(n));
    }

    /**
     * The held nodes and every node they reach through nodes not computed yet ({@code stop}, the
     * root about to be computed, counts as computed: what it reaches is needed only by it).
     */
    private static Set<Net> live(Iterable<Net> held, Net stop) {
        Set<Net> live = identitySet();
        Deque<Net> todo = new ArrayDeque<>();
        for (Net h : held) if (h != null && live.add(h)) todo.push(h);
        while (!todo.isEmpty()) {
            Net n = todo.pop();
            if (n.concrete != null || n == stop) continue;
            for (Net c : n.children()) if (live.add(c)) todo.push(c);
        }
        return live;
    }

    private static <T> Set<T> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }
}
