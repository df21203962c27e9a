package tn.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Builds a contraction tree top-down by recursive bisection: the tensors are split into two
 * balanced parts cutting as little bond weight as possible (sum of log2 sizes of the legs that
 * join the parts), each part is split again, and parts of at most {@code leafSize} tensors are
 * ordered exactly. Cheap cuts near the root keep the large intermediates small, which is what
 * greedy misses on lattices, random graphs and circuits. Bisection is multilevel
 * Fiduccia-Mattheyses ({@link Bisection}), or a one-level Kernighan-Lin style refinement of random
 * starts; all randomness comes from the given seed.
 */
final class PartitionBuilder {
    private final int leafSize;
    private final double imbalance;
    private final int starts;
    private final Random random;

    private final boolean multilevel;
    private int greedyBelow;

    PartitionBuilder(int leafSize, double imbalance, int starts, Random random) {
        this(leafSize, imbalance, starts, random, false);
    }

    /** Parts of at most this many tensors (above the exact leaf size) are ordered greedily instead of split further. */
    PartitionBuilder greedyBelow(int size) {
        this.greedyBelow = size;
        return this;
    }

    /** With {@code multilevel}, bisections are multilevel FM ({@link Bisection}) instead of one-level refinement. */
    PartitionBuilder(int leafSize, double imbalance, int starts, Random random, boolean multilevel) {
        this.leafSize = leafSize;
        this.imbalance = imbalance;
        this.starts = starts;
        this.random = random;
        this.multilevel = multilevel;
    }

    /** A contraction path (numpy/opt_einsum format). */
    List<int[]> path(Network network) {
        List<int[]> prepared = Plan.prepare(network);
        int n = prepared.size();
        long[] sizes = network.sizes();
        boolean[] output = new boolean[sizes.length];
        for (int l : network.output()) output[l] = true;
        Map<Integer, List<Integer>> carriers = new HashMap<>();
        for (int k = 0; k < n; k++) for (int l : prepared.get(k)) carriers.computeIfAbsent(l, x -> new ArrayList<>()).add(k);
        List<int[]> ssa = new ArrayList<>();
        int[] next = {n};
        int[] all = new int[n];
        for (int k = 0; k < n; k++) all[k] = k;
        build(all, prepared, sizes, output, carriers, ssa, next, network.names());
        return GreedyCore.ssaToLinear(ssa, n);
    }

    /** Contracts the tensors in {@code part} into one; returns the id of the result. */
    private int build(int[] part, List<int[]> legs, long[] sizes, boolean[] output, Map<Integer, List<Integer>> carriers,
                      List<int[]> ssa, int[] next, String[] names) {
        if (part.length == 1) return part[0];
        if (part.length <= leafSize) return solveExactly(part, legs, sizes, output, carriers, ssa, next, names);
        if (part.length <= greedyBelow) return solveGreedily(part, legs, sizes, output, carriers, ssa, next, names);
        boolean[] side = bisect(part, legs, sizes, carriers);
        int[] a = Arrays.stream(part).filter(v -> !side[index(part, v)]).toArray();
        int[] b = Arrays.stream(part).filter(v -> side[index(part, v)]).toArray();
        if (a.length == 0 || b.length == 0) return solveExactly(part, legs, sizes, output, carriers, ssa, next, names);
        int ra = build(a, legs, sizes, output, carriers, ssa, next, names);
        int rb = build(b, legs, sizes, output, carriers, ssa, next, names);
        ssa.add(new int[] {Math.min(ra, rb), Math.max(ra, rb)});
        return next[0]++;
    }

    private static int index(int[] part, int v) {
        for (int i = 0; i < part.length; i++) if (part[i] == v) return i;
        return -1;
    }

    /** Orders a small part exactly: its result keeps the legs needed outside the part. */
    private static int solveExactly(int[] part, List<int[]> legs, long[] sizes, boolean[] output,
                                    Map<Integer, List<Integer>> carriers, List<int[]> ssa, int[] next, String[] names) {
        return solve(part, legs, sizes, output, carriers, ssa, next, names, null);
    }

    /** Orders a mid-sized part greedily (a few Boltzmann-sampled tries, the cheapest kept). */
    private int solveGreedily(int[] part, List<int[]> legs, long[] sizes, boolean[] output,
                              Map<Integer, List<Integer>> carriers, List<int[]> ssa, int[] next, String[] names) {
        return solve(part, legs, sizes, output, carriers, ssa, next, names, random);
    }

    /** Orders a part exactly ({@code greedy} null) or by the best of a few randomised greedy tries. */
    private static int solve(int[] part, List<int[]> legs, long[] sizes, boolean[] output,
                             Map<Integer, List<Integer>> carriers, List<int[]> ssa, int[] next, String[] names, Random greedy) {
        List<int[]> inputs = new ArrayList<>();
        boolean[] inPart = new boolean[legs.size()];
        for (int v : part) inPart[v] = true;
        List<Integer> keep = new ArrayList<>();
        for (int v : part) {
            inputs.add(legs.get(v));
            for (int l : legs.get(v)) {
                if (keep.contains(l)) continue;
                boolean outside = output[l];
                for (int c : carriers.get(l)) outside |= !inPart[c];
                if (outside) keep.add(l);
            }
        }
        Network local = new Network(inputs, keep.stream().mapToInt(Integer::intValue).toArray(), sizes, names);
        Plan p;
        if (greedy == null) {
            p = Plan.fromPath(local, new OptimalOptimizer().path(local, Double.POSITIVE_INFINITY), "optimal", 0);
        } else {
            p = Plan.fromPath(local, new GreedyCore(1.0, 0.0, greedy).path(local), "greedy", 0);
            for (int t = 0; t < 4; t++) {
                Plan q = Plan.fromPath(local, new GreedyCore(0.5 + greedy.nextDouble(), Math.pow(10, -2 + 2 * greedy.nextDouble()),
                        new Random(greedy.nextLong())).path(local), "greedy", 0);
                if (q.cost() < p.cost()) p = q;
            }
        }
        List<Integer> ids = new ArrayList<>();
        for (int v : part) ids.add(v);
        for (Plan.Step s : p.steps()) {
            int x = ids.get(s.left()), y = ids.get(s.right());
            ids.remove(s.right());
            ids.remove(s.left());
            ssa.add(new int[] {Math.min(x, y), Math.max(x, y)});
            ids.add(next[0]++);
        }
        return ids.get(0);
    }

