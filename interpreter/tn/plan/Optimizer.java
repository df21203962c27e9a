package tn.plan;

import java.util.List;

/**
 * A strategy that orders the pairwise contractions of a network. Optimizers see legs and sizes
 * only, never arrays. They return a path in numpy/opt_einsum format (see {@link Plan}); the
 * {@link Planner} replays it to get costs.
 */
public interface Optimizer {
    /** The name users pick it by (`greedy`, ...). */
    String name();

    /**
     * A complete contraction path for {@code network}.
     *
     * @param memoryLimit the largest intermediate allowed, in elements; {@code Double.POSITIVE_INFINITY}
     *     for none. An optimizer may ignore it (the planner checks the result).
     */
    List<int[]> path(Network network, double memoryLimit);
}
