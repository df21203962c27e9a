package tn.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * opt_einsum's greedy rule: repeatedly contract the pair of operands that share a leg and whose
 * contraction shrinks the total size the most (size of the result minus the sizes of the two
 * operands), ties broken by the older operands; operands that share nothing are joined last by
 * outer products, smallest first. Candidate pairs live in a priority queue and are found through
 * a leg-to-operand index, so large networks plan in milliseconds.
 */
public final class GreedyOptimizer implements Optimizer {
    @Override public String name() { return "greedy"; }

    private record Candidate(double score, int a, int b) {}

    @Override
    public List<int[]> path(Network network, double memoryLimit) {
        List<int[]> prepared = Plan.prepare(network);
        int n = prepared.size();
        long[] sizes = network.sizes();
        // Operands by id; ids of results continue after the inputs.
        List<int[]> legs = new ArrayList<>(prepared);
        boolean[] output = new boolean[sizes.length];
        for (int l : network.output()) output[l] = true;
        // For each leg, the live operands carrying it.
        List<List<Integer>> carriers = new ArrayList<>();
        for (int l = 0; l < sizes.length; l++) carriers.add(new ArrayList<>());
        for (int k = 0; k < n; k++) for (int l : legs.get(k)) carriers.get(l).add(k);
        List<Boolean> alive = new ArrayList<>();
        for (int k = 0; k < n; k++) alive.add(true);
        List<Integer> order = new ArrayList<>(); // live operand ids in current list order
        for (int k = 0; k < n; k++) order.add(k);

        PriorityQueue<Candidate> queue = new PriorityQueue<>((x, y) -> {
            int c = Double.compare(x.score, y.score);
            if (c != 0) return c;
            c = Integer.compare(x.a, y.a);
            return c != 0 ? c : Integer.compare(x.b, y.b);
        });
        Map<Long, Boolean> queued = new HashMap<>();
        for (int l = 0; l < sizes.length; l++) {
            List<Integer> c = carriers.get(l);
            for (int x = 0; x < c.size(); x++) {
                for (int y = x + 1; y < c.size(); y++) offer(queue, queued, c.get(x), c.get(y), legs, carriers, output, sizes);
            }
        }
        List<int[]> path = new ArrayList<>();
        while (order.size() > 1) {
            Candidate best = null;
            while (!queue.isEmpty()) {
                Candidate c = queue.poll();
                if (alive.get(c.a) && alive.get(c.b)) {
                    best = c;
                    break;
                }
            }
            int a, b;
            if (best != null) {
                a = best.a;
                b = best.b;
            } else {
                // Nothing shares a leg: outer products of the two smallest.
                Integer[] byIdSize = order.toArray(new Integer[0]);
                Arrays.sort(byIdSize, (x, y) -> {
                    int c = Double.compare(Plan.size(legs.get(x), sizes), Plan.size(legs.get(y), sizes));
                    return c != 0 ? c : Integer.compare(x, y);
                });
                a = Math.min(byIdSize[0], byIdSize[1]);
                b = Math.max(byIdSize[0], byIdSize[1]);
            }
            int pa = order.indexOf(a), pb = order.indexOf(b);
            path.add(new int[] {Math.min(pa, pb), Math.max(pa, pb)});
            int[] result = resultLegs(a, b, legs, carriers, output);
            alive.set(a, false);
            alive.set(b, false);
            for (int l : legs.get(a)) carriers.get(l).remove(Integer.valueOf(a));
            for (int l : legs.get(b)) carriers.get(l).remove(Integer.valueOf(b));
            int id = legs.size();
            legs.add(result);
            alive.add(true);
            order.remove(Integer.valueOf(a));
            order.remove(Integer.valueOf(b));
            order.add(id);
            for (int l : result) carriers.get(l).add(id);
            // New candidates: the result with every operand it shares a leg with.
            java.util.TreeSet<Integer> neighbours = new java.util.TreeSet<>();
            for (int l : result) neighbours.addAll(carriers.get(l));
            neighbours.remove(id);
            for (int other : neighbours) offer(queue, queued, other, id, legs, carriers, output, sizes);
        }
        return path;
    }

    private static void offer(PriorityQueue<Candidate> queue, Map<Long, Boolean> queued, int a, int b,
                              List<int[]> legs, List<List<Integer>> carriers, boolean[] output, long[] sizes) {
        int x = Math.min(a, b), y = Math.max(a, b);
        if (queued.put(((long) x << 32) | y, Boolean.TRUE) != null) return;
        int[] r = resultLegs(x, y, legs, carriers, output);
        double score = Plan.size(r, sizes) - Plan.size(legs.get(x), sizes) - Plan.size(legs.get(y), sizes);
        queue.add(new Candidate(score, x, y));
    }

    /** The legs kept by contracting a and b: those still needed by the output or another operand. */
    private static int[] resultLegs(int a, int b, List<int[]> legs, List<List<Integer>> carriers, boolean[] output) {
        int[] la = legs.get(a), lb = legs.get(b);
        int[] out = new int[la.length + lb.length];
        int n = 0;
        for (int l : la) if (needed(l, a, b, carriers, output)) out[n++] = l;
        outer:
        for (int l : lb) {
            for (int x : la) if (x == l) continue outer;
            if (needed(l, a, b, carriers, output)) out[n++] = l;
        }
        return Arrays.copyOf(out, n);
    }

    private static boolean needed(int leg, int a, int b, List<List<Integer>> carriers, boolean[] output) {
        if (output[leg]) return true;
        for (int c : carriers.get(leg)) if (c != a && c != b) return true;
        return false;
    }
}
