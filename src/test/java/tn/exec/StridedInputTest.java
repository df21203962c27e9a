package tn.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.Buffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tn.plan.Network;
import tn.plan.Plan;
import tn.reference.ReferenceBackend;

/**
 * Inputs read where they lie ({@link BufferContractor.Input}: an offset and a step per axis, as a
 * strided view of a larger array has) against the naive reference on the same entries laid out
 * row-major; the entries around each view are NaN, so a read outside it shows. And the case the
 * views are for: GPT-2's x W_Q with W_Q the columns of c_attn, multiplied in place.
 */
class StridedInputTest {
    private final ReferenceBackend reference = new ReferenceBackend();

    /** An input's entries placed in a larger buffer: its axes in another order, each padded, the whole at an offset. */
    private record Placed(double[] buffer, long offset, long[] steps) {}

    private static Placed place(double[] rowMajor, long[] shape, Random rnd) {
        int r = shape.length;
        List<Integer> order = new ArrayList<>();
        for (int k = 0; k < r; k++) order.add(k);
        java.util.Collections.shuffle(order, rnd);
        long[] steps = new long[r];
        long extent = 1;
        for (int j = r - 1; j >= 0; j--) { // order.get(0) is the outermost axis in memory
            int axis = order.get(j);
            steps[axis] = extent;
            extent *= shape[axis] + (rnd.nextInt(3) == 0 ? rnd.nextInt(3) : 0);
        }
        long offset = rnd.nextInt(4);
        double[] buffer = new double[(int) (offset + Math.max(1, extent)) + rnd.nextInt(3)];
        Arrays.fill(buffer, Double.NaN);
        long[] index = new long[r];
        for (double v : rowMajor) {
            long at = offset;
            for (int k = 0; k < r; k++) at += index[k] * steps[k];
            buffer[(int) at] = v;
            for (int k = r - 1; k >= 0 && ++index[k] == shape[k]; k--) index[k] = 0;
        }
        return new Placed(buffer, offset, steps);
    }

    private static Buffer typed(double[] d, boolean f64) {
        if (f64) return DoubleBuffer.wrap(d.clone());
        float[] f = new float[d.length];
        for (int i = 0; i < f.length; i++) f[i] = (float) d[i];
        return FloatBuffer.wrap(f);
    }

    @Test
    void stridedInputsAgreeWithTheReferenceAndGiveBackEveryTemporary() {
        Random rnd = new Random(23);
        for (int trial = 0; trial < 400; trial++) {
            Network n = BackendAgreementTest.randomNetwork(rnd);
            List<int[]> path = BackendAgreementTest.randomPath(n, rnd);
            Plan plan = Plan.fromPath(n, path, "random", 0);
            List<Dense> slow = new ArrayList<>();
            List<Placed> placed = new ArrayList<>();
            for (int[] legs : n.inputs()) {
                long[] shape = Arrays.stream(legs).mapToLong(l -> n.sizes()[l]).toArray();
                double[] d = new double[(int) Arrays.stream(shape).reduce(1, (x, y) -> x * y)];
                for (int i = 0; i < d.length; i++) d[i] = (float) rnd.nextGaussian();
                slow.add(reference.fromDoubles(d, shape, DType.FLOAT64));
                placed.add(place(d, shape, rnd));
            }
            double[] expected = reference.toDoubles(reference.contract(plan, slow));
            String what = "trial " + trial + " " + n.equation() + " sizes " + Arrays.toString(n.sizes());
            for (boolean f64 : new boolean[] {true, false}) {
                List<BufferContractor.Input> inputs = new ArrayList<>();
                for (Placed p : placed) inputs.add(new BufferContractor.Input(typed(p.buffer(), f64), null, p.offset(), p.steps()));
                BufferContractorTest.Counting memory = new BufferContractorTest.Counting(f64);
                Buffer out = new BufferContractor(BufferContractor.JAVA, memory, () -> {}).contractInputs(plan, inputs);
                assertEquals(1, memory.outputs, what + ": output asked for once");
                assertEquals(1, memory.live.size(), what + ": every temporary given back");
                for (int i = 0; i < expected.length; i++) {
                    double got = f64 ? ((DoubleBuffer) out).get(i) : ((FloatBuffer) out).get(i);
                    assertEquals(expected[i], got, (f64 ? 1e-12 : 1e-4) * (1 + Math.abs(expected[i])), what + " entry " + i);
                }
            }
        }
    }

