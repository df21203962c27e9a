package tn.exec.nd4j;

import java.lang.ref.Cleaner;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

/**
 * Large native blocks kept for reuse once the values (or temporaries) that held them are gone.
 * A contraction's result is new memory, and new memory pays for its first touch (page faults
 * and zeroing by the kernel). malloc gives blocks of 32 MB and more straight back to the system,
 * so every such result would pay it again; blocks from here are already mapped (the transformer
 * circuits of the benchmarks, 64 MB results, went from 22-32 ms to 20-25 ms a contraction). Blocks below {@link #MIN_BYTES} stay with malloc, which keeps those mapped
 * itself.
 *
 * <p>A block is in one place at a time: handed out (to one value or temporary) or cached here.
 * Values give theirs back when released or, through a {@link Cleaner}, when they become
 * unreachable; at most {@link #MAX_CACHED} bytes are cached, anything beyond is freed at once.
 * Blocks are allocated through JavaCPP, so they count against its native memory limit (which
 * asks the garbage collector to find unreachable values when memory runs short).
 */
final class BlockPool {
    /** Blocks at least this large go through the pool. */
    static final long MIN_BYTES = 1L << 20;
    /** At most this many bytes are kept cached. */
    static final long MAX_CACHED = 256L << 20;

    private static final Cleaner CLEANER = Cleaner.create();
    /** Cached blocks by size in bytes. */
    private static final TreeMap<Long, ArrayDeque<BytePointer>> cache = new TreeMap<>();
    private static long cached;

    private BlockPool() {}

    /**
     * A block of at least {@code bytes} bytes, contents undefined: a cached one at most a quarter
     * larger (so a small request does not pin a much larger block), else a new one.
     */
    static synchronized BytePointer take(long bytes) {
        Map.Entry<Long, ArrayDeque<BytePointer>> e = cache.ceilingEntry(bytes);
        if (e != null && e.getKey() <= bytes + bytes / 4) {
            BytePointer b = e.getValue().pop();
            if (e.getValue().isEmpty()) cache.remove(e.getKey());
            cached -= b.capacity();
            return b;
        }
        BytePointer b = new BytePointer(bytes);
        if (b.isNull()) throw new OutOfMemoryError("native memory: cannot allocate " + bytes + " bytes");
        return b;
    }

    /** Takes back a block from {@link #take} that nothing uses any more: cached, or freed when the cache is full. */
    static synchronized void give(BytePointer block) {
        long bytes = block.capacity();
        if (cached + bytes > MAX_CACHED) {
            block.deallocate();
            return;
        }
        cache.computeIfAbsent(bytes, k -> new ArrayDeque<>()).push(block);
        cached += bytes;
    }

    /**
     * Gives {@code block} back once {@code holder} (the only object the block's users reach it
     * through) is unreachable, or when the returned action is run, whichever comes first.
     */
    static Cleaner.Cleanable giveWhenUnreachable(Object holder, BytePointer block) {
        return CLEANER.register(holder, () -> give(block));
    }

    /** Frees every cached block (tests that count cached bytes start from an empty cache). */
    static synchronized void clear() {
        for (ArrayDeque<BytePointer> blocks : cache.values()) for (BytePointer b : blocks) b.deallocate();
        cache.clear();
        cached = 0;
    }

    /** Bytes cached now (tests). */
    static synchronized long cachedBytes() {
        return cached;
    }
}
