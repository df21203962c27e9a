package tn.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import tn.exec.Backend;
import tn.exec.DType;
import tn.exec.Dense;
import tn.exec.nd4j.NdDense;
import tn.exec.nd4j.Nd4jBackend;
import tn.plan.Network;
import tn.plan.Plan;
import tn.plan.Planner;
import tn.plan.PlanReport;

/**
 * Times tn's contraction of benchmark networks (float32, random data, after a warm-up, median of
 * repeated runs) and a plain GEMM of similar cost as the yardstick, in GFLOP/s (2 flops per
 * multiply-add). Writes the paths used, so the numpy companion can run numpy.einsum with the
 * same path and report the ratio.
 *
 * <p>Usage: ExecBench OUT_DIR [ROUND]. {@code src/bench/run} runs several rounds, each in a fresh
 * JVM and alternating with numpy's: single figures on this shared VM move by up to 2x between
 * processes (the JIT and OpenBLAS's threads settle differently per process, and the machine has
 * bursts of interference), so one process per side would compare luck as much as speed.
 */
public final class ExecBench {
    static final List<String> NETWORKS = List.of("matrix_chain_10", "mps_norm_L16_chi16", "mps_norm_L16_chi64",
            "lattice_4x4_D2", "lattice_5x5_D2", "randreg3_n20_D2", "cp_reconstruct_r32", "tucker_reconstruct",
            "batched_chain", "transformer_qk", "transformer_ov");

    private ExecBench() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "target/bench").resolve("exec");
        String round = args.length > 1 ? args[1] : "1";
        Files.createDirectories(out);
        Backend backend = new Nd4jBackend();
        Map<String, Network> all = BenchNetworks.all();
        StringBuilder json = new StringBuilder();
        System.out.printf(Locale.ROOT, "%-22s %12s %12s %10s %10s   (round %s)%n", "network", "cost", "tn time", "tn GFLOP/s", "GEMM GFLOP/s", round);
        for (String name : NETWORKS) {
            Network n = all.get(name);
            Plan plan = new Planner().plan(n, "auto", Double.POSITIVE_INFINITY);
            Random rnd = new Random(1);
            List<Dense> ops = new ArrayList<>();
            for (int[] legs : n.inputs()) {
                long[] shape = Arrays.stream(legs).mapToLong(l -> n.sizes()[l]).toArray();
                int size = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
                double[] d = new double[size];
                for (int i = 0; i < size; i++) d[i] = rnd.nextGaussian();
                ops.add(backend.fromDoubles(d, shape, DType.FLOAT32));
            }
            double seconds = median(() -> release(backend.contract(plan, ops)));
            double gflops = 2 * plan.cost() / seconds / 1e9;
            double gemm = gemmGflops(backend, plan.cost());
            System.out.printf(Locale.ROOT, "%-22s %12.3e %10.3f ms %10.1f %10.1f%n", name, plan.cost(), seconds * 1e3, gflops, gemm);
            json.append("{\"network\": \"").append(name).append("\", \"tn_ms\": ").append(String.format(Locale.ROOT, "%.4f", seconds * 1e3))
                .append(", \"tn_gflops\": ").append(String.format(Locale.ROOT, "%.2f", gflops))
                .append(", \"gemm_gflops\": ").append(String.format(Locale.ROOT, "%.2f", gemm)).append(", ")
                .append(PlanReport.json(plan).substring(1)).append('\n');
        }
        Files.writeString(out.resolve("tn_" + round + ".jsonl"), json.toString(), StandardCharsets.UTF_8);
    }

    /**
     * Frees a result's native memory at once, as numpy's reference counting frees each einsum
     * result as soon as the next replaces it (left to the garbage collector, results pile up in
     * native memory and every run writes into freshly mapped pages).
     */
    private static void release(Dense result) {
        if (result instanceof NdDense d) d.release();
    }

    /**
     * Wall time in seconds after a warm-up that lets the JIT compile the Java paths (repeated
     * runs for about two seconds, at least 2 and at most 20000): the runs are timed in 5 blocks
     * (more runs per block for quick contractions) and the smallest block median is reported, so a
     * burst of interference from this shared VM does not decide the figure. compare.py times
     * numpy the same way.
     */
    static double median(Runnable r) {
        long start = System.nanoTime();
        int warm = 0;
        while (warm < 2 || (System.nanoTime() - start < 2e9 && warm < 20000)) {
            r.run();
            warm++;
        }
        double once = (System.nanoTime() - start) / 1e9 / warm;
        int reps = once < 0.001 ? 101 : once < 0.01 ? 21 : once < 0.2 ? 5 : 3;
        double best = Double.POSITIVE_INFINITY;
        for (int block = 0; block < 5; block++) {
            double[] t = new double[reps];
            for (int k = 0; k < reps; k++) {
                long s = System.nanoTime();
                r.run();
                t[k] = (System.nanoTime() - s) / 1e9;
            }
            Arrays.sort(t);
            best = Math.min(best, t[reps / 2]);
        }
        return best;
    }

    /** GFLOP/s of a float32 square GEMM with about the same number of multiply-adds (n from 64 to 2048). */
    static double gemmGflops(Backend backend, double cost) {
        int size = (int) Math.max(64, Math.min(2048, Math.round(Math.cbrt(cost))));
        Network mm = Network.of(List.of(new int[] {0, 1}, new int[] {1, 2}), new int[] {0, 2}, new long[] {size, size, size});
        Plan p = Plan.fromPath(mm, List.of(new int[] {0, 1}), "gemm", 0);
        double[] d = new double[size * size];
        Arrays.fill(d, 0.5);
        Dense a = backend.fromDoubles(d, new long[] {size, size}, DType.FLOAT32);
        Dense b = backend.fromDoubles(d, new long[] {size, size}, DType.FLOAT32);
        double s = median(() -> release(backend.contract(p, List.of(a, b))));
        return 2.0 * size * size * size / s / 1e9;
    }
}
