package tn.exec.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.Reference;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tn.exec.Backend;
import tn.exec.Backend.Reduction;
import tn.exec.DType;
import tn.exec.Dense;

/**
 * float32 reductions, softmax and layer norm of the ND4J backend against float64 references
 * computed here by plain sequential loops over the same float data (an independent summation
 * order): every result within 1e-6 relative, from a few entries to 10^8, with long reduced
 * groups, short ones, many rows, leading, middle, trailing and scattered axes. Accumulated in
 * float32, a sum of 3.6e7 ones came out 33554400 and a mean 0.93.
 */
class FloatReductionTest {
    private static final double TOLERANCE = 1e-6;
    private final Nd4jBackend backend = new Nd4jBackend();

    /** A float32 array of the shape, entries from {@code kind}: 0 ones, 1 standard normal, 2 uniform (0, 1), 3 normal + 100. */
    private static NdDense data(long[] shape, int kind, long seed) {
        if (kind == 0) return new NdDense(Nd4j.valueArrayOf(shape, 1f), DType.FLOAT32);
        INDArray a = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        FloatBuffer f = (FloatBuffer) NdDense.buffer(a);
        SplittableRandom rnd = new SplittableRandom(seed);
        int n = (int) a.length();
        for (int i = 0; i < n; i++) {
            f.put(i, switch (kind) {
                case 0 -> 1f;
                case 1 -> (float) gaussian(rnd);
                case 2 -> (float) rnd.nextDouble();
                default -> (float) (100 + gaussian(rnd));
            });
        }
        return new NdDense(a, DType.FLOAT32);
    }

    /** A standard normal draw (Marsaglia's polar method). */
    private static double gaussian(SplittableRandom rnd) {
        while (true) {
            double u = 2 * rnd.nextDouble() - 1, v = 2 * rnd.nextDouble() - 1, s = u * u + v * v;
            if (s > 0 && s < 1) return u * Math.sqrt(-2 * Math.log(s) / s);
        }
    }

    /**
     * d's entries: a view of d's memory (d must stay reachable while the view is used, see
     * reachabilityFence below), or, when ND4J's strides are not the default ones (a size-1 axis:
     * [3, 1, 20000, 5]) and contiguous() had to copy, an independent copy on the heap: a view of
     * that temporary copy would outlive it (the copy's memory was freed and reused under the
     * reference sums, 1 run in 10 or so).
     */
    private static FloatBuffer floats(Dense d) {
        INDArray a = ((NdDense) d).array(), c = NdDense.contiguous(a, DataType.FLOAT);
        FloatBuffer view = (FloatBuffer) NdDense.buffer(c);
        if (c == a) return view;
        float[] copy = new float[view.capacity()];
        view.get(0, copy);
        Reference.reachabilityFence(c);
        return FloatBuffer.wrap(copy);
    }

    /**
     * The groups of a reduction over {@code axes}: for each kept index (row-major over the kept
     * axes), the flat offsets of its entries.
     */
    private static int[][] groups(long[] shape, int[] axes) {
        int rank = shape.length;
        int[] strides = new int[rank];
        for (int k = rank - 1, s = 1; k >= 0; k--) {
            strides[k] = s;
            s *= (int) shape[k];
        }
        List<Integer> kept = new ArrayList<>();
        boolean[] reduced = new boolean[rank];
        for (int x : axes) reduced[x] = true;
        for (int k = 0; k < rank; k++) if (!reduced[k]) kept.add(k);
        int count = 1, size = 1;
        for (int k : kept) count *= (int) shape[k];
        for (int x : axes) size *= (int) shape[x];
        int[][] out = new int[count][size];
        int[] keptIdx = new int[kept.size()];
        for (int g = 0; g < count; g++) {
            int base = 0;
            for (int j = 0; j < kept.size(); j++) base += keptIdx[j] * strides[kept.get(j)];
            int[] idx = new int[axes.length];
            for (int e = 0; e < size; e++) {
                int off = base;
                for (int q = 0; q < axes.length; q++) off += idx[q] * strides[axes[q]];
                out[g][e] = off;
                for (int q = axes.length - 1; q >= 0; q--) {
                    if (++idx[q] < shape[axes[q]]) break;
                    idx[q] = 0;
                }
            }
            for (int j = kept.size() - 1; j >= 0; j--) {
                if (++keptIdx[j] < shape[kept.get(j)]) break;
                keptIdx[j] = 0;
            }
        }
        return out;
    }