    /** A GEMM that records the operands it was given where they lie. */
    private static final class Recording implements BufferContractor.Gemm {
        final List<BufferContractor.Matrix> strided = new ArrayList<>();
        int packed;

        @Override
        public void multiply(int batch, int m, int n, int k, Buffer a, boolean ta, Buffer b, boolean tb, Buffer c) {
            packed++;
            BufferContractor.JAVA.multiply(batch, m, n, k, a, ta, b, tb, c);
        }

        @Override
        public void multiply(int batch, int m, int n, int k, BufferContractor.Matrix a, boolean ta, BufferContractor.Matrix b, boolean tb, Buffer c) {
            strided.add(a);
            strided.add(b);
            BufferContractor.Gemm.super.multiply(batch, m, n, k, a, ta, b, tb, c);
            packed--; // the default packs the operands and calls the packed product: not a call of the contractor's
        }
    }

    @Test
    void theColumnsOfAWiderMatrixAreMultipliedInPlace() {
        // x[pos, d] W[head, d, dh] -> [pos, head, dh], W being part 1 of c_attn [d, 3, head, dh]:
        // W's steps are (dh, 3 d, 1) at offset d. One GEMM with B at a leading dimension of 3 d, no gather.
        int pos = 5, d = 6, heads = 2, dh = 3, part = 1;
        int P = 0, D = 1, H = 2, E = 3;
        Network n = Network.of(List.of(new int[] {P, D}, new int[] {H, D, E}), new int[] {P, H, E}, new long[] {pos, d, heads, dh});
        Plan plan = Plan.fromPath(n, List.of(new int[] {0, 1}), "one step", 0);
        Random rnd = new Random(3);
        double[] x = new double[pos * d], attn = new double[d * 3 * d];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextGaussian();
        for (int i = 0; i < attn.length; i++) attn[i] = rnd.nextGaussian();
        double[] expected = new double[pos * heads * dh];
        for (int p = 0; p < pos; p++) for (int h = 0; h < heads; h++) for (int e = 0; e < dh; e++) for (int q = 0; q < d; q++) {
            expected[(p * heads + h) * dh + e] += x[p * d + q] * attn[q * 3 * d + part * d + h * dh + e];
        }
        Recording gemm = new Recording();
        BufferContractorTest.Counting memory = new BufferContractorTest.Counting(true);
        Buffer out = new BufferContractor(gemm, memory, () -> {}).contractInputs(plan, List.of(
                new BufferContractor.Input(DoubleBuffer.wrap(x), null),
                new BufferContractor.Input(DoubleBuffer.wrap(attn), null, (long) part * d, new long[] {dh, 3L * d, 1})));
        assertEquals(1, memory.allocations, "only the output is allocated: W is not gathered");
        assertEquals(0, gemm.packed);
        assertEquals(2, gemm.strided.size());
        BufferContractor.Matrix w = gemm.strided.get(0).ld() == 3 * d ? gemm.strided.get(0) : gemm.strided.get(1);
        assertEquals(3 * d, w.ld());
        assertEquals((long) part * d, w.offset());
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], ((DoubleBuffer) out).get(i), 1e-12, "entry " + i);
    }

    @Test
    void aViewWhoseAxesDoNotLieAsTheProductNeedsIsGathered() {
        // The same W read with its head and d_head axes swapped in memory and a gap after each
        // d_head (steps (1, 3 d, heads + 1)): its columns (head, d_head) do not lie at one step in
        // either order, so it is gathered, and the numbers hold.
        int pos = 4, d = 6, heads = 2, dh = 3;
        Network n = Network.of(List.of(new int[] {0, 1}, new int[] {2, 1, 3}), new int[] {0, 2, 3}, new long[] {pos, d, heads, dh});
        Plan plan = Plan.fromPath(n, List.of(new int[] {0, 1}), "one step", 0);
        Random rnd = new Random(4);
        double[] x = new double[pos * d], attn = new double[d * 3 * d];
        for (int i = 0; i < x.length; i++) x[i] = rnd.nextGaussian();
        for (int i = 0; i < attn.length; i++) attn[i] = rnd.nextGaussian();
        double[] expected = new double[pos * heads * dh];
        for (int p = 0; p < pos; p++) for (int h = 0; h < heads; h++) for (int e = 0; e < dh; e++) for (int q = 0; q < d; q++) {
            expected[(p * heads + h) * dh + e] += x[p * d + q] * attn[q * 3 * d + e * (heads + 1) + h];
        }
        Recording gemm = new Recording();
        BufferContractorTest.Counting memory = new BufferContractorTest.Counting(true);
        Buffer out = new BufferContractor(gemm, memory, () -> {}).contractInputs(plan, List.of(
                new BufferContractor.Input(DoubleBuffer.wrap(x), null),
                new BufferContractor.Input(DoubleBuffer.wrap(attn), null, 0, new long[] {1, 3L * d, heads + 1})));
        // W gathered in its order in memory (d_model, d_head, head), the product [pos, d_head, head], the output.
        assertEquals(3, memory.allocations, "W gathered once, the product, the output");
        assertEquals(1, gemm.packed);
        assertTrue(gemm.strided.isEmpty());
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], ((DoubleBuffer) out).get(i), 1e-12, "entry " + i);
    }

    @Test
    void aBatchLegBetweenTheOthersIsReadInPlace() {
        // Attention scores q[pos, head, dh] k[key, head, dh] -> [head, pos, key], both row-major:
        // head is a batch leg in the middle of each, at a batch stride of dh and a leading
        // dimension of head * dh. One GEMM, nothing gathered.
        int pos = 5, heads = 3, dh = 4;
        Network n = Network.of(List.of(new int[] {0, 1, 2}, new int[] {3, 1, 2}), new int[] {1, 0, 3}, new long[] {pos, heads, dh, pos});
        Plan plan = Plan.fromPath(n, List.of(new int[] {0, 1}), "one step", 0);
        Random rnd = new Random(8);
        double[] q = new double[pos * heads * dh], k = new double[pos * heads * dh];
        for (int i = 0; i < q.length; i++) {
            q[i] = rnd.nextGaussian();
            k[i] = rnd.nextGaussian();
        }
        double[] expected = new double[heads * pos * pos];
        for (int h = 0; h < heads; h++) for (int p = 0; p < pos; p++) for (int key = 0; key < pos; key++) for (int e = 0; e < dh; e++) {
            expected[(h * pos + p) * pos + key] += q[(p * heads + h) * dh + e] * k[(key * heads + h) * dh + e];
        }
        for (boolean f64 : new boolean[] {true, false}) {
            Recording gemm = new Recording();
            BufferContractorTest.Counting memory = new BufferContractorTest.Counting(f64);
            Buffer out = new BufferContractor(gemm, memory, () -> {}).contract(plan, List.of(typed(q, f64), typed(k, f64)));
            assertEquals(1, memory.allocations, "only the output is allocated");
            assertEquals(2, gemm.strided.size(), "one product of operands read where they lie");
            for (int i = 0; i < expected.length; i++) {
                double got = f64 ? ((DoubleBuffer) out).get(i) : ((FloatBuffer) out).get(i);
                assertEquals(expected[i], got, (f64 ? 1e-12 : 1e-5) * (1 + Math.abs(expected[i])), "entry " + i);
            }
            BufferContractor.Matrix a = gemm.strided.get(0);
            assertEquals(heads * dh, a.ld());
            assertEquals(dh, a.batchStride());
        }
    }
}
