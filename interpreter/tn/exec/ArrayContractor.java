package tn.exec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tn.plan.Network;
import tn.plan.Plan;

/**
 * Executes a contraction plan on plain Java arrays ({@code float[]} or {@code double[]}), with
 * the matrix products handed to a {@link Gemm} (a BLAS in production, Java loops in tests). A
 * native array library pays tens of microseconds per operation and copies every permuted
 * operand; here each step is at most one gather per operand plus one GEMM call:
 * <ul>
 *   <li>inputs are prepared (a repeated leg becomes its diagonal, private legs are summed);</li>
 *   <li>a step's operands are used as they lie when their axes are already grouped as
 *       (batch, free, contracted) or (batch, contracted, free), the latter through the GEMM's
 *       transpose flag; the batch and contracted legs take the order they have in the larger
 *       operand, so the larger one is the one left in place;</li>
 *   <li>results keep the GEMM's layout (batch, left free, right free); only the final output is
 *       permuted into the requested order.</li>
 * </ul>
 * Arrays are limited to 2^31 - 1 entries: {@link #fits} says whether a plan can run here.
 */
public final class ArrayContractor {
    /** The largest array a plan may need (Java arrays are indexed by int). */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 16;

    /**
     * Batched row-major matrix products on arrays: for p in [0, batch),
     * C_p[m, n] = op(A_p) op(B_p) where op(A_p) is [m, k] (stored [k, m] when transposed) and
     * op(B_p) is [k, n] (stored [n, k] when transposed); the batches lie one after another.
     */
    public interface Gemm {
        void multiply(int batch, int m, int n, int k, double[] a, boolean transA, double[] b, boolean transB, double[] c);

        void multiply(int batch, int m, int n, int k, float[] a, boolean transA, float[] b, boolean transB, float[] c);

        /**
         * The same product (a and b both {@code float[]} or both {@code double[]}) written straight
         * into new storage of the caller's own kind holding the result in the given row-major
         * shape, saving the copies out of an array; null when this Gemm has no such storage (or
         * the product is too small to bother). Used for a plan's last step when its layout is
         * already the output's.
         */
        default Object multiplyToOutput(int batch, int m, int n, int k, Object a, boolean transA, Object b, boolean transB, long[] shape) {
            return null;
        }
    }

    /** The plain-Java products (i-q-j loops over contiguous rows, which the JIT vectorises). */
    public static final Gemm JAVA = new Gemm() {
        @Override
        public void multiply(int batch, int m, int n, int k, double[] a, boolean ta, double[] b, boolean tb, double[] c) {
            for (int p = 0; p < batch; p++) {
                int ao = p * m * k, bo = p * k * n, co = p * m * n;
                for (int i = 0; i < m; i++) {
                    for (int q = 0; q < k; q++) {
                        double av = a[ao + (ta ? q * m + i : i * k + q)];
                        int ci = co + i * n;
                        if (tb) for (int j = 0; j < n; j++) c[ci + j] += av * b[bo + j * k + q];
                        else for (int j = 0, bq = bo + q * n; j < n; j++) c[ci + j] += av * b[bq + j];
                    }
                }
            }
        }

        @Override
        public void multiply(int batch, int m, int n, int k, float[] a, boolean ta, float[] b, boolean tb, float[] c) {
            for (int p = 0; p < batch; p++) {
                int ao = p * m * k, bo = p * k * n, co = p * m * n;
                for (int i = 0; i < m; i++) {
                    for (int q = 0; q < k; q++) {
                        float av = a[ao + (ta ? q * m + i : i * k + q)];
                        int ci = co + i * n;
                        if (tb) for (int j = 0; j < n; j++) c[ci + j] += av * b[bo + j * k + q];
                        else for (int j = 0, bq = bo + q * n; j < n; j++) c[ci + j] += av * b[bq + j];
                    }
                }
            }
        }
    };

    private final Gemm gemm;
    private final Runnable betweenSteps;

    /** {@code betweenSteps} runs before every step (a cancellation check may throw from it). */
    public ArrayContractor(Gemm gemm, Runnable betweenSteps) {
        this.gemm = gemm;
        this.betweenSteps = betweenSteps;
    }

    /** Whether every array the plan needs (inputs, intermediates, output) fits a Java array. */
    public static boolean fits(Plan plan) {
        if (plan.slicedLegs().length > 0 || plan.largestIntermediate() > MAX_ARRAY) return false;
        long[] sizes = plan.network().sizes();
        for (int[] legs : plan.network().inputs()) if (product(legs, sizes) > MAX_ARRAY) return false;
        return true;
    }

    /** An operand: row-major data ({@code float[]} or {@code double[]}) and the legs of its axes. */
    private record Op(Object data, int[] legs) {}

    /**
     * Contracts; {@code inputs} are the row-major data of the network's inputs, all
     * {@code double[]} or all {@code float[]} (the arithmetic is done in that type). Returns the
     * output's data in the same type, or in the storage of {@link Gemm#multiplyToOutput}.
     */
    public Object contract(Plan plan, List<?> inputs) {
        Network n = plan.network();
        long[] sizes = n.sizes();
        List<Op> ops = new ArrayList<>();
        for (int k = 0; k < inputs.size(); k++) {
            ops.add(prepare(new Op(inputs.get(k), n.inputs().get(k)), plan.prepared().get(k), sizes));
        }
        List<Plan.Step> steps = plan.steps();
        for (int k = 0; k < steps.size(); k++) {
            betweenSteps.run();
            Plan.Step s = steps.get(k);
            Op r = pair(ops.get(s.left()), ops.get(s.right()), s, sizes, k == steps.size() - 1 ? n.output() : null);
            if (!(r.data instanceof double[] || r.data instanceof float[])) return r.data; // the output, in the Gemm's storage
            ops.remove(s.right());
            ops.remove(s.left());
            ops.add(r);
        }
        Op last = reduceTo(ops.get(0), n.output(), sizes);
        return gather(last, n.output(), sizes);
    }

