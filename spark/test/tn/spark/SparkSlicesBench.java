package tn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tn.cli.GemmRate;
import tn.exec.Backend;
import tn.exec.DType;
import tn.exec.Dense;
import tn.exec.nd4j.Nd4jBackend;
import tn.net.Evaluator;
import tn.net.LocalSlices;
import tn.plan.ExecutorSlicing;
import tn.plan.Network;
import tn.plan.Plan;
import tn.plan.Planner;

/**
 * Benchmark (not a test: its name does not end in Test, so only an explicit -Dtest runs it):
 *
 * <pre>mvn -o -B -Pspark test -Dtest=SparkSlicesBench -Dsurefire.failIfNoSpecifiedTests=false</pre>
 *
 * Two contractions that need slicing under a small task memory, in float64: the amplitude
 * &lt;x|C|0&gt; of a 40-qubit random circuit (a 5 x 8 grid, gates on its edges in four alternating
 * layers, each gate a random orthogonal 4 x 4 matrix, since tn has no complex numbers yet), and
 * the norm &lt;psi|psi&gt; of a random PEPS. Each is sliced for two executors, then run with that
 * same slicing in one process ({@link LocalSlices}, both cores for BLAS) and on local Spark
 * (local[2]), alternately, three times each; the medians give Spark's overhead as a ratio. The
 * planner's predicted time on 8, 64 and 512 executors (from a GEMM rate measured here) is printed
 * beside them, as the prediction it is. Results of both runs must agree to 1e-10.
 */
class SparkSlicesBench {
    private final Backend backend = new Nd4jBackend();

    @AfterAll
    static void stop() {
        SparkSlices.stopContext();
    }

    /** A random orthogonal n x n matrix (Gram-Schmidt on Gaussian columns), row-major. */
    static double[] orthogonal(Random r, int n) {
        double[][] q = new double[n][n];
        for (int c = 0; c < n; c++) {
            double[] v = new double[n];
            for (int i = 0; i < n; i++) v[i] = r.nextGaussian();
            for (int p = 0; p < c; p++) {
                double dot = 0;
                for (int i = 0; i < n; i++) dot += v[i] * q[p][i];
                for (int i = 0; i < n; i++) v[i] -= dot * q[p][i];
            }
            double norm = 0;
            for (double x : v) norm += x * x;
            norm = Math.sqrt(norm);
            for (int i = 0; i < n; i++) q[c][i] = v[i] / norm;
        }
        double[] m = new double[n * n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i * n + j] = q[j][i];
        return m;
    }

    record Problem(String name, Network network, List<double[]> data) {}

    /** The amplitude of bits {@code x} after a random circuit on an {@code rows} x {@code cols} grid. */
    static Problem circuit(int rows, int cols, int layers, long seed) {
        Random r = new Random(seed);
        int qubits = rows * cols;
        List<int[]> inputs = new ArrayList<>();
        List<double[]> data = new ArrayList<>();
        int[] wire = new int[qubits];
        int legs = 0;
        for (int q = 0; q < qubits; q++) {
            wire[q] = legs++;
            inputs.add(new int[] {wire[q]});
            data.add(new double[] {1, 0});
        }
        for (int layer = 0; layer < layers; layer++) {
            int pattern = layer % 4;
            for (int x = 0; x < rows; x++) for (int y = 0; y < cols; y++) {
                int a = x * cols + y, b;
                if (pattern < 2) { // horizontal pairs, even then odd columns
                    if (y % 2 != pattern || y + 1 >= cols) continue;
                    b = a + 1;
                } else { // vertical pairs, even then odd rows
                    if (x % 2 != pattern - 2 || x + 1 >= rows) continue;
                    b = a + cols;
                }
                int na = legs++, nb = legs++;
                inputs.add(new int[] {na, nb, wire[a], wire[b]});
                data.add(orthogonal(r, 4));
                wire[a] = na;
                wire[b] = nb;
            }
        }
        for (int q = 0; q < qubits; q++) {
            inputs.add(new int[] {wire[q]});
            data.add(r.nextBoolean() ? new double[] {0, 1} : new double[] {1, 0});
        }
        long[] sizes = new long[legs];
        Arrays.fill(sizes, 2);
        return new Problem(qubits + "-qubit circuit amplitude (" + rows + " x " + cols + ", " + layers + " layers, "
                + (inputs.size() - 2 * qubits) + " gates)", Network.of(inputs, new int[0], sizes), data);
    }

