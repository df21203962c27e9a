package tn.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tn.exec.Backend;
import tn.exec.DType;
import tn.exec.Dense;
import tn.exec.nd4j.Nd4jBackend;
import tn.golden.Golden;
import tn.net.Executors;
import tn.net.SliceExecutor;
import tn.plan.Network;
import tn.plan.Plan;
import tn.plan.Planner;

/**
 * The Spark executor in local mode (two threads, three attempts per task): sliced contractions of
 * random networks against two oracles (the same network contracted unsliced, and a plain loop over
 * every index written here), a task that dies on its first attempt, a slice that fails for tn's
 * reasons, and a sliced example run through `tn run --spark`.
 */
class SparkSlicesTest {
    static final String MASTER = "local[2,3]";
    private final Backend backend = new Nd4jBackend();

    @AfterAll
    static void stop() {
        SparkSlices.stopContext();
    }

    private static SparkSlices spark() {
        return (SparkSlices) Executors.named("spark", MASTER);
    }

    /** A random connected network of 5-7 tensors, legs of size 2 or 3, zero to two output legs. */
    static Network randomNetwork(Random r) {
        int tensors = 5 + r.nextInt(3);
        List<List<Integer>> legsOf = new ArrayList<>();
        for (int t = 0; t < tensors; t++) legsOf.add(new ArrayList<>());
        List<Long> sizes = new ArrayList<>();
        // A ring (connected), then a few chords.
        for (int t = 0; t < tensors; t++) {
            int leg = sizes.size();
            sizes.add(2L + r.nextInt(2));
            legsOf.get(t).add(leg);
            legsOf.get((t + 1) % tensors).add(leg);
        }
        for (int c = 0; c < 3; c++) {
            int a = r.nextInt(tensors), b = r.nextInt(tensors);
            if (a == b) continue;
            int leg = sizes.size();
            sizes.add(2L + r.nextInt(2));
            legsOf.get(a).add(leg);
            legsOf.get(b).add(leg);
        }
        int outputs = r.nextInt(3);
        int[] output = new int[outputs];
        for (int o = 0; o < outputs; o++) {
            int leg = sizes.size();
            sizes.add(2L + r.nextInt(2));
            legsOf.get(r.nextInt(tensors)).add(leg);
            output[o] = leg;
        }
        List<int[]> inputs = new ArrayList<>();
        for (List<Integer> l : legsOf) inputs.add(l.stream().mapToInt(Integer::intValue).toArray());
        return Network.of(inputs, output, sizes.stream().mapToLong(Long::longValue).toArray());
    }

    static double[] randomData(Random r, long n) {
        double[] d = new double[(int) n];
        for (int i = 0; i < d.length; i++) d[i] = r.nextGaussian();
        return d;
    }

    /** The oracle: one loop over every value of every leg, multiplying the entries (row-major). */
    static double[] naive(Network n, List<double[]> data) {
        long[] sizes = n.sizes();
        int legs = sizes.length;
        long outSize = 1;
        for (int l : n.output()) outSize *= sizes[l];
        double[] out = new double[(int) outSize];
        int[] v = new int[legs];
        while (true) {
            double p = 1;
            for (int k = 0; k < n.inputCount(); k++) {
                int[] in = n.inputs().get(k);
                long at = 0;
                for (int l : in) at = at * sizes[l] + v[l];
                p *= data.get(k)[(int) at];
            }
            long o = 0;
            for (int l : n.output()) o = o * sizes[l] + v[l];
            out[(int) o] += p;
            int j = legs - 1;
            while (j >= 0 && ++v[j] == sizes[j]) v[j--] = 0;
            if (j < 0) return out;
        }
    }

    record Case(Plan plan, List<Dense> operands, double[] unsliced, double[] naive) {}

