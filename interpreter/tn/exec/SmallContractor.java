package tn.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tn.plan.Network;
import tn.plan.Plan;

/**
 * Executes a small contraction plan in plain Java on double arrays. A native backend pays tens
 * of microseconds per call (ND4J: ~50 us for an 8x8 product), which dominates networks of small
 * tensors; here the whole plan runs without leaving the JVM. Same semantics as
 * {@link Backend#contract}: prepare inputs (diagonals, private legs summed), then each step is a
 * batched matrix product over (batch, free, contracted) layouts, then the final permutation.
 */
public final class SmallContractor {
    /** Plans up to this many multiply-adds (and intermediates up to this many elements) run here. */
    public static final double MAX_COST = 4e6;
    public static final double MAX_ELEMENTS = 1e6;

    private SmallContractor() {}

    /**
     * A matrix product C[m, n] = A[m, k] B[k, n] on row-major arrays starting at the offsets.
     * The default is plain Java loops; a backend can plug in a BLAS.
     */
    @FunctionalInterface
    public interface Gemm {
        void multiply(int m, int n, int k, double[] a, int aOffset, double[] b, int bOffset, double[] c, int cOffset);
    }

    /** The plain-Java product (i-k-j loops, which the JIT vectorises). */
    public static final Gemm JAVA = (m, n, k, a, ao, b, bo, c, co) -> {
        for (int i = 0; i < m; i++) {
            int ci = co + i * n;
            for (int q = 0; q < k; q++) {
                double av = a[ao + i * k + q];
                if (av == 0) continue;
                int bq = bo + q * n;
                for (int j = 0; j < n; j++) c[ci + j] += av * b[bq + j];
            }
        }
    };

    public static boolean suits(Plan plan) {
        return plan.slicedLegs().length == 0 && plan.cost() <= MAX_COST && plan.largestIntermediate() <= MAX_ELEMENTS;
    }

    /** An operand: row-major data and the leg ids of its axes. */
    private record Op(double[] data, int[] legs) {}

    /** Contracts; {@code inputs} are row-major data of the network's inputs. Returns the output's data. */
    public static double[] contract(Plan plan, List<double[]> inputs) {
        return contract(plan, inputs, JAVA);
    }

    /** As {@link #contract(Plan, List)}, with the matrix products done by {@code gemm}. */
    public static double[] contract(Plan plan, List<double[]> inputs, Gemm gemm) {
        Network n = plan.network();
        long[] sizes = n.sizes();
        List<Op> ops = new ArrayList<>();
        for (int k = 0; k < inputs.size(); k++) ops.add(prepare(inputs.get(k), n.inputs().get(k), plan.prepared().get(k), sizes));
        for (Plan.Step s : plan.steps()) {
            Op a = ops.get(s.left()), b = ops.get(s.right());
            Op r = pair(a, b, s, sizes, gemm);
            ops.remove(s.right());
            ops.remove(s.left());
            ops.add(r);
        }
        Op last = ops.get(0);
        // Sum legs not in the output (single-input networks), then order as the output.
        int[] out = n.output();
        Op kept = reduceTo(last, out, sizes);
        return permute(kept.data, kept.legs, out, sizes);
    }

    private static Op prepare(double[] data, int[] legs, int[] prepared, long[] sizes) {
        int[] unique = Arrays.stream(legs).distinct().toArray();
        if (unique.length < legs.length) {
            // Generalised diagonal: walk the distinct legs, read at the summed strides.
            long[] shape = Arrays.stream(legs).mapToLong(l -> sizes[l]).toArray();
            int[] strides = strides(shape);
            int[] ustride = new int[unique.length];
            for (int u = 0; u < unique.length; u++) for (int k = 0; k < legs.length; k++) if (legs[k] == unique[u]) ustride[u] += strides[k];
            long[] ushape = Arrays.stream(unique).mapToLong(l -> sizes[l]).toArray();
            double[] d = new double[(int) product(ushape)];
            int[] idx = new int[unique.length];
            for (int i = 0; i < d.length; i++) {
                int off = 0;
                for (int u = 0; u < idx.length; u++) off += idx[u] * ustride[u];
                d[i] = data[off];
                increment(idx, ushape);
            }
            data = d;
            legs = unique;
        }
        return reduceTo(new Op(data, legs), prepared, sizes);
    }

