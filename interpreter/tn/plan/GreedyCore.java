package tn.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.TreeSet;

/**
 * The greedy contraction builder shared by `greedy` and the randomised search. Follows the
 * opt_einsum rule: legs shared by every operand count as kept; operands with identical leg
 * sets are merged first; then, repeatedly, the pair that shares a leg and has the lowest score
 * {@code size(result) - alpha * (size(a) + size(b))} is contracted (ties go to the older
 * operands); finally disconnected parts are joined by outer products, smallest first.
 *
 * <p>With a temperature above zero the choice among the few best candidates is sampled with
 * Boltzmann weights, which is what makes repeated randomised trials explore different orders.
 */
final class GreedyCore {
    private static final int SAMPLE_FROM = 8;

    private final double alpha;
    private final double temperature;
    private final Random random;

    GreedyCore(double alpha, double temperature, Random random) {
        this.alpha = alpha;
        this.temperature = temperature;
        this.random = random;
    }

    private record Candidate(double score, int older, int newer) {}

    /** A contraction path (numpy/opt_einsum format) for the network. */
    List<int[]> path(Network network) {
        List<int[]> prepared = Plan.prepare(network);
        int n = prepared.size();
        long[] sizes = network.sizes();
        boolean[] kept = new boolean[sizes.length];
        for (int l : network.output()) kept[l] = true;
        // A leg on every operand can only go at the very end: treat it as kept.
        for (int l = 0; l < sizes.length; l++) {
            boolean everywhere = n > 1;
            for (int[] in : prepared) everywhere &= contains(in, l);
            if (everywhere) kept[l] = true;
        }
        State s = new State(sizes, kept, n);
        for (int k = 0; k < n; k++) s.add(sorted(prepared.get(k)));
        List<int[]> ssa = new ArrayList<>();
        // Identical leg sets first: their elementwise product never grows anything.
        Map<String, Integer> seen = new HashMap<>();
        for (int k = 0; k < n; k++) {
            String key = Arrays.toString(s.legs.get(k));
            Integer twin = seen.get(key);
            if (twin != null && s.alive[twin]) {
                int merged = s.contract(twin, k);
                ssa.add(new int[] {twin, k});
                seen.put(key, merged);
            } else {
                seen.put(key, k);
            }
        }
        PriorityQueue<Candidate> queue = new PriorityQueue<>((x, y) -> {
            int c = Double.compare(x.score, y.score);
            if (c != 0) return c;
            c = Integer.compare(x.newer, y.newer);
            return c != 0 ? c : Integer.compare(x.older, y.older);
        });
        boolean pushAll = temperature > 0;
        // Initial candidates: for each leg, each operand with the later ones carrying it.
        for (int leg = 0; leg < sizes.length; leg++) {
            if (kept[leg]) continue;
            List<Integer> carriers = new ArrayList<>(s.carriers(leg));
            for (int x = 0; x + 1 < carriers.size(); x++) {
                push(s, queue, carriers.get(x), carriers.subList(x + 1, carriers.size()), pushAll);
            }
        }
        while (!queue.isEmpty()) {
            Candidate c = choose(queue, s);
            if (c == null) continue;
            int result = s.contract(c.older, c.newer);
            ssa.add(new int[] {c.older, c.newer});
            TreeSet<Integer> neighbours = new TreeSet<>();
            for (int leg : s.legs.get(result)) if (!kept[leg]) neighbours.addAll(s.carriers(leg));
            neighbours.remove(result);
            if (!neighbours.isEmpty()) push(s, queue, result, new ArrayList<>(neighbours), pushAll);
        }
        // Whatever is left shares nothing: outer products, smallest first.
        PriorityQueue<double[]> rest = new PriorityQueue<>((x, y) -> {
            int c = Double.compare(x[0], y[0]);
            return c != 0 ? c : Double.compare(x[1], y[1]);
        });
        for (int id = 0; id < s.legs.size(); id++) if (s.alive[id]) rest.add(new double[] {s.size(id), id});
        while (rest.size() > 1) {
            int a = (int) rest.poll()[1], b = (int) rest.poll()[1];
            int result = s.contract(Math.min(a, b), Math.max(a, b));
            ssa.add(new int[] {Math.min(a, b), Math.max(a, b)});
            rest.add(new double[] {s.size(result), result});
        }
        return ssaToLinear(ssa, n);
    }

    private void push(State s, PriorityQueue<Candidate> queue, int k1, List<Integer> others, boolean all) {
        Candidate best = null;
        for (int k2 : others) {
            if (k2 == k1 || !s.alive[k2]) continue;
            int older = Math.min(k1, k2), newer = Math.max(k1, k2);
            double score = s.size(s.resultLegs(older, newer)) - alpha * (s.size(older) + s.size(newer));
            Candidate c = new Candidate(score, older, newer);
            if (all) {
                queue.add(c);
            } else if (best == null || queue.comparator().compare(c, best) < 0) {
                best = c;
            }
        }
        if (best != null) queue.add(best);
    }

