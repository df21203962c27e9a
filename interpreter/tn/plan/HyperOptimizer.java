package tn.plan;

import java.util.List;
import java.util.Random;

/**
 * Hyper-optimised search for hard networks: many trials, alternating between randomised greedy
 * (each with its own sampled cost weighting and Boltzmann temperature) and top-down trees by
 * balanced multilevel min-cut bisection ({@link Bisection}) with sampled leaf sizes and imbalance
 * (the first trial is plain greedy, so the result is never worse), the cheapest that fits the memory limit kept; then refined by subtree
 * reconfiguration, which re-solves every small subtree of the contraction tree exactly.
 * Deterministic for a seed.
 */
public final class HyperOptimizer implements Optimizer {
    private final int trials;
    private final long seed;
    private final int subtreeLeaves;

    public HyperOptimizer() {
        this(192, 0, 8);
    }

    public HyperOptimizer(int trials, long seed, int subtreeLeaves) {
        this.trials = trials;
        this.seed = seed;
        this.subtreeLeaves = subtreeLeaves;
    }

    @Override public String name() { return "hyper"; }

    @Override
    public List<int[]> path(Network network, double memoryLimit) {
        Random random = new Random(seed);
        List<int[]> best = null;
        double bestCost = Double.POSITIVE_INFINITY;
        for (int t = 0; t < trials; t++) {
            List<int[]> path;
            // Trials alternate between the two families: which one wins depends on the network
            // (greedy on random graphs with large bonds, bisection on lattices and circuits).
            boolean partition = network.inputCount() > 12 && t % 2 == 1;
            if (partition) {
                // Every other trial builds the tree top-down by balanced min-cut bisection.
                int leaf = 6 + random.nextInt(7);
                double imbalance = 0.05 + 0.4 * random.nextDouble();
                int greedyBelow = random.nextBoolean() ? 0 : leaf + random.nextInt(48);
                path = new PartitionBuilder(leaf, imbalance, 4, new Random(random.nextLong()), true).greedyBelow(greedyBelow).path(network);
            } else {
                double alpha = t == 0 ? 1.0 : 0.25 + 1.75 * random.nextDouble();
                double temperature = t == 0 ? 0.0 : Math.pow(10, -3 + 3 * random.nextDouble());
                path = new GreedyCore(alpha, temperature, new Random(random.nextLong())).path(network);
            }
            Plan p = Plan.fromPath(network, path, "hyper", 0);
            // Paths that fit the memory limit come first; among equals, the cheapest.
            double cost = p.largestIntermediate() <= memoryLimit ? p.cost() : Double.MAX_VALUE * 0.5 + p.largestIntermediate();
            if (best == null || cost < bestCost) {
                bestCost = cost;
                best = path;
            }
        }
        if (best.isEmpty()) return best;
        List<int[]> refined = new SubtreeReconfiguration(subtreeLeaves).improve(network, best);
        // Reconfiguration lowers cost; keep it only if it does not break the memory limit.
        Plan r = Plan.fromPath(network, refined, "hyper", 0), b = Plan.fromPath(network, best, "hyper", 0);
        boolean fits = b.largestIntermediate() <= memoryLimit;
        return !fits || r.largestIntermediate() <= memoryLimit ? refined : best;
    }
}
