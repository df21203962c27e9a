package tn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tn.golden.Golden;

/**
 * The options of distributed slicing: `tn plan --slices` shows the slicing chosen for the
 * executors and a predicted time; without Spark in the build, --spark and `set executor = "spark"`
 * say how to build it; options that go with others are refused alone.
 */
class SparkOptionsTest {
    private static boolean sparkBuilt() {
        try {
            tn.net.Executors.named("spark", "local[1]");
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Test
    void planSlicesShowsTheChoiceTheCostPerSliceAndPredictions() {
        Golden.Result r = Golden.run("plan", "--slices", "--executors", "4", "--gemm-rate", "1e10", "examples/24_sliced.tn");
        assertEquals(0, r.exitCode(), r.err());
        String out = r.out();
        assertTrue(out.contains("  for 4 executors:       sliced on "), out);
        assertTrue(out.matches("(?s).*\\((\\d+) slices, \\d+ per executor; each within 8.0 KB: largest intermediate \\d+ elements\\).*"), out);
        assertTrue(out.contains("  cost per slice:        "), out);
        for (String n : new String[] {"4   ", "8   ", "64  ", "512 "}) assertTrue(out.contains("  predicted on " + n), n + "\n" + out);
        assertTrue(out.contains("(a prediction: the slices' cost at 1.00e+10 multiply-adds a second per executor (given with --gemm-rate)"), out);
    }

    @Test
    void slicingOptionsWithoutSlicesAreRefused() {
        Golden.Result r = Golden.run("plan", "--executors", "4", "examples/24_sliced.tn");
        assertEquals(2, r.exitCode());
        assertEquals("error: --executors, --task-memory and --gemm-rate go with --slices\n", r.err());
        Golden.Result run = Golden.run("run", "--task-memory", "1m", "examples/01_basics.tn");
        assertEquals(2, run.exitCode());
        assertEquals("error: --task-memory applies to --spark runs only\n", run.err());
    }

    @Test
    void withoutSparkInTheBuildSparkSaysHowToBuildIt() {
        Assumptions.assumeFalse(sparkBuilt(), "this build has Spark (mvn -Pspark)");
        Golden.Result r = Golden.run("run", "--spark", "local[2]", "examples/01_basics.tn");
        assertEquals(1, r.exitCode());
        assertEquals("error: --spark: the \"spark\" executor is not in this build: tn was built without Spark: build it with "
                + "`mvn -Pspark -DskipTests package` in tn's folder (the ./tn launcher does this itself when given --spark or TN_SPARK=1)\n", r.err());
        assertEquals("", r.out());
    }
}