    /** The best live candidate, or (with a temperature) one sampled among the best few. */
    private Candidate choose(PriorityQueue<Candidate> queue, State s) {
        if (temperature <= 0) {
            Candidate c = queue.poll();
            return s.alive[c.older] && s.alive[c.newer] ? c : null;
        }
        List<Candidate> top = new ArrayList<>();
        while (!queue.isEmpty() && top.size() < SAMPLE_FROM) {
            Candidate c = queue.poll();
            if (s.alive[c.older] && s.alive[c.newer]) top.add(c);
        }
        if (top.isEmpty()) return null;
        double min = top.get(0).score;
        double scale = Math.max(Math.abs(min), 1.0);
        double[] weights = new double[top.size()];
        double total = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = Math.exp(-(top.get(i).score - min) / (temperature * scale));
            total += weights[i];
        }
        double r = random.nextDouble() * total;
        int chosen = 0;
        while (chosen < weights.length - 1 && (r -= weights[chosen]) > 0) chosen++;
        for (int i = 0; i < top.size(); i++) if (i != chosen) queue.add(top.get(i));
        return top.get(chosen);
    }

    /** Converts pairs of operand ids (results numbered on from the inputs) to list positions. */
    static List<int[]> ssaToLinear(List<int[]> ssa, int inputs) {
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < inputs; k++) order.add(k);
        int next = inputs;
        List<int[]> path = new ArrayList<>();
        for (int[] pair : ssa) {
            int pa = order.indexOf(pair[0]), pb = order.indexOf(pair[1]);
            path.add(new int[] {Math.min(pa, pb), Math.max(pa, pb)});
            order.remove(Integer.valueOf(pair[0]));
            order.remove(Integer.valueOf(pair[1]));
            order.add(next++);
        }
        return path;
    }

    private static boolean contains(int[] a, int x) {
        for (int v : a) if (v == x) return true;
        return false;
    }

    private static int[] sorted(int[] a) {
        int[] c = a.clone();
        Arrays.sort(c);
        return c;
    }

    /** Live operands, their legs, and for each leg the operands carrying it. */
    private static final class State {
        private static final TreeSet<Integer> NONE = new TreeSet<>();
        final long[] sizes;
        final boolean[] kept;
        final List<int[]> legs = new ArrayList<>();
        /** By operand id (inputs first, then results in order; at most 2n - 1 in all). */
        final boolean[] alive;
        final double[] footprint;
        /** By leg: the live operands carrying it (null until one does). */
        final TreeSet<Integer>[] byLeg;

        @SuppressWarnings("unchecked")
        State(long[] sizes, boolean[] kept, int operands) {
            this.sizes = sizes;
            this.kept = kept;
            this.alive = new boolean[Math.max(1, 2 * operands - 1)];
            this.footprint = new double[alive.length];
            this.byLeg = new TreeSet[sizes.length];
        }

        int add(int[] l) {
            int id = legs.size();
            legs.add(l);
            alive[id] = true;
            footprint[id] = Plan.size(l, sizes);
            for (int leg : l) {
                if (byLeg[leg] == null) byLeg[leg] = new TreeSet<>();
                byLeg[leg].add(id);
            }
            return id;
        }

        /** The live operands carrying {@code leg} (read only). */
        TreeSet<Integer> carriers(int leg) {
            return byLeg[leg] == null ? NONE : byLeg[leg];
        }

        double size(int id) { return footprint[id]; }

        double size(int[] l) { return Plan.size(l, sizes); }

        int[] resultLegs(int a, int b) {
            int[] la = legs.get(a), lb = legs.get(b);
            int[] out = new int[la.length + lb.length];
            int n = 0, i = 0, j = 0;
            while (i < la.length || j < lb.length) {
                int leg;
                if (j >= lb.length || (i < la.length && la[i] < lb[j])) leg = la[i++];
                else if (i >= la.length || lb[j] < la[i]) leg = lb[j++];
                else { leg = la[i++]; j++; }
                if (kept[leg] || carriers(leg).size() > (contains(la, leg) ? 1 : 0) + (contains(lb, leg) ? 1 : 0)) {
                    out[n++] = leg;
                }
            }
            return Arrays.copyOf(out, n);
        }

        int contract(int a, int b) {
            int[] r = resultLegs(a, b);
            alive[a] = false;
            alive[b] = false;
            for (int leg : legs.get(a)) byLeg[leg].remove(a);
            for (int leg : legs.get(b)) byLeg[leg].remove(b);
            return add(r);
        }
    }
}
