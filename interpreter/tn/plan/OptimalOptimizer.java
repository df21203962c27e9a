package tn.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The exact optimum under tn's cost model, by dynamic programming over subsets of inputs (in the
 * spirit of Pfeifer, Haegeman and Verstraete's netcon): the best cost of contracting a subset is
 * the best, over its splits into two parts, of the two parts' costs plus the cost of joining
 * them. Every split is considered, so outer products are used exactly when they pay. A subset's
 * result keeps the legs needed outside it (by the output or the other inputs).
 *
 * <p>Cost 3^n: up to {@link #MAX_INPUTS} inputs (16 take well under a second).
 */
public final class OptimalOptimizer implements Optimizer {
    public static final int MAX_INPUTS = 18;

    @Override public String name() { return "optimal"; }

    @Override
    public List<int[]> path(Network network, double memoryLimit) {
        List<int[]> prepared = Plan.prepare(network);
        int n = prepared.size();
        if (n > MAX_INPUTS) {
            throw new IllegalArgumentException("the optimal method handles at most " + MAX_INPUTS
                    + " tensors (this network has " + n + "); use greedy or hyper");
        }
        Subsets s = Subsets.of(prepared, network.output(), network.sizes());
        int full = (1 << n) - 1;
        double[] best = new double[1 << n];
        int[] split = new int[1 << n];
        Arrays.fill(best, Double.POSITIVE_INFINITY);
        for (int k = 0; k < n; k++) best[1 << k] = 0;
        for (int set = 1; set <= full; set++) {
            if (Integer.bitCount(set) < 2) continue;
            // Enumerate splits (a, set - a) with a holding the lowest member, so each split once.
            int low = set & -set;
            int rest = set ^ low;
            for (int sub = rest; ; sub = (sub - 1) & rest) {
                int a = sub | low, b = set ^ a;
                if (b != 0) {
                    double c = best[a] + best[b];
                    if (c < best[set]) {
                        c += s.joinCost(a, b);
                        if (c < best[set]) {
                            best[set] = c;
                            split[set] = a;
                        }
                    }
                }
                if (sub == 0) break;
            }
        }
        List<int[]> ssa = new ArrayList<>();
        emit(full, split, ssa, new int[] {n}, new int[1 << n]);
        return GreedyCore.ssaToLinear(ssa, n);
    }

    /** Writes the contractions of a subset's best tree, children first; returns the subset's id. */
    private static int emit(int set, int[] split, List<int[]> ssa, int[] next, int[] ids) {
        if (Integer.bitCount(set) == 1) return Integer.numberOfTrailingZeros(set);
        int a = emit(split[set], split, ssa, next, ids);
        int b = emit(set ^ split[set], split, ssa, next, ids);
        ssa.add(new int[] {Math.min(a, b), Math.max(a, b)});
        return next[0]++;
    }

    /**
     * Leg bookkeeping for subsets of a small network: legs as bit masks (over the legs that occur),
     * the legs of each subset, and what a subset's result keeps.
     */
    static final class Subsets {
        final long[][] kept;     // per subset: the legs its result keeps (bit mask, several words)
        final double[] legSize;
        final int words;

        private Subsets(long[][] kept, double[] legSize, int words) {
            this.kept = kept;
            this.legSize = legSize;
            this.words = words;
        }

        static Subsets of(List<int[]> inputs, int[] output, long[] sizes) {
            int n = inputs.size();
            // Number the legs that occur.
            int[] local = new int[sizes.length];
            Arrays.fill(local, -1);
            List<Double> legSize = new ArrayList<>();
            for (int[] in : inputs) for (int l : in) if (local[l] < 0) { local[l] = legSize.size(); legSize.add((double) sizes[l]); }
            int words = Math.max(1, (legSize.size() + 63) / 64);
            long[][] legsOf = new long[1 << n][];
            legsOf[0] = new long[words];
            for (int set = 1; set < (1 << n); set++) {
                int lowBit = Integer.numberOfTrailingZeros(set);
                long[] m = legsOf[set & (set - 1)].clone();
                for (int l : inputs.get(lowBit)) m[local[l] >> 6] |= 1L << (local[l] & 63);
                legsOf[set] = m;
            }
            long[] out = new long[words];
            for (int l : output) if (local[l] >= 0) out[local[l] >> 6] |= 1L << (local[l] & 63);
            int full = (1 << n) - 1;
            long[][] kept = new long[1 << n][];
            for (int set = 0; set <= full; set++) {
                long[] k = new long[words];
                for (int w = 0; w < words; w++) k[w] = legsOf[set][w] & (legsOf[full ^ set][w] | out[w]);
                kept[set] = k;
            }
            return new Subsets(kept, legSize.stream().mapToDouble(Double::doubleValue).toArray(), words);
        }

        /** The cost of joining the results of two disjoint subsets: the sizes of all legs on either. */
        double joinCost(int a, int b) {
            long[] ka = kept[a], kb = kept[b];
            double c = 1;
            for (int w = 0; w < words; w++) {
                long m = ka[w] | kb[w];
                while (m != 0) {
                    c *= legSize[(w << 6) + Long.numberOfTrailingZeros(m)];
                    m &= m - 1;
                }
            }
            return c;
        }
    }
}
