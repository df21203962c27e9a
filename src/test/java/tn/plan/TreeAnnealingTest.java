package tn.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Tree annealing against independent references: every annealed path replays (Plan.fromPath
 * recomputes every step from scratch) to a cost between the brute-force optimum and the start,
 * it usually reaches that optimum on small networks, it keeps a memory limit, and it is
 * deterministic for a seed.
 */
class TreeAnnealingTest {

    /** A uniformly random pairwise order. */
    private static List<int[]> randomPath(Random rnd, int inputs) {
        List<int[]> path = new ArrayList<>();
        for (int remaining = inputs; remaining > 1; remaining--) {
            int a = rnd.nextInt(remaining), b = rnd.nextInt(remaining - 1);
            if (b >= a) b++;
            path.add(new int[] {Math.min(a, b), Math.max(a, b)});
        }
        return path;
    }

    @Test
    void annealedPathsLieBetweenTheOptimumAndTheStartAndUsuallyReachTheOptimum() {
        Random rnd = new Random(11);
        int reached = 0, tried = 0;
        for (int trial = 0; trial < 300; trial++) {
            Network n = PlannerTest.random(rnd, 7);
            List<int[]> start = randomPath(rnd, n.inputCount());
            double startCost = Plan.fromPath(n, start, "start", 0).cost();
            List<int[]> annealed = new TreeAnnealing(new Random(trial), 20_000, 0.05, 0.0005).improve(n, start, Double.POSITIVE_INFINITY);
            double cost = Plan.fromPath(n, annealed, "anneal", 0).cost();
            double optimum = PlannerTest.bruteForce(n);
            String what = "trial " + trial + ": " + n.equation();
            assertTrue(cost <= startCost * (1 + 1e-12), what + " got worse: " + cost + " > " + startCost);
            assertTrue(cost >= optimum * (1 - 1e-12), what + " below the optimum?");
            if (Plan.prepare(n).size() >= 4) {
                tried++;
                if (cost <= optimum * (1 + 1e-9)) reached++;
            }
        }
        // Rotations alone cannot join disconnected parts in every way the optimum may need, and
        // outer products are never preferred; still, nearly every small network is solved.
        assertTrue(reached >= 0.9 * tried, reached + " of " + tried + " reached the optimum");
    }

    @Test
    void theClrsChainFromItsWorstOrderReaches15125() {
        long[] dims = {30, 35, 15, 5, 10, 20, 25};
        List<int[]> inputs = new ArrayList<>();
        for (int k = 0; k < 6; k++) inputs.add(new int[] {k, k + 1});
        Network chain = Network.of(inputs, new int[] {0, 6}, dims);
        // Left to right: ((((A1 A2) A3) A4) A5) A6.
        List<int[]> leftToRight = new ArrayList<>();
        for (int k = 0; k < 5; k++) leftToRight.add(new int[] {0, 1});
        assertTrue(Plan.fromPath(chain, leftToRight, "start", 0).cost() > 15125);
        List<int[]> annealed = new TreeAnnealing(new Random(1), 20_000, 0.05, 0.0005).improve(chain, leftToRight, Double.POSITIVE_INFINITY);
        assertEquals(15125, Plan.fromPath(chain, annealed, "anneal", 0).cost());
    }

    @Test
    void aMemoryLimitIsNeverCrossed() {
        Random rnd = new Random(3);
        for (int trial = 0; trial < 200; trial++) {
            Network n = PlannerTest.random(rnd, 9);
            List<int[]> start = new GreedyCore(1.0, 0.0, new Random(0)).path(n);
            Plan s = Plan.fromPath(n, start, "start", 0);
            double limit = s.largestIntermediate();
            List<int[]> annealed = new TreeAnnealing(new Random(trial), 5_000, 0.2, 0.001).improve(n, start, limit);
            Plan a = Plan.fromPath(n, annealed, "anneal", 0);
            assertTrue(a.largestIntermediate() <= limit, n.equation() + ": " + a.largestIntermediate() + " > " + limit);
        }
    }

    @Test
    void theSameSeedGivesTheSamePath() {
        Random rnd = new Random(8);
        for (int trial = 0; trial < 20; trial++) {
            Network n = PlannerTest.random(rnd, 9);
            List<int[]> start = randomPath(rnd, n.inputCount());
            List<int[]> a = new TreeAnnealing(new Random(5), 3_000, 0.05, 0.0005).improve(n, start, Double.POSITIVE_INFINITY);
            List<int[]> b = new TreeAnnealing(new Random(5), 3_000, 0.05, 0.0005).improve(n, start, Double.POSITIVE_INFINITY);
            assertEquals(a.stream().map(Arrays::toString).toList(), b.stream().map(Arrays::toString).toList());
        }
    }
}
