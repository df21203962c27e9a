package tn.exec.nd4j;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Asks for a garbage collection after every {@link #BUDGET} bytes of native memory handed to new
 * values. A value's native memory goes back (to the {@link BlockPool} or to malloc) when the value
 * becomes unreachable, which the JVM notices only at a collection; but its heap is small next to
 * the arrays it points to, so collections are rare and unreachable arrays piled up. Ten forwards of
 * GPT-2 small (64 tokens) peaked at 1.5-2.2 GB resident, growing with each forward, where Hugging
 * Face stays at 0.95 GB; one forward is 0.92 GB for both.
 *
 * <p>Values freed at once ({@link NdDense#release}: the evaluator's intermediates once their last
 * consumer has run) are taken off the count, so only memory left to the collector asks for it.
 *
 * <p>The collection is asked for by a thread of its own, never by the thread that allocates: with
 * the launcher's -XX:+ExplicitGCInvokesConcurrent, {@link System#gc} returns only when the whole
 * concurrent cycle has ended, 20 ms on this 2-core machine, and GPT-2's forwards spent 2.2 s in it
 * over 92 forwards, about a tenth of their time. A request made while one is running is dropped.
 */
final class Collector {
    /** New value memory between two requested collections. */
    static final long BUDGET = 128L << 20;
    private static final AtomicLong since = new AtomicLong();
    /** Requests not yet taken by the collecting thread (at most one is kept). */
    private static final java.util.concurrent.Semaphore wanted = new java.util.concurrent.Semaphore(0);

    static {
        Thread t = new Thread(Collector::collectWhenAsked, "tn-collector");
        t.setDaemon(true);
        t.start();
    }

    private Collector() {}

    /** Notes {@code bytes} of native memory given to a new value; asks for a collection when the budget is spent. */
    static void allocated(long bytes) {
        if (since.addAndGet(bytes) > BUDGET) {
            since.set(0);
            if (wanted.availablePermits() == 0) wanted.release();
        }
    }

    /**
     * Notes {@code bytes} of value memory given back at once ({@link NdDense#release}): memory
     * that needs no collection to come back does not count towards the next one.
     */
    static void freed(long bytes) {
        since.getAndUpdate(v -> Math.max(0, v - bytes));
    }

    private static void collectWhenAsked() {
        while (true) {
            wanted.acquireUninterruptibly();
            wanted.drainPermits();
            System.gc();
        }
    }
}
