package tn.exec;

import java.nio.Buffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.function.IntConsumer;
import tn.exec.Backend.Reduction;

/**
 * Reductions (sum, mean, norm, max, min) and row normalisations (softmax, layer norm) on flat
 * row-major buffers ({@link FloatBuffer} or {@link DoubleBuffer}, heap or native), accumulating
 * in float64 whatever the buffers' type, as numpy does: a float32 sum of 10^8 ones accumulated in
 * float32 stops growing at 2^24 (ND4J's gave 33554400 for 3.6e7), and a float32 result here is
 * the float64 result rounded once.
 *
 * <p>How: the data are cut into chunks of at most {@link #CHUNK} entries (whole short rows, or
 * pieces of a long row). Reductions read them in place with eight float64 accumulators (one
 * accumulator is a chain of dependent additions: 10^8 floats took 72 ms of CPU against 42 ms,
 * the speed of memory); softmax and layer norm widen a chunk into a per-thread float64 scratch
 * array, which they read several times. The partial results of a long row's pieces are
 * combined in order. Chunks run on {@link Parallel}'s threads
 * when there is enough work. The cut depends only on the shape, never on the number of threads,
 * so the same data give the same bits on every machine and every run.
 */
public final class Reductions {
    /** The largest buffer these methods take (they are indexed by int). */
    public static final long MAX_ENTRIES = BufferContractor.MAX_ENTRIES;
    /** Entries per chunk: the scratch arrays (float64) stay in the L2 cache. */
    static final int CHUNK = 1 << 14;
    /** Below this many entries everything runs on the calling thread. */
    private static final long PARALLEL = 1 << 17;
    private static final ThreadLocal<double[]> SCRATCH = ThreadLocal.withInitial(() -> new double[CHUNK]);
    private static final ThreadLocal<float[]> FLOAT_SCRATCH = ThreadLocal.withInitial(() -> new float[CHUNK]);
    /**
     * The running sums of {@link #combine}'s pieces, per thread: a new array per piece was 40% of
     * what a GPT-2 forward allocated on the Java heap (0.5 GB in 20 forwards), and the collections
     * that garbage caused ran beside the matrix products.
     */
    private static final ThreadLocal<double[]> ACC = ThreadLocal.withInitial(() -> new double[CHUNK]);
    private static final ThreadLocal<float[]> FLOAT_ACC = ThreadLocal.withInitial(() -> new float[CHUNK]);

    private Reductions() {}

    /**
     * Reduces the middle axis of {@code src}, read as row-major [outer, group, inner]:
     * {@code dst[a * inner + b] = op over r of src[(a * group + r) * inner + b]}.
     * A mean of an empty group is NaN, a max -inf and a min +inf.
     */
    public static void reduce(Buffer src, int outer, int group, int inner, Reduction op, Buffer dst) {
        if (inner == 1) rows(src, outer, group, op, dst);
        else columns(src, outer, group, inner, op, dst);
    }

    /** Reductions along rows: src is [rows, group], dst [rows]. */
    private static void rows(Buffer src, int rows, int group, Reduction op, Buffer dst) {
        long total = (long) rows * group;
        if (group <= CHUNK) {
            // Whole rows per chunk.
            int perChunk = Math.max(1, CHUNK / Math.max(1, group));
            int chunks = (rows + perChunk - 1) / perChunk;
            run(chunks, total, c -> {
                int r0 = c * perChunk, r1 = Math.min(rows, r0 + perChunk);
                for (int r = r0; r < r1; r++) put(dst, r, finish(op, combine(op, src, r * group, group), group));
            });
            return;
        }
        // Long rows: pieces of CHUNK entries, partial results combined in order.
        int pieces = (group + CHUNK - 1) / CHUNK;
        double[] partial = new double[Math.multiplyExact(rows, pieces)];
        run(rows * pieces, total, t -> {
            int r = t / pieces, p = t % pieces;
            int from = p * CHUNK, n = Math.min(CHUNK, group - from);
            partial[t] = combine(op, src, r * group + from, n);
        });
        for (int r = 0; r < rows; r++) {
            double acc = identity(op);
            for (int p = 0; p < pieces; p++) acc = merge(op, acc, partial[r * pieces + p]);
            put(dst, r, finish(op, acc, group));
        }
    }

