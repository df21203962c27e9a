package tn.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A contraction order for a {@link Network} with its costs, replayed under tn's cost model:
 *
 * <ul>
 *   <li>First every input is <em>prepared</em>: a repeated leg becomes one leg (its diagonal), and
 *       a leg found on that input only and not in the output is summed out. Preparing costs
 *       nothing in the model (it reads each element once).</li>
 *   <li>A step contracts two operands. Its cost is the product of the sizes of every leg on
 *       either operand (multiply-adds). The result keeps the legs still needed (by the output or
 *       by another remaining operand): first the left operand's, in its order, then the right
 *       operand's new ones, in its order. Shared legs not kept are contracted; shared legs kept
 *       are batch legs.</li>
 *   <li>{@code path} is in numpy/opt_einsum format: each pair names two positions in the current
 *       operand list (smaller first); both are removed and the result is appended at the end.</li>
 *   <li>The plan's cost is the sum of its steps' costs; the naive cost is the product of all leg
 *       sizes times max(1, inputs - 1), the cost of one big einsum loop.</li>
 * </ul>
 */
public record Plan(
        Network network,
        String method,
        List<int[]> path,
        List<int[]> prepared,
        List<Step> steps,
        double cost,
        double naiveCost,
        double largestIntermediate,
        double totalWritten,
        long planningNanos,
        int[] slicedLegs) {

    /** The number of slices (1 when nothing is sliced). */
    public long slices() {
        long n = 1;
        for (int l : slicedLegs) {
            if (n > Long.MAX_VALUE / network.sizes()[l]) return Long.MAX_VALUE;
            n *= network.sizes()[l];
        }
        return n;
    }

    /**
     * The same path with {@code legs} sliced: each slice fixes their values, so in it they have
     * size 1; costs and sizes are those of one slice, except {@link #cost()}, which counts all
     * slices (per-slice cost times the number of slices).
     */
    public Plan slice(int[] legs) {
        long[] sizes = network.sizes().clone();
        for (int l : legs) sizes[l] = 1;
        Network perSlice = new Network(network.inputs(), network.output(), sizes, network.names());
        Plan p = fromPath(perSlice, path, method, planningNanos);
        // In floating point: the number of slices of a poor choice can pass 2^63 (and a long would wrap).
        double slices = 1;
        for (int l : legs) slices *= network.sizes()[l];
        return new Plan(network, method, path, p.prepared, p.steps, p.cost * slices, naiveCost,
                p.largestIntermediate, p.totalWritten * slices, planningNanos, legs.clone());
    }

    /** This plan with another planning time (for plans served from the cache). */
    public Plan withPlanningNanos(long nanos) {
        return new Plan(network, method, path, prepared, steps, cost, naiveCost, largestIntermediate, totalWritten, nanos, slicedLegs);
    }

    /**
     * This plan for another network of the same structure (inputs, output and sizes; the names
     * may differ: the cache's key is the structure), for plans served from the cache.
     */
    public Plan withNetwork(Network other) {
        return new Plan(other, method, path, prepared, steps, cost, naiveCost, largestIntermediate, totalWritten, planningNanos, slicedLegs);
    }

    /** The network one slice computes: sliced legs have size 1. */
    public Network sliceNetwork() {
        if (slicedLegs.length == 0) return network;
        long[] sizes = network.sizes().clone();
        for (int l : slicedLegs) sizes[l] = 1;
        return new Network(network.inputs(), network.output(), sizes, network.names());
    }

    /** One pairwise contraction. Positions refer to the operand list at the time of the step. */
    public record Step(int left, int right, int[] leftLegs, int[] rightLegs, int[] result,
                       int[] contracted, int[] batch, double cost, double resultSize) {}

    /** The legs of each input once prepared (diagonals taken, private legs summed out). */
    public static List<int[]> prepare(Network n) {
        boolean[] out = outputMask(n);
        // How many inputs hold each leg, counted once (scanning the other inputs for every leg
        // made preparing quadratic in the number of inputs).
        int[] holders = new int[n.legCount()];
        for (int[] in : n.inputs()) {
            for (int k = 0; k < in.length; k++) {
                boolean first = true;
                for (int j = 0; j < k; j++) first &= in[j] != in[k];
                if (first) holders[in[k]]++;
            }
        }
        List<int[]> prepared = new ArrayList<>(n.inputCount());
        for (int[] in : n.inputs()) {
            int[] legs = new int[in.length];
            int kept = 0;
            for (int leg : in) {
                if (contains(legs, kept, leg)) continue;
                boolean privateLeg = holders[leg] == 1 && !out[leg];
                // A leg on this input only and not in the output is summed out, unless this
                // is the only input (then the final reduction does it).
                if (privateLeg && n.inputCount() > 1) continue;
                legs[kept++] = leg;
            }
            prepared.add(kept == legs.length ? legs : Arrays.copyOf(legs, kept));
        }
        return prepared;
    }

    private static boolean[] outputMask(Network n) {
        boolean[] out = new boolean[n.legCount()];
        for (int l : n.output()) out[l] = true;
        return out;
    }

    /**
     * Replays {@code path} on {@code network} under the cost model above.
     *
     * @throws IllegalArgumentException if the path is not a valid complete order
     */
    public static Plan fromPath(Network network, List<int[]> path, String method, long planningNanos) {
        List<int[]> prepared = prepare(network);
        List<int[]> ops = new ArrayList<>(prepared);
        boolean[] out = outputMask(network);
        long[] sizes = network.sizes();
        if (path.size() != Math.max(0, ops.size() - 1)) {
            throw new IllegalArgumentException("a path for " + ops.size() + " inputs has "
                    + Math.max(0, ops.size() - 1) + " steps, not " + path.size());
        }
        double largest = 0, written = 0;
        for (int k = 0; k < prepared.size(); k++) {
            if (prepared.get(k).length != distinct(network.inputs().get(k))) {
                double s = size(prepared.get(k), sizes);
                largest = Math.max(largest, s);
                written += s;
            }
        }
        // How many current operands hold each leg (operands never repeat a leg), kept up to date
        // step by step; rebuilding the needed legs from every operand made replay quadratic.
        int[] holders = new int[sizes.length];
        for (int[] op : ops) for (int l : op) holders[l]++;
        List<Step> steps = new ArrayList<>();
        double cost = 0;
        for (int[] pair : path) {
            if (pair.length != 2) throw new IllegalArgumentException("a path step has two positions");
            int i = Math.min(pair[0], pair[1]), j = Math.max(pair[0], pair[1]);
            if (i < 0 || j >= ops.size() || i == j) {
                throw new IllegalArgumentException("path step (" + pair[0] + ", " + pair[1]
                        + ") is out of range for " + ops.size() + " operands");
            }
            int[] a = ops.get(i), b = ops.get(j);
            // The union of the two operands' legs (a's order, then b's new ones), split into the
            // legs the result keeps (shared ones among them are batch legs) and the contracted.
            int n = a.length + b.length;
            int[] result = new int[n], contracted = new int[n], batch = new int[n];
            int nr = 0, nc = 0, nb = 0;
            double stepCost = 1, resultSize = 1;
            for (int u = 0; u < n; u++) {
                int l = u < a.length ? a[u] : b[u - a.length];
                boolean inA = u < a.length || contains(a, a.length, l);
                if (u >= a.length && inA) continue; // already seen in a
                boolean inB = u >= a.length || contains(b, b.length, l);
                stepCost *= sizes[l];
                // Needed: by the output, or by an operand other than these two.
                boolean needed = out[l] || holders[l] - (inA ? 1 : 0) - (inB ? 1 : 0) > 0;
                if (needed) {
                    result[nr++] = l;
                    resultSize *= sizes[l];
                    if (inA && inB) batch[nb++] = l;
                } else {
                    contracted[nc++] = l;
                }
            }
            int[] res = Arrays.copyOf(result, nr);
            cost += stepCost;
            written += resultSize;
            largest = Math.max(largest, resultSize);
            steps.add(new Step(i, j, a, b, res, Arrays.copyOf(contracted, nc), Arrays.copyOf(batch, nb), stepCost, resultSize));
            for (int l : a) holders[l]--;
            for (int l : b) holders[l]--;
            for (int l : res) holders[l]++;
            ops.remove(j);
            ops.remove(i);
            ops.add(res);
        }
        double all = 1;
        boolean[] seen = new boolean[sizes.length];
        for (int[] in : network.inputs()) for (int l : in) if (!seen[l]) { seen[l] = true; all *= sizes[l]; }
        double naive = all * Math.max(1, network.inputCount() - 1);
        int[][] pathCopy = new int[path.size()][];
        for (int k = 0; k < pathCopy.length; k++) {
            int[] p = path.get(k);
            pathCopy[k] = new int[] {Math.min(p[0], p[1]), Math.max(p[0], p[1])};
        }
        return new Plan(network, method, List.of(pathCopy), prepared, List.copyOf(steps), cost, naive, largest, written, planningNanos, new int[0]);
    }


    private static int distinct(int[] legs) {
        int d = 0;
        for (int k = 0; k < legs.length; k++) if (!contains(legs, k, legs[k])) d++;
        return d;
    }

    /** Whether {@code l} is among the first {@code count} entries of {@code legs}. */
    private static boolean contains(int[] legs, int count, int l) {
        for (int k = 0; k < count; k++) if (legs[k] == l) return true;
        return false;
    }

    static double size(int[] legs, long[] sizes) {
        return size(legs, legs.length, sizes);
    }

    /** The number of entries spanned by the first {@code count} of {@code legs}. */
    static double size(int[] legs, int count, long[] sizes) {
        double s = 1;
        for (int k = 0; k < count; k++) s *= sizes[legs[k]];
        return s;
    }
}