    /** The norm network of a random n x n PEPS with bond chi and physical dimension 2. */
    static Problem pepsNorm(int n, long chi, long seed) {
        Random r = new Random(seed);
        List<Long> sizes = new ArrayList<>();
        int[][] right = new int[n][n], down = new int[n][n], phys = new int[n][n];
        int[][] rightB = new int[n][n], downB = new int[n][n];
        for (int x = 0; x < n; x++) for (int y = 0; y < n; y++) {
            phys[x][y] = sizes.size(); sizes.add(2L);
            if (y + 1 < n) { right[x][y] = sizes.size(); sizes.add(chi); rightB[x][y] = sizes.size(); sizes.add(chi); }
            if (x + 1 < n) { down[x][y] = sizes.size(); sizes.add(chi); downB[x][y] = sizes.size(); sizes.add(chi); }
        }
        List<int[]> inputs = new ArrayList<>();
        List<double[]> data = new ArrayList<>();
        for (int side = 0; side < 2; side++) {
            for (int x = 0; x < n; x++) for (int y = 0; y < n; y++) {
                int[][] rr = side == 0 ? right : rightB, dd = side == 0 ? down : downB;
                List<Integer> legs = new ArrayList<>(List.of(phys[x][y]));
                if (y > 0) legs.add(rr[x][y - 1]);
                if (y + 1 < n) legs.add(rr[x][y]);
                if (x > 0) legs.add(dd[x - 1][y]);
                if (x + 1 < n) legs.add(dd[x][y]);
                inputs.add(legs.stream().mapToInt(Integer::intValue).toArray());
            }
        }
        // Ket and bra share their numbers (the norm of one state).
        List<double[]> ket = new ArrayList<>();
        for (int k = 0; k < n * n; k++) {
            long size = 1;
            for (int l : inputs.get(k)) size *= sizes.get(l);
            double[] d = new double[(int) size];
            for (int i = 0; i < d.length; i++) d[i] = r.nextGaussian() / Math.sqrt(size);
            ket.add(d);
        }
        data.addAll(ket);
        data.addAll(ket);
        return new Problem("PEPS norm " + n + " x " + n + ", bond " + chi, Network.of(inputs, new int[0],
                sizes.stream().mapToLong(Long::longValue).toArray()), data);
    }

    List<Dense> operands(Problem p) {
        List<Dense> out = new ArrayList<>();
        for (int k = 0; k < p.data().size(); k++) {
            int[] in = p.network().inputs().get(k);
            long[] shape = new long[in.length];
            for (int a = 0; a < in.length; a++) shape[a] = p.network().sizes()[in[a]];
            out.add(backend.fromDoubles(p.data().get(k), shape, DType.FLOAT64));
        }
        return out;
    }