    /** Sums out every leg of {@code op} not in {@code keep} (keeping the others' order). */
    private static Op reduceTo(Op op, int[] keep, long[] sizes) {
        int[] kept = Arrays.stream(op.legs).filter(l -> indexOf(keep, l) >= 0).toArray();
        if (kept.length == op.legs.length) return op;
        long[] shape = Arrays.stream(op.legs).mapToLong(l -> sizes[l]).toArray();
        long[] kshape = Arrays.stream(kept).mapToLong(l -> sizes[l]).toArray();
        int[] kstrides = strides(kshape);
        int[] map = new int[op.legs.length]; // stride in the result for each input axis (0 if summed)
        for (int k = 0; k < op.legs.length; k++) {
            int j = indexOf(kept, op.legs[k]);
            map[k] = j < 0 ? 0 : kstrides[j];
        }
        double[] out = new double[(int) product(kshape)];
        int[] idx = new int[op.legs.length];
        for (double v : op.data) {
            int o = 0;
            for (int k = 0; k < idx.length; k++) o += idx[k] * map[k];
            out[o] += v;
            increment(idx, shape);
        }
        return new Op(out, kept);
    }

    /** One step on plain arrays: the result's data, with legs {@link #pairLegs}. */
    public static double[] pair(double[] a, int[] aLegs, double[] b, int[] bLegs, Plan.Step s, long[] sizes, Gemm gemm) {
        return pair(new Op(a, aLegs), new Op(b, bLegs), s, sizes, gemm).data;
    }

    /** The legs of a step's result as {@link #pair(double[], int[], double[], int[], Plan.Step, long[], Gemm)} lays them out. */
    public static int[] pairLegs(Plan.Step s) {
        return s.result();
    }

    private static Op pair(Op a, Op b, Plan.Step s, long[] sizes, Gemm gemm) {
        int[] batch = s.batch(), con = s.contracted();
        int[] freeA = Arrays.stream(a.legs).filter(l -> indexOf(batch, l) < 0 && indexOf(con, l) < 0).toArray();
        int[] freeB = Arrays.stream(b.legs).filter(l -> indexOf(batch, l) < 0 && indexOf(con, l) < 0).toArray();
        int nb = (int) product(batch, sizes), nc = (int) product(con, sizes);
        int na = (int) product(freeA, sizes), nr = (int) product(freeB, sizes);
        double[] x = permute(a.data, a.legs, concat(batch, freeA, con), sizes);   // [nb, na, nc]
        double[] y = permute(b.data, b.legs, concat(batch, con, freeB), sizes);   // [nb, nc, nr]
        double[] z = new double[nb * na * nr];
        for (int p = 0; p < nb; p++) gemm.multiply(na, nr, nc, x, p * na * nc, y, p * nc * nr, z, p * na * nr);
        int[] have = concat(batch, freeA, freeB);
        return new Op(permute(z, have, s.result(), sizes), s.result());
    }

    /** The data of legs {@code from} rearranged into the order {@code to} (same set of legs). */
    private static double[] permute(double[] data, int[] from, int[] to, long[] sizes) {
        if (Arrays.equals(from, to)) return data;
        long[] shape = Arrays.stream(to).mapToLong(l -> sizes[l]).toArray();
        int[] fromStrides = strides(Arrays.stream(from).mapToLong(l -> sizes[l]).toArray());
        int[] step = new int[to.length];
        for (int k = 0; k < to.length; k++) step[k] = fromStrides[indexOf(from, to[k])];
        double[] out = new double[data.length];
        int[] idx = new int[to.length];
        for (int i = 0; i < out.length; i++) {
            int off = 0;
            for (int k = 0; k < idx.length; k++) off += idx[k] * step[k];
            out[i] = data[off];
            increment(idx, shape);
        }
        return out;
    }

    private static void increment(int[] idx, long[] shape) {
        for (int k = idx.length - 1; k >= 0; k--) {
            if (++idx[k] < shape[k]) return;
            idx[k] = 0;
        }
    }

    private static int[] strides(long[] shape) {
        int[] s = new int[shape.length];
        int m = 1;
        for (int k = shape.length - 1; k >= 0; k--) { s[k] = m; m *= (int) shape[k]; }
        return s;
    }

    private static long product(long[] shape) {
        long p = 1;
        for (long s : shape) p *= s;
        return p;
    }

    private static long product(int[] legs, long[] sizes) {
        long p = 1;
        for (int l : legs) p *= sizes[l];
        return p;
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    private static int indexOf(int[] a, int x) {
        for (int k = 0; k < a.length; k++) if (a[k] == x) return k;
        return -1;
    }
}
