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
     * Median planning time after a warm-up that lets the JIT compile the planner (repeated runs
     * for up to ~300 ms), with a fresh planner each time so nothing is cached.
     */
    static Timed time(Network n, String method) {
        long warmStart = System.nanoTime();
        Plan plan = new Planner().plan(n, method, Double.POSITIVE_INFINITY);
        int warm = 1;
        while (System.nanoTime() - warmStart < 300e6 && warm < 2000) {
            plan = new Planner().plan(n, method, Double.POSITIVE_INFINITY);
            warm++;
        }
        double once = (System.nanoTime() - warmStart) / 1e6 / warm;
        int reps = once < 50 ? 21 : once < 2000 ? 3 : 1;
        double[] ms = new double[reps];
        for (int r = 0; r < reps; r++) {
            long start = System.nanoTime();
            plan = new Planner().plan(n, method, Double.POSITIVE_INFINITY);
            ms[r] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return new Timed(plan, ms[reps / 2]);
    }

    static String ms(double m) {
        return m < 10 ? String.format(Locale.ROOT, "%.2f ms", m) : String.format(Locale.ROOT, "%.0f ms", m);
    }
}