    static double median(double[] x) {
        double[] s = x.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    void run(Problem problem, double taskMemoryBytes, double rate) {
        double limit = taskMemoryBytes / 8;
        Planner planner = new Planner();
        long t0 = System.nanoTime();
        Plan memory = planner.plan(problem.network(), "auto", limit);
        double planSeconds = (System.nanoTime() - t0) / 1e9;
        Plan whole = planner.plan(problem.network(), "auto", Double.POSITIVE_INFINITY);
        SparkSlices spark = (SparkSlices) tn.net.Executors.named("spark", "local[2]");
        int executors = spark.parallelism();
        double overhead = Evaluator.TASK_OVERHEAD_SECONDS * rate;
        Plan plan = ExecutorSlicing.choose(memory, executors, limit, overhead);
        System.out.printf(Locale.ROOT, "%n== %s: %d tensors; planned in %.1f s%n", problem.name(), problem.network().inputCount(), planSeconds);
        System.out.printf(Locale.ROOT, "  unsliced: cost %.3g, largest intermediate %.3g elements (%.3g bytes)%n",
                whole.cost(), whole.largestIntermediate(), whole.largestIntermediate() * 8);
        System.out.printf(Locale.ROOT, "  task memory %.3g bytes: %d slices for %d executors, cost %.3g in all (%.3g per slice), largest %.3g elements%n",
                taskMemoryBytes, plan.slices(), executors, plan.cost(), plan.cost() / plan.slices(), plan.largestIntermediate());
        if (Boolean.getBoolean("bench.planOnly")) return;
        List<Dense> ops = operands(problem);
        int reps = 3;
        double[] local = new double[reps], onSpark = new double[reps];
        double a = 0, b = 0;
        for (int k = 0; k < reps; k++) {
            long s = System.nanoTime();
            a = backend.toDoubles(LocalSlices.INSTANCE.run(plan, ops, backend, m -> {}))[0];
            local[k] = (System.nanoTime() - s) / 1e9;
            s = System.nanoTime();
            b = backend.toDoubles(spark.run(plan, ops, backend, m -> {}))[0];
            onSpark[k] = (System.nanoTime() - s) / 1e9;
            assertEquals(a, b, 1e-10 * Math.abs(a), "Spark against one process");
        }
        System.out.printf(Locale.ROOT, "  value %.12g (one process) %.12g (Spark)%n", a, b);
        System.out.printf(Locale.ROOT, "  one process: %s s; local[2] Spark: %s s; median %.2f s against %.2f s: overhead ratio %.2f%n",
                Arrays.toString(round(local)), Arrays.toString(round(onSpark)), median(local), median(onSpark), median(onSpark) / median(local));
        System.out.printf(Locale.ROOT, "  achieved %.3g multiply-adds/s in one process (GEMM rate %.3g)%n", plan.cost() / median(local), rate);
        for (int e : new int[] {8, 64, 512}) {
            Plan p = ExecutorSlicing.choose(memory, e, limit, overhead);
            System.out.printf(Locale.ROOT, "  predicted on %3d executors: %.3g s (%d slices, cost %.3g; at the GEMM rate, plus %.0f ms per task)%n",
                    e, ExecutorSlicing.predictSeconds(p, e, rate, Evaluator.TASK_OVERHEAD_SECONDS), p.slices(), p.cost(),
                    Evaluator.TASK_OVERHEAD_SECONDS * 1e3);
        }
    }

    private static double[] round(double[] x) {
        double[] r = new double[x.length];
        for (int i = 0; i < x.length; i++) r[i] = Math.round(x[i] * 100) / 100.0;
        return r;
    }

    @Test
    void circuitAndPeps() {
        double rate = GemmRate.measure(backend, DType.FLOAT64);
        System.out.printf(Locale.ROOT, "GEMM rate (best of 4 %d x %d float64 products, this process): %.3g multiply-adds/s%n", GemmRate.N, GemmRate.N, rate);
        int layers = Integer.getInteger("bench.layers", 8);
        double circuitMemory = Double.parseDouble(System.getProperty("bench.circuitMemory", "3e5"));
        run(circuit(5, 8, layers, 1), circuitMemory, rate);
        int n = Integer.getInteger("bench.peps", 5);
        long chi = Long.getLong("bench.chi", 3);
        double pepsMemory = Double.parseDouble(System.getProperty("bench.pepsMemory", "3e5"));
        run(pepsNorm(n, chi, 2), pepsMemory, rate);
    }
}
