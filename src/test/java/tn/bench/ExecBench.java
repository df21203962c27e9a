package tn.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
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
 * Times tn's contraction of benchmark networks (float32, random data) and a plain GEMM of
 * similar cost as the yardstick, in GFLOP/s (2 flops per multiply-add); with a python3 that has
 * numpy, times numpy.einsum with the same path in the same run, paired with tn's.
 *
 * <p>How: after a warm-up (about two seconds of runs, so the JIT has compiled the Java paths),
 * tn and numpy (a {@code compare.py --serve} process this class starts) take turns, {@link #PAIRS}
 * times per network, each timing a block of runs of about half a second (the median run of the
 * block); the order inside a pair alternates. The ratio reported is the median of the pairs'
 * ratios. On this shared 2-core VM the speed of both sides moves by up to 2x over seconds (the
 * host's load, not either program: the same contraction in one process went from 0.22 to 0.45 ms
 * and back), so figures taken minutes apart, or the best of each side, compare luck as much as
 * speed; blocks taken side by side see the same machine.
 *
 * <p>Usage: ExecBench OUT_DIR [PYTHON]. Writes OUT_DIR/tn_exec.jsonl (figures and paths).
 */
public final class ExecBench {
    static final List<String> NETWORKS = List.of("matrix_chain_10", "mps_norm_L16_chi16", "mps_norm_L16_chi64",
            "lattice_4x4_D2", "lattice_5x5_D2", "randreg3_n20_D2", "cp_reconstruct_r32", "tucker_reconstruct",
            "batched_chain", "transformer_qk", "transformer_ov");
    /** Blocks per side and network. */
    static final int PAIRS = 7;
    /** Seconds per block. */
    static final double BLOCK = 0.5;

    private ExecBench() {}

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "target/bench");
        Files.createDirectories(out);
        Numpy numpy = args.length > 1 ? new Numpy(args[1], out) : null;
        Backend backend = new Nd4jBackend();
        Map<String, Network> all = BenchNetworks.all();
        StringBuilder json = new StringBuilder();
        if (numpy == null) {
            System.out.printf(Locale.ROOT, "%-20s %10s %9s %10s %9s%n", "network", "cost", "tn ms", "tn GFLOP/s", "tn GEMM");
        } else {
            System.out.println("tn and numpy.einsum, same path, float32, timed in " + PAIRS + " pairs of " + BLOCK
                    + " s blocks taken in turn; ms = median of the blocks,");
            System.out.println("ratio = median of the pairs' tn/numpy ratios (<= 1: tn at least as fast), range = smallest and largest pair");
            System.out.printf(Locale.ROOT, "%-20s %10s %9s %9s %6s %11s %10s %10s %8s %8s%n", "network", "cost", "tn ms", "numpy ms",
                    "ratio", "range", "tn GFLOP/s", "np GFLOP/s", "tn GEMM", "np GEMM");
        }
        for (String name : NETWORKS) {
            Network n = all.get(name);
            Plan plan = new Planner().plan(n, "auto", Double.POSITIVE_INFINITY);
            List<Dense> ops = randomInputs(backend, n);
            String planJson = PlanReport.json(plan);
            Runnable tn = () -> release(backend.contract(plan, ops));
            warmUp(tn);
            int size = gemmSize(plan.cost());
            Runnable gemm = gemm(backend, size);
            warmUp(gemm);
            double gemmFlops = 2.0 * size * size * size;
            if (numpy == null) {
                double[] t = new double[PAIRS];
                for (int k = 0; k < PAIRS; k++) t[k] = block(tn);
                double ms = median(t) * 1e3;
                double gemmGflops = gemmFlops / block(gemm) / 1e9;
                System.out.printf(Locale.ROOT, "%-20s %10.3e %9.3f %10.1f %9.1f%n", name, plan.cost(), ms, 2 * plan.cost() / ms / 1e6, gemmGflops);
                json.append(String.format(Locale.ROOT, "{\"network\": \"%s\", \"tn_ms\": %.4f, \"plan\": %s}%n", name, ms, planJson));
                continue;
            }
            String einsum = String.format(Locale.ROOT, "{\"op\": \"einsum\", \"network\": \"%s\", \"plan\": %s, \"seconds\": %s}", name, planJson, BLOCK);
            String npGemm = String.format(Locale.ROOT, "{\"op\": \"gemm\", \"n\": %d, \"seconds\": %s}", size, BLOCK);
            numpy.time(einsum); // numpy's warm-up
            double[] a = new double[PAIRS], b = new double[PAIRS], ratio = new double[PAIRS];
            for (int k = 0; k < PAIRS; k++) {
                if (k % 2 == 0) {
                    a[k] = block(tn);
                    b[k] = numpy.time(einsum);
                } else {
                    b[k] = numpy.time(einsum);
                    a[k] = block(tn);
                }
                ratio[k] = a[k] / b[k];
            }
            double tnGemm = gemmFlops / block(gemm) / 1e9, npGemmGflops = gemmFlops / numpy.time(npGemm) / 1e9;
            double tnMs = median(a) * 1e3, npMs = median(b) * 1e3, r = median(ratio);
            double[] sorted = ratio.clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "%-20s %10.3e %9.3f %9.3f %6.2f %5.2f-%5.2f %10.1f %10.1f %8.1f %8.1f%n", name, plan.cost(), tnMs, npMs, r,
                    sorted[0], sorted[PAIRS - 1], 2 * plan.cost() / tnMs / 1e6, 2 * plan.cost() / npMs / 1e6, tnGemm, npGemmGflops);
            json.append(String.format(Locale.ROOT, "{\"network\": \"%s\", \"tn_ms\": %.4f, \"numpy_ms\": %.4f, \"ratio\": %.3f, \"pair_ratios\": %s, \"plan\": %s}%n",
                    name, tnMs, npMs, r, Arrays.toString(ratio), planJson));
        }
        if (numpy != null) numpy.close();
        Files.writeString(out.resolve("tn_exec.jsonl"), json.toString(), StandardCharsets.UTF_8);
    }

    /** The network's inputs: standard normal entries, fixed seed, float32. */
    private static List<Dense> randomInputs(Backend backend, Network n) {
        Random rnd = new Random(1);
        List<Dense> ops = new ArrayList<>();
        for (int[] legs : n.inputs()) {
            long[] shape = Arrays.stream(legs).mapToLong(l -> n.sizes()[l]).toArray();
            int size = (int) Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            double[] d = new double[size];
            for (int i = 0; i < size; i++) d[i] = rnd.nextGaussian();
            ops.add(backend.fromDoubles(d, shape, DType.FLOAT32));
        }
        return ops;
    }

    /**
     * Frees a result's native memory at once, as numpy's reference counting frees each einsum
     * result as soon as the next replaces it (left to the garbage collector, results pile up in
     * native memory and every run writes into freshly mapped pages).
     */
    private static void release(Dense result) {
        if (result instanceof NdDense d) d.release();
    }

    /** Runs for about two seconds (at least twice, at most 20000 times) so the JIT has compiled what runs. */
    private static void warmUp(Runnable r) {
        long start = System.nanoTime();
        for (int k = 0; k < 2 || (System.nanoTime() - start < 2e9 && k < 20000); k++) r.run();
    }

    /**
     * The median time in seconds of the runs in a block of about {@link #BLOCK} seconds (at
     * least 3 runs), after a tenth of a second of untimed runs (the other side's BLAS threads may
     * still be spinning for that long after its block).
     */
    static double block(Runnable r) {
        long start = System.nanoTime();
        while (System.nanoTime() - start < 1e8) r.run();
        List<Long> t = new ArrayList<>();
        start = System.nanoTime();
        while (t.size() < 3 || System.nanoTime() - start < BLOCK * 1e9) {
            long s = System.nanoTime();
            r.run();
            t.add(System.nanoTime() - s);
        }
        return median(t.stream().mapToDouble(x -> x / 1e9).toArray());
    }

    private static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** The side of a square GEMM with about {@code cost} multiply-adds (64 to 2048). */
    static int gemmSize(double cost) {
        return (int) Math.max(64, Math.min(2048, Math.round(Math.cbrt(cost))));
    }

    /** A float32 square GEMM of the given side through tn's backend (a one-step plan). */
    static Runnable gemm(Backend backend, int size) {
        Network mm = Network.of(List.of(new int[] {0, 1}, new int[] {1, 2}), new int[] {0, 2}, new long[] {size, size, size});
        Plan p = Plan.fromPath(mm, List.of(new int[] {0, 1}), "gemm", 0);
        double[] d = new double[size * size];
        Arrays.fill(d, 0.5);
        Dense a = backend.fromDoubles(d, new long[] {size, size}, DType.FLOAT32);
        Dense b = backend.fromDoubles(d, new long[] {size, size}, DType.FLOAT32);
        return () -> release(backend.contract(p, List.of(a, b)));
    }

    /** numpy's side: a {@code compare.py --serve} process that times what it is sent, one JSON line each way. */
    private static final class Numpy implements AutoCloseable {
        private final Process process;
        private final Writer in;
        private final BufferedReader out;

        Numpy(String python, Path bench) throws IOException {
            Path script = Path.of("src", "bench", "compare.py");
            process = new ProcessBuilder(python, script.toString(), bench.toString(), "--serve")
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        /** Sends one command; returns the block's median time in seconds. */
        double time(String command) throws IOException {
            in.write(command + "\n");
            in.flush();
            String line = out.readLine();
            if (line == null) throw new IOException("the numpy process stopped (see above)");
            JsonObject reply = JsonParser.parseString(line).getAsJsonObject();
            return reply.get("seconds").getAsDouble();
        }

        @Override
        public void close() throws IOException, InterruptedException {
            in.close();
            process.waitFor();
        }
    }
}