    /** A random network, sliced by the planner under a quarter of its largest intermediate. */
    Case slicedCase(long seed) {
        Random r = new Random(seed);
        Planner planner = new Planner();
        while (true) {
            Network n = randomNetwork(r);
            Plan whole = planner.plan(n, "greedy", Double.POSITIVE_INFINITY);
            Plan plan = planner.plan(n, "greedy", Math.max(1, whole.largestIntermediate() / 4));
            if (plan.slicedLegs().length == 0 || plan.slices() < 4) continue;
            List<double[]> data = new ArrayList<>();
            List<Dense> operands = new ArrayList<>();
            for (int[] in : n.inputs()) {
                long[] shape = new long[in.length];
                long size = 1;
                for (int k = 0; k < in.length; k++) size *= shape[k] = n.sizes()[in[k]];
                double[] d = randomData(r, size);
                data.add(d);
                operands.add(backend.fromDoubles(d, shape, DType.FLOAT64));
            }
            double[] unsliced = backend.toDoubles(backend.contract(Plan.fromPath(n, plan.path(), "greedy", 0), operands));
            return new Case(plan, operands, unsliced, naive(n, data));
        }
    }

    static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 0;
        for (double e : expected) scale = Math.max(scale, Math.abs(e));
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-12 * Math.max(1, scale), what + " at " + i);
        }
    }

    @Test
    void slicedRandomNetworksEqualTheUnslicedContractionAndALoop() {
        SparkSlices spark = spark();
        for (long seed = 1; seed <= 6; seed++) {
            Case c = slicedCase(seed);
            double[] got = backend.toDoubles(spark.run(c.plan(), c.operands(), backend, m -> {}));
            assertClose(c.naive(), c.unsliced(), "seed " + seed + ": unsliced against the loop");
            assertClose(c.naive(), got, "seed " + seed + ": " + c.plan().slices() + " slices on Spark against the loop");
            assertClose(c.unsliced(), got, "seed " + seed + ": Spark against unsliced");
        }
    }

    /** Attempts that were killed; static: in local mode the tasks run in this JVM. */
    static final AtomicInteger KILLED = new AtomicInteger();

    @Test
    void aTaskKilledOnItsFirstAttemptIsRunAgainAndTheResultIsUnchanged() {
        Case c = slicedCase(11);
        SparkSlices spark = spark();
        KILLED.set(0);
        spark.setHook(slice -> {
            if (slice == 2 && TaskContext.get().attemptNumber() == 0) {
                KILLED.incrementAndGet();
                throw new IllegalStateException("executor lost (simulated)");
            }
        });
        double[] got = backend.toDoubles(spark.run(c.plan(), c.operands(), backend, m -> {}));
        assertEquals(1, KILLED.get(), "the first attempt of slice 3 was killed once");
        assertClose(c.naive(), got, "after a retry");
    }

    @Test
    void aSliceThatFailsForTnsReasonsStopsTheRunWithItsMessage() {
        Case c = slicedCase(12);
        SparkSlices spark = spark();
        spark.setTaskMemoryBytes(8);
        SliceExecutor.Failed e = assertThrows(SliceExecutor.Failed.class, () -> spark.run(c.plan(), c.operands(), backend, m -> {}));
        assertTrue(e.getMessage().matches("slice \\d+ of " + c.plan().slices() + " needs an intermediate of .*over the memory of a Spark task \\(8 B\\); "
                + "give a smaller --task-memory.*"), e.getMessage());
    }

    @Test
    void theSlicedExampleRunsUnderLocalSparkAndPrintsItsGolden() throws Exception {
        Path script = Path.of("examples/24_sliced.tn");
        Golden.Result r = Golden.run("run", "--spark", MASTER, script.toString());
        // Progress lines appear when the run takes over two seconds (Spark starting on a busy machine).
        assertEquals("", r.err().replaceAll("(?m)^tn: slice \\d+ of 27 on Spark .*\n", ""), "standard error");
        assertEquals(0, r.exitCode());
        Golden.compare(Golden.sibling(script, ".out"), r.out());
    }
}
