package tn.exec.nd4j;

import java.nio.Buffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import tn.exec.Backend;
import tn.exec.DType;

/**
 * Makes a new array in native memory from computed entries ({@link Backend#generate}): the
 * entries are computed in chunks of {@link #CHUNK} into a small buffer per thread and written
 * into the array in its dtype, so a float32 array never exists as doubles as a whole. The
 * calling thread and up to one helper thread per further processor take chunks in turn (a
 * random tensor of 10^8 entries takes seconds on one core).
 *
 * <p>Cancellation: the calling thread checks its interrupt flag after every chunk (well under a
 * millisecond of work); when it is set, the helpers stop after their current chunk, the memory
 * is given back and a {@link CancellationException} is thrown. Helpers are daemon threads that
 * wait for work between arrays.
 */
final class NativeFill {
    /** Entries per chunk: 256 KB of doubles, a fraction of a millisecond of random numbers. */
    static final int CHUNK = 1 << 15;
    static final int HELPERS = Math.max(0, Runtime.getRuntime().availableProcessors() - 1);
    static final ExecutorService POOL = HELPERS == 0 ? null : Executors.newFixedThreadPool(HELPERS, r -> {
        Thread t = new Thread(r, "tn-fill");
        t.setDaemon(true);
        return t;
    });

    private final Backend.Entries entries;
    private final Buffer target;
    private final boolean f64;
    private final long n;
    private final long chunks;
    private final AtomicLong next = new AtomicLong();
    /** Threads between deciding to take a chunk and finishing it: the memory is in use while this is above 0. */
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final boolean cancellable;
    private volatile boolean stopped;

    private NativeFill(Backend.Entries entries, Buffer target, boolean f64, long n, boolean cancellable) {
        this.entries = entries;
        this.cancellable = cancellable;
        this.target = target;
        this.f64 = f64;
        this.n = n;
        this.chunks = (n + CHUNK - 1) / CHUNK;
    }

    /**
     * A new C-ordered array of the shape ({@code n} entries, at least one) with the computed
     * entries; {@code cancellable}: whether an interrupt of the calling thread stops it.
     */
    static NdDense make(long[] shape, long n, DType dtype, Backend.Entries entries, boolean cancellable) {
        boolean f64 = dtype == DType.FLOAT64;
        NdDense result = NdDense.allocate(shape, n, dtype);
        Pointer data = result.data();
        try {
            new NativeFill(entries, NdDense.view(data), f64, n, cancellable).run();
        } catch (RuntimeException | Error e) {
            result.release();
            throw e;
        }
        return result;
    }

    private void run() {
        if (POOL != null && chunks > 1) {
            for (int k = 0; k < Math.min(HELPERS, chunks - 1); k++) POOL.execute(this::help);
        }
        Scratch scratch = Scratch.take();
        try {
            while (!stopped) {
                if (cancellable && Thread.currentThread().isInterrupted()) {
                    stopped = true;
                    break;
                }
                if (!takeChunk(scratch)) break;
            }
        } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
            stopped = true;
        } finally {
            Scratch.give(scratch);
        }
        // Wait for the helpers' chunks in progress: the memory must not be freed under them.
        while (busy.get() > 0) LockSupport.parkNanos(20_000);
        Throwable t = failure.get();
        if (t instanceof RuntimeException r) throw r;
        if (t instanceof Error e) throw e;
        if (stopped) throw new CancellationException("interrupted");
    }

    /** A helper thread's work: chunks until none are left or the fill is stopped. */
    private void help() {
        Scratch scratch = Scratch.take();
        try {
            while (!stopped && takeChunk(scratch)) {
                // next chunk
            }
        } catch (RuntimeException | Error e) {
            failure.compareAndSet(null, e);
            stopped = true;
        } finally {
            Scratch.give(scratch);
        }
    }

    /** Computes and writes the next chunk; false when there is none left. */
    private boolean takeChunk(Scratch s) {
        busy.incrementAndGet();
        try {
            if (stopped) return false;
            long c = next.getAndIncrement();
            if (c >= chunks) return false;
            long from = c * CHUNK;
            int len = (int) Math.min(CHUNK, n - from);
            entries.compute(from, s.values, len);
            if (f64) {
                ((DoubleBuffer) target).put((int) from, s.values, 0, len);
            } else {
                for (int i = 0; i < len; i++) s.floats[i] = (float) s.values[i];
                ((FloatBuffer) target).put((int) from, s.floats, 0, len);
            }
            return true;
        } finally {
            busy.decrementAndGet();
        }
    }

    /**
     * One thread's chunk buffers, kept by each thread for its next fill: a full chunk's are 384 KB
     * to allocate and zero, which made a one-hot vector of 12 entries cost as much as a small GEMM
     * when they were allocated per fill, and allocating them per fill was 30% of what a GPT-2
     * forward allocated on the Java heap (the collections it caused grew the heap to ~0.6 GB).
     * A fill that starts inside another on the same thread (none does today) gets its own.
     */
    private static final class Scratch {
        private static final ThreadLocal<Scratch> SPARE = new ThreadLocal<>();
        final double[] values = new double[CHUNK];
        final float[] floats = new float[CHUNK];

        static Scratch take() {
            Scratch s = SPARE.get();
            SPARE.set(null);
            return s != null ? s : new Scratch();
        }

        static void give(Scratch s) {
            SPARE.set(s);
        }
    }
}
