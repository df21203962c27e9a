package tn.bench;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tn.exec.DType;
import tn.exec.Dense;
import tn.exec.nd4j.NdDense;
import tn.exec.nd4j.Nd4jBackend;
import tn.plan.Network;
import tn.plan.Plan;

/**
 * How accurate tn's float32 contractions (OpenBLAS sgemm, accumulating in float32) are on 10^8
 * entries: x[i, j] x[i, j] (a dot product), x[i, j] ones[i, j] (a sum) and x[i, j] ones[j]
 * (10^4 row sums of 10^4), for standard normal and uniform (0, 1) data, against float64 sums
 * of the same float32 numbers computed here: the largest error relative to the exact result and
 * relative to the sum of the absolute values of the terms (the scale of the rounding errors,
 * which matters when terms cancel); with the best time of three contractions.
 *
 * <p>Usage: ContractionAccuracy.
 */
public final class ContractionAccuracy {
    private static final int N = 10_000;

    private ContractionAccuracy() {}

    public static void main(String[] args) {
        Nd4jBackend backend = new Nd4jBackend();
        Plan dot = plan(List.of(new int[] {0, 1}, new int[] {0, 1}), new int[] {});
        Plan rows = plan(List.of(new int[] {0, 1}, new int[] {1}), new int[] {0});
        System.out.printf(Locale.ROOT, "%-8s %-22s %14s %14s %10s %12s %8s%n", "data", "contraction", "tn float32", "float64", "rel. error", "err/sum|t|", "ms");
        for (String kind : List.of("normal", "uniform")) {
            NdDense x = data(kind);
            FloatBuffer f = (FloatBuffer) buffer(x);
            double squares = 0, sum = 0, abs = 0;
            double[] rowSums = new double[N], rowAbs = new double[N];
            for (int i = 0; i < N; i++) {
                double r = 0, ra = 0;
                for (int j = 0; j < N; j++) {
                    double v = f.get(i * N + j);
                    squares += v * v;
                    r += v;
                    ra += Math.abs(v);
                }
                rowSums[i] = r;
                rowAbs[i] = ra;
                sum += r;
                abs += ra;
            }
            Dense ones = backend.full(new long[] {N, N}, 1, DType.FLOAT32);
            Dense onesRow = backend.full(new long[] {N}, 1, DType.FLOAT32);
            report(kind, "x[i,j] x[i,j]", backend, dot, List.of(x, x), new double[] {squares}, new double[] {squares});
            report(kind, "x[i,j] ones[i,j]", backend, dot, List.of(x, ones), new double[] {sum}, new double[] {abs});
            report(kind, "x[i,j] ones[j] (rows)", backend, rows, List.of(x, onesRow), rowSums, rowAbs);
            ((NdDense) ones).release();
            java.lang.ref.Reference.reachabilityFence(x);
            x.release();
        }
        // A matrix product with many terms per entry: [1024, 16384] x [16384, 1024] (34 GFLOP).
        int m = 1024, k = 16384;
        Plan product = Plan.fromPath(Network.of(List.of(new int[] {0, 1}, new int[] {1, 2}), new int[] {0, 2}, new long[] {m, k, m}),
                List.of(new int[] {0, 1}), "gemm", 0);
        Dense a = backend.full(new long[] {m, k}, 0.5, DType.FLOAT32), b = backend.full(new long[] {k, m}, 0.25, DType.FLOAT32);
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < 5; r++) {
            long t = System.nanoTime();
            NdDense c = (NdDense) backend.contract(product, List.of(a, b));
            best = Math.min(best, (System.nanoTime() - t) / 1e6);
            c.release();
        }
        System.out.printf(Locale.ROOT, "gemm [%d, %d] x [%d, %d] float32: best of 5 %.1f ms (%.1f GFLOP/s)%n", m, k, k, m, best, 2.0 * m * k * m / best / 1e6);
    }

    private static void report(String kind, String what, Nd4jBackend backend, Plan plan, List<Dense> ops, double[] expected, double[] scale) {
        double best = Double.POSITIVE_INFINITY;
        double[] got = null;
        for (int r = 0; r < 3; r++) {
            long t = System.nanoTime();
            Dense d = backend.contract(plan, ops);
            best = Math.min(best, (System.nanoTime() - t) / 1e6);
            got = backend.toDoubles(d);
        }
        double worst = 0, worstScaled = 0;
        for (int k = 0; k < expected.length; k++) {
            worst = Math.max(worst, Math.abs(got[k] - expected[k]) / Math.abs(expected[k]));
            worstScaled = Math.max(worstScaled, Math.abs(got[k] - expected[k]) / scale[k]);
        }
        System.out.printf(Locale.ROOT, "%-8s %-22s %14.7g %14.7g %10.2e %12.2e %8.1f%n", kind, what, got[0], expected[0], worst, worstScaled, best);
    }

    private static Plan plan(List<int[]> inputs, int[] output) {
        return Plan.fromPath(Network.of(inputs, output, new long[] {N, N}), List.of(new int[] {0, 1}), "pair", 0);
    }

    private static NdDense data(String kind) {
        INDArray a = Nd4j.createUninitialized(DataType.FLOAT, new long[] {N, N}, 'c');
        FloatBuffer f = (FloatBuffer) buffer(new NdDense(a, DType.FLOAT32));
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < N * N; i++) {
            if (kind.equals("uniform")) {
                f.put(i, (float) rnd.nextDouble());
            } else {
                double u, v, s;
                do {
                    u = 2 * rnd.nextDouble() - 1;
                    v = 2 * rnd.nextDouble() - 1;
                    s = u * u + v * v;
                } while (s == 0 || s >= 1);
                f.put(i, (float) (u * Math.sqrt(-2 * Math.log(s) / s)));
            }
        }
        return new NdDense(a, DType.FLOAT32);
    }

    private static java.nio.Buffer buffer(NdDense d) {
        java.nio.ByteBuffer b = d.array().data().asNio().order(java.nio.ByteOrder.nativeOrder());
        return b.asFloatBuffer();
    }
}
