package tn.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The slicing chosen for executors: at least as many slices as executors, every slice within the
 * task memory, never a worse predicted time than slicing for memory alone, and no slicing when
 * one executor has the memory for the whole.
 */
class ExecutorSlicingTest {
    /** The norm network of an n x n grid of tensors with bond {@code chi} (no output legs). */
    static Network grid(int n, long chi) {
        List<int[]> inputs = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        int[][] right = new int[n][n], down = new int[n][n];
        for (int x = 0; x < n; x++) for (int y = 0; y < n; y++) {
            if (y + 1 < n) { right[x][y] = sizes.size(); sizes.add(chi); }
            if (x + 1 < n) { down[x][y] = sizes.size(); sizes.add(chi); }
        }
        for (int x = 0; x < n; x++) for (int y = 0; y < n; y++) {
            List<Integer> legs = new ArrayList<>();
            if (y > 0) legs.add(right[x][y - 1]);
            if (y + 1 < n) legs.add(right[x][y]);
            if (x > 0) legs.add(down[x - 1][y]);
            if (x + 1 < n) legs.add(down[x][y]);
            inputs.add(legs.stream().mapToInt(Integer::intValue).toArray());
        }
        return Network.of(inputs, new int[0], sizes.stream().mapToLong(Long::longValue).toArray());
    }

    /** The slices, multiplied out from the sizes of the sliced legs. */
    static long slices(Plan p) {
        long s = 1;
        for (int l : p.slicedLegs()) s *= p.network().sizes()[l];
        return s;
    }

    @Test
    void enoughSlicesForEveryExecutorAndEachWithinTheTaskMemory() {
        Network n = grid(5, 4);
        Plan whole = new Planner().plan(n, "greedy", Double.POSITIVE_INFINITY);
        double limit = whole.largestIntermediate() / 8;
        for (int executors : new int[] {1, 4, 8, 64}) {
            Plan p = ExecutorSlicing.choose(whole, executors, limit, 1e4);
            assertNotNull(p, executors + " executors");
            assertTrue(slices(p) >= executors, executors + " executors: " + slices(p) + " slices");
            assertEquals(slices(p), p.slices());
            assertTrue(p.largestIntermediate() <= limit, executors + " executors: " + p.largestIntermediate() + " > " + limit);
            for (int l : p.slicedLegs()) assertTrue(l >= 0 && n.sizes()[l] > 1);
        }
    }

    @Test
    void neverSlowerThanSlicingForMemoryAlone() {
        Network n = grid(5, 4);
        Plan whole = new Planner().plan(n, "greedy", Double.POSITIVE_INFINITY);
        double limit = whole.largestIntermediate() / 16;
        Plan memory = Slicer.fit(whole, limit);
        assertNotNull(memory);
        for (int executors : new int[] {2, 8, 32}) {
            Plan p = ExecutorSlicing.choose(memory, executors, limit, 1e4);
            if (memory.slices() >= executors) {
                assertTrue(ExecutorSlicing.score(p, executors, 1e4) <= ExecutorSlicing.score(memory, executors, 1e4),
                        executors + " executors: " + ExecutorSlicing.score(p, executors, 1e4) + " > " + ExecutorSlicing.score(memory, executors, 1e4));
            }
            // Slices only ever add to the memory slicing.
            for (int l : memory.slicedLegs()) assertTrue(java.util.Arrays.stream(p.slicedLegs()).anyMatch(x -> x == l));
        }
    }

    @Test
    void oneExecutorWithMemoryForTheWholeGetsNoSlicing() {
        Plan whole = new Planner().plan(grid(4, 3), "greedy", Double.POSITIVE_INFINITY);
        Plan p = ExecutorSlicing.choose(whole, 1, Double.POSITIVE_INFINITY, 0);
        assertEquals(1, p.slices());
        assertEquals(whole.cost(), p.cost());
    }

    @Test
    void aLargeTaskOverheadKeepsTheSlicesFew() {
        Plan whole = new Planner().plan(grid(5, 4), "greedy", Double.POSITIVE_INFINITY);
        Plan cheap = ExecutorSlicing.choose(whole, 8, Double.POSITIVE_INFINITY, 0);
        Plan dear = ExecutorSlicing.choose(whole, 8, Double.POSITIVE_INFINITY, 1e15);
        assertTrue(dear.slices() >= 8 && dear.slices() <= cheap.slices(), dear.slices() + " against " + cheap.slices());
        // Legs of size 4: 16 slices are the fewest that keep 8 executors busy.
        assertEquals(16, dear.slices(), "one round of tasks when a task costs far more than its work");
    }

    @Test
    void predictionIsRoundsTimesSliceTime() {
        Plan whole = new Planner().plan(grid(4, 3), "greedy", Double.POSITIVE_INFINITY);
        Plan p = ExecutorSlicing.choose(whole, 4, whole.largestIntermediate() / 4, 0);
        double perSlice = p.cost() / p.slices();
        double rounds = Math.ceil(p.slices() / 4.0);
        assertEquals(rounds * (perSlice / 1e9 + 0.01), ExecutorSlicing.predictSeconds(p, 4, 1e9, 0.01), 1e-12);
    }
}