    /**
     * Reductions across rows: for each outer index, the [group, inner] block is reduced along
     * its first axis, a band of columns at a time (each band's accumulators stay in cache).
     */
    private static void columns(Buffer src, int outer, int group, int inner, Reduction op, Buffer dst) {
        int band = Math.min(inner, CHUNK / 4);
        int bands = (inner + band - 1) / band;
        run(outer * bands, (long) outer * group * inner, t -> {
            int a = t / bands, c0 = (t % bands) * band, w = Math.min(band, inner - c0);
            double[] acc = new double[w];
            java.util.Arrays.fill(acc, identity(op));
            int base = a * group * inner + c0;
            for (int r = 0; r < group; r++) accumulate(op, src, base + r * inner, w, acc);
            for (int j = 0; j < w; j++) put(dst, a * inner + c0 + j, finish(op, acc[j], group));
        });
    }

    /** acc[j] = acc[j] op src[from + j] for j < w (NORM: plus the square). */
    private static void accumulate(Reduction op, Buffer src, int from, int w, double[] acc) {
        if (src instanceof FloatBuffer f) {
            switch (op) {
                case SUM, MEAN -> { for (int j = 0; j < w; j++) acc[j] += f.get(from + j); }
                case NORM -> { for (int j = 0; j < w; j++) { double v = f.get(from + j); acc[j] += v * v; } }
                case MAX -> { for (int j = 0; j < w; j++) acc[j] = Math.max(acc[j], f.get(from + j)); }
                case MIN -> { for (int j = 0; j < w; j++) acc[j] = Math.min(acc[j], f.get(from + j)); }
            }
        } else {
            DoubleBuffer d = (DoubleBuffer) src;
            switch (op) {
                case SUM, MEAN -> { for (int j = 0; j < w; j++) acc[j] += d.get(from + j); }
                case NORM -> { for (int j = 0; j < w; j++) { double v = d.get(from + j); acc[j] += v * v; } }
                case MAX -> { for (int j = 0; j < w; j++) acc[j] = Math.max(acc[j], d.get(from + j)); }
                case MIN -> { for (int j = 0; j < w; j++) acc[j] = Math.min(acc[j], d.get(from + j)); }
            }
        }
    }

    /**
     * The float64 sum of a[ai + q * sa] * b[bi + q * sb] for q < k (float32 data), in chunks of
     * {@link #CHUNK} terms on the common pool when long, their partial sums added in order.
     */
    public static double dot(FloatBuffer a, int ai, int sa, FloatBuffer b, int bi, int sb, int k) {
        int pieces = (k + CHUNK - 1) / CHUNK;
        double[] partial = new double[pieces];
        run(pieces, k, t -> {
            int q0 = t * CHUNK, n = Math.min(CHUNK, k - q0);
            partial[t] = dot(a, ai + q0 * sa, sa, b, bi + q0 * sb, sb, n, 0);
        });
        double s = 0;
        for (double p : partial) s += p;
        return s;
    }

    /** One chunk of {@link #dot} (the last argument tells the overloads apart), four accumulators. */
    private static double dot(FloatBuffer a, int ai, int sa, FloatBuffer b, int bi, int sb, int n, int unused) {
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0;
        int q = 0;
        if (sa == 1 && sb == 1) {
            for (; q + 3 < n; q += 4) {
                a0 += (double) a.get(ai + q) * b.get(bi + q);
                a1 += (double) a.get(ai + q + 1) * b.get(bi + q + 1);
                a2 += (double) a.get(ai + q + 2) * b.get(bi + q + 2);
                a3 += (double) a.get(ai + q + 3) * b.get(bi + q + 3);
            }
        }
        for (; q < n; q++) a0 += (double) a.get(ai + q * sa) * b.get(bi + q * sb);
        return (a0 + a1) + (a2 + a3);
    }

