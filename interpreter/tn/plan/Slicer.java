package tn.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Makes a plan fit a memory limit by slicing: the values of some contracted legs are fixed, each
 * slice is contracted on its own (its intermediates are smaller), and the slices are summed.
 * Legs are chosen one at a time, greedily, among the legs of the largest intermediate: the one
 * whose slicing gives the smallest total cost (per-slice cost times slices), until the largest
 * intermediate fits. Output legs are never sliced, so the slices simply add up.
 */
final class Slicer {
    private Slicer() {}

    /** A sliced version of {@code plan} that fits, or null when slicing cannot make it fit. */
    static Plan fit(Plan plan, double limitElements) {
        Network n = plan.network();
        boolean[] output = new boolean[n.legCount()];
        for (int l : n.output()) output[l] = true;
        List<Integer> sliced = new ArrayList<>();
        Plan current = plan;
        while (current.largestIntermediate() > limitElements) {
            Plan best = null;
            int bestLeg = -1;
            for (int leg : candidates(current, output, sliced)) {
                int[] legs = append(sliced, leg);
                Plan p = plan.slice(legs);
                if (best == null || better(p, best, limitElements)) {
                    best = p;
                    bestLeg = leg;
                }
            }
            if (best == null) return null;
            sliced.add(bestLeg);
            current = best;
        }
        return current;
    }

    /** Fitting beats not fitting; then lower total cost; then smaller intermediates. */
    private static boolean better(Plan a, Plan b, double limit) {
        boolean fa = a.largestIntermediate() <= limit, fb = b.largestIntermediate() <= limit;
        if (fa != fb) return fa;
        if (!fa && a.largestIntermediate() != b.largestIntermediate()) return a.largestIntermediate() < b.largestIntermediate();
        return a.cost() < b.cost();
    }

    /** Contracted legs of size > 1 on the largest intermediates, not sliced yet. */
    private static List<Integer> candidates(Plan p, boolean[] output, List<Integer> sliced) {
        double largest = p.largestIntermediate();
        List<Integer> out = new ArrayList<>();
        List<int[]> big = new ArrayList<>();
        for (Plan.Step s : p.steps()) if (s.resultSize() >= largest) big.add(s.result());
        for (int k = 0; k < p.prepared().size(); k++) {
            int[] legs = p.prepared().get(k);
            if (Plan.size(legs, p.sliceNetwork().sizes()) >= largest) big.add(legs);
        }
        for (int[] legs : big) {
            for (int l : legs) {
                if (output[l] || sliced.contains(l) || out.contains(l) || p.network().sizes()[l] < 2) continue;
                out.add(l);
            }
        }
        out.sort(Integer::compare);
        return out;
    }

    private static int[] append(List<Integer> list, int leg) {
        int[] a = new int[list.size() + 1];
        for (int i = 0; i < list.size(); i++) a[i] = list.get(i);
        a[list.size()] = leg;
        Arrays.sort(a);
        return a;
    }
}
