package tn.exec.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import tn.exec.DType;
import tn.exec.Dense;

/**
 * {@link NdDense#release} gives memory back only when the value holds it alone: never under a
 * view (a shared slice, a one-hot mark, a strided view, an ND4J array), never memory the value only
 * reads (a file's mapping, another value's slice); a released value refuses to be read; and
 * under the test suite's tn.poison the freed memory reads as NaNs, so a buffer kept past the
 * release cannot pass for numbers.
 */
class ReleaseTest {
    private final Nd4jBackend backend = new Nd4jBackend();

    private static NdDense filled(long n, float value) {
        NdDense x = NdDense.allocate(new long[] {n}, n, DType.FLOAT32);
        FloatBuffer b = (FloatBuffer) x.ownBuffer(DataType.FLOAT);
        for (int i = 0; i < n; i++) b.put(i, value);
        return x;
    }

    @Test
    void aReleasedValueRefusesToBeRead() {
        NdDense x = filled(16, 2f);
        backend.release(x);
        assertThrows(IllegalStateException.class, () -> backend.toDoubles(x));
        backend.release(x); // twice: nothing more happens
    }

    @Test
    void aValueWithAViewKeepsItsMemory() {
        NdDense x = filled(16, 3f);
        Dense slice = backend.take(backend.reshape(x, new long[] {4, 4}), 0, 1);
        backend.release(x); // the slice shares x's memory: nothing is freed
        assertArrayEquals(new double[] {3, 3, 3, 3}, backend.toDoubles(slice));
        assertEquals(48.0, sum(backend.toDoubles(x)));

        NdDense y = filled(16, 5f);
        Dense view = backend.strided(y, 1, new long[] {3}, new long[] {4});
        backend.release(y);
        assertArrayEquals(new double[] {5, 5, 5}, backend.toDoubles(view));

        NdDense z = filled(16, 7f);
        z.array(); // ND4J may have made views of it that tn cannot see
        backend.release(z);
        assertEquals(7.0 * 16, sum(backend.toDoubles(z)));
    }

    @Test
    void aViewGivesNothingBack() {
        NdDense x = filled(16, 4f);
        Dense slice = backend.take(backend.reshape(x, new long[] {4, 4}), 0, 2);
        backend.release(slice); // the memory is x's
        assertEquals(64.0, sum(backend.toDoubles(x)));
        NdDense hot = ((NdOneHot) backend.oneHot(new int[] {1, 0}, 3, DType.FLOAT32)).entries(); // written out: marked one-hot
        backend.release(hot);
        assertArrayEquals(new double[] {0, 1, 0, 1, 0, 0}, backend.toDoubles(hot));
    }

    @Test
    void freedMemoryIsPoisonedUnderTheTestSuite() {
        assertTrue(NdDense.POISON, "the suite runs with -Dtn.poison=true (pom.xml)");
        long n = (2L << 20) / Float.BYTES; // a pooled block: still mapped after its release
        NdDense x = filled(n, 1f);
        FloatBuffer kept = (FloatBuffer) x.ownBuffer(DataType.FLOAT);
        backend.release(x);
        assertTrue(Float.isNaN(kept.get(0)) && Float.isNaN(kept.get((int) n - 1)), "a buffer kept past the release reads " + kept.get(0));
        BlockPool.clear();
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double d : v) s += d;
        return s;
    }
}
