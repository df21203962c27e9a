package tn.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Multilevel bisection: finds known minimum cuts, respects the balance, is deterministic. */
class BisectionTest {
    static Bisection.Graph graph(int n, List<int[]> edges, double[] weights) {
        int[] ones = new int[n];
        Arrays.fill(ones, 1);
        return new Bisection.Graph(ones, edges, weights);
    }

    /** An r x c grid: vertex (i, j) = i c + j, unit-weight edges between neighbours. */
    static Bisection.Graph grid(int r, int c) {
        List<int[]> edges = new ArrayList<>();
        for (int i = 0; i < r; i++) {
            for (int j = 0; j < c; j++) {
                if (j + 1 < c) edges.add(new int[] {i * c + j, i * c + j + 1});
                if (i + 1 < r) edges.add(new int[] {i * c + j, (i + 1) * c + j});
            }
        }
        double[] w = new double[edges.size()];
        Arrays.fill(w, 1);
        return graph(r * c, edges, w);
    }

    static int weight(boolean[] side, boolean which) {
        int n = 0;
        for (boolean b : side) if (b == which) n++;
        return n;
    }

    @Test
    void twoCliquesJoinedByOneLightEdgeAreSeparated() {
        List<int[]> edges = new ArrayList<>();
        List<Double> w = new ArrayList<>();
        int k = 30;
        for (int half = 0; half < 2; half++) {
            for (int a = 0; a < k; a++) {
                for (int b = a + 1; b < k; b++) {
                    edges.add(new int[] {half * k + a, half * k + b});
                    w.add(3.0);
                }
            }
        }
        edges.add(new int[] {0, k});
        w.add(1.0);
        Bisection.Graph g = graph(2 * k, edges, w.stream().mapToDouble(Double::doubleValue).toArray());
        boolean[] side = new Bisection(new Random(1), 4).split(g, 0.1);
        assertEquals(1.0, Bisection.cut(g, side), 1e-12);
        for (int v = 1; v < k; v++) assertEquals(side[0], side[v]);
    }

    @Test
    void aGridIsCutAcrossItsShortSideAndBothHalvesAreBalanced() {
        Bisection.Graph g = grid(8, 24);
        boolean[] side = new Bisection(new Random(3), 4).split(g, 0.05);
        // The cheapest balanced cut of an 8 x 24 grid goes straight across: 8 edges.
        assertEquals(8.0, Bisection.cut(g, side), 1e-12);
        int minSide = (int) Math.floor(g.n() * 0.45);
        assertTrue(weight(side, true) >= minSide && weight(side, false) >= minSide);
    }

    @Test
    void hyperedgesCountOnceWhenCut() {
        // One heavy hyperedge over all vertices must be cut by any split; the light pairs decide.
        List<int[]> edges = new ArrayList<>();
        edges.add(new int[] {0, 1, 2, 3, 4, 5, 6, 7});
        edges.add(new int[] {0, 1});
        edges.add(new int[] {2, 3});
        edges.add(new int[] {4, 5});
        edges.add(new int[] {6, 7});
        edges.add(new int[] {1, 2});
        edges.add(new int[] {5, 6});
        Bisection.Graph g = graph(8, edges, new double[] {10, 2, 2, 2, 2, 1, 1});
        boolean[] side = new Bisection(new Random(2), 4).split(g, 0.0);
        assertEquals(10.0, Bisection.cut(g, side), 1e-12, "only the big hyperedge is cut: {0,1,2,3} | {4,5,6,7}");
    }

    @Test
    void theSameSeedGivesTheSameSplit() {
        Bisection.Graph g = grid(12, 12);
        boolean[] a = new Bisection(new Random(9), 4).split(g, 0.2), b = new Bisection(new Random(9), 4).split(g, 0.2);
        assertArrayEquals(a, b);
    }
}
