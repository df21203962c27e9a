package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.exec.DType;
import tn.io.Entries;
import tn.io.Npy;

/**
 * show/print and save read a tensor in bounded chunks, never all of it at once: every read asks
 * for at most 65,536 entries, and the results equal those made from a whole array.
 */
class BoundedCopiesTest {
    @TempDir Path dir;

    private static final int N = 300_007; // not a multiple of the chunk

    private static double[] values() {
        double[] d = new double[N];
        for (int i = 0; i < N; i++) d[i] = Math.sin(i) * (i % 1000 == 0 ? 1e7 : 1);
        return d;
    }

    /** The entries of {@code data}, recording the largest run asked for. */
    private static Entries counting(double[] data, AtomicInteger largest) {
        return (from, into, count) -> {
            largest.accumulateAndGet(count, Math::max);
            System.arraycopy(data, (int) from, into, 0, count);
        };
    }

    @Test
    void thePreviewReadsInChunks() {
        double[] data = values();
        AtomicInteger largest = new AtomicInteger();
        double[] cut = java.util.Arrays.copyOf(data, 7 * (N / 7));
        String streamed = Printer.preview(counting(cut, largest), new long[] {7, N / 7, 1});
        assertTrue(largest.get() <= 1 << 16, "a read of " + largest.get() + " entries");
        assertEquals(Printer.preview(cut, new long[] {7, N / 7, 1}), streamed);
        // Scientific because of 1e7 at entry 1000, which is not shown: the format came from every entry.
        assertTrue(streamed.startsWith("[[[ 0.0000e+00],"), streamed);
    }

    @Test
    void saveReadsInChunks() throws Exception {
        double[] data = values();
        AtomicInteger largest = new AtomicInteger();
        Path file = dir.resolve("x.npy");
        Npy.write(file, new long[] {N}, counting(data, largest), DType.FLOAT32);
        assertTrue(largest.get() <= 1 << 16, "a read of " + largest.get() + " entries");
        org.junit.jupiter.api.Assertions.assertArrayEquals(Npy.toBytes(new long[] {N}, data, DType.FLOAT32), Files.readAllBytes(file));
    }
}
