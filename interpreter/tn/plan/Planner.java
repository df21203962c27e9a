package tn.plan;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The planning facade: optimizers by name, timing, and the replay that gives every plan its
 * costs (so a reported cost is always the cost of the path). Pure: no arrays, no ND4J.
 */
public final class Planner {
    private final Map<String, Optimizer> optimizers = new TreeMap<>();

    public Planner() {
        register(new GreedyOptimizer());
    }

    private void register(Optimizer o) {
        optimizers.put(o.name(), o);
    }

    /** The method names users can pick, sorted; `auto` chooses among them. */
    public List<String> methods() {
        java.util.List<String> names = new java.util.ArrayList<>(optimizers.keySet());
        names.add("auto");
        java.util.Collections.sort(names);
        return names;
    }

    /**
     * Plans {@code network} with the named method.
     *
     * @throws IllegalArgumentException for an unknown method (the message lists the valid ones)
     */
    public Plan plan(Network network, String method, double memoryLimitElements) {
        Optimizer o = method.equals("auto") ? optimizers.get("greedy") : optimizers.get(method);
        if (o == null) {
            throw new IllegalArgumentException("unknown planning method '" + method + "' (choose from: "
                    + String.join(", ", methods()) + ")");
        }
        long start = System.nanoTime();
        List<int[]> path = network.inputCount() < 2 ? List.of() : o.path(network, memoryLimitElements);
        long elapsed = System.nanoTime() - start;
        return Plan.fromPath(network, path, o.name(), elapsed);
    }
}