    /**
     * dst = sum_k coefficients[k] * terms[k] over {@code n} entries, in the buffers' type (all
     * {@link FloatBuffer} or all {@link DoubleBuffer}): each term times its coefficient (rounded
     * to the type) is rounded, then added to the running sum in term order and rounded, as an
     * array library's scalar multiply and add do.
     */
    public static void combine(java.util.List<? extends Buffer> terms, double[] coefficients, int n, Buffer dst) {
        int[] lengths = new int[terms.size()];
        java.util.Arrays.fill(lengths, n);
        combine(terms, lengths, coefficients, n, dst);
    }

    /**
     * As {@link #combine(java.util.List, double[], int, Buffer)}, term k holding {@code lengths[k]}
     * entries, a divisor of n, repeated: entry i of the sum takes entry i mod lengths[k] of it (a
     * bias along the trailing axes, added without forming it at the full size). The same numbers,
     * in the same order, as the repetitions formed and combined.
     */
    public static void combine(java.util.List<? extends Buffer> terms, int[] lengths, double[] coefficients, int n, Buffer dst) {
        for (int len : lengths) if (len <= 0 || n % len != 0) throw new IllegalArgumentException("a term of " + len + " entries in a sum of " + n);
        // In pieces copied in bulk to arrays and back: a loop of FloatBuffer.get/put calls is a
        // virtual call per entry (tn's buffers come in several classes), about 40 ns an entry here.
        int pieces = (n + CHUNK - 1) / CHUNK;
        run(pieces, (long) n * terms.size(), k -> combinePiece(terms, lengths, coefficients, k * CHUNK, Math.min(n, (k + 1) * CHUNK), dst));
    }

    private static void combinePiece(java.util.List<? extends Buffer> terms, int[] lengths, double[] coefficients, int from, int to, Buffer dst) {
        int w = to - from;
        if (dst instanceof DoubleBuffer out) {
            double[] acc = ACC.get(), t = SCRATCH.get();
            for (int k = 0; k < terms.size(); k++) {
                DoubleBuffer term = (DoubleBuffer) terms.get(k);
                int len = lengths[k];
                for (int i = 0, at = from % len; i < w; ) { // runs of the (repeated) term
                    int run = Math.min(w - i, len - at);
                    term.get(at, t, i, run);
                    i += run;
                    at = 0;
                }
                double c = coefficients[k];
                if (k == 0) for (int i = 0; i < w; i++) acc[i] = t[i] * c;
                else for (int i = 0; i < w; i++) acc[i] = acc[i] + t[i] * c;
            }
            out.put(from, acc, 0, w);
        } else {
            FloatBuffer out = (FloatBuffer) dst;
            float[] acc = FLOAT_ACC.get(), t = FLOAT_SCRATCH.get();
            for (int k = 0; k < terms.size(); k++) {
                FloatBuffer term = (FloatBuffer) terms.get(k);
                int len = lengths[k];
                for (int i = 0, at = from % len; i < w; ) {
                    int run = Math.min(w - i, len - at);
                    term.get(at, t, i, run);
                    i += run;
                    at = 0;
                }
                float c = (float) coefficients[k];
                if (k == 0) for (int i = 0; i < w; i++) acc[i] = t[i] * c;
                else for (int i = 0; i < w; i++) acc[i] = acc[i] + t[i] * c;
            }
            out.put(from, acc, 0, w);
        }
    }

    /**
     * Softmax of every row of [rows, group] (the rows normalised to sum 1, after subtracting
     * the row's largest entry); dst may be src.
     */
    public static void softmax(Buffer src, int rows, int group, Buffer dst) {
        normalise(src, rows, group, dst, Kind.SOFTMAX, 0);
    }