    private static double reference(FloatBuffer f, int[] offsets, Reduction op) {
        double acc = switch (op) {
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
            default -> 0;
        };
        for (int off : offsets) {
            double v = f.get(off);
            acc = switch (op) {
                case SUM, MEAN -> acc + v;
                case NORM -> acc + v * v;
                case MAX -> Math.max(acc, v);
                case MIN -> Math.min(acc, v);
            };
        }
        return op == Reduction.MEAN ? acc / offsets.length : op == Reduction.NORM ? Math.sqrt(acc) : acc;
    }

    private static void assertRelative(double expected, double actual, String what) {
        double err = Math.abs(actual - expected);
        assertTrue(err <= TOLERANCE * Math.abs(expected), what + ": expected " + expected + " got " + actual + " (relative error " + err / Math.abs(expected) + ")");
    }

    /** Shapes and axes: long groups, short groups, many rows, leading, middle, trailing, scattered axes. */
    private static final Object[][] CASES = {
        {new long[] {1 << 18}, new int[] {0}},
        {new long[] {3, 50_000}, new int[] {1}},
        {new long[] {50_000, 3}, new int[] {1}},
        {new long[] {50_000, 3}, new int[] {0}},
        {new long[] {300, 700}, new int[] {0}},
        {new long[] {300, 700}, new int[] {1}},
        {new long[] {300, 700}, new int[] {0, 1}},
        {new long[] {300, 700}, new int[] {1, 0}},
        {new long[] {20, 6_000, 2}, new int[] {1}},
        {new long[] {16, 64, 48}, new int[] {0, 2}},
        {new long[] {3, 1, 20_000, 5}, new int[] {2, 3}},
        {new long[] {2, 3, 4, 5}, new int[] {1, 3}},
        {new long[] {5}, new int[] {}},
        {new long[] {}, new int[] {}},
    };

    @Test
    void reductionsAreWithin1e6OfFloat64() {
        int c = 0;
        for (Object[] k : CASES) {
            long[] shape = (long[]) k[0];
            int[] axes = (int[]) k[1];
            for (int kind = 0; kind < 4; kind++) {
                NdDense x = data(shape, kind, 31L * c++);
                FloatBuffer f = floats(x);
                int[][] groups = groups(shape, axes);
                for (Reduction op : Reduction.values()) {
                    Dense r = backend.reduce(x, axes, op);
                    assertEquals(DType.FLOAT32, r.dtype());
                    double[] got = backend.toDoubles(r);
                    assertEquals(groups.length, got.length);
                    for (int g = 0; g < groups.length; g++) {
                        double expected = reference(f, groups[g], op);
                        String what = op + " of " + Arrays.toString(shape) + " over " + Arrays.toString(axes) + " data " + kind + " group " + g;
                        if (op == Reduction.MAX || op == Reduction.MIN) assertEquals(expected, got[g], what);
                        else if (expected == 0) assertEquals(0, got[g], 1e-6, what);
                        else assertRelative(expected, got[g], what);
                    }
                }
                Reference.reachabilityFence(x);
            }
        }
    }

    @Test
    void softmaxAndLayerNormAreWithin1e6OfFloat64() {
        int c = 0;
        for (Object[] k : CASES) {
            long[] shape = (long[]) k[0];
            int[] axes = (int[]) k[1];
            if (axes.length == 0) continue;
            for (int kind = 1; kind < 4; kind++) {
                NdDense x = data(shape, kind, 17L * c++);
                FloatBuffer f = floats(x);
                int[][] groups = groups(shape, axes);
                float[] soft = floatsOf(backend.softmax(x, axes)), norm = floatsOf(backend.layerNorm(x, axes, 1e-5));
                for (int[] g : groups) checkRow(f, g, soft, norm, 1e-5, Arrays.toString(shape) + " over " + Arrays.toString(axes));
                Reference.reachabilityFence(x);
            }
        }
    }

    private float[] floatsOf(Dense d) {
        FloatBuffer b = floats(d);
        float[] out = new float[b.capacity()];
        b.get(0, out);
        Reference.reachabilityFence(d);
        return out;
    }

