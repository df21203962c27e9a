package tn.exec.nd4j;

import java.lang.ref.Reference;
import java.nio.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tn.exec.BufferContractor;
import tn.exec.DType;
import tn.exec.Dense;
import tn.plan.Network;
import tn.plan.Plan;

/**
 * Executes a contraction {@link Plan}. Every plan whose buffers can be indexed by int runs in
 * {@link BufferContractor} on ND4J's native memory (Java gathers, OpenBLAS GEMMs in place through
 * {@link Blas}, no ND4J operation on the way: ND4J pays tens of microseconds per call and its own
 * gemm reaches about a third of OpenBLAS's speed here). Larger plans go through ND4J: each input is prepared (a repeated leg
 * becomes its diagonal, read through a strided view; a private leg is summed out), then every
 * pairwise step is one ND4J GEMM over operands permuted to (batch, free, contracted).
 * Inputs are never mutated.
 */
public final class Nd4jContractor {

    private final boolean buffers;

    /** A contractor that runs every plan whose buffers can be indexed by int in {@link BufferContractor}. */
    public Nd4jContractor() {
        this(true);
    }

    /** With {@code buffers} false every plan goes through ND4J operations (tests use this to cover both paths). */
    public Nd4jContractor(boolean buffers) {
        this.buffers = buffers;
    }

    /** An intermediate of the ND4J path: the leg ids of its axes and its data (C order). */
    private record Operand(INDArray array, int[] legs) {}

    public Dense contract(Plan plan, List<Dense> operands) {
        DType dtype = operands.get(0).dtype();
        for (Dense d : operands) dtype = DType.promote(dtype, d.dtype());
        if (buffers && BufferContractor.fits(plan)) return onBuffers(plan, operands, dtype);
        DType promoted = dtype;
        return Blas.openBlasThreads(() -> onNd4j(plan, operands, promoted));
    }

    /** The plan through ND4J's operations, whose products OpenBLAS threads itself. */
    private static Dense onNd4j(Plan plan, List<Dense> operands, DType dtype) {
        Network n = plan.network();
        DataType type = Nd4jBackend.type(dtype);
        List<Operand> ops = new ArrayList<>();
        for (int k = 0; k < operands.size(); k++) {
            INDArray a = Nd4jBackend.nd(operands.get(k)).array();
            if (a.dataType() != type) a = a.castTo(type);
            ops.add(prepare(a, n.inputs().get(k), plan.prepared().get(k)));
        }
        for (Plan.Step step : plan.steps()) {
            checkInterrupted();
            Operand result = pair(ops.get(step.left()), ops.get(step.right()), step, n.sizes());
            ops.remove(step.right());
            ops.remove(step.left());
            ops.add(result);
        }
        Operand last = ops.get(0);
        int[] output = n.output();
        // Legs not in the output (only possible with a single input) are summed out.
        List<Integer> extra = new ArrayList<>();
        for (int k = 0; k < last.legs().length; k++) if (indexOf(output, last.legs()[k]) < 0) extra.add(k);
        INDArray a = last.array();
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

    /**
     * The plan on native buffers in the operands' type: inputs read where they lie in ND4J's
     * memory, temporaries malloc'd and freed step by step, the output written into a new array.
     */
    private static Dense onBuffers(Plan plan, List<Dense> operands, DType dtype) {
        DataType type = Nd4jBackend.type(dtype);
        List<Object> holders = new ArrayList<>();
        List<BufferContractor.Input> inputs = new ArrayList<>();
        List<int[]> oneHots = operands.stream().map(Dense::oneHotColumns).toList();
        for (int k = 0; k < operands.size(); k++) {
            Dense d = operands.get(k);
            if (d instanceof NdOneHot h && h.dtype() == dtype && BufferContractor.readsColumnsOnly(plan, k, oneHots)) {
                inputs.add(new BufferContractor.Input(null, oneHots.get(k))); // rows picked: the entries are never read
                continue;
            }
            if (d instanceof NdView v && v.dtype() == dtype) { // read where it lies
                NdDense.Read read = v.baseEntries();
                holders.add(read.holder());
                inputs.add(new BufferContractor.Input(read.buffer(), null, v.offset(), v.steps()));
                continue;
            }
            NdDense.Read read = Nd4jBackend.nd(d).read(type);
            holders.add(read.holder());
            inputs.add(new BufferContractor.Input(read.buffer(), d.oneHotColumns()));
        }
        long[] shape = Arrays.stream(plan.network().output()).mapToLong(l -> plan.network().sizes()[l]).toArray();
        try (NativeMemory memory = new NativeMemory(dtype, shape)) {
            new BufferContractor(Blas.GEMM, memory, Nd4jContractor::checkInterrupted).contractInputs(plan, inputs);
            return memory.result();
        } finally {
            Reference.reachabilityFence(holders); // the buffers are views of these values' memory
        }
    }

    private static boolean isInput(INDArray a, List<Dense> operands) {
        for (Dense d : operands) if (Nd4jBackend.nd(d).array() == a) return true;
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
        return NdArithmetic.reduceAxes(a, axes, tn.exec.Backend.Reduction.SUM);
    }

    /**
     * One step as a (batched) GEMM. Each operand is used as it lies when its axes are already
     * grouped as (batch, free, contracted) or (batch, contracted, free), the second through the
     * GEMM's transpose flag; otherwise it is permuted. The result keeps the GEMM's layout
     * (batch, left free, right free): copying large results into another order is what costs
     * most, and only the final output order matters.
     */
    private static Operand pair(Operand l, Operand r, Plan.Step step, long[] sizes) {
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
        INDArray a = transL ? contiguous(l.array()) : permute(l.array(), order(l.legs(), batch, freeL, contracted));
        INDArray b = transR ? contiguous(r.array()) : permute(r.array(), order(r.legs(), batch, contracted, freeR));
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
