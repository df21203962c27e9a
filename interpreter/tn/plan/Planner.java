package tn.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The planning facade: optimizers by name, `auto` choosing among them by size, timing, a cache
 * keyed by the network's structure, and the replay that gives every plan its costs (so a
 * reported cost is always the cost of the path). Pure: no arrays, no ND4J.
 */
public final class Planner {
    /** Networks up to this many inputs are planned exactly by `auto`. */
    public static final int AUTO_OPTIMAL_MAX = 12;
    /** Up to this many inputs `auto` runs the randomised search (a short one). */
    public static final int AUTO_HYPER_MAX = 2000;
    private static final int CACHE_SIZE = 512;
    /** Trees by bisection that {@link #fit} slices besides the cheapest order found. */
    private static final int SLICED_PARTITIONS = 4;

    private final Map<String, Optimizer> optimizers = new TreeMap<>();
    private static final int AUTO_HYPER_TRIALS = 24;
    private final Optimizer autoHyper = new HyperOptimizer(AUTO_HYPER_TRIALS, 0, 8);
    private final Map<String, List<int[]>> cache = new LinkedHashMap<>(64, 0.75f, true) {
        @Override protected boolean removeEldestEntry(Map.Entry<String, List<int[]>> e) {
            return size() > CACHE_SIZE;
        }
    };

    /** Whole plans by structure, method and memory limit (see {@link #plan}). */
    private final Map<String, Plan> plans = new LinkedHashMap<>(64, 0.75f, true) {
        @Override protected boolean removeEldestEntry(Map.Entry<String, Plan> e) {
            return size() > CACHE_SIZE;
        }
    };

    public Planner() {
        register(new GreedyOptimizer());
        register(new OptimalOptimizer());
        register(new HyperOptimizer());
    }

    private void register(Optimizer o) {
        optimizers.put(o.name(), o);
    }

    /** The method names users can pick, sorted. */
    public List<String> methods() {
        List<String> names = new ArrayList<>(optimizers.keySet());
        names.add("auto");
        Collections.sort(names);
        return names;
    }

    /**
     * Plans {@code network} with the named method; a network planned before (same structure and
     * method) reuses its path.
     *
     * @throws IllegalArgumentException for an unknown method (the message lists the valid ones)
     *     or a network too large for the method
     */
    public Plan plan(Network network, String method, double memoryLimitElements) {
        if (!method.equals("auto") && !optimizers.containsKey(method)) {
            throw new IllegalArgumentException("unknown planning method '" + method + "' (choose from: "
                    + String.join(", ", methods()) + ")");
        }
        long start = System.nanoTime();
        String key = method + "|" + structure(network);
        // A whole plan of the same structure, method and limit is reused as it is (replaying its
        // path cost as much as planning a small network, and interpreted models ask for the same
        // few hundred contractions again and again); only the names are this network's.
        String planKey = key + "|plan" + memoryLimitElements;
        Plan known;
        synchronized (plans) {
            known = plans.get(planKey);
        }
        if (known != null) return known.withNetwork(network).withPlanningNanos(System.nanoTime() - start);
        Optimizer o = method.equals("auto") ? auto(network) : optimizers.get(method);
        if (o == autoHyper) {
            // A search only pays when contracting costs more than searching: a network cheap in
            // greedy's order (a long chain of small tensors, say) keeps that order.
            String cheapKey = key + "|cheap";
            List<int[]> greedy;
            synchronized (cache) {
                greedy = cache.get(cheapKey);
            }
            if (greedy == null) {
                greedy = optimizers.get("greedy").path(network, memoryLimitElements);
                Plan quick = Plan.fromPath(network, greedy, "greedy", 0);
                if (quick.cost() > searchWork(network)) greedy = List.of();
                synchronized (cache) {
                    cache.put(cheapKey, greedy);
                }
            }
            if (!greedy.isEmpty()) {
                o = optimizers.get("greedy");
                key = cheapKey;
            }
        }
        List<int[]> path;
        synchronized (cache) {
            path = cache.get(key);
        }
        if (path == null) {
            path = network.inputCount() < 2 ? List.of() : o.path(network, memoryLimitElements);
            synchronized (cache) {
                cache.put(key, path);
            }
        }
        Plan plan = Plan.fromPath(network, path, o.name(), 0);
        if (plan.largestIntermediate() > memoryLimitElements && network.inputCount() > 2) {
            plan = fit(network, plan, memoryLimitElements, key);
        }
        synchronized (plans) {
            plans.put(planKey, plan);
        }
        return plan.withPlanningNanos(System.nanoTime() - start);
    }

