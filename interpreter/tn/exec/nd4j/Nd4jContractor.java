package tn.exec.nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tn.exec.DType;
import tn.exec.Dense;
import tn.plan.Network;
import tn.plan.Plan;

/**
 * Executes a contraction {@link Plan} on ND4J. Each input is first prepared (a repeated leg
 * becomes its diagonal, read through a strided view; a private leg is summed out), then every
 * pairwise step is one GEMM: both operands are permuted to (batch, free, contracted) and
 * reshaped to rank 3 (rank 2 without batch legs), multiplied, and the result is reshaped and
 * permuted to the step's leg order. Inputs are never mutated.
 */
public final class Nd4jContractor {

    private final boolean smallKernel;

    /** A contractor that runs small plans in plain Java (see {@link tn.exec.SmallContractor}). */
    public Nd4jContractor() {
        this(true);
    }

    /** With {@code smallKernel} false every plan goes through ND4J (tests use this to cover both paths). */
    public Nd4jContractor(boolean smallKernel) {
        this.smallKernel = smallKernel;
    }

    /** Steps up to this many multiply-adds run in plain Java even inside a large plan. */
    static final double SMALL_STEP = 262_144;

    /**
     * An intermediate: the leg ids of its axes and its data, either as an ND4J array (C order) or
     * as plain row-major doubles (after a step done in Java); converted only when needed.
     */
    private static final class Operand {
        private INDArray array;
        private double[] values;
        private final int[] legs;
        private final DataType type;

        Operand(INDArray array, int[] legs) {
            this.array = array;
            this.legs = legs;
            this.type = array.dataType();
        }

        Operand(double[] values, int[] legs, DataType type) {
            this.values = values;
            this.legs = legs;
            this.type = type;
        }

        int[] legs() { return legs; }

        INDArray array(long[] sizes) {
            if (array == null) {
                long[] shape = Arrays.stream(legs).mapToLong(l -> sizes[l]).toArray();
                if (shape.length == 0) {
                    array = Nd4j.scalar(type, values[0]);
                } else if (type == DataType.DOUBLE) {
                    array = Nd4j.create(values, shape, 'c');
                } else {
                    float[] f = new float[values.length];
                    for (int i = 0; i < f.length; i++) f[i] = (float) values[i];
                    array = Nd4j.create(f, shape, 'c');
                }
            }
            return array;
        }

        double[] values() {
            if (values == null) values = array.rank() == 0 ? new double[] {array.getDouble(0)} : contiguous(array).data().asDouble();
            return values;
        }
    }

    public Dense contract(Plan plan, List<Dense> operands) {
        Network n = plan.network();
        DType dtype = operands.get(0).dtype();
        for (Dense d : operands) dtype = DType.promote(dtype, d.dtype());
        if (smallKernel && tn.exec.SmallContractor.suits(plan)) return small(plan, operands, dtype);
        DataType type = Nd4jBackend.type(dtype);
        List<Operand> ops = new ArrayList<>();
        for (int k = 0; k < operands.size(); k++) {
            INDArray a = ((NdDense) operands.get(k)).array();
            if (a.dataType() != type) a = a.castTo(type);
            ops.add(prepare(a, n.inputs().get(k), plan.prepared().get(k)));
        }
        for (Plan.Step step : plan.steps()) {
            checkInterrupted();
            Operand left = ops.get(step.left()), right = ops.get(step.right());
            Operand result = step.cost() <= SMALL_STEP && smallKernel
                    ? new Operand(tn.exec.SmallContractor.pair(left.values(), left.legs(), right.values(), right.legs(), step, n.sizes(), Blas.GEMM),
                            tn.exec.SmallContractor.pairLegs(step), type)
                    : pair(left, right, step, n.sizes());
            ops.remove(step.right());
            ops.remove(step.left());
            ops.add(result);
        }
        Operand last = ops.get(0);
        int[] output = n.output();
        // Legs not in the output (only possible with a single input) are summed out.
        List<Integer> extra = new ArrayList<>();
        for (int k = 0; k < last.legs().length; k++) if (indexOf(output, last.legs()[k]) < 0) extra.add(k);
        INDArray a = last.array(n.sizes());
        int[] legs = last.legs();
        if (!extra.isEmpty()) {
            a = sum(a, extra.stream().mapToInt(Integer::intValue).toArray());
            legs = Arrays.stream(legs).filter(l -> indexOf(output, l) >= 0).toArray();
        }
        int[] perm = new int[output.length];
        for (int k = 0; k < perm.length; k++) perm[k] = indexOf(legs, output[k]);
        a = permute(a, perm);
        if (isInput(a, operands)) a = a.dup('c'); // never hand back a caller's array
        return new NdDense(a, dtype);
    }

