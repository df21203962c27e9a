package tn.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Balanced min-cut bisection of a weighted hypergraph (tensors as vertices, legs as hyperedges
 * weighted by log2 of their size), multilevel in the manner of hMETIS and KaHyPar: the graph is
 * coarsened by heavy-edge matching, the coarsest graph is split from several grown starts, and the
 * split is projected back level by level, refined at each with Fiduccia-Mattheyses passes (moves
 * with negative gain allowed, the best prefix kept). Deterministic for the given random source.
 */
final class Bisection {
    /** Graphs this small are split directly. */
    static final int COARSEST = 48;

    private final Random random;
    private final int starts;

    Bisection(Random random, int starts) {
        this.random = random;
        this.starts = starts;
    }

    /** A hypergraph: vertex weights, edges (member lists, at least two members) and edge weights. */
    record Graph(int[] vertexWeight, List<int[]> edges, double[] edgeWeight) {
        int n() { return vertexWeight.length; }

        List<List<Integer>> incidence() {
            List<List<Integer>> inc = new ArrayList<>();
            for (int i = 0; i < n(); i++) inc.add(new ArrayList<>());
            for (int e = 0; e < edges.size(); e++) for (int v : edges.get(e)) inc.get(v).add(e);
            return inc;
        }

        int totalWeight() {
            int t = 0;
            for (int w : vertexWeight) t += w;
            return t;
        }
    }

    /** A split of g (true: the second side), each side weighing at least (0.5 - imbalance) of the total. */
    boolean[] split(Graph g, double imbalance) {
        int minSide = (int) Math.max(1, Math.floor(g.totalWeight() * (0.5 - imbalance)));
        return split(g, minSide);
    }

    private boolean[] split(Graph g, int minSide) {
        if (g.n() <= COARSEST) return initial(g, minSide);
        int[] cluster = match(g);
        int coarseN = 0;
        for (int c : cluster) coarseN = Math.max(coarseN, c + 1);
        if (coarseN > 0.9 * g.n()) return refine(g, initial(g, minSide), minSide); // too little to coarsen
        Graph coarse = contract(g, cluster, coarseN);
        boolean[] coarseSide = split(coarse, minSide);
        boolean[] side = new boolean[g.n()];
        for (int v = 0; v < g.n(); v++) side[v] = coarseSide[cluster[v]];
        return refine(g, side, minSide);
    }

    /** Heavy-edge matching: each vertex joins the unmatched neighbour it shares the most weight with. */
    private int[] match(Graph g) {
        int n = g.n();
        List<List<Integer>> inc = g.incidence();
        int maxCluster = Math.max(2, g.totalWeight() / 24);
        int[] cluster = new int[n];
        Arrays.fill(cluster, -1);
        int[] order = shuffled(n);
        double[] rating = new double[n];
        int next = 0;
        for (int v : order) {
            if (cluster[v] >= 0) continue;
            List<Integer> touched = new ArrayList<>();
            for (int e : inc.get(v)) {
                int[] members = g.edges().get(e);
                if (members.length > 16) continue; // big hyperedges say little about closeness
                double r = g.edgeWeight()[e] / (members.length - 1);
                for (int u : members) {
                    if (u == v || cluster[u] >= 0 || g.vertexWeight()[u] + g.vertexWeight()[v] > maxCluster) continue;
                    if (rating[u] == 0) touched.add(u);
                    rating[u] += r;
                }
            }
            int best = -1;
            for (int u : touched) {
                if (best < 0 || rating[u] > rating[best]) best = u;
            }
            for (int u : touched) rating[u] = 0;
            cluster[v] = next;
            if (best >= 0) cluster[best] = next;
            next++;
        }
        return cluster;
    }

