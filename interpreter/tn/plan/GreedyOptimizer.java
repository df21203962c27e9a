package tn.plan;

import java.util.List;

/**
 * opt_einsum's greedy rule (see {@link GreedyCore}): contract the pair that shrinks the total
 * size the most, ties to the older operands. Fast (a priority queue over pairs that share legs)
 * and deterministic; the default for large networks.
 */
public final class GreedyOptimizer implements Optimizer {
    @Override public String name() { return "greedy"; }

    @Override
    public List<int[]> path(Network network, double memoryLimit) {
        return new GreedyCore(1.0, 0.0, null).path(network);
    }
}