    /** Small networks: one copy out of ND4J, the plan in plain Java, one copy back. */
    private static Dense small(Plan plan, List<Dense> operands, DType dtype) {
        List<double[]> data = new ArrayList<>();
        for (Dense d : operands) data.add(((NdDense) d).doubles());
        double[] out = tn.exec.SmallContractor.contract(plan, data, Blas.GEMM);
        long[] shape = java.util.Arrays.stream(plan.network().output()).mapToLong(l -> plan.network().sizes()[l]).toArray();
        INDArray r;
        if (shape.length == 0) {
            r = Nd4j.scalar(Nd4jBackend.type(dtype), out[0]);
        } else if (dtype == DType.FLOAT64) {
            r = Nd4j.create(out, shape, 'c');
        } else {
            float[] f = new float[out.length];
            for (int i = 0; i < f.length; i++) f[i] = (float) out[i];
            r = Nd4j.create(f, shape, 'c');
        }
        return new NdDense(r, dtype);
    }

    private static boolean isInput(INDArray a, List<Dense> operands) {
        for (Dense d : operands) if (((NdDense) d).array() == a) return true;
        return false;
    }

    private static void checkInterrupted() {
        if (Thread.currentThread().isInterrupted()) throw new java.util.concurrent.CancellationException("interrupted");
    }

    /** Takes diagonals of repeated legs and sums out the legs that {@code prepared} drops. */
    private static Operand prepare(INDArray a, int[] legs, int[] prepared) {
        int[] unique = Arrays.stream(legs).distinct().toArray();
        if (unique.length < legs.length) {
            a = diagonal(a, legs, unique);
            legs = unique;
        }
        if (prepared.length < legs.length) {
            List<Integer> axes = new ArrayList<>();
            for (int k = 0; k < legs.length; k++) if (indexOf(prepared, legs[k]) < 0) axes.add(k);
            a = sum(a, axes.stream().mapToInt(Integer::intValue).toArray());
            int[] kept = new int[prepared.length];
            for (int k = 0, j = 0; k < legs.length; k++) if (indexOf(prepared, legs[k]) >= 0) kept[j++] = legs[k];
            legs = kept;
        }
        // prepared order is first-occurrence order of the kept legs, which is what we have.
        return new Operand(a, legs);
    }

    /**
     * The generalised diagonal: one axis per distinct leg, its stride the sum of the strides of
     * the axes carrying that leg, over the same buffer; then copied out.
     */
    private static INDArray diagonal(INDArray a, int[] legs, int[] unique) {
        INDArray c = a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
        long[] strides = c.stride();
        long[] shape = new long[unique.length];
        long[] newStrides = new long[unique.length];
        for (int u = 0; u < unique.length; u++) {
            for (int k = 0; k < legs.length; k++) {
                if (legs[k] == unique[u]) {
                    shape[u] = c.size(k);
                    newStrides[u] += strides[k];
                }
            }
        }
        INDArray view = Nd4j.create(c.data(), shape, newStrides, c.offset(), 'c');
        return view.dup('c');
    }

    private static INDArray sum(INDArray a, int[] axes) {
        if (axes.length == 0) return a;
        return Nd4jBackend.reduceAxes(a, axes, tn.exec.Backend.Reduction.SUM);
    }

