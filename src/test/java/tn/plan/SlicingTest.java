package tn.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Slicing to a memory limit (issue 18): the norm of a 16 x 16 PEPS at bond 2 under 8e8 elements
 * (its best unsliced order needs 2^37), and on an 8 x 8 PEPS the sliced cost against brute force
 * over every set of up to two sliced legs on the best unsliced order.
 */
class SlicingTest {

    /**
     * The norm network of an {@code lx} x {@code ly} PEPS as stdlib/mps.tn's peps_norm_network
     * builds it: a ket tensor per site with its bond legs (size {@code chi}, fewer on edges) and a
     * physical leg (size {@code d}) shared with its bra tensor, whose bond legs are separate.
     */
    static Network pepsNorm(int lx, int ly, int chi, int d) {
        List<Long> sizes = new ArrayList<>();
        int[][][] right = new int[2][lx][ly], down = new int[2][lx][ly];
        int[][] phys = new int[lx][ly];
        for (int x = 0; x < lx; x++) {
            for (int y = 0; y < ly; y++) {
                phys[x][y] = sizes.size();
                sizes.add((long) d);
                for (int layer = 0; layer < 2; layer++) {
                    if (x + 1 < lx) { right[layer][x][y] = sizes.size(); sizes.add((long) chi); }
                    if (y + 1 < ly) { down[layer][x][y] = sizes.size(); sizes.add((long) chi); }
                }
            }
        }
        List<int[]> inputs = new ArrayList<>();
        for (int layer = 0; layer < 2; layer++) {
            for (int x = 0; x < lx; x++) {
                for (int y = 0; y < ly; y++) {
                    List<Integer> legs = new ArrayList<>();
                    if (x > 0) legs.add(right[layer][x - 1][y]);
                    if (x + 1 < lx) legs.add(right[layer][x][y]);
                    if (y > 0) legs.add(down[layer][x][y - 1]);
                    if (y + 1 < ly) legs.add(down[layer][x][y]);
                    legs.add(phys[x][y]);
                    inputs.add(legs.stream().mapToInt(Integer::intValue).toArray());
                }
            }
        }
        return Network.of(inputs, new int[0], sizes.stream().mapToLong(Long::longValue).toArray());
    }

    /** The plan's cost recomputed from scratch: its path replayed, then its legs sliced. */
    private static double replayed(Plan p) {
        return Plan.fromPath(p.network(), p.path(), "replay", 0).slice(p.slicedLegs()).cost();
    }

    /**
     * Measured: the best unsliced order costs 10^13.9 and needs 2^37 elements; sliced by the
     * greedy choice on that order, 54 legs and 10^27.7; now about ten legs and 10^15.7.
     */
    @Test
    void aSixteenBySixteenPepsNormFitsEightHundredMillionElementsAtALowCost() {
        Network n = pepsNorm(16, 16, 2, 2);
        double limit = 8e8;
        Plan p = new Planner().plan(n, "auto", limit);
        String figures = String.format(java.util.Locale.ROOT, "cost 10^%.2f, %d slices, largest %.3g, %.1f s",
                Math.log10(p.cost()), p.slices(), p.largestIntermediate(), p.planningNanos() / 1e9);
        assertTrue(p.largestIntermediate() <= limit, figures);
        assertTrue(p.cost() <= 1e16, figures);
        assertTrue(p.slices() <= 1 << 12, figures);
        assertEquals(replayed(p), p.cost(), 1e-9 * p.cost(), "the path and sliced legs replay to the reported cost");
        Plan again = new Planner().plan(n, "auto", limit);
        assertEquals(Arrays.toString(p.slicedLegs()), Arrays.toString(again.slicedLegs()), "the same legs sliced");
        assertEquals(p.path().stream().map(Arrays::toString).toList(), again.path().stream().map(Arrays::toString).toList(), "the same path");
    }

    /**
     * An 8 x 8 PEPS norm under a quarter of the largest intermediate of its best unsliced order:
     * the planner's sliced plan costs no more than the best slicing of that order by up to three
     * legs, by brute force. Only legs on an intermediate over the limit are tried: slicing any
     * other leg never lowers the total cost (a leg of size d on steps of cost C_l out of C makes
     * it d (C - C_l) + C_l) and does not help to fit.
     */
    @Test
    void anEightByEightPepsNormSlicesNoWorseThanTheBestThreeLegsOnTheBestOrder() {
        Network n = pepsNorm(8, 8, 2, 2);
        Plan whole = new Planner().plan(n, "auto", Double.POSITIVE_INFINITY);
        double limit = whole.largestIntermediate() / 4;
        List<Integer> over = new ArrayList<>();
        for (Plan.Step s : whole.steps()) {
            if (s.resultSize() <= limit) continue;
            for (int l : s.result()) if (!over.contains(l)) over.add(l);
        }
        double best = Double.POSITIVE_INFINITY;
        int m = over.size();
        for (int a = 0; a < m; a++) {
            for (int b = a; b < m; b++) {
                for (int c = b; c < m; c++) {
                    int[] legs = Arrays.stream(new int[] {over.get(a), over.get(b), over.get(c)}).distinct().sorted().toArray();
                    Plan sliced = whole.slice(legs);
                    if (sliced.largestIntermediate() <= limit) best = Math.min(best, sliced.cost());
                }
            }
        }
        assertTrue(best < Double.POSITIVE_INFINITY, "three legs suffice on the best order");
        Plan p = new Planner().plan(n, "auto", limit);
        assertTrue(p.largestIntermediate() <= limit, p.largestIntermediate() + " > " + limit);
        assertEquals(replayed(p), p.cost(), 1e-9 * p.cost());
        assertTrue(p.cost() <= best * (1 + 1e-12), String.format(java.util.Locale.ROOT,
                "sliced 10^%.3f (%d slices) against the best three legs on the best order 10^%.3f (%d candidate legs)",
                Math.log10(p.cost()), p.slices(), Math.log10(best), m));
    }
}
