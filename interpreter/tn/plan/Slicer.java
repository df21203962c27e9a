package tn.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Makes a plan fit a memory limit by slicing: the values of some contracted legs are fixed, each
 * slice is contracted on its own (its intermediates are smaller), and the slices are summed.
 * Output legs are never sliced, so the slices simply add up.
 *
 * <p>Legs are chosen one at a time by their effect on the whole tree (as cotengra's SliceFinder
 * does): the leg on which the most work and writing happen, the sum over every step of its cost
 * and result size where the leg occurs, since slicing it divides exactly those by its size. After
 * each leg the order is re-optimised for the sliced network (legs sliced so far have size 1) by
 * {@link SubtreeReconfiguration}: the tree then gathers its large intermediates around the sliced
 * legs, so that the next legs shrink them together. Choosing legs on a fixed order instead fails
 * on lattices: in a sweep each row's boundary is a different set of legs, and a 16 x 16 PEPS
 * norm needed 54 sliced legs (10^27.7 multiply-adds) where this needs about ten (10^15.5 to
 * 10^17, depending on the starting tree). Legs the final tree no longer needs are unsliced.
 */
final class Slicer {
    /** Reconfigured subtrees' size: 6 leaves reach within 10^0.1 of 8 in about two thirds of the time. */
    private static final int RECONFIGURED_LEAVES = 6;

    private Slicer() {}

    /**
     * A sliced version of {@code plan} (its path possibly reordered) whose slices fit, or null
     * when slicing cannot make it fit.
     */
    static Plan fit(Plan plan, double limitElements) {
        Network n = plan.network();
        boolean[] output = new boolean[n.legCount()];
        for (int l : n.output()) output[l] = true;
        List<int[]> path = plan.path();
        List<Integer> sliced = new ArrayList<>();
        Plan whole = Plan.fromPath(n, path, plan.method(), 0);
        while (true) {
            int[] legs = sorted(sliced);
            Plan current = legs.length == 0 ? whole : whole.slice(legs);
            if (current.largestIntermediate() <= limitElements) return pruned(whole, sliced, current, limitElements);
            int leg = mostWorked(current, output, n.sizes());
            if (leg < 0) return null;
            sliced.add(leg);
            path = new SubtreeReconfiguration(RECONFIGURED_LEAVES).improve(sliceNetwork(n, sorted(sliced)), path);
            whole = Plan.fromPath(n, path, plan.method(), 0);
        }
    }

    /**
     * {@code fitting} with the legs that the reordered tree no longer needs sliced unsliced again
     * (each halves the slices), the one saving most first. On the 16 x 16 PEPS norm this takes a
     * bisection tree's slicing from 10^16.15 to 10^15.85 multiply-adds.
     */
    private static Plan pruned(Plan whole, List<Integer> sliced, Plan fitting, double limitElements) {
        Plan best = fitting;
        List<Integer> legs = new ArrayList<>(sliced);
        while (legs.size() > 0) {
            int drop = -1;
            Plan next = best;
            for (int k = 0; k < legs.size(); k++) {
                List<Integer> fewer = new ArrayList<>(legs);
                fewer.remove(k);
                Plan p = fewer.isEmpty() ? whole : whole.slice(sorted(fewer));
                if (p.largestIntermediate() <= limitElements && p.cost() < next.cost()) {
                    next = p;
                    drop = k;
                }
            }
            if (drop < 0) break;
            legs.remove(drop);
            best = next;
        }
        return best;
    }

    /**
     * The contracted leg of size > 1, not sliced yet, with the most work and writing on it in
     * {@code perSlice} (costs and sizes of one slice); the lowest id among equals; -1 if none.
     */
    private static int mostWorked(Plan perSlice, boolean[] output, long[] sizes) {
        double[] work = new double[sizes.length];
        long[] slice = perSlice.sliceNetwork().sizes();
        for (Plan.Step s : perSlice.steps()) {
            for (int l : s.leftLegs()) work[l] += s.cost();
            for (int l : s.rightLegs()) if (!contains(s.leftLegs(), l)) work[l] += s.cost();
            for (int l : s.result()) work[l] += s.resultSize();
        }
        int best = -1;
        for (int l = 0; l < sizes.length; l++) {
            if (output[l] || sizes[l] < 2 || slice[l] < 2 || work[l] == 0) continue;
            if (best < 0 || work[l] > work[best]) best = l;
        }
        return best;
    }

    private static boolean contains(int[] legs, int l) {
        for (int x : legs) if (x == l) return true;
        return false;
    }

    private static Network sliceNetwork(Network n, int[] legs) {
        long[] sizes = n.sizes().clone();
        for (int l : legs) sizes[l] = 1;
        return new Network(n.inputs(), n.output(), sizes, n.names());
    }

    private static int[] sorted(List<Integer> list) {
        int[] a = new int[list.size()];
        for (int i = 0; i < a.length; i++) a[i] = list.get(i);
        Arrays.sort(a);
        return a;
    }
}