    /** (x - mean) / sqrt(var + eps) for every row of [rows, group] (biased variance); dst may be src. */
    public static void layerNorm(Buffer src, int rows, int group, double eps, Buffer dst) {
        normalise(src, rows, group, dst, Kind.LAYER_NORM, eps);
    }

    private enum Kind { SOFTMAX, LAYER_NORM }

    /**
     * Two statistics per row, then the rows rewritten: softmax's max and sum of exp(x - max),
     * layer norm's mean and sum of (x - mean)^2, both in float64. Short rows are done whole in a
     * chunk (one read of the data); long rows in three passes over their pieces.
     */
    private static void normalise(Buffer src, int rows, int group, Buffer dst, Kind kind, double eps) {
        long total = (long) rows * group;
        if (group <= CHUNK) {
            int perChunk = Math.max(1, CHUNK / Math.max(1, group));
            int chunks = (rows + perChunk - 1) / perChunk;
            run(chunks, total, c -> {
                double[] s = SCRATCH.get();
                int r0 = c * perChunk, r1 = Math.min(rows, r0 + perChunk), n = (r1 - r0) * group;
                load(src, r0 * group, n, s);
                for (int off = 0; off < n; off += group) {
                    double first = firstStatistic(kind, s, off, group);
                    double second = secondStatistic(kind, s, off, group, first);
                    rewrite(kind, s, off, group, first, second, eps);
                }
                store(s, n, dst, r0 * group);
            });
            return;
        }
        int pieces = (group + CHUNK - 1) / CHUNK;
        int tasks = Math.multiplyExact(rows, pieces);
        double[] partial = new double[tasks];
        double[] first = new double[rows], second = new double[rows];
        // Pass 1: max or sum of each piece, combined per row into the max or the mean.
        run(tasks, total, t -> {
            int from = (t % pieces) * CHUNK;
            partial[t] = combine(kind == Kind.SOFTMAX ? Reduction.MAX : Reduction.SUM, src, t / pieces * group + from, Math.min(CHUNK, group - from));
        });
        for (int r = 0; r < rows; r++) {
            double acc = kind == Kind.SOFTMAX ? Double.NEGATIVE_INFINITY : 0;
            for (int p = 0; p < pieces; p++) acc = kind == Kind.SOFTMAX ? Math.max(acc, partial[r * pieces + p]) : acc + partial[r * pieces + p];
            first[r] = kind == Kind.SOFTMAX ? acc : acc / group;
        }
        // Pass 2: the sum of exp(x - max) (the exponentials are kept in dst) or of (x - mean)^2, by pieces.
        run(tasks, total, t -> {
            double[] s = SCRATCH.get();
            int n = piece(src, group, pieces, t, s);
            partial[t] = secondStatistic(kind, s, 0, n, first[t / pieces]);
            if (kind == Kind.SOFTMAX) store(s, n, dst, t / pieces * group + (t % pieces) * CHUNK);
        });
        for (int r = 0; r < rows; r++) {
            double acc = 0;
            for (int p = 0; p < pieces; p++) acc += partial[r * pieces + p];
            second[r] = acc;
        }
        // Pass 3: rewrite the pieces (the row's full statistics are known now): softmax scales the
        // exponentials of pass 2 (rounded once to dst's type there: at most one more rounding).
        run(tasks, total, t -> {
            double[] s = SCRATCH.get();
            int n = piece(kind == Kind.SOFTMAX ? dst : src, group, pieces, t, s);
            int r = t / pieces;
            rewriteWith(kind, s, 0, n, first[r], second[r], group, eps);
            store(s, n, dst, r * group + (t % pieces) * CHUNK);
        });
    }

    /** Loads piece t (row t / pieces, piece t % pieces) of a long row into s; returns its length. */
    private static int piece(Buffer src, int group, int pieces, int t, double[] s) {
        int r = t / pieces, from = (t % pieces) * CHUNK, n = Math.min(CHUNK, group - from);
        load(src, r * group + from, n, s);
        return n;
    }

