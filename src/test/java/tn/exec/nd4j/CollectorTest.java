package tn.exec.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;
import tn.exec.DType;
import tn.exec.Dense;
import tn.plan.Network;
import tn.plan.Plan;

/**
 * Values that become unreachable give their native memory back without waiting for the Java heap
 * to fill: a loop that makes and drops 640 MB of results (and almost no Java garbage) stays within
 * the collector's budget plus the pool's cache, as a loop of forwards must (it grew ~100 MB a
 * forward before).
 */
class CollectorTest {
    private static final int N = 2048; // an N x N float32 result: 16 MB

    @Test
    void droppedResultsAreFreedAsTheLoopGoes() throws InterruptedException {
        Nd4jBackend backend = new Nd4jBackend();
        Plan outer = Plan.fromPath(Network.of(List.of(new int[] {0}, new int[] {1}), new int[] {0, 1}, new long[] {N, N}),
                List.of(new int[] {0, 1}), "outer", 0);
        Dense a = backend.full(new long[] {N}, 2.0, DType.FLOAT32), b = backend.full(new long[] {N}, 3.0, DType.FLOAT32);
        System.gc();
        Thread.sleep(200);
        long before = Pointer.totalBytes();
        long peak = 0;
        for (int k = 0; k < 40; k++) { // 640 MB of results, each dropped at once
            Dense r = backend.contract(outer, List.of(a, b));
            if (k == 0) assertEquals(6.0, backend.toDoubles(r)[N + 1], 0.0);
            peak = Math.max(peak, Pointer.totalBytes() - before);
        }
        long budget = (128L << 20) + BlockPool.MAX_CACHED + (64L << 20); // the budget, the cache, slack
        assertTrue(peak < budget, "native memory held grew to " + (peak >> 20) + " MB while dropping 16 MB results (bound "
                + (budget >> 20) + " MB)");
    }
}