    /**
     * A plan over the memory limit: first a search for an order that fits (the randomised
     * search ranks fitting orders first), then slicing ({@link Slicer}) of the cheapest order
     * found and of a few trees by bisection, the cheapest total kept.
     */
    private Plan fit(Network network, Plan plan, double limit, String key) {
        Plan base = plan;
        // Above HyperOptimizer.LARGE tensors auto's own search has already ranked fitting orders
        // first, and a longer one costs seconds (3 to 7 s on the 512 tensors of a 16 x 16 PEPS
        // norm, where no order fits): such networks go straight to slicing.
        if (!(plan.method().equals("hyper") && network.inputCount() > HyperOptimizer.LARGE)) {
            Plan candidate = fittingSearch(network, limit, key);
            if (candidate.largestIntermediate() <= limit) return renamed(candidate, plan.method() + ", then hyper to fit the memory limit");
            if (candidate.cost() < plan.cost()) base = candidate;
        }
        Plan sliced = Slicer.fit(base, limit);
        // The cheapest unsliced order is often a poor one to slice (a sweep's boundaries share no
        // legs); trees cut top-down by bisection share their cut legs among their large
        // intermediates, so a few of them are sliced too and the cheapest total wins.
        if (network.inputCount() > AUTO_OPTIMAL_MAX) {
            Random random = new Random(0);
            for (int k = 0; k < SLICED_PARTITIONS; k++) {
                Plan start = Plan.fromPath(network, HyperOptimizer.partitionTrial(network, random), "hyper", 0);
                Plan s = Slicer.fit(start, limit);
                if (s != null && (sliced == null || s.cost() < sliced.cost())) sliced = s;
            }
        }
        return sliced != null ? renamed(sliced, sliced.method() + ", sliced to fit the memory limit") : base;
    }

    /** The randomised search (more trials than auto's) ranking orders that fit first; cached. */
    private Plan fittingSearch(Network network, double limit, String key) {
        String fitKey = key + "|fit" + limit;
        List<int[]> cached;
        synchronized (cache) {
            cached = cache.get(fitKey);
        }
        if (cached != null) return Plan.fromPath(network, cached, "hyper", 0);
        Plan candidate = Plan.fromPath(network, new HyperOptimizer(64, 0, 8).path(network, limit), "hyper", 0);
        synchronized (cache) {
            cache.put(fitKey, candidate.path());
        }
        return candidate;
    }

    private static Plan renamed(Plan p, String method) {
        return new Plan(p.network(), method, p.path(), p.prepared(), p.steps(), p.cost(), p.naiveCost(),
                p.largestIntermediate(), p.totalWritten(), p.planningNanos(), p.slicedLegs());
    }

    /**
     * Roughly the work of auto's randomised search on {@code n} (its trials each replay a greedy
     * order over all pairs of inputs), in the units of a plan's cost (multiply-adds).
     */
    private static double searchWork(Network n) {
        double inputs = n.inputCount();
        return AUTO_HYPER_TRIALS * inputs * inputs * 64;
    }

    /**
     * `auto`: exact for small networks, a short randomised search for medium ones (unless
     * greedy's order is already cheaper to contract than the search would be to run), else greedy.
     */
    private Optimizer auto(Network n) {
        if (n.inputCount() <= AUTO_OPTIMAL_MAX) return optimizers.get("optimal");
        if (n.inputCount() <= AUTO_HYPER_MAX) return autoHyper;
        return optimizers.get("greedy");
    }

    /** The structure a plan depends on: inputs, output and sizes, not the names. */
    static String structure(Network n) {
        StringBuilder sb = new StringBuilder();
        for (int[] in : n.inputs()) sb.append(Arrays.toString(in));
        sb.append("->").append(Arrays.toString(n.output())).append(Arrays.toString(n.sizes()));
        return sb.toString();
    }
}