    private static double firstStatistic(Kind kind, double[] s, int off, int n) {
        if (kind == Kind.SOFTMAX) {
            double m = Double.NEGATIVE_INFINITY;
            for (int j = off; j < off + n; j++) m = Math.max(m, s[j]);
            return m;
        }
        double a0 = 0, a1 = 0;
        int j = off, end = off + n;
        for (; j + 1 < end; j += 2) {
            a0 += s[j];
            a1 += s[j + 1];
        }
        if (j < end) a0 += s[j];
        return (a0 + a1) / n;
    }

    /** Softmax: sum of exp(x - max), s overwritten with the exponentials; layer norm: sum of (x - mean)^2. */
    private static double secondStatistic(Kind kind, double[] s, int off, int n, double first) {
        double a0 = 0, a1 = 0;
        int j = off, end = off + n;
        if (kind == Kind.SOFTMAX) {
            for (; j + 1 < end; j += 2) {
                a0 += s[j] = Math.exp(s[j] - first);
                a1 += s[j + 1] = Math.exp(s[j + 1] - first);
            }
            if (j < end) a0 += s[j] = Math.exp(s[j] - first);
        } else {
            for (; j + 1 < end; j += 2) {
                double d0 = s[j] - first, d1 = s[j + 1] - first;
                a0 += d0 * d0;
                a1 += d1 * d1;
            }
            if (j < end) a0 += (s[j] - first) * (s[j] - first);
        }
        return a0 + a1;
    }

    private static void rewrite(Kind kind, double[] s, int off, int n, double first, double second, double eps) {
        rewriteWith(kind, s, off, n, first, second, n, eps);
    }

    /** Rewrites s[off, off + n) given its row's statistics (the row has {@code group} entries). */
    private static void rewriteWith(Kind kind, double[] s, int off, int n, double first, double second, int group, double eps) {
        if (kind == Kind.SOFTMAX) { // s holds the exponentials (secondStatistic)
            double inverse = 1 / second;
            for (int j = off; j < off + n; j++) s[j] *= inverse;
        } else {
            double scale = 1 / Math.sqrt(second / group + eps);
            for (int j = off; j < off + n; j++) s[j] = (s[j] - first) * scale;
        }
    }

    // ---- the inner loops ---------------------------------------------------------------------

    /**
     * op over src[from, from + n) before {@link #finish} (NORM: the sum of squares), read in
     * place with eight accumulators (the additions of one chain wait on each other).
     */
    private static double combine(Reduction op, Buffer src, int from, int n) {
        if (op == Reduction.MAX || op == Reduction.MIN) {
            double m = identity(op);
            if (src instanceof FloatBuffer f) {
                for (int j = from; j < from + n; j++) m = op == Reduction.MAX ? Math.max(m, f.get(j)) : Math.min(m, f.get(j));
            } else {
                DoubleBuffer d = (DoubleBuffer) src;
                for (int j = from; j < from + n; j++) m = op == Reduction.MAX ? Math.max(m, d.get(j)) : Math.min(m, d.get(j));
            }
            return m;
        }
        boolean squares = op == Reduction.NORM;
        return src instanceof FloatBuffer f ? sum(f, from, n, squares) : sum((DoubleBuffer) src, from, n, squares);
    }