    /**
     * One step as a (batched) GEMM. Each operand is used as it lies when its axes are already
     * grouped as (batch, free, contracted) or (batch, contracted, free), the second through the
     * GEMM's transpose flag; otherwise it is permuted. The result keeps the GEMM's layout
     * (batch, left free, right free): copying large results into another order is what costs
     * most, and only the final output order matters.
     */
    private static Operand pair(Operand lo, Operand ro, Plan.Step step, long[] sizes) {
        Operand l = new Operand(lo.array(sizes), lo.legs()), r = new Operand(ro.array(sizes), ro.legs());
        int[] batch = step.batch();
        int[] contracted = step.contracted();
        int[] freeL = Arrays.stream(l.legs()).filter(x -> indexOf(batch, x) < 0 && indexOf(contracted, x) < 0).toArray();
        int[] freeR = Arrays.stream(r.legs()).filter(x -> indexOf(batch, x) < 0 && indexOf(contracted, x) < 0).toArray();
        long nb = product(batch, sizes), nc = product(contracted, sizes), nl = product(freeL, sizes), nr = product(freeR, sizes);
        // Left as [b, nl, nc] (or transposed [b, nc, nl]); right as [b, nc, nr] (or [b, nr, nc]).
        int[] lNormal = concat(batch, freeL, contracted), lTrans = concat(batch, contracted, freeL);
        int[] rNormal = concat(batch, contracted, freeR), rTrans = concat(batch, freeR, contracted);
        boolean transL = !Arrays.equals(l.legs(), lNormal) && Arrays.equals(l.legs(), lTrans);
        boolean transR = !Arrays.equals(r.legs(), rNormal) && Arrays.equals(r.legs(), rTrans);
        INDArray a = transL ? contiguous(l.array(sizes)) : permute(l.array(sizes), order(l.legs(), batch, freeL, contracted));
        INDArray b = transR ? contiguous(r.array(sizes)) : permute(r.array(sizes), order(r.legs(), batch, contracted, freeR));
        INDArray out;
        if (batch.length == 0) {
            INDArray a2 = a.reshape('c', transL ? new long[] {nc, nl} : new long[] {nl, nc});
            INDArray b2 = b.reshape('c', transR ? new long[] {nr, nc} : new long[] {nc, nr});
            out = Nd4j.gemm(a2, b2, transL, transR);
        } else {
            INDArray a3 = a.reshape('c', transL ? new long[] {nb, nc, nl} : new long[] {nb, nl, nc});
            INDArray b3 = b.reshape('c', transR ? new long[] {nb, nr, nc} : new long[] {nb, nc, nr});
            out = Nd4j.matmul(a3, b3, null, transL, transR, false);
        }
        int[] have = concat(batch, freeL, freeR);
        long[] shape = Arrays.stream(have).mapToLong(x -> sizes[x]).toArray();
        return new Operand(contiguous(out).reshape('c', shape), have);
    }

    private static INDArray contiguous(INDArray a) {
        return a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
    }

    /** A C-ordered array with axes permuted (no copy when the order is unchanged). */
    static INDArray permute(INDArray a, int[] perm) {
        boolean identity = true;
        for (int k = 0; k < perm.length; k++) identity &= perm[k] == k;
        if (identity) return a.isView() || a.ordering() != 'c' ? a.dup('c') : a;
        return a.permute(perm).dup('c');
    }

    private static int[] order(int[] legs, int[]... groups) {
        int[] perm = new int[legs.length];
        int k = 0;
        for (int[] g : groups) for (int leg : g) perm[k++] = indexOf(legs, leg);
        return perm;
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    private static long product(int[] legs, long[] sizes) {
        long p = 1;
        for (int l : legs) p *= sizes[l];
        return p;
    }

    static int indexOf(int[] a, int x) {
        for (int k = 0; k < a.length; k++) if (a[k] == x) return k;
        return -1;
    }
}