    /** One row (group) of softmax and layer norm results against float64 computed here. */
    private static void checkRow(FloatBuffer f, int[] g, float[] soft, float[] norm, double eps, String what) {
        double max = Double.NEGATIVE_INFINITY, sum = 0, mean = 0, var = 0;
        for (int off : g) max = Math.max(max, f.get(off));
        for (int off : g) sum += Math.exp(f.get(off) - max);
        for (int off : g) mean += f.get(off);
        mean /= g.length;
        for (int off : g) var += (f.get(off) - mean) * (f.get(off) - mean);
        var /= g.length;
        double sd = Math.sqrt(var + eps);
        for (int off : g) {
            double s = Math.exp(f.get(off) - max) / sum, n = (f.get(off) - mean) / sd;
            // float32 storage: one rounding (6e-8) plus whatever the computation lost.
            assertTrue(Math.abs(soft[off] - s) <= TOLERANCE * Math.abs(s) + 1e-30, "softmax " + what + " at " + off + ": " + soft[off] + " vs " + s);
            assertTrue(Math.abs(norm[off] - n) <= TOLERANCE * Math.abs(n) + 1e-9, "layernorm " + what + " at " + off + ": " + norm[off] + " vs " + n);
        }
    }

    /** The figures of issue #16: 6000 x 6000 ones, GPT-2's embedding size, 10^4 x 10^4 normal data. */
    @Test
    void largeTensorsOf1e8Entries() {
        NdDense ones = data(new long[] {6000, 6000}, 0, 0);
        assertEquals(3.6e7, one(backend.reduce(ones, new int[] {0, 1}, Reduction.SUM)));
        assertEquals(1.0, one(backend.reduce(ones, new int[] {0, 1}, Reduction.MEAN)));
        double[] rows = backend.toDoubles(backend.reduce(ones, new int[] {0}, Reduction.SUM));
        for (double v : rows) assertEquals(6000, v);
        ones.release();

        NdDense embed = data(new long[] {50257, 768}, 0, 0);
        assertRelative(Math.sqrt(50257.0 * 768), one(backend.reduce(embed, new int[] {0, 1}, Reduction.NORM)), "norm(ones(vocab, d_model))");
        embed.release();

        NdDense x = data(new long[] {10_000, 10_000}, 1, 5);
        FloatBuffer f = floats(x);
        double sum = 0, squares = 0;
        int n = 100_000_000;
        for (int i = 0; i < n; i++) {
            double v = f.get(i);
            sum += v;
            squares += v * v;
        }
        assertRelative(sum, one(backend.reduce(x, new int[] {0, 1}, Reduction.SUM)), "sum of 1e8 normal");
        assertRelative(squares / n, one(backend.reduce(backend.map(x, Backend.Elementwise.POW, 2), new int[] {0, 1}, Reduction.MEAN)),
                "mean of squares of 1e8 normal");
        assertRelative(Math.sqrt(squares), one(backend.reduce(x, new int[] {1, 0}, Reduction.NORM)), "norm of 1e8 normal");
        // Full contractions (x x, x ones): BLAS products of 10^8 terms.
        tn.plan.Plan full = tn.plan.Plan.fromPath(tn.plan.Network.of(List.of(new int[] {0, 1}, new int[] {0, 1}), new int[] {},
                new long[] {10_000, 10_000}), List.of(new int[] {0, 1}), "dot", 0);
        assertRelative(squares, one(backend.contract(full, List.of(x, x))), "x x of 1e8 normal");
        Dense allOnes = backend.full(new long[] {10_000, 10_000}, 1, DType.FLOAT32);
        assertRelative(sum, one(backend.contract(full, List.of(x, allOnes))), "x ones of 1e8 normal");
        ((NdDense) allOnes).release();
        // Rows of 10^4 and columns of 10^4: a few of each checked.
        double[] rowSums = backend.toDoubles(backend.reduce(x, new int[] {1}, Reduction.SUM));
        double[] columnNorms = backend.toDoubles(backend.reduce(x, new int[] {0}, Reduction.NORM));
        for (int r = 0; r < 10_000; r += 997) {
            double s = 0, q = 0;
            for (int j = 0; j < 10_000; j++) {
                s += f.get(r * 10_000 + j);
                q += (double) f.get(j * 10_000 + r) * f.get(j * 10_000 + r);
            }
            assertRelative(s, rowSums[r], "row sum " + r);
            assertRelative(Math.sqrt(q), columnNorms[r], "column norm " + r);
        }
        NdDense soft = (NdDense) backend.softmax(x, new int[] {1});
        float[] s = floatsOf(soft);
        soft.release();
        NdDense norm = (NdDense) backend.layerNorm(x, new int[] {1}, 1e-5);
        float[] ln = floatsOf(norm);
        norm.release();
        int[] row = new int[10_000];
        for (int r = 0; r < 10_000; r += 1999) {
            for (int j = 0; j < row.length; j++) row[j] = r * 10_000 + j;
            checkRow(f, row, s, ln, 1e-5, "row " + r + " of 10^4 x 10^4");
        }
        s = null;
        ln = null;
        // The whole 10^8 entries as one row (the long-row path: three passes over pieces).
        NdDense whole = (NdDense) backend.layerNorm(x, new int[] {0, 1}, 1e-5);
        FloatBuffer w = floats(whole);
        double mean = sum / n, sd = Math.sqrt(squares / n - mean * mean + 1e-5);
        for (int i = 0; i < n; i += 9973) {
            double expected = (f.get(i) - mean) / sd;
            assertTrue(Math.abs(w.get(i) - expected) <= TOLERANCE * Math.abs(expected) + 1e-7, "layernorm of all 1e8 at " + i);
        }
        Reference.reachabilityFence(whole);
        whole.release();
        Reference.reachabilityFence(x);
        x.release();
    }

