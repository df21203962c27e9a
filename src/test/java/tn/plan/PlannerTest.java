package tn.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The planners against independent references: the exact DP against brute force over every
 * pairwise order, the CLRS matrix chain, every method's path replaying to its reported cost,
 * the randomised search never worse than greedy, and determinism.
 */
class PlannerTest {
    private final Planner planner = new Planner();

    /** Brute force: the cheapest cost over every sequence of pairwise contractions. */
    static double bruteForce(Network n) {
        return search(n, new ArrayList<>(), n.inputCount());
    }

    private static double search(Network n, List<int[]> prefix, int remaining) {
        if (remaining == 1) return Plan.fromPath(n, prefix, "brute", 0).cost();
        double best = Double.POSITIVE_INFINITY;
        for (int a = 0; a < remaining; a++) {
            for (int b = a + 1; b < remaining; b++) {
                prefix.add(new int[] {a, b});
                best = Math.min(best, search(n, prefix, remaining - 1));
                prefix.remove(prefix.size() - 1);
            }
        }
        return best;
    }

    /** Random small networks: 2-6 inputs, sizes 1-5, repeats, hyperedges, batch legs, disconnected parts. */
    static Network random(Random rnd, int maxInputs) {
        int legs = 1 + rnd.nextInt(7);
        long[] sizes = new long[legs];
        for (int l = 0; l < legs; l++) sizes[l] = 1 + rnd.nextInt(5);
        int inputs = 2 + rnd.nextInt(maxInputs - 1);
        List<int[]> in = new ArrayList<>();
        boolean[] used = new boolean[legs];
        for (int k = 0; k < inputs; k++) {
            int[] t = new int[rnd.nextInt(4)];
            for (int r = 0; r < t.length; r++) used[t[r] = rnd.nextInt(legs)] = true;
            in.add(t);
        }
        List<Integer> out = new ArrayList<>();
        for (int l = 0; l < legs; l++) if (used[l] && rnd.nextInt(3) == 0) out.add(l);
        return Network.of(in, out.stream().mapToInt(Integer::intValue).toArray(), sizes);
    }

    @Test
    void optimalEqualsBruteForce() {
        Random rnd = new Random(42);
        for (int trial = 0; trial < 400; trial++) {
            Network n = random(rnd, 6);
            double expected = bruteForce(n);
            Plan p = planner.plan(n, "optimal", Double.POSITIVE_INFINITY);
            assertEquals(expected, p.cost(), 1e-9 * expected, "trial " + trial + ": " + n.equation());
        }
    }

    @Test
    void clrsMatrixChainCosts15125() {
        long[] dims = {30, 35, 15, 5, 10, 20, 25};
        List<int[]> inputs = new ArrayList<>();
        for (int k = 0; k < 6; k++) inputs.add(new int[] {k, k + 1});
        Network chain = Network.of(inputs, new int[] {0, 6}, dims);
        assertEquals(15125, planner.plan(chain, "optimal", Double.POSITIVE_INFINITY).cost());
        assertEquals(15125, planner.plan(chain, "auto", Double.POSITIVE_INFINITY).cost());
    }

    @Test
    void everyMethodsPathReplaysToItsCostAndHyperNeverLosesToGreedy() {
        Random rnd = new Random(5);
        for (int trial = 0; trial < 100; trial++) {
            Network n = random(rnd, 9);
            double greedy = planner.plan(n, "greedy", Double.POSITIVE_INFINITY).cost();
            for (String m : List.of("greedy", "optimal", "hyper", "auto")) {
                Plan p = planner.plan(n, m, Double.POSITIVE_INFINITY);
                assertEquals(Plan.fromPath(n, p.path(), m, 0).cost(), p.cost(), m);
                assertTrue(p.cost() <= greedy * (1 + 1e-12) || m.equals("greedy"), m + " worse than greedy on " + n.equation());
            }
            assertTrue(planner.plan(n, "optimal", Double.POSITIVE_INFINITY).cost() <= greedy * (1 + 1e-12));
        }
    }

