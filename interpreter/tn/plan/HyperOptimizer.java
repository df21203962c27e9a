package tn.plan;

import java.util.List;
import java.util.Random;

/**
 * Hyper-optimised search for hard networks: many trials, alternating between randomised greedy
 * (each with its own sampled cost weighting and Boltzmann temperature) and top-down trees by
 * balanced multilevel min-cut bisection ({@link Bisection}) with sampled leaf sizes and imbalance
 * (the first trial is plain greedy, so the result is never worse). The few cheapest trees that fit
 * the memory limit are then annealed ({@link TreeAnnealing}: simulated annealing over tree
 * rotations, which finds what the builders' top-down or bottom-up choices miss) and the best is
 * refined by subtree reconfiguration, which re-solves every small subtree of the contraction tree
 * exactly. Deterministic for a seed.
 */
public final class HyperOptimizer implements Optimizer {
    /** How many of the cheapest trial trees are annealed. */
    private static final int ANNEALED = 3;
    /** Annealing moves per input tensor (for the default 192 trials; fewer trials, fewer moves), and at most. */
    private static final long MOVES_PER_TENSOR = 4000;
    private static final long MAX_MOVES = 2_000_000;

    /** Networks above this many tensors get at most {@code LARGE_TRIALS} trials. */
    static final int LARGE = 250;
    private static final int LARGE_TRIALS = 64;

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
        // The cheapest few trial trees (by cost, fitting the memory limit first), distinct costs.
        java.util.TreeMap<Double, List<int[]>> top = new java.util.TreeMap<>();
        // Large networks get fewer trials: annealing the best of them is what pays there.
        int trials = network.inputCount() > LARGE ? Math.min(this.trials, LARGE_TRIALS) : this.trials;
        for (int t = 0; t < trials; t++) {
            List<int[]> path;
            // Trials alternate between the two families: which one wins depends on the network
            // (greedy on random graphs with large bonds, bisection on lattices and circuits).
            boolean partition = network.inputCount() > 12 && t % 2 == 1;
            if (partition) {
                // Every other trial builds the tree top-down by balanced min-cut bisection.
                path = partitionTrial(network, random);
            } else {
                double alpha = t == 0 ? 1.0 : 0.25 + 1.75 * random.nextDouble();
                double temperature = t == 0 ? 0.0 : Math.pow(10, -3 + 3 * random.nextDouble());
                path = new GreedyCore(alpha, temperature, new Random(random.nextLong())).path(network);
            }
            double cost = score(Plan.fromPath(network, path, "hyper", 0), memoryLimit);
            if (top.size() < ANNEALED || cost < top.lastKey()) {
                top.putIfAbsent(cost, path);
                if (top.size() > ANNEALED) top.pollLastEntry();
            }
        }
        List<int[]> best = top.firstEntry().getValue();
        if (best.isEmpty()) return best;
        double bestCost = top.firstKey();
        // A lighter search (auto's few trials) anneals in proportion: 4000 moves per tensor at 192 trials.
        int moves = (int) Math.min(MAX_MOVES, MOVES_PER_TENSOR * (long) network.inputCount() * Math.min(this.trials, 192) / 192);
        List<List<int[]>> candidates = new java.util.ArrayList<>(List.of(best));
        for (List<int[]> start : top.values()) {
            candidates.add(new TreeAnnealing(new Random(random.nextLong()), moves, 0.05, 0.0005).improve(network, start, memoryLimit));
        }
        // Each candidate refined by reconfiguration (kept only if it does not break the memory
        // limit); the cheapest that fits wins.
        for (List<int[]> c : candidates) {
            Plan chosen = Plan.fromPath(network, new SubtreeReconfiguration(subtreeLeaves).improve(network, c), "hyper", 0);
            if (chosen.largestIntermediate() > memoryLimit) {
                Plan unrefined = Plan.fromPath(network, c, "hyper", 0);
                if (unrefined.largestIntermediate() <= memoryLimit) chosen = unrefined;
            }
            double cost = score(chosen, memoryLimit);
            if (cost < bestCost) {
                bestCost = cost;
                best = chosen.path();
            }
        }
        return best;
    }

    /**
     * A tree built top-down by balanced min-cut bisection with sampled leaf size, imbalance and
     * greedy-below size (one trial of the search; also the starting trees of slicing, whose cheap
     * cuts near the root are legs that many large intermediates share).
     */
    static List<int[]> partitionTrial(Network network, Random random) {
        int leaf = 6 + random.nextInt(7);
        double imbalance = 0.05 + 0.4 * random.nextDouble();
        int greedyBelow = random.nextBoolean() ? 0 : leaf + random.nextInt(48);
        return new PartitionBuilder(leaf, imbalance, 4, new Random(random.nextLong()), true).greedyBelow(greedyBelow).path(network);
    }

    /** Plans that fit the memory limit come first; among equals, the cheapest. */
    private static double score(Plan p, double memoryLimit) {
        return p.largestIntermediate() <= memoryLimit ? p.cost() : Double.MAX_VALUE * 0.5 + p.largestIntermediate();
    }
}