    /**
     * Products too small for BLAS (under 4096 multiply-adds) run in Java loops; their sums are
     * float64 too: dot products of 4095 positive float32 terms, against a float64 loop.
     */
    @Test
    void smallContractionsSumInFloat64() {
        int k = 4095;
        tn.plan.Plan dot = tn.plan.Plan.fromPath(tn.plan.Network.of(List.of(new int[] {0}, new int[] {0}), new int[] {}, new long[] {k}),
                List.of(new int[] {0, 1}), "dot", 0);
        double worst = 0;
        for (int trial = 0; trial < 20; trial++) {
            NdDense x = data(new long[] {k}, 2, 100 + trial), y = data(new long[] {k}, 3, 200 + trial);
            FloatBuffer fx = floats(x), fy = floats(y);
            double expected = 0;
            for (int i = 0; i < k; i++) expected += (double) fx.get(i) * fy.get(i);
            double got = one(backend.contract(dot, List.of(x, y)));
            worst = Math.max(worst, Math.abs(got - expected) / expected);
            Reference.reachabilityFence(x);
            Reference.reachabilityFence(y);
        }
        assertTrue(worst <= 1e-7, "worst relative error " + worst + " (float32 rounding of the result alone is at most 6e-8)");
    }

    /**
     * Arrays past int-indexed buffers (8 GB of float32) are reduced by ND4J on a float64 copy;
     * that path, run here on small arrays, agrees with the float64 loops too.
     */
    @Test
    void theFallbackForHugeArraysAlsoSumsInFloat64() {
        int c = 0;
        for (Object[] k : CASES) {
            long[] shape = (long[]) k[0];
            int[] axes = (int[]) k[1];
            if (shape.length == 0 || axes.length == 0) continue;
            NdDense x = data(shape, 2, 7L * c++);
            FloatBuffer f = floats(x);
            int[][] groups = groups(shape, axes);
            for (Reduction op : Reduction.values()) {
                INDArray r = NdArithmetic.hugeReduce(x.array(), axes, op);
                assertEquals(DataType.FLOAT, r.dataType());
                double[] got = new NdDense(r, DType.FLOAT32).rank() == 0 ? new double[] {r.getDouble(0)} : r.dup('c').data().asDouble();
                for (int g = 0; g < groups.length; g++) assertRelative(reference(f, groups[g], op), got[g], op + " " + Arrays.toString(shape) + " group " + g);
            }
            Reference.reachabilityFence(x);
        }
    }

    private double one(Dense d) {
        assertArrayEquals(new long[0], d.shape());
        return backend.toDoubles(d)[0];
    }
}
