package tn.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Improves a contraction tree by simulated annealing over tree rotations (as in cotengra's
 * tree-level annealing after Kalachev et al.). A rotation takes a node P = (X, (B, C)) to
 * P = ((X, B), C) or P = ((X, C), B): only the two nodes involved change, every other
 * intermediate keeps its legs, so a move's change of cost is computed locally from the leg sets
 * of X, B, C and P. Moves are accepted by the Metropolis rule on log10 of the total cost with a
 * temperature falling geometrically; the cheapest tree seen is returned. A memory limit is kept:
 * no move may create an intermediate above it. Deterministic for the random source.
 */
final class TreeAnnealing {
    private final Random random;
    private final int moves;
    private final double startTemperature;
    private final double endTemperature;

    TreeAnnealing(Random random, int moves, double startTemperature, double endTemperature) {
        this.random = random;
        this.moves = moves;
        this.startTemperature = startTemperature;
        this.endTemperature = endTemperature;
    }

    /** An annealed path for the network, starting from {@code path}; never costlier than it. */
    List<int[]> improve(Network network, List<int[]> path, double memoryLimit) {
        Plan plan = Plan.fromPath(network, path, "x", 0);
        int n = plan.prepared().size();
        if (n < 4) return path;
        State s = new State(network, plan);
        double total = s.total();
        double best = total;
        int[] bestLeft = s.left.clone(), bestRight = s.right.clone();
        double logLimit = memoryLimit == Double.POSITIVE_INFINITY ? Double.POSITIVE_INFINITY : Math.log(memoryLimit) / Math.log(2);
        int internal = n - 1;
        double ratio = Math.pow(endTemperature / startTemperature, 1.0 / Math.max(1, moves));
        double temperature = startTemperature;
        for (int m = 0; m < moves; m++, temperature *= ratio) {
            int y = n + random.nextInt(internal);
            int p = s.parent[y];
            if (p < 0) continue;
            int x = s.left[p] == y ? s.right[p] : s.left[p];
            boolean keepLeft = random.nextBoolean();
            int keep = keepLeft ? s.left[y] : s.right[y];
            int out = keepLeft ? s.right[y] : s.left[y];
            // The new inner node (X, keep) keeps the legs needed by `out` or outside P.
            long[] inner = s.scratch;
            long[] lx = s.legs[x], lk = s.legs[keep], lo = s.legs[out], lp = s.legs[p];
            for (int w = 0; w < inner.length; w++) inner[w] = (lx[w] | lk[w]) & (lo[w] | lp[w]);
            double innerLog = s.log(inner);
            if (innerLog > logLimit) continue;
            double newInner = Math.pow(2, s.unionLog(lx, lk));
            double newTop = Math.pow(2, s.unionLog(inner, lo));
            double delta = newInner + newTop - s.cost[y] - s.cost[p];
            double after = total + delta;
            if (delta > 0) {
                double rise = Math.log10(after / total);
                if (random.nextDouble() >= Math.exp(-rise / temperature)) continue;
            }
            // Accept: y becomes (X, keep), p becomes (y, out).
            s.left[y] = x;
            s.right[y] = keep;
            s.parent[x] = y;
            s.left[p] = y;
            s.right[p] = out;
            s.parent[out] = p;
            System.arraycopy(inner, 0, s.legs[y], 0, inner.length);
            s.cost[y] = newInner;
            s.cost[p] = newTop;
            total = after;
            if (total < best * (1 - 1e-12)) {
                total = s.total(); // refresh rounding drift before comparing for good
                if (total < best * (1 - 1e-12)) {
                    best = total;
                    System.arraycopy(s.left, 0, bestLeft, 0, bestLeft.length);
                    System.arraycopy(s.right, 0, bestRight, 0, bestRight.length);
                }
            }
        }
        if (!(best < plan.cost() * (1 - 1e-12))) return path;
        List<int[]> ssa = new ArrayList<>();
        int root = s.root();
        emit(bestLeft, bestRight, n, root, ssa, new int[] {n}, new int[bestLeft.length]);
        return GreedyCore.ssaToLinear(ssa, n);
    }

    /** Post-order: the children's SSA ids first, then this node's pair. */
    private static int emit(int[] left, int[] right, int n, int root, List<int[]> ssa, int[] next, int[] ids) {
        // Iterative post-order (trees of thousands of leaves are deep).
        int[] stack = new int[2 * left.length + 2];
        int[] state = new int[left.length];
        int top = 0;
        stack[top++] = root;
        while (top > 0) {
            int v = stack[top - 1];
            if (v < n) {
                ids[v] = v;
                top--;
            } else if (state[v] == 0) {
                state[v] = 1;
                stack[top++] = right[v];
                stack[top++] = left[v];
            } else {
                int a = ids[left[v]], b = ids[right[v]];
                ssa.add(new int[] {Math.min(a, b), Math.max(a, b)});
                ids[v] = next[0]++;
                top--;
            }
        }
        return ids[root];
    }

    /** The tree as arrays: nodes 0..n-1 are inputs, n..2n-2 contractions; legs as bit sets. */
    private static final class State {
        final int[] left, right, parent;
        final long[][] legs;
        final double[] cost;
        final double[] legLog;
        final long[] scratch;

        State(Network network, Plan plan) {
            int n = plan.prepared().size();
            int nodes = 2 * n - 1;
            long[] sizes = network.sizes();
            int words = (sizes.length + 63) / 64;
            legLog = new double[sizes.length];
            for (int l = 0; l < sizes.length; l++) legLog[l] = Math.log(sizes[l]) / Math.log(2);
            left = new int[nodes];
            right = new int[nodes];
            parent = new int[nodes];
            java.util.Arrays.fill(parent, -1);
            java.util.Arrays.fill(left, -1);
            java.util.Arrays.fill(right, -1);
            legs = new long[nodes][words];
            cost = new double[nodes];
            scratch = new long[words];
            List<Integer> current = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                set(legs[k], plan.prepared().get(k));
                current.add(k);
            }
            int next = n;
            for (Plan.Step st : plan.steps()) {
                int a = current.get(st.left()), b = current.get(st.right());
                current.remove(st.right());
                current.remove(st.left());
                int v = next++;
                left[v] = a;
                right[v] = b;
                parent[a] = v;
                parent[b] = v;
                set(legs[v], st.result());
                cost[v] = Math.pow(2, unionLog(legs[a], legs[b]));
                current.add(v);
            }
        }

        private static void set(long[] bits, int[] l) {
            for (int leg : l) bits[leg >>> 6] |= 1L << (leg & 63);
        }

        int root() {
            for (int v = parent.length - 1; v >= 0; v--) if (parent[v] < 0) return v;
            throw new IllegalStateException("no root");
        }

        double total() {
            double t = 0;
            for (double c : cost) t += c;
            return t;
        }

        double log(long[] bits) {
            double s = 0;
            for (int w = 0; w < bits.length; w++) {
                long word = bits[w];
                while (word != 0) {
                    s += legLog[(w << 6) + Long.numberOfTrailingZeros(word)];
                    word &= word - 1;
                }
            }
            return s;
        }

        double unionLog(long[] a, long[] b) {
            double s = 0;
            for (int w = 0; w < a.length; w++) {
                long word = a[w] | b[w];
                while (word != 0) {
                    s += legLog[(w << 6) + Long.numberOfTrailingZeros(word)];
                    word &= word - 1;
                }
            }
            return s;
        }
    }
}