    /** Diagonals of repeated legs, then the legs {@code prepared} drops summed out. */
    private static Op prepare(Op op, int[] prepared, long[] sizes) {
        int[] legs = op.legs;
        int[] unique = Arrays.stream(legs).distinct().toArray();
        if (unique.length < legs.length) {
            // Generalised diagonal: one axis per distinct leg, read at the summed strides.
            long[] strides = strides(legs, sizes);
            long[] step = new long[unique.length];
            for (int u = 0; u < unique.length; u++) for (int k = 0; k < legs.length; k++) if (legs[k] == unique[u]) step[u] += strides[k];
            op = new Op(Strided.gather(op.data, 0, shape(unique, sizes), step), unique);
        }
        return reduceTo(op, prepared, sizes);
    }

    /** Sums out every leg of {@code op} not in {@code keep} (the others keep their order). */
    private static Op reduceTo(Op op, int[] keep, long[] sizes) {
        int[] kept = Arrays.stream(op.legs).filter(l -> indexOf(keep, l) >= 0).toArray();
        if (kept.length == op.legs.length) return op;
        int[] summed = Arrays.stream(op.legs).filter(l -> indexOf(keep, l) < 0).toArray();
        Object grouped = gather(op, concat(kept, summed), sizes);
        int run = (int) product(summed, sizes);
        return new Op(Strided.sumRuns(grouped, run), kept);
    }

    /** The data of {@code op} with its axes in the order {@code to} (the same legs); no copy if unchanged. */
    private static Object gather(Op op, int[] to, long[] sizes) {
        if (Arrays.equals(op.legs, to)) return op.data;
        long[] from = strides(op.legs, sizes);
        long[] step = new long[to.length];
        for (int k = 0; k < to.length; k++) step[k] = from[indexOf(op.legs, to[k])];
        return Strided.gather(op.data, 0, shape(to, sizes), step);
    }

    /**
     * One step as a batched GEMM; the result's axes are (batch, left free, right free). With
     * {@code output} (the last step) and that layout equal to it, the GEMM may write the output
     * into its own storage.
     */
    private Op pair(Op a, Op b, Plan.Step s, long[] sizes, int[] output) {
        Op big = Strided.length(a.data) >= Strided.length(b.data) ? a : b;
        int[] batch = inOrderOf(big.legs, s.batch());
        int[] con = inOrderOf(big.legs, s.contracted());
        int[] freeA = Arrays.stream(a.legs).filter(l -> indexOf(batch, l) < 0 && indexOf(con, l) < 0).toArray();
        int[] freeB = Arrays.stream(b.legs).filter(l -> indexOf(batch, l) < 0 && indexOf(con, l) < 0).toArray();
        int nb = (int) product(batch, sizes), nc = (int) product(con, sizes);
        int m = (int) product(freeA, sizes), n = (int) product(freeB, sizes);
        // A as [nb, m, nc], or as it lies if that is [nb, nc, m] (transposed).
        boolean ta = !Arrays.equals(a.legs, concat(batch, freeA, con)) && Arrays.equals(a.legs, concat(batch, con, freeA));
        Object x = ta ? a.data : gather(a, concat(batch, freeA, con), sizes);
        // B as [nb, nc, n], or as it lies if that is [nb, n, nc] (transposed).
        boolean tb = !Arrays.equals(b.legs, concat(batch, con, freeB)) && Arrays.equals(b.legs, concat(batch, freeB, con));
        Object y = tb ? b.data : gather(b, concat(batch, con, freeB), sizes);
        int[] legs = concat(batch, freeA, freeB);
        if (output != null && Arrays.equals(legs, output)) {
            Object out = gemm.multiplyToOutput(nb, m, n, nc, x, ta, y, tb, shape(output, sizes));
            if (out != null) return new Op(out, legs);
        }
        Object z;
        if (x instanceof double[] dx) {
            double[] dz = new double[Math.multiplyExact(nb, Math.multiplyExact(m, n))];
            gemm.multiply(nb, m, n, nc, dx, ta, (double[]) y, tb, dz);
            z = dz;
        } else {
            float[] fz = new float[Math.multiplyExact(nb, Math.multiplyExact(m, n))];
            gemm.multiply(nb, m, n, nc, (float[]) x, ta, (float[]) y, tb, fz);
            z = fz;
        }
        return new Op(z, legs);
    }

    /** The legs of {@code subset} in the order they appear in {@code legs}. */
    private static int[] inOrderOf(int[] legs, int[] subset) {
        return Arrays.stream(legs).filter(l -> indexOf(subset, l) >= 0).toArray();
    }

    private static long[] shape(int[] legs, long[] sizes) {
        return Arrays.stream(legs).mapToLong(l -> sizes[l]).toArray();
    }

    private static long[] strides(int[] legs, long[] sizes) {
        long[] s = new long[legs.length];
        long m = 1;
        for (int k = legs.length - 1; k >= 0; k--) {
            s[k] = m;
            m *= sizes[legs[k]];
        }
        return s;
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
