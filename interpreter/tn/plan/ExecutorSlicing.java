package tn.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The slicing of a plan for several executors (Spark tasks): enough slices to keep every executor
 * busy, each slice within the per-task memory, and the smallest predicted time, which counts the
 * extra work slicing adds (every slice redoes the steps that do not involve its legs) and a fixed
 * cost per task (start-up, moving the operands and the result).
 *
 * <p>Legs are added one at a time to those the plan already slices, greedily, the one whose
 * slicing adds least total cost (while a slice does not fit: the one that shrinks the largest
 * intermediate most), until slices fit and there are {@link #MAX_WAVES} per executor; every fitting state on the way
 * is scored as {@code ceil(slices / executors) * (cost per slice + task overhead)}, the time of the
 * busiest executor in multiply-adds, and the best is kept. Pure: costs from the plan replay only.
 */
public final class ExecutorSlicing {
    private ExecutorSlicing() {}

    /** Slices per executor the search goes up to: more rounds even out the last one but cost overhead. */
    public static final int MAX_WAVES = 8;

    /**
     * The chosen slicing of {@code plan} (sliced already or not; its path is kept), or null when
     * no slicing makes a slice fit {@code limitElements}.
     *
     * @param executors how many slices run at once
     * @param limitElements the memory of one task, in elements
     * @param overheadCost the fixed cost of one task, in multiply-adds (seconds times the rate)
     */
    public static Plan choose(Plan plan, int executors, double limitElements, double overheadCost) {
        if (executors < 1) throw new IllegalArgumentException("executors must be at least 1, not " + executors);
        Network n = plan.network();
        boolean[] output = new boolean[n.legCount()];
        for (int l : n.output()) output[l] = true;
        boolean[] present = new boolean[n.legCount()];
        for (int[] in : n.inputs()) for (int l : in) present[l] = true;
        List<Integer> sliced = new ArrayList<>();
        for (int l : plan.slicedLegs()) sliced.add(l);
        Plan current = sliced.isEmpty() ? plan : plan.slice(toArray(sliced));
        Plan best = null;
        double bestScore = Double.POSITIVE_INFINITY;
        boolean bestBusy = false;
        while (true) {
            if (current.largestIntermediate() <= limitElements) {
                double score = score(current, executors, overheadCost);
                boolean busy = current.slices() >= executors;
                if (best == null || (busy && !bestBusy) || (busy == bestBusy && score < bestScore)) {
                    best = current;
                    bestScore = score;
                    bestBusy = busy;
                }
            }
            boolean fits = current.largestIntermediate() <= limitElements;
            if (fits && (double) current.slices() >= (double) executors * MAX_WAVES) break;
            Plan next = null;
            int nextLeg = -1;
            for (int l = 0; l < n.legCount(); l++) {
                if (output[l] || !present[l] || n.sizes()[l] < 2 || sliced.contains(l)) continue;
                List<Integer> legs = new ArrayList<>(sliced);
                legs.add(l);
                Plan p = plan.slice(toArray(legs));
                if (next == null || better(p, next, limitElements)) {
                    next = p;
                    nextLeg = l;
                }
            }
            if (next == null) break;
            sliced.add(nextLeg);
            current = next;
        }
        return best;
    }

    /** The busiest executor's work in multiply-adds: its rounds of slices, each with the task overhead. */
    public static double score(Plan p, int executors, double overheadCost) {
        double slices = p.slices();
        double rounds = Math.ceil(slices / executors);
        return rounds * (p.cost() / slices + overheadCost);
    }

    /**
     * The predicted time of {@code p} on {@code executors} executors that each do {@code rate}
     * multiply-adds a second and spend {@code overheadSeconds} starting each task: a prediction
     * from the cost model, which assumes every step runs at the GEMM rate (small steps run slower).
     */
    public static double predictSeconds(Plan p, int executors, double rate, double overheadSeconds) {
        return score(p, executors, overheadSeconds * rate) / rate;
    }

    /** Fitting beats not fitting; then lower total cost (fitting) or a smaller largest intermediate. */
    private static boolean better(Plan a, Plan b, double limit) {
        boolean fa = a.largestIntermediate() <= limit, fb = b.largestIntermediate() <= limit;
        if (fa != fb) return fa;
        if (!fa && a.largestIntermediate() != b.largestIntermediate()) return a.largestIntermediate() < b.largestIntermediate();
        return a.cost() < b.cost();
    }

    private static int[] toArray(List<Integer> legs) {
        int[] a = new int[legs.size()];
        for (int i = 0; i < a.length; i++) a[i] = legs.get(i);
        Arrays.sort(a);
        return a;
    }
}
