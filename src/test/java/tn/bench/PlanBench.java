package tn.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tn.plan.Network;
import tn.plan.Plan;
import tn.plan.Planner;
import tn.plan.PlanReport;

/**
 * Plans every benchmark network with each method and prints cost (log10 of multiply-adds) and
 * planning time (median of repeated runs after a warm-up, a fresh planner each time so nothing
 * is cached). Writes the networks and the plans as JSON for the numpy companion script.
 *
 * <p>Usage: PlanBench OUT_DIR [SHARED_BENCH_DIR]
 */
public final class PlanBench {
    private PlanBench() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "target/bench");
        Path shared = Path.of(args.length > 1 ? args[1] : "../shared/bench/cotengra");
        Files.createDirectories(out.resolve("networks"));
        Map<String, Network> networks = BenchNetworks.all();
        networks.putAll(BenchNetworks.cotengra(shared));
        warmUp(BenchNetworks.all().values());
        StringBuilder json = new StringBuilder();
        System.out.printf(Locale.ROOT, "%-36s %7s %5s  %-20s %-20s %-20s%n", "network", "tensors", "legs",
                "greedy log10 (ms)", "hyper log10 (ms)", "optimal log10 (ms)");
        for (Map.Entry<String, Network> e : networks.entrySet()) {
            String name = e.getKey();
            Network n = e.getValue();
            Files.writeString(out.resolve("networks").resolve(name + ".json"), BenchNetworks.json(n), StandardCharsets.UTF_8);
            List<String> cells = new ArrayList<>();
            for (String method : List.of("greedy", "hyper", "optimal")) {
                if (method.equals("optimal") && n.inputCount() > 16) {
                    cells.add("-");
                    continue;
                }
                Timed t = time(n, method);
                cells.add(String.format(Locale.ROOT, "%.2f (%s)", Math.log10(t.plan.cost()), ms(t.millis)));
                String planJson = PlanReport.json(t.plan);
                json.append("{\"network\": \"").append(name).append("\", \"tensors\": ").append(n.inputCount())
                    .append(", \"median_ms\": ").append(String.format(Locale.ROOT, "%.4f", t.millis)).append(", ")
                    .append(planJson.substring(1)).append('\n');
            }
            System.out.printf(Locale.ROOT, "%-36s %7d %5d  %-20s %-20s %-20s%n", name, n.inputCount(), n.legCount(),
                    cells.get(0), cells.get(1), cells.get(2));
        }
        Files.writeString(out.resolve("tn_plans.jsonl"), json.toString(), StandardCharsets.UTF_8);
    }

    record Timed(Plan plan, double millis) {}

    /**
     * Three seconds of greedy planning over the small networks in turn before anything is timed:
     * a second on one network was not always enough for the JIT to settle (the first network
     * timed came out 2 to 6 times slower than the same network timed again later).
     */
    static void warmUp(Iterable<Network> networks) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < 3e9) {
            for (Network n : networks) new Planner().plan(n, "greedy", Double.POSITIVE_INFINITY);
        }
    }

    /**
     * Planning time after a warm-up that lets the JIT compile the planner (repeated runs for a
     * second), with a fresh planner each time so nothing is cached: quick
     * methods are timed in 5 blocks and the smallest block median is reported (compare.py times
     * numpy the same way), slow ones by the median of a few runs.
     */
    static Timed time(Network n, String method) {
        long warmStart = System.nanoTime();
        Plan plan = new Planner().plan(n, method, Double.POSITIVE_INFINITY);
        int warm = 1;
        while (System.nanoTime() - warmStart < 1e9) {
            plan = new Planner().plan(n, method, Double.POSITIVE_INFINITY);
            warm++;
        }
        double once = (System.nanoTime() - warmStart) / 1e6 / warm;
        int reps = once < 1 ? 101 : once < 50 ? 21 : once < 2000 ? 3 : 1;
        int blocks = once < 50 ? 5 : 1;
        double best = Double.POSITIVE_INFINITY;
        for (int b = 0; b < blocks; b++) {
            double[] ms = new double[reps];
            for (int r = 0; r < reps; r++) {
                long start = System.nanoTime();
                plan = new Planner().plan(n, method, Double.POSITIVE_INFINITY);
                ms[r] = (System.nanoTime() - start) / 1e6;
            }
            Arrays.sort(ms);
            best = Math.min(best, ms[reps / 2]);
        }
        return new Timed(plan, best);
    }

    static String ms(double m) {
        if (m < 0.1) return String.format(Locale.ROOT, "%.1f us", m * 1e3);
        return m < 10 ? String.format(Locale.ROOT, "%.2f ms", m) : String.format(Locale.ROOT, "%.0f ms", m);
    }
}
