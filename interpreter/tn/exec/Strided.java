package tn.exec;

import java.nio.Buffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * The strided gather of {@link BufferContractor} (permutations and diagonals), on
 * {@link FloatBuffer} or {@link DoubleBuffer} (heap or native); its sums of runs are
 * {@link Reductions}'. Axes that lie contiguously in the source are merged first, so a gather is
 * an odometer over the outer axes around one tight loop (a block copy when the innermost axis is
 * contiguous). Indices are absolute: buffer positions are never used or moved.
 */
public final class Strided {
    /** Below this many entries a contiguous run is copied entry by entry (a bulk copy costs a call). */
    private static final int BULK = 16;

    private Strided() {}

    /**
     * Fills {@code dst} (row-major {@code shape}): entry (i0, .., ik) is
     * {@code src[offset + i0 * step[0] + .. + ik * step[k]]}.
     */
    public static void gather(Buffer src, long offset, long[] shape, long[] step, Buffer dst) {
        gather(src, offset, shape, step, dst, 0);
    }

    /** As {@link #gather(Buffer, long, long[], long[], Buffer)}, into {@code dst} from index {@code at} on. */
    static void gather(Buffer src, long offset, long[] shape, long[] step, Buffer dst, int at) {
        long total = 1;
        for (long d : shape) total *= d;
        // Drop size-1 axes, then merge axis k into k+1 when k steps over all of k+1.
        long[] sh = new long[shape.length], st = new long[shape.length];
        int r = 0;
        for (int k = 0; k < shape.length; k++) {
            if (shape[k] == 1) continue;
            if (r > 0 && st[r - 1] == step[k] * shape[k]) {
                sh[r - 1] *= shape[k];
                st[r - 1] = step[k];
            } else {
                sh[r] = shape[k];
                st[r] = step[k];
                r++;
            }
        }
        int n = Math.toIntExact(total);
        int inner = r == 0 ? 1 : (int) sh[r - 1];
        int innerStep = r == 0 ? 1 : (int) st[r - 1];
        long[] idx = new long[r <= 1 ? 0 : r - 1];
        long base = offset;
        if (src instanceof DoubleBuffer s) {
            DoubleBuffer out = (DoubleBuffer) dst;
            for (int o = at; o < at + n; o += inner) {
                int b = (int) base;
                if (innerStep == 1 && inner >= BULK) out.put(o, s, b, inner);
                else run(s, b, innerStep, out, o, inner);
                base = advance(idx, sh, st, base);
            }
        } else {
            FloatBuffer s = (FloatBuffer) src;
            FloatBuffer out = (FloatBuffer) dst;
            for (int o = at; o < at + n; o += inner) {
                int b = (int) base;
                if (innerStep == 1 && inner >= BULK) out.put(o, s, b, inner);
                else run(s, b, innerStep, out, o, inner);
                base = advance(idx, sh, st, base);
            }
        }
    }

    /*
     * One strided run: out[o + j] = src[b + j * step] for j < n. Kept as small methods of their
     * own so the JIT compiles them alike in every process: written inline in gather's loop, some
     * processes ran it much slower than others (cp_reconstruct_r32: 0.22 ms in most JVMs,
     * 0.37-0.39 ms in about one in four; with these methods 0.22 ms in six of six).
     */
    private static void run(DoubleBuffer src, int b, int step, DoubleBuffer out, int o, int n) {
        for (int j = 0; j < n; j++) out.put(o + j, src.get(b + j * step));
    }

    private static void run(FloatBuffer src, int b, int step, FloatBuffer out, int o, int n) {
        for (int j = 0; j < n; j++) out.put(o + j, src.get(b + j * step));
    }

    /** Moves the odometer over the outer axes one place on; returns the new base offset. */
    private static long advance(long[] idx, long[] shape, long[] step, long base) {
        for (int k = idx.length - 1; k >= 0; k--) {
            base += step[k];
            if (++idx[k] < shape[k]) return base;
            base -= step[k] * shape[k];
            idx[k] = 0;
        }
        return base;
    }

    /** Sets entries {@code [at, at + n)} of {@code dst} to {@code value}. */
    static void fill(Buffer dst, int at, int n, double value) {
        if (dst instanceof DoubleBuffer d) for (int i = at; i < at + n; i++) d.put(i, value);
        else for (int i = at; i < at + n; i++) ((FloatBuffer) dst).put(i, (float) value);
    }

    /** Copies the first {@code n} entries of {@code src} into {@code dst}. */
    static void copy(Buffer src, int n, Buffer dst) {
        if (src instanceof DoubleBuffer s) ((DoubleBuffer) dst).put(0, s, 0, n);
        else ((FloatBuffer) dst).put(0, (FloatBuffer) src, 0, n);
    }
}
