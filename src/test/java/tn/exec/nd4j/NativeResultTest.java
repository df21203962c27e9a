package tn.exec.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tn.exec.DType;
import tn.exec.Dense;
import tn.plan.Network;
import tn.plan.Plan;

/**
 * Results of contractions on native memory: large ones live in blocks of the {@link BlockPool},
 * which are reused only once nothing holds them (released, or unreachable and collected).
 */
class NativeResultTest {
    private static final int N = 1024; // an N x N float result: 4 MB, above the pool's threshold

    private final Nd4jBackend backend = new Nd4jBackend();
    /** a[i] b[j] -> [i, j]. */
    private final Plan outer = Plan.fromPath(Network.of(List.of(new int[] {0}, new int[] {1}), new int[] {0, 1}, new long[] {N, N}),
            List.of(new int[] {0, 1}), "outer", 0);

    private Dense outer(double scale) {
        double[] a = new double[N], b = new double[N];
        for (int i = 0; i < N; i++) {
            a[i] = scale * (i + 1);
            b[i] = 1.0 / (i + 1);
        }
        return backend.contract(outer, List.of(backend.fromDoubles(a, new long[] {N}, DType.FLOAT32),
                backend.fromDoubles(b, new long[] {N}, DType.FLOAT32)));
    }

    /** Every entry of outer(scale) is (i+1)/(j+1) * scale. */
    private void assertOuter(Dense d, double scale) {
        double[] v = backend.toDoubles(d);
        for (int i = 0; i < N; i += 7) {
            for (int j = 0; j < N; j += 5) {
                double expected = scale * (i + 1) / (j + 1);
                assertEquals(expected, v[i * N + j], 1e-6 * expected, "entry " + i + "," + j);
            }
        }
    }

    /**
     * Other tests in this JVM leave blocks in the cache (and their garbage gives more back when
     * collected): a full cache frees a released block instead of keeping it, so the counts below
     * start from an empty cache with nothing left to collect.
     */
    @org.junit.jupiter.api.BeforeEach
    void emptyCache() throws InterruptedException {
        for (int k = 0; k < 3; k++) {
            System.gc();
            Thread.sleep(20);
        }
        BlockPool.clear();
    }

    @Test
    void aLiveResultKeepsItsMemoryAndAReleasedOneIsReused() {
        NdDense first = (NdDense) outer(2);
        NdDense second = (NdDense) outer(3); // must not land in first's block
        long cachedBefore = BlockPool.cachedBytes();
        assertOuter(first, 2);
        assertOuter(second, 3);
        first.release();
        assertEquals(cachedBefore + 4L * N * N, BlockPool.cachedBytes(), "the released block is cached");
        NdDense third = (NdDense) outer(5); // takes first's block, which still holds first's entries
        assertEquals(cachedBefore, BlockPool.cachedBytes(), "the cached block is taken again");
        assertOuter(third, 5);
        assertOuter(second, 3);
        second.release();
        third.release();
        third.release(); // a second release does nothing
        assertEquals(cachedBefore + 8L * N * N, BlockPool.cachedBytes());
    }

    @Test
    void aResultNobodyHoldsGivesItsBlockBackWhenCollected() throws InterruptedException {
        Dense dropped = outer(1);
        long held = BlockPool.cachedBytes();
        dropped = null;
        for (int k = 0; k < 200 && BlockPool.cachedBytes() == held; k++) {
            System.gc();
            Thread.sleep(25);
        }
        assertEquals(held + 4L * N * N, BlockPool.cachedBytes());
    }

    @Test
    void theCacheNeverHoldsMoreThanItsLimit() {
        long big = BlockPool.MAX_CACHED / 2 + 1;
        var a = BlockPool.take(big);
        var b = BlockPool.take(big);
        long before = BlockPool.cachedBytes();
        BlockPool.give(a);
        BlockPool.give(b); // would pass the limit: freed instead
        assertTrue(BlockPool.cachedBytes() <= BlockPool.MAX_CACHED, BlockPool.cachedBytes() + " bytes cached");
        assertTrue(BlockPool.cachedBytes() <= before + big, "at most one of the two is cached");
        // A small request never takes a block much larger than it (that block stays cached).
        long cached = BlockPool.cachedBytes();
        var small = BlockPool.take(BlockPool.MIN_BYTES);
        assertTrue(small.capacity() < big);
        BlockPool.give(small);
        assertTrue(BlockPool.cachedBytes() >= cached);
    }
}
