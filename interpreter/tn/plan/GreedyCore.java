package tn.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;

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
        Map<LegSet, Integer> seen = new HashMap<>();
        for (int k = 0; k < n; k++) {
            LegSet key = new LegSet(s.legs.get(k));
            Integer twin = seen.get(key);
            if (twin != null && s.alive[twin]) {
                int merged = s.contract(twin, k);
                ssa.add(new int[] {twin, k});
                seen.put(key, merged);
            } else {
                seen.put(key, k);
            }
        }
        PriorityQueue<Candidate> queue = new PriorityQueue<>(GreedyCore::compare);
        boolean pushAll = temperature > 0;
        // Initial candidates: for each leg, each operand with the later ones carrying it.
        for (int leg = 0; leg < sizes.length; leg++) {
            if (kept[leg]) continue;
            int[] carriers = s.carriers(leg);
            for (int x = 0; x + 1 < s.carrierCount(leg); x++) {
                push(s, queue, carriers[x], carriers, x + 1, s.carrierCount(leg), pushAll);
            }
        }
        // Scratch for the operands next to a new result: their ids, and a mark per id.
        int[] neighbours = new int[s.alive.length];
        int[] markedFor = new int[s.alive.length];
        Arrays.fill(markedFor, -1);
        while (!queue.isEmpty()) {
            Candidate c = choose(queue, s);
            if (c == null) continue;
            int result = s.contract(c.older, c.newer);
            ssa.add(new int[] {c.older, c.newer});
            markedFor[result] = result;
            int count = 0;
            for (int leg : s.legs.get(result)) {
                if (kept[leg]) continue;
                int[] carriers = s.carriers(leg);
                for (int x = 0; x < s.carrierCount(leg); x++) {
                    int id = carriers[x];
                    if (markedFor[id] != result) {
                        markedFor[id] = result;
                        neighbours[count++] = id;
                    }
                }
            }
            if (count > 0) {
                Arrays.sort(neighbours, 0, count);
                push(s, queue, result, neighbours, 0, count, pushAll);
            }
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

    /** Lower score first; ties go to the older operands (the smaller newer id, then older id). */
    private static int compare(Candidate x, Candidate y) {
        int c = Double.compare(x.score, y.score);
        if (c != 0) return c;
        c = Integer.compare(x.newer, y.newer);
        return c != 0 ? c : Integer.compare(x.older, y.older);
    }

    /** A sorted leg set as a map key (arrays compare by identity). */
    private record LegSet(int[] legs) {
        @Override public boolean equals(Object o) {
            return o instanceof LegSet other && Arrays.equals(legs, other.legs);
        }

        @Override public int hashCode() {
            return Arrays.hashCode(legs);
        }
    }

    /** Candidates pairing {@code k1} with each live operand in {@code others[from, to)}. */
    private void push(State s, PriorityQueue<Candidate> queue, int k1, int[] others, int from, int to, boolean all) {
        Candidate best = null;
        for (int x = from; x < to; x++) {
            int k2 = others[x];
            if (k2 == k1 || !s.alive[k2]) continue;
            int older = Math.min(k1, k2), newer = Math.max(k1, k2);
            double score = s.resultSize(older, newer) - alpha * (s.size(older) + s.size(newer));
            Candidate c = new Candidate(score, older, newer);
            if (all) {
                queue.add(c);
            } else if (best == null || compare(c, best) < 0) {
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
        int[] order = new int[Math.max(1, inputs)];
        for (int k = 0; k < inputs; k++) order[k] = k;
        int live = inputs, next = inputs;
        int[][] path = new int[ssa.size()][];
        for (int s = 0; s < path.length; s++) {
            int[] pair = ssa.get(s);
            int pa = indexOf(order, live, pair[0]), pb = indexOf(order, live, pair[1]);
            int lo = Math.min(pa, pb), hi = Math.max(pa, pb);
            path[s] = new int[] {lo, hi};
            System.arraycopy(order, hi + 1, order, hi, live - hi - 1);
            System.arraycopy(order, lo + 1, order, lo, live - lo - 2);
            order[live - 2] = next++;
            live--;
        }
        return Arrays.asList(path);
    }

    private static int indexOf(int[] a, int count, int x) {
        for (int k = 0; k < count; k++) if (a[k] == x) return k;
        throw new IllegalArgumentException("operand " + x + " is not live");
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
        private static final int[] NONE = new int[0];
        final long[] sizes;
        final boolean[] kept;
        final List<int[]> legs = new ArrayList<>();
        /** By operand id (inputs first, then results in order; at most 2n - 1 in all). */
        final boolean[] alive;
        final double[] footprint;
        /**
         * By leg: the live operands carrying it in increasing id order (new ids are always the
         * largest, so appending keeps the order), and how many there are.
         */
        final int[][] byLeg;
        final int[] carrierCount;
        /** Room for one result's legs (a result never has more legs than the network). */
        private final int[] scratch;

        State(long[] sizes, boolean[] kept, int operands) {
            this.sizes = sizes;
            this.kept = kept;
            this.alive = new boolean[Math.max(1, 2 * operands - 1)];
            this.footprint = new double[alive.length];
            this.byLeg = new int[sizes.length][];
            this.carrierCount = new int[sizes.length];
            this.scratch = new int[sizes.length];
        }

        int add(int[] l) {
            int id = legs.size();
            legs.add(l);
            alive[id] = true;
            footprint[id] = Plan.size(l, sizes);
            for (int leg : l) {
                int[] c = byLeg[leg];
                if (c == null) c = byLeg[leg] = new int[4];
                else if (carrierCount[leg] == c.length) c = byLeg[leg] = Arrays.copyOf(c, 2 * c.length);
                c[carrierCount[leg]++] = id;
            }
            return id;
        }

        /** The live operands carrying {@code leg}: the first {@link #carrierCount} entries (read only). */
        int[] carriers(int leg) {
            return byLeg[leg] == null ? NONE : byLeg[leg];
        }

        int carrierCount(int leg) { return carrierCount[leg]; }

        double size(int id) { return footprint[id]; }

        /** The legs of the result of contracting {@code a} and {@code b}, sorted. */
        int[] resultLegs(int a, int b) {
            return Arrays.copyOf(scratch, mergeResult(a, b));
        }

        /** The size of {@link #resultLegs} without allocating it. */
        double resultSize(int a, int b) {
            return Plan.size(scratch, mergeResult(a, b), sizes);
        }

        /**
         * Writes the result's legs (sorted) into {@link #scratch} and returns how many: the legs of
         * either operand that are kept or carried by some operand other than these two.
         */
        private int mergeResult(int a, int b) {
            int[] la = legs.get(a), lb = legs.get(b);
            int n = 0, i = 0, j = 0;
            while (i < la.length || j < lb.length) {
                int leg, here;
                if (j >= lb.length || (i < la.length && la[i] < lb[j])) { leg = la[i++]; here = 1; }
                else if (i >= la.length || lb[j] < la[i]) { leg = lb[j++]; here = 1; }
                else { leg = la[i++]; j++; here = 2; }
                if (kept[leg] || carrierCount[leg] > here) scratch[n++] = leg;
            }
            return n;
        }

        int contract(int a, int b) {
            int[] r = resultLegs(a, b);
            alive[a] = false;
            alive[b] = false;
            for (int leg : legs.get(a)) remove(leg, a);
            for (int leg : legs.get(b)) remove(leg, b);
            return add(r);
        }

        private void remove(int leg, int id) {
            int[] c = byLeg[leg];
            int count = carrierCount[leg];
            for (int k = 0; k < count; k++) {
                if (c[k] == id) {
                    System.arraycopy(c, k + 1, c, k, count - k - 1);
                    carrierCount[leg] = count - 1;
                    return;
                }
            }
        }
    }
}