    @Test
    void hyperBeatsGreedyTenfoldOnALattice() {
        // A closed 6x6 square lattice with bond 4: greedy is far from optimal here.
        int side = 6;
        List<int[]> inputs = new ArrayList<>();
        int[][] right = new int[side][side], down = new int[side][side];
        int legs = 0;
        for (int r = 0; r < side; r++) for (int c = 0; c < side; c++) { right[r][c] = legs++; down[r][c] = legs++; }
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                List<Integer> l = new ArrayList<>();
                if (c + 1 < side) l.add(right[r][c]);
                if (c > 0) l.add(right[r][c - 1]);
                if (r + 1 < side) l.add(down[r][c]);
                if (r > 0) l.add(down[r - 1][c]);
                inputs.add(l.stream().mapToInt(Integer::intValue).toArray());
            }
        }
        long[] sizes = new long[legs];
        java.util.Arrays.fill(sizes, 4);
        Network lattice = Network.of(inputs, new int[0], sizes);
        double greedy = planner.plan(lattice, "greedy", Double.POSITIVE_INFINITY).cost();
        double hyper = planner.plan(lattice, "hyper", Double.POSITIVE_INFINITY).cost();
        assertTrue(hyper * 10 <= greedy, "hyper " + hyper + " vs greedy " + greedy);
    }

    @Test
    void plansAreDeterministic() {
        Random rnd = new Random(9);
        for (int trial = 0; trial < 20; trial++) {
            Network n = random(rnd, 9);
            for (String m : List.of("greedy", "hyper", "optimal")) {
                List<int[]> a = new Planner().plan(n, m, Double.POSITIVE_INFINITY).path();
                List<int[]> b = new Planner().plan(n, m, Double.POSITIVE_INFINITY).path();
                assertEquals(a.stream().map(java.util.Arrays::toString).toList(), b.stream().map(java.util.Arrays::toString).toList());
            }
        }
    }

    @Test
    void unknownMethodsListTheValidOnes() {
        Network n = Network.of(List.of(new int[] {0}, new int[] {0}), new int[0], new long[] {2});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> planner.plan(n, "gredy", 1e9));
        assertEquals("unknown planning method 'gredy' (choose from: auto, greedy, hyper, optimal)", e.getMessage());
    }

    @Test
    void optimalRefusesNetworksTooLargeForIt() {
        List<int[]> inputs = new ArrayList<>();
        for (int k = 0; k < 30; k++) inputs.add(new int[] {k, k + 1});
        long[] sizes = new long[31];
        java.util.Arrays.fill(sizes, 2);
        Network chain = Network.of(inputs, new int[0], sizes);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> planner.plan(chain, "optimal", 1e9));
        assertTrue(e.getMessage().startsWith("the optimal method handles at most 18 tensors"), e.getMessage());
    }

    /** A chain of n matrices of size d x d: inputs [l_k, l_k+1], output the two ends. */
    private static Network chain(int n, long d) {
        List<int[]> in = new ArrayList<>();
        long[] sizes = new long[n + 1];
        java.util.Arrays.fill(sizes, d);
        for (int k = 0; k < n; k++) in.add(new int[] {k, k + 1});
        return Network.of(in, new int[] {0, n}, sizes);
    }

    @Test
    void autoSearchesOnlyWhereContractingCostsMoreThanSearching() {
        // 800 matrices of 2 x 2: contracting in greedy's order is cheaper than the search would
        // be (a sum of 400 such products, from grad(), took 415 s to check).
        Plan cheap = planner.plan(chain(800, 2), "auto", Double.POSITIVE_INFINITY);
        assertEquals("greedy", cheap.method());
        // 20 matrices of 1000 x 1000 cost far more than a search on 20 inputs: searched.
        Plan dear = planner.plan(chain(20, 1000), "auto", Double.POSITIVE_INFINITY);
        assertEquals("hyper", dear.method());
        // The decision is the structure's: asked again (from the cache), the same answer.
        assertEquals("greedy", planner.plan(chain(800, 2), "auto", Double.POSITIVE_INFINITY).method());
        assertEquals(cheap.cost(), planner.plan(chain(800, 2), "auto", Double.POSITIVE_INFINITY).cost());
    }

    /**
     * A network planned before (same inputs, output and sizes, other names) gets the same plan
     * back, with its own names; a smaller memory limit is planned anew (and sliced to fit), not
     * served the plan that does not fit.
     */
    @Test
    void aPlanIsReusedForTheSameStructureWithItsOwnNames() {
        List<int[]> in = List.of(new int[] {0, 1}, new int[] {1, 2}, new int[] {2, 3}, new int[] {3, 0});
        long[] sizes = {8, 16, 16, 8};
        Network first = new Network(in, new int[] {}, sizes, new String[] {"a", "b", "c", "d"});
        Network second = new Network(in, new int[] {}, sizes, new String[] {"w", "x", "y", "z"});
        Plan p = planner.plan(first, "auto", Double.POSITIVE_INFINITY);
        Plan q = planner.plan(second, "auto", Double.POSITIVE_INFINITY);
        assertEquals(java.util.Arrays.asList(second.names()), java.util.Arrays.asList(q.network().names()));
        assertEquals(p.cost(), q.cost());
        assertEquals(p.path().size(), q.path().size());
        for (int k = 0; k < p.path().size(); k++) assertEquals(java.util.Arrays.toString(p.path().get(k)), java.util.Arrays.toString(q.path().get(k)));
        Plan tight = planner.plan(second, "auto", 100);
        assertTrue(tight.largestIntermediate() <= 100, "planned for the smaller limit: " + tight.largestIntermediate());
        assertTrue(p.largestIntermediate() > 100);
        assertEquals(p.cost(), planner.plan(first, "auto", Double.POSITIVE_INFINITY).cost(), "the first limit's plan is still there");
    }

    /**
     * A ring of 70 matrices with every bond sliced: 2^70 slices, more than a long holds. The cost
     * must stay the per-slice cost times 2^70 (it wrapped to a negative or zero count before), and
     * the count saturates rather than wrapping.
     */
    @Test
    void slicingPastTwoToTheSixtyThreeKeepsCostsFinite() {
        int n = 70;
        List<int[]> inputs = new ArrayList<>();
        for (int k = 0; k < n; k++) inputs.add(new int[] {k, (k + 1) % n});
        long[] sizes = new long[n];
        java.util.Arrays.fill(sizes, 2);
        Network ring = Network.of(inputs, new int[0], sizes);
        Plan plan = Plan.fromPath(ring, new GreedyOptimizer().path(ring, Double.POSITIVE_INFINITY), "greedy", 0);
        int[] all = new int[n];
        for (int k = 0; k < n; k++) all[k] = k;
        Plan sliced = plan.slice(all);
        // Each slice is a product of 70 scalars: 69 steps of cost 1.
        assertEquals(69 * Math.pow(2, 70), sliced.cost(), 1e-6 * sliced.cost());
        assertEquals(Long.MAX_VALUE, sliced.slices());
    }
}
