package tn.exec.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import tn.exec.Backend;
import tn.exec.DType;
import tn.exec.Dense;

/**
 * Arrays made from computed entries straight into native memory, in chunks on several threads:
 * every entry lands at its place in both dtypes, whatever the size, and an interrupt stops the
 * work within a chunk or two.
 */
class NativeFillTest {
    private final Nd4jBackend backend = new Nd4jBackend();

    /** Entry k is k * 0.5 + 1 (exact in float32 for these sizes). */
    private static final Backend.Entries LINEAR = (from, out, n) -> {
        for (int i = 0; i < n; i++) out[i] = (from + i) * 0.5 + 1;
    };

    @Test
    void everyEntryLandsAtItsPlace() {
        for (long[] shape : new long[][] {{}, {1}, {7}, {3, 5}, {NativeFill.CHUNK}, {NativeFill.CHUNK + 1},
                {3, NativeFill.CHUNK + 7}, {2, 3, 40_000}}) {
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) { // the ND4J backend's own (real) types
                Dense d = backend.generate(shape, dtype, LINEAR);
                assertArrayEquals(shape, d.shape());
                assertEquals(dtype, d.dtype());
                double[] got = backend.toDoubles(d);
                long n = 1;
                for (long s : shape) n *= s;
                assertEquals(n, got.length);
                for (int k = 0; k < got.length; k++) {
                    if (got[k] != k * 0.5 + 1) throw new AssertionError(java.util.Arrays.toString(shape) + " " + dtype + ": entry " + k + " is " + got[k]);
                }
            }
        }
    }

    @Test
    void float32EntriesAreRoundedOnce() {
        Dense d = backend.generate(new long[] {3 * NativeFill.CHUNK}, DType.FLOAT32, (from, out, n) -> {
            for (int i = 0; i < n; i++) out[i] = Math.sqrt(from + i + 0.1);
        });
        double[] got = backend.toDoubles(d);
        for (int k = 0; k < got.length; k++) assertEquals((float) Math.sqrt(k + 0.1), (float) got[k]);
    }

    @Test
    void aFailureInAChunkReachesTheCaller() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> backend.generate(new long[] {10 * NativeFill.CHUNK},
                DType.FLOAT32, (from, out, n) -> {
                    if (from >= 5L * NativeFill.CHUNK) throw new IllegalStateException("chunk at " + from);
                }));
        assertTrue(e.getMessage().startsWith("chunk at "));
    }

    @Test
    void anInterruptStopsTheFillWithinAFewChunks() throws Exception {
        int chunks = 2000; // two seconds of chunks at a millisecond each
        CountDownLatch started = new CountDownLatch(1);
        AtomicInteger computed = new AtomicInteger();
        Backend.Entries slow = (from, out, n) -> {
            started.countDown();
            computed.incrementAndGet();
            long until = System.nanoTime() + 1_000_000;
            while (System.nanoTime() < until) Thread.onSpinWait();
        };
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                backend.generate(new long[] {(long) chunks * NativeFill.CHUNK}, DType.FLOAT32, slow);
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        worker.start();
        started.await();
        long interrupted = System.nanoTime();
        worker.interrupt();
        worker.join(10_000);
        double seconds = (System.nanoTime() - interrupted) / 1e9;
        assertTrue(outcome.get() instanceof CancellationException, "cancelled, not " + outcome.get());
        assertTrue(seconds < 1.0, "stopped " + seconds + " s after the interrupt");
        assertTrue(computed.get() < chunks / 2, computed.get() + " of " + chunks + " chunks computed");
    }
}
