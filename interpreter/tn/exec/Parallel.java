package tn.exec;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The threads that share tn's large pieces of work: the parts of a matrix product (OpenBLAS runs
 * on one thread, tn cuts each large product itself), and the chunks of reductions and elementwise
 * functions. The calling thread takes chunks beside one helper per further processor.
 *
 * <p>Why tn's own threads: on this kind of machine (a VM whose system calls are slow) a thread
 * woken from a wait through the kernel wakes late. OpenBLAS's own workers, which wait with
 * {@code sched_yield}, added almost nothing to the products of a GPT-2 forward (64 x 768 x 768
 * ran at one thread's rate, ~80 GFLOP/s, where the same product in a loop ran at 125-166), and
 * the fork-join pool's worker parks. A helper here waits by spinning ({@link Thread#onSpinWait})
 * for {@link #SPIN_NANOS} after its last chunk, so the next product or softmax of a forward finds
 * it awake; then it parks, so an idle session does not hold a processor.
 *
 * <p>Chunks are taken one at a time by whichever thread comes first, so a helper that wakes late
 * leaves its chunks to the caller rather than making it wait. One caller at a time uses the
 * helpers: a caller that finds them in use (another thread's work, or a chunk that itself asks
 * for threads) runs its chunks itself, in order. Which thread runs a chunk never changes a
 * result: callers cut work by its shape (and a product by {@link #THREADS}), never by which
 * thread is free, so the same work gives the same bits on every run.
 */
public final class Parallel {
    /**
     * Threads that take chunks: the caller and one helper per further processor, at most 16, and
     * at most OMP_NUM_THREADS when that is set to a positive number (the count numpy's and
     * torch's libraries and ND4J's own operations take from it).
     */
    public static final int THREADS = threads(System.getenv("OMP_NUM_THREADS"), Runtime.getRuntime().availableProcessors());
    /**
     * How long a helper spins for its next chunk before it parks: longer than the work between
     * two products of a forward (a layer norm, a softmax), short enough that an idle session gives
     * the processor back at once as far as a person can tell.
     */
    static final long SPIN_NANOS = 2_000_000;

    /** The thread whose work the helpers take, or null. */
    private static final AtomicReference<Thread> OWNER = new AtomicReference<>();
    private static final Helper[] HELPERS = new Helper[THREADS - 1];

    static {
        for (int h = 0; h < HELPERS.length; h++) {
            HELPERS[h] = new Helper(h + 1);
            HELPERS[h].start();
        }
    }

    private Parallel() {}

    /** The number of threads for {@code processors} processors and the value of OMP_NUM_THREADS (null when unset). */
    static int threads(String omp, int processors) {
        int n = Math.max(1, Math.min(16, processors));
        if (omp == null) return n;
        try {
            int limit = Integer.parseInt(omp.trim());
            return limit > 0 ? Math.min(n, limit) : n;
        } catch (NumberFormatException e) {
            return n; // OpenMP's own lists ("4,2") and nonsense: the processors decide
        }
    }

    /**
     * Runs {@code chunk.accept(c)} for every c in [0, chunks) and returns when all are done, on the
     * calling thread and the helpers together. The first failure of any chunk is thrown once all
     * have ended; the chunks not started by then are skipped.
     */
    public static void run(int chunks, IntConsumer chunk) {
        if (chunks <= 1 || HELPERS.length == 0 || OWNER.get() == Thread.currentThread() || !OWNER.compareAndSet(null, Thread.currentThread())) {
            for (int c = 0; c < chunks; c++) chunk.accept(c);
            return;
        }
        try {
            Task task = new Task(chunks, chunk);
            for (int h = 0; h < Math.min(HELPERS.length, chunks - 1); h++) HELPERS[h].post(task);
            task.work();
            while (task.finished.get() < chunks) Thread.onSpinWait();
            Throwable failure = task.failure.get();
            if (failure instanceof RuntimeException r) throw r;
            if (failure instanceof Error e) throw e;
        } finally {
            OWNER.set(null);
        }
    }

    /**
     * Runs {@code work} with the helpers held, so that nothing of tn's runs beside it on the other
     * processors (LAPACK's factorizations, which thread inside OpenBLAS); directly when this
     * thread holds them already.
     */
    public static <T> T exclusive(java.util.function.Supplier<T> work) {
        Thread me = Thread.currentThread();
        if (OWNER.get() == me) return work.get();
        while (!OWNER.compareAndSet(null, me)) LockSupport.parkNanos(50_000); // another thread's chunks: a fraction of a millisecond
        try {
            return work.get();
        } finally {
            OWNER.set(null);
        }
    }

    /** One piece of work's chunks, taken one at a time by whichever thread comes first. */
    private static final class Task {
        final int chunks;
        final IntConsumer chunk;
        final AtomicInteger next = new AtomicInteger(), finished = new AtomicInteger();
        final AtomicReference<Throwable> failure = new AtomicReference<>();

        Task(int chunks, IntConsumer chunk) {
            this.chunks = chunks;
            this.chunk = chunk;
        }

        /** Takes and runs chunks until none is left. */
        void work() {
            for (int c; (c = next.getAndIncrement()) < chunks; finished.incrementAndGet()) {
                try {
                    if (failure.get() == null) chunk.accept(c);
                } catch (RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                }
            }
        }
    }

    /** A helper thread: takes chunks of each posted piece of work. */
    private static final class Helper extends Thread {
        /** The latest work, written before {@link #posted} is raised. */
        private Task task;
        private volatile long posted;
        private volatile boolean parked;

        Helper(int index) {
            super("tn-worker-" + index);
            setDaemon(true);
        }

        /** Hands over work (only the owner posts). */
        void post(Task t) {
            task = t;
            posted = posted + 1;
            if (parked) LockSupport.unpark(this);
        }

        @Override
        public void run() {
            long seen = 0;
            while (true) {
                long since = System.nanoTime();
                while (posted == seen) {
                    if (System.nanoTime() - since < SPIN_NANOS) {
                        Thread.onSpinWait();
                        continue;
                    }
                    parked = true;
                    if (posted == seen) LockSupport.park(this); // post() unparks when it sees parked
                    parked = false;
                    since = System.nanoTime();
                }
                seen = posted;
                task.work(); // the latest work: one that ended before this helper woke is skipped
            }
        }
    }
}