    private static double sum(FloatBuffer f, int from, int n, boolean squares) {
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        int j = from, end = from + n;
        if (squares) {
            for (; j + 7 < end; j += 8) {
                double v0 = f.get(j), v1 = f.get(j + 1), v2 = f.get(j + 2), v3 = f.get(j + 3);
                double v4 = f.get(j + 4), v5 = f.get(j + 5), v6 = f.get(j + 6), v7 = f.get(j + 7);
                a0 += v0 * v0; a1 += v1 * v1; a2 += v2 * v2; a3 += v3 * v3;
                a4 += v4 * v4; a5 += v5 * v5; a6 += v6 * v6; a7 += v7 * v7;
            }
            for (; j < end; j++) {
                double v = f.get(j);
                a0 += v * v;
            }
        } else {
            for (; j + 7 < end; j += 8) {
                a0 += f.get(j); a1 += f.get(j + 1); a2 += f.get(j + 2); a3 += f.get(j + 3);
                a4 += f.get(j + 4); a5 += f.get(j + 5); a6 += f.get(j + 6); a7 += f.get(j + 7);
            }
            for (; j < end; j++) a0 += f.get(j);
        }
        return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
    }

    private static double sum(DoubleBuffer d, int from, int n, boolean squares) {
        double a0 = 0, a1 = 0, a2 = 0, a3 = 0, a4 = 0, a5 = 0, a6 = 0, a7 = 0;
        int j = from, end = from + n;
        if (squares) {
            for (; j + 7 < end; j += 8) {
                double v0 = d.get(j), v1 = d.get(j + 1), v2 = d.get(j + 2), v3 = d.get(j + 3);
                double v4 = d.get(j + 4), v5 = d.get(j + 5), v6 = d.get(j + 6), v7 = d.get(j + 7);
                a0 += v0 * v0; a1 += v1 * v1; a2 += v2 * v2; a3 += v3 * v3;
                a4 += v4 * v4; a5 += v5 * v5; a6 += v6 * v6; a7 += v7 * v7;
            }
            for (; j < end; j++) {
                double v = d.get(j);
                a0 += v * v;
            }
        } else {
            for (; j + 7 < end; j += 8) {
                a0 += d.get(j); a1 += d.get(j + 1); a2 += d.get(j + 2); a3 += d.get(j + 3);
                a4 += d.get(j + 4); a5 += d.get(j + 5); a6 += d.get(j + 6); a7 += d.get(j + 7);
            }
            for (; j < end; j++) a0 += d.get(j);
        }
        return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7));
    }

    private static double identity(Reduction op) {
        return switch (op) {
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
            default -> 0;
        };
    }

    private static double merge(Reduction op, double a, double b) {
        return switch (op) {
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            default -> a + b;
        };
    }

    private static double finish(Reduction op, double acc, int group) {
        return switch (op) {
            case MEAN -> acc / group;
            case NORM -> Math.sqrt(acc);
            default -> acc;
        };
    }

    // ---- moving data -------------------------------------------------------------------------

    /** s[0, n) = src[from, from + n), widened to float64. */
    private static void load(Buffer src, int from, int n, double[] s) {
        if (src instanceof FloatBuffer f) {
            float[] t = FLOAT_SCRATCH.get();
            f.get(from, t, 0, n);
            for (int j = 0; j < n; j++) s[j] = t[j];
        } else {
            ((DoubleBuffer) src).get(from, s, 0, n);
        }
    }

    /** dst[at, at + n) = s[0, n), rounded to dst's type. */
    private static void store(double[] s, int n, Buffer dst, int at) {
        if (dst instanceof FloatBuffer f) {
            float[] t = FLOAT_SCRATCH.get();
            for (int j = 0; j < n; j++) t[j] = (float) s[j];
            f.put(at, t, 0, n);
        } else {
            ((DoubleBuffer) dst).put(at, s, 0, n);
        }
    }

    private static void put(Buffer dst, int at, double v) {
        if (dst instanceof FloatBuffer f) f.put(at, (float) v);
        else ((DoubleBuffer) dst).put(at, v);
    }

    /** Runs tasks 0..count-1, on {@link Parallel}'s threads when there are several and enough work. */
    static void run(int count, long work, IntConsumer task) {
        if (count <= 1 || work < PARALLEL) {
            for (int t = 0; t < count; t++) task.accept(t);
        } else {
            Parallel.run(count, task);
        }
    }
}