    private static Graph contract(Graph g, int[] cluster, int coarseN) {
        int[] weight = new int[coarseN];
        for (int v = 0; v < g.n(); v++) weight[cluster[v]] += g.vertexWeight()[v];
        List<int[]> edges = new ArrayList<>();
        List<Double> w = new ArrayList<>();
        for (int e = 0; e < g.edges().size(); e++) {
            int[] members = Arrays.stream(g.edges().get(e)).map(v -> cluster[v]).distinct().toArray();
            if (members.length < 2) continue;
            edges.add(members);
            w.add(g.edgeWeight()[e]);
        }
        return new Graph(weight, edges, w.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The best of several grown starts, each refined. */
    private boolean[] initial(Graph g, int minSide) {
        boolean[] best = null;
        double bestCut = Double.POSITIVE_INFINITY;
        List<List<Integer>> inc = g.incidence();
        for (int s = 0; s < starts; s++) {
            boolean[] side = refine(g, grow(g, inc, g.totalWeight() / 2), minSide);
            double c = cut(g, side);
            if (c < bestCut) {
                bestCut = c;
                best = side;
            }
        }
        return best;
    }

    /** Breadth-first growth from random seeds until the side weighs {@code target}. */
    private boolean[] grow(Graph g, List<List<Integer>> inc, int target) {
        int n = g.n();
        boolean[] side = new boolean[n];
        int weight = 0;
        java.util.ArrayDeque<Integer> queue = new java.util.ArrayDeque<>();
        int[] order = shuffled(n);
        int cursor = 0;
        while (weight < target) {
            if (queue.isEmpty()) {
                while (cursor < n && side[order[cursor]]) cursor++;
                if (cursor == n) break;
                int v = order[cursor];
                side[v] = true;
                weight += g.vertexWeight()[v];
                queue.add(v);
                continue;
            }
            int v = queue.poll();
            List<Integer> es = new ArrayList<>(inc.get(v));
            es.sort(java.util.Comparator.comparingInt(e -> g.edges().get(e).length)); // tight connections first
            for (int e : es) {
                for (int u : g.edges().get(e)) {
                    if (weight >= target || side[u]) continue;
                    side[u] = true;
                    weight += g.vertexWeight()[u];
                    queue.add(u);
                }
            }
        }
        return side;
    }

    /** Fiduccia-Mattheyses passes: every vertex moves at most once a pass; the best prefix of moves is kept. */
    private boolean[] refine(Graph g, boolean[] side, int minSide) {
        int n = g.n();
        List<List<Integer>> inc = g.incidence();
        int[] onTrue = new int[g.edges().size()];
        for (int e = 0; e < onTrue.length; e++) for (int v : g.edges().get(e)) if (side[v]) onTrue[e]++;
        int total = g.totalWeight(), trueWeight = 0;
        for (int v = 0; v < n; v++) if (side[v]) trueWeight += g.vertexWeight()[v];
        double[] gain = new double[n];
        // During a pass the sides may be off balance by one vertex (so that swaps can happen as two
        // moves); only balanced prefixes are kept.
        int slack = 0;
        for (int w : g.vertexWeight()) slack = Math.max(slack, w);
        for (int pass = 0; pass < 10; pass++) {
            for (int v = 0; v < n; v++) gain[v] = gain(g, inc, onTrue, side, v);
            boolean[] locked = new boolean[n];
            int[] moves = new int[n];
            int count = 0, bestCount = 0;
            double sum = 0, bestSum = 0;
            int sinceBest = 0;
            while (count < n && sinceBest < Math.max(50, n / 4)) {
                int pick = -1;
                for (int v = 0; v < n; v++) {
                    if (locked[v]) continue;
                    int w = g.vertexWeight()[v];
                    int from = side[v] ? trueWeight : total - trueWeight;
                    int to = total - from;
                    if (from - w < minSide - slack || to + w > total - minSide + slack) continue;
                    if (pick < 0 || gain[v] > gain[pick]) pick = v;
                }
                if (pick < 0) break;
                sum += gain[pick];
                move(g, inc, onTrue, side, pick);
                trueWeight += side[pick] ? g.vertexWeight()[pick] : -g.vertexWeight()[pick];
                locked[pick] = true;
                moves[count++] = pick;
                for (int e : inc.get(pick)) for (int u : g.edges().get(e)) if (!locked[u]) gain[u] = gain(g, inc, onTrue, side, u);
                boolean balanced = trueWeight >= minSide && total - trueWeight >= minSide;
                if (balanced && sum > bestSum + 1e-9) {
                    bestSum = sum;
                    bestCount = count;
                    sinceBest = 0;
                } else {
                    sinceBest++;
                }
            }
            for (int k = count - 1; k >= bestCount; k--) { // undo the moves after the best prefix
                int v = moves[k];
                move(g, inc, onTrue, side, v);
                trueWeight += side[v] ? g.vertexWeight()[v] : -g.vertexWeight()[v];
            }
            if (bestCount == 0) break;
        }
        return side;
    }

    private static double gain(Graph g, List<List<Integer>> inc, int[] onTrue, boolean[] side, int v) {
        double gain = 0;
        for (int e : inc.get(v)) {
            int size = g.edges().get(e).length;
            int same = side[v] ? onTrue[e] : size - onTrue[e];
            int other = size - same;
            if (same == 1 && other > 0) gain += g.edgeWeight()[e];
            else if (other == 0) gain -= g.edgeWeight()[e];
        }
        return gain;
    }

    private static void move(Graph g, List<List<Integer>> inc, int[] onTrue, boolean[] side, int v) {
        for (int e : inc.get(v)) onTrue[e] += side[v] ? -1 : 1;
        side[v] = !side[v];
    }

    static double cut(Graph g, boolean[] side) {
        double c = 0;
        for (int e = 0; e < g.edges().size(); e++) {
            boolean t = false, f = false;
            for (int u : g.edges().get(e)) {
                if (side[u]) t = true;
                else f = true;
            }
            if (t && f) c += g.edgeWeight()[e];
        }
        return c;
    }

    private int[] shuffled(int n) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