    /** A balanced two-way split of {@code part} with a small cut; true marks the second side. */
    private boolean[] bisect(int[] part, List<int[]> legs, long[] sizes, Map<Integer, List<Integer>> carriers) {
        int n = part.length;
        Map<Integer, Integer> local = new HashMap<>();
        for (int i = 0; i < n; i++) local.put(part[i], i);
        // Hyperedges inside the part: legs carried by at least two of its tensors.
        List<int[]> edges = new ArrayList<>();
        List<Double> weight = new ArrayList<>();
        List<List<Integer>> incident = new ArrayList<>();
        for (int i = 0; i < n; i++) incident.add(new ArrayList<>());
        Map<Integer, Boolean> seen = new HashMap<>();
        for (int v : part) {
            for (int l : legs.get(v)) {
                if (seen.put(l, true) != null) continue;
                int[] members = carriers.get(l).stream().filter(local::containsKey).mapToInt(local::get).toArray();
                if (members.length < 2) continue;
                for (int m : members) incident.get(m).add(edges.size());
                edges.add(members);
                weight.add(Math.log(sizes[l]) / Math.log(2));
            }
        }
        if (multilevel) {
            int[] ones = new int[n];
            Arrays.fill(ones, 1);
            double[] w = weight.stream().mapToDouble(Double::doubleValue).toArray();
            return new Bisection(random, starts).split(new Bisection.Graph(ones, edges, w), imbalance);
        }
        int minSide = (int) Math.max(1, Math.floor(n * (0.5 - imbalance)));
        boolean[] best = null;
        double bestCut = Double.POSITIVE_INFINITY;
        for (int s = 0; s < starts; s++) {
            boolean[] side = grow(n, incident, edges, n / 2);
            refine(side, edges, weight, incident, minSide);
            double cut = cut(side, edges, weight);
            if (cut < bestCut) {
                bestCut = cut;
                best = side;
            }
        }
        return best;
    }

    /** A connected start: breadth-first growth from a random seed tensor up to {@code target} members. */
    private boolean[] grow(int n, List<List<Integer>> incident, List<int[]> edges, int target) {
        boolean[] side = new boolean[n];
        int count = 0;
        java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
        while (count < target) {
            if (queue.isEmpty()) {
                int start;
                do { start = random.nextInt(n); } while (side[start]);
                side[start] = true;
                count++;
                queue.add(start);
                continue;
            }
            int v = queue.poll();
            List<Integer> es = new ArrayList<>(incident.get(v));
            java.util.Collections.shuffle(es, random);
            for (int e : es) {
                for (int u : edges.get(e)) {
                    if (count < target && !side[u]) {
                        side[u] = true;
                        count++;
                        queue.add(u);
                    }
                }
            }
        }
        return side;
    }

    /** Moves single tensors across while that lowers the cut and keeps both sides large enough. */
    private void refine(boolean[] side, List<int[]> edges, List<Double> weight, List<List<Integer>> incident, int minSide) {
        int n = side.length;
        int[] onTrue = new int[edges.size()];
        for (int e = 0; e < edges.size(); e++) for (int u : edges.get(e)) if (side[u]) onTrue[e]++;
        int trueCount = 0;
        for (boolean b : side) if (b) trueCount++;
        for (int pass = 0; pass < 8; pass++) {
            boolean moved = false;
            int[] order = new int[n];
            for (int i = 0; i < n; i++) order[i] = i;
            for (int i = n - 1; i > 0; i--) { int j = random.nextInt(i + 1); int t = order[i]; order[i] = order[j]; order[j] = t; }
            for (int v : order) {
                int from = side[v] ? trueCount : n - trueCount;
                if (from - 1 < minSide) continue;
                double gain = 0;
                for (int e : incident.get(v)) {
                    int size = edges.get(e).length;
                    int same = side[v] ? onTrue[e] : size - onTrue[e];
                    int other = size - same;
                    if (same == 1 && other > 0) gain += weight.get(e);      // the edge stops being cut
                    else if (other == 0) gain -= weight.get(e);             // the edge becomes cut
                }
                if (gain > 1e-12) {
                    for (int e : incident.get(v)) onTrue[e] += side[v] ? -1 : 1;
                    trueCount += side[v] ? -1 : 1;
                    side[v] = !side[v];
                    moved = true;
                }
            }
            if (!moved) break;
        }
    }

    private static double cut(boolean[] side, List<int[]> edges, List<Double> weight) {
        double c = 0;
        for (int e = 0; e < edges.size(); e++) {
            boolean t = false, f = false;
            for (int u : edges.get(e)) { if (side[u]) t = true; else f = true; }
            if (t && f) c += weight.get(e);
        }
        return c;
    }
}
