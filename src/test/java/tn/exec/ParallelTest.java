package tn.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/** {@link Parallel}: every chunk once, failures passed on, nested and concurrent callers, idle helpers. */
class ParallelTest {
    @Test
    void everyChunkRunsExactlyOnce() {
        for (int chunks : new int[] {0, 1, 2, 3, 17, 1000}) {
            for (int round = 0; round < 50; round++) {
                AtomicIntegerArray ran = new AtomicIntegerArray(Math.max(chunks, 1));
                Parallel.run(chunks, c -> ran.incrementAndGet(c));
                for (int c = 0; c < chunks; c++) assertEquals(1, ran.get(c), "chunk " + c + " of " + chunks);
            }
        }
    }

    @Test
    void aFailureIsThrownAfterEveryStartedChunkEnded() {
        AtomicInteger running = new AtomicInteger();
        IllegalStateException thrown = new IllegalStateException("chunk 3");
        IllegalStateException got = assertThrows(IllegalStateException.class, () -> Parallel.run(8, c -> {
            running.incrementAndGet();
            try {
                if (c == 3) throw thrown;
                busy(200_000);
            } finally {
                running.decrementAndGet();
            }
        }));
        assertSame(thrown, got);
        assertEquals(0, running.get(), "no chunk still running when run() returns");
        // The helpers are usable afterwards.
        AtomicInteger count = new AtomicInteger();
        Parallel.run(10, c -> count.incrementAndGet());
        assertEquals(10, count.get());
    }

    @Test
    void aChunkThatAsksForThreadsRunsItsOwnChunksItself() {
        AtomicInteger inner = new AtomicInteger();
        Parallel.run(4, c -> Parallel.run(5, d -> inner.incrementAndGet()));
        assertEquals(20, inner.get());
    }

    @Test
    void callersOnSeveralThreadsEachGetAllTheirChunks() throws Exception {
        int callers = 4;
        AtomicInteger[] counts = new AtomicInteger[callers];
        Thread[] threads = new Thread[callers];
        CountDownLatch start = new CountDownLatch(1);
        for (int t = 0; t < callers; t++) {
            AtomicInteger count = counts[t] = new AtomicInteger();
            threads[t] = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int r = 0; r < 200; r++) Parallel.run(7, c -> {
                    count.incrementAndGet();
                    busy(2_000);
                });
            });
            threads[t].start();
        }
        start.countDown();
        for (Thread t : threads) t.join();
        for (int t = 0; t < callers; t++) assertEquals(200 * 7, counts[t].get(), "caller " + t);
    }

    @Test
    void exclusiveWorkRunsWithTheHelpersHeld() throws Exception {
        AtomicInteger during = new AtomicInteger(-1);
        String value = Parallel.exclusive(() -> {
            // A run() from inside runs on this thread alone: every chunk sees this thread.
            Thread me = Thread.currentThread();
            AtomicInteger others = new AtomicInteger();
            Parallel.run(16, c -> {
                if (Thread.currentThread() != me) others.incrementAndGet();
            });
            during.set(others.get());
            return "done";
        });
        assertEquals("done", value);
        assertEquals(0, during.get());
    }

    @Test
    void idleHelpersPark() throws Exception {
        Parallel.run(4, c -> busy(1_000));
        Thread.sleep(50 + Parallel.SPIN_NANOS / 1_000_000 * 5);
        boolean anyHelper = false;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (!t.getName().startsWith("tn-worker-")) continue;
            anyHelper = true;
            assertEquals(Thread.State.WAITING, t.getState(), t.getName() + " still spinning after " + Parallel.SPIN_NANOS / 1e6 + " ms idle");
        }
        assertTrue(anyHelper || Parallel.THREADS == 1, "helpers exist on a machine with several processors");
    }

    private static void busy(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) Thread.onSpinWait();
    }

    @Test
    void ompNumThreadsCapsTheThreads() {
        assertEquals(2, Parallel.threads(null, 2));
        assertEquals(1, Parallel.threads("1", 2));
        assertEquals(2, Parallel.threads("8", 2), "never more than the processors");
        assertEquals(4, Parallel.threads(" 4 ", 8));
        assertEquals(8, Parallel.threads("0", 8));
        assertEquals(8, Parallel.threads("4,2", 8));
        assertEquals(16, Parallel.threads(null, 64));
        assertEquals(1, Parallel.threads(null, 0));
    }
}
