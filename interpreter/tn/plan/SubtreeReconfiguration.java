package tn.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Improves a contraction tree by re-solving its small subtrees exactly: for every internal node,
 * the subtree below it is cut at up to {@code maxLeaves} frontier nodes (expanding the most
 * expensive nodes first), the frontier results are treated as tensors, and the node's result is
 * re-planned with {@link OptimalOptimizer}; a cheaper order replaces the old one. Passes repeat
 * while they improve. A subtree's result keeps the same legs whatever its inner order, so each
 * replacement is local.
 */
final class SubtreeReconfiguration {
    private static final int MAX_PASSES = 8;

    private final int maxLeaves;

    SubtreeReconfiguration(int maxLeaves) {
        this.maxLeaves = maxLeaves;
    }

    /** The tree: node ids 0..n-1 are inputs; each internal node has two children and legs. */
    private static final class Tree {
        final List<int[]> children = new ArrayList<>();
        final List<int[]> legs = new ArrayList<>();
        int root;

        int add(int[] kids, int[] l) {
            children.add(kids);
            legs.add(l);
            return children.size() - 1;
        }

        boolean leaf(int v) { return children.get(v) == null; }
    }

    List<int[]> improve(Network network, List<int[]> path) {
        Plan plan = Plan.fromPath(network, path, "x", 0);
        Tree tree = build(plan);
        long[] sizes = network.sizes();
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            boolean improved = false;
            for (int v : postOrder(tree)) {
                if (tree.leaf(v)) continue;
                improved |= reconfigure(tree, v, network, sizes);
            }
            if (!improved) break;
        }
        List<int[]> ssa = new ArrayList<>();
        int[] ids = new int[tree.children.size()];
        int[] next = {plan.prepared().size()};
        emit(tree, tree.root, ssa, ids, next);
        return GreedyCore.ssaToLinear(ssa, plan.prepared().size());
    }

    private static Tree build(Plan plan) {
        Tree t = new Tree();
        List<Integer> current = new ArrayList<>();
        for (int[] legs : plan.prepared()) current.add(t.add(null, legs));
        for (Plan.Step s : plan.steps()) {
            int a = current.get(s.left()), b = current.get(s.right());
            current.remove(s.right());
            current.remove(s.left());
            current.add(t.add(new int[] {a, b}, s.result()));
        }
        t.root = current.get(0);
        return t;
    }

    private static List<Integer> postOrder(Tree t) {
        List<Integer> out = new ArrayList<>();
        List<int[]> stack = new ArrayList<>();
        stack.add(new int[] {t.root, 0});
        while (!stack.isEmpty()) {
            int[] top = stack.get(stack.size() - 1);
            int[] kids = t.children.get(top[0]);
            if (kids != null && top[1] < 2) {
                stack.add(new int[] {kids[top[1]++], 0});
            } else {
                out.add(top[0]);
                stack.remove(stack.size() - 1);
            }
        }
        return out;
    }

    private boolean reconfigure(Tree t, int v, Network network, long[] sizes) {
        // Grow a frontier below v, expanding the node whose contraction costs most.
        List<Integer> frontier = new ArrayList<>(List.of(t.children.get(v)[0], t.children.get(v)[1]));
        List<Integer> inner = new ArrayList<>(List.of(v));
        while (frontier.size() < maxLeaves) {
            int pick = -1;
            double worst = -1;
            for (int i = 0; i < frontier.size(); i++) {
                int f = frontier.get(i);
                if (t.leaf(f)) continue;
                double c = cost(t, f, sizes);
                if (c > worst) { worst = c; pick = i; }
            }
            if (pick < 0) break;
            int f = frontier.remove(pick);
            inner.add(f);
            frontier.add(t.children.get(f)[0]);
            frontier.add(t.children.get(f)[1]);
        }
        if (frontier.size() < 3) return false;
        double current = 0;
        for (int u : inner) current += cost(t, u, sizes);
        // The local problem: frontier results in, v's result out.
        List<int[]> inputs = new ArrayList<>();
        for (int f : frontier) inputs.add(t.legs.get(f));
        Network local = new Network(inputs, t.legs.get(v), sizes, network.names());
        Plan best = Plan.fromPath(local, new OptimalOptimizer().path(local, Double.POSITIVE_INFINITY), "optimal", 0);
        if (!(best.cost() < current * (1 - 1e-12))) return false;
        // Replace the inner nodes: replay the local plan over the frontier nodes.
        List<Integer> ops = new ArrayList<>(frontier);
        int top = -1;
        for (Plan.Step s : best.steps()) {
            int a = ops.get(s.left()), b = ops.get(s.right());
            ops.remove(s.right());
            ops.remove(s.left());
            top = t.add(new int[] {a, b}, s.result());
            ops.add(top);
        }
        // v keeps its id: give it the new top node's children.
        t.children.set(v, t.children.get(top));
        return true;
    }

    private static double cost(Tree t, int v, long[] sizes) {
        int[] a = t.legs.get(t.children.get(v)[0]), b = t.legs.get(t.children.get(v)[1]);
        int[] union = Arrays.stream(new int[][] {a, b}).flatMapToInt(Arrays::stream).distinct().toArray();
        return Plan.size(union, sizes);
    }

    private static int emit(Tree t, int v, List<int[]> ssa, int[] ids, int[] next) {
        if (t.leaf(v)) return v;
        int a = emit(t, t.children.get(v)[0], ssa, ids, next);
        int b = emit(t, t.children.get(v)[1], ssa, ids, next);
        ssa.add(new int[] {Math.min(a, b), Math.max(a, b)});
        return next[0]++;
    }
}
