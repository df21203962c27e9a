package tn.exec;

import java.nio.Buffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import tn.plan.Network;
import tn.plan.Plan;

/**
 * Executes a contraction plan on flat row-major buffers ({@link FloatBuffer} or
 * {@link DoubleBuffer}; native memory in production, Java arrays in tests), with the matrix
 * products handed to a {@link Gemm} (a BLAS in production, Java loops in tests). A native array
 * library pays tens of microseconds per operation and copies every permuted operand; here each
 * step is at most one gather per operand plus one GEMM call:
 * <ul>
 *   <li>inputs are read where they lie (a repeated leg becomes its diagonal, private legs are
 *       summed);</li>
 *   <li>a step's operands are used as they lie when their axes are already grouped as
 *       (batch, free, contracted) or (batch, contracted, free), the latter through the GEMM's
 *       transpose flag; the batch and contracted legs take the order they have in an operand
 *       that can be used so (the larger if both can); an operand that cannot is gathered into
 *       whichever of the two groupings copies the longer contiguous runs;</li>
 *   <li>results keep a GEMM's layout, (batch, left free, right free) or its transpose
 *       (batch, right free, left free), whichever the step that uses the result can take in
 *       place; the last step writes straight into the output when either layout is the
 *       output's, otherwise the output is gathered at the end;</li>
 *   <li>every intermediate comes from a {@link Memory} and goes back to it as soon as its step
 *       has used it, so native memory is reused while it is still in cache and mapped;</li>
 *   <li>a step between a one-hot input [rows, cols] (its 1s' columns given) and an operand
 *       contracted with it over the column leg alone picks that operand's slices instead of
 *       multiplying: a copy, exact, where the GEMM costs rows x cols x the operand's other legs
 *       (GPT-2's token embedding: 2.5e9 multiply-adds for 64 tokens).</li>
 * </ul>
 * Buffers are indexed by int: {@link #fits} says whether a plan can run here.
 */
public final class BufferContractor {
    /** The largest buffer a plan may need (buffers are indexed by int). */
    static final long MAX_ENTRIES = Integer.MAX_VALUE - 16;

    /**
     * Batched row-major matrix products: for p in [0, batch), C_p[m, n] = op(A_p) op(B_p) where
     * op(A_p) is [m, k] (stored [k, m] when transposed) and op(B_p) is [k, n] (stored [n, k] when
     * transposed); the batches lie one after another from index 0. The buffers are all
     * {@link FloatBuffer} or all {@link DoubleBuffer}; C's entries are overwritten.
     */
    public interface Gemm {
        void multiply(int batch, int m, int n, int k, Buffer a, boolean transA, Buffer b, boolean transB, Buffer c);

        /**
         * As {@link #multiply(int, int, int, int, Buffer, boolean, Buffer, boolean, Buffer)}, with A
         * and B read where they lie ({@link Matrix}: offsets, leading dimensions and batch strides);
         * C is packed as there. By default A and B are first copied packed.
         */
        default void multiply(int batch, int m, int n, int k, Matrix a, boolean transA, Matrix b, boolean transB, Buffer c) {
            multiply(batch, m, n, k, a.packed(batch, transA ? k : m, transA ? m : k), transA, b.packed(batch, transB ? n : k, transB ? k : n), transB, c);
        }
    }

    /**
     * A GEMM operand as it lies in a buffer: the stored matrix of batch p (op(A)'s transpose when
     * the product transposes it) has its entry (i, j) at {@code offset + p * batchStride + i * ld + j}.
     * An input read in place (a weight that is a strided view of a file's tensor) has a leading
     * dimension larger than its row or a batch stride larger than its matrix.
     */
    public record Matrix(Buffer data, long offset, int ld, long batchStride) {
        /** Row-major matrices [rows, cols], one after another from index 0. */
        public static Matrix packed(Buffer data, int rows, int cols) {
            return new Matrix(data, 0, Math.max(1, cols), (long) rows * cols);
        }

        /** Whether {@code batch} stored matrices [rows, cols] lie packed from index 0. */
        public boolean isPacked(int batch, int rows, int cols) {
            return offset == 0 && (rows <= 1 || ld == cols) && (batch <= 1 || batchStride == (long) rows * cols);
        }

        /** The entries of {@code batch} stored matrices [rows, cols], packed: {@link #data} itself when they already are, else a copy. */
        Buffer packed(int batch, int rows, int cols) {
            if (isPacked(batch, rows, cols)) return data;
            int n = Math.multiplyExact(batch, Math.multiplyExact(rows, cols));
            Buffer out = data instanceof DoubleBuffer ? DoubleBuffer.allocate(n) : FloatBuffer.allocate(n);
            Strided.gather(data, offset, new long[] {batch, rows, cols}, new long[] {batchStride, ld, 1}, out);
            return out;
        }
    }

    /** Where a contraction's buffers come from (all of one type: float or double). */
    public interface Memory {
        /** A buffer of at least {@code n} entries, contents undefined. */
        Buffer allocate(int n);

        /** Gives back a buffer from {@link #allocate} that is no longer used. */
        void release(Buffer b);

        /** The buffer of {@code n} entries that receives the output (asked for once per contraction). */
        Buffer output(int n);

        /** Memory on the Java heap (tests): plain arrays, released by the garbage collector. */
        static Memory heap(boolean f64) {
            return new Memory() {
                @Override
                public Buffer allocate(int n) {
                    return f64 ? DoubleBuffer.wrap(new double[n]) : FloatBuffer.wrap(new float[n]);
                }

                @Override
                public void release(Buffer b) {}

                @Override
                public Buffer output(int n) {
                    return allocate(n);
                }
            };
        }
    }

    /**
     * The plain-Java products ({@link JavaGemm}), summed in float64 in both types: tests, and the
     * products too small for a BLAS call.
     */
    public static final Gemm JAVA = JavaGemm.GEMM;

    /** Entries {@link #scale} handles per bulk copy. */
    private static final int CHUNK = 1 << 14;

    private final Gemm gemm;
    private final Memory memory;
    private final Runnable betweenSteps;

    /** {@code betweenSteps} runs before every step (a cancellation check may throw from it). */
    public BufferContractor(Gemm gemm, Memory memory, Runnable betweenSteps) {
        this.gemm = gemm;
        this.memory = memory;
        this.betweenSteps = betweenSteps;
    }

    /** Whether every buffer the plan needs (inputs, intermediates, output) can be indexed by int. */
    public static boolean fits(Plan plan) {
        if (plan.slicedLegs().length > 0 || plan.largestIntermediate() > MAX_ENTRIES) return false;
        long[] sizes = plan.network().sizes();
        for (int[] legs : plan.network().inputs()) if (product(legs, sizes) > MAX_ENTRIES) return false;
        return true;
    }

    /** Who owns an operand's buffer: the caller (an input), this contraction (a temporary), or the result. */
    private enum Owner { CALLER, TEMPORARY, OUTPUT }

    /**
     * An input where it lies: entry (i0, .., ik) of the input (axes as the network lists its legs)
     * is {@code data[offset + i0 * steps[0] + .. + ik * steps[k]]}; {@code steps} null: row-major
     * from index 0. {@code oneHot}: as {@link #contract(Plan, List, List)}'s, for a row-major input;
     * {@code data} may then be null when {@link #readsColumnsOnly} holds (no entries are read).
     */
    public record Input(Buffer data, int[] oneHot, long offset, long[] steps) {
        /** A row-major input. */
        public Input(Buffer data, int[] oneHot) {
            this(data, oneHot, 0, null);
        }
    }

    /**
     * An operand: its data and the legs of its axes; {@code picks} the columns of the 1s when it
     * is an input as given that is a one-hot matrix, else null. Row-major from index 0 when
     * {@code steps} is null, else an input read where it lies ({@link Input}), its axes in the order
     * of their steps, largest first.
     */
    private record Op(Buffer data, int[] legs, Owner owner, int[] picks, long offset, long[] steps) {
        Op(Buffer data, int[] legs, Owner owner) {
            this(data, legs, owner, null, 0, null);
        }

        boolean strided() {
            return steps != null;
        }
    }

    /**
     * Contracts; {@code inputs} are the row-major entries of the network's inputs, all of the
     * memory's type (the arithmetic is done in that type), and are only read. Returns the
     * buffer from {@link Memory#output} holding the output.
     */
    public Buffer contract(Plan plan, List<? extends Buffer> inputs) {
        return contract(plan, inputs, java.util.Collections.nCopies(inputs.size(), null));
    }

    /**
     * Contracts as {@link #contract(Plan, List)}; {@code oneHots.get(k)}, when not null, says that
     * input k is the one-hot matrix [rows, cols] with row r's 1 in column {@code oneHots.get(k)[r]}
     * (-1: a row of zeros), so steps that contract its column leg can pick rows instead of
     * multiplying ({@link Dense#oneHotColumns}).
     */
    public Buffer contract(Plan plan, List<? extends Buffer> inputs, List<int[]> oneHots) {
        List<Input> in = new ArrayList<>();
        for (int k = 0; k < inputs.size(); k++) in.add(new Input(inputs.get(k), oneHots.get(k)));
        return contractInputs(plan, in);
    }

    /**
     * True when input {@code k}, a one-hot matrix [rows, cols] ({@code oneHots.get(k)}: the column of
     * each row's 1; null for an input that is not one), is used by the plan only through those
     * columns: nothing is prepared of it, and its first step contracts it over cols alone with no
     * batch leg against an operand that is not a one-hot, so the step picks rows ({@link #picked})
     * and its entries are never read. Such an input may come with no data ({@link Input}).
     */
    public static boolean readsColumnsOnly(Plan plan, int k, List<int[]> oneHots) {
        Network n = plan.network();
        long[] sizes = n.sizes();
        int[] legs = n.inputs().get(k), columns = oneHots.get(k), prepared = plan.prepared().get(k);
        if (columns == null || legs.length != 2 || legs[0] == legs[1] || sizes[legs[0]] != columns.length) return false;
        if (indexOf(prepared, legs[0]) < 0 || indexOf(prepared, legs[1]) < 0) return false;
        int count = oneHots.size();
        int[] consumer = consumers(count, plan.steps());
        int at = consumer[k];
        if (at < 0) return false; // no step: the input is the result
        // Which of two one-hots in one step picks is not worth predicting.
        for (int j = 0; j < count; j++) if (j != k && consumer[j] == at && oneHots.get(j) != null) return false;
        Plan.Step step = plan.steps().get(at);
        return step.batch().length == 0 && step.contracted().length == 1 && step.contracted()[0] == legs[1];
    }

    /**
     * Contracts as {@link #contract(Plan, List, List)}, each input read where it lies ({@link
     * Input}): a strided input is multiplied in place when each group of its axes a product needs
     * (batch, rows, columns) lies at one step with unit steps along the columns (a leading
     * dimension larger than the row), else gathered first, as a permuted one is.
     */
    public Buffer contractInputs(Plan plan, List<Input> inputs) {
        Network n = plan.network();
        long[] sizes = n.sizes();
        List<Op> ops = new ArrayList<>();
        for (int k = 0; k < inputs.size(); k++) {
            Input in = inputs.get(k);
            int[] legs = n.inputs().get(k), picks = in.oneHot();
            Op op;
            if (in.steps() != null) {
                op = laidOut(in, legs, sizes);
            } else {
                boolean oneHot = picks != null && legs.length == 2 && legs[0] != legs[1] && sizes[legs[0]] == picks.length;
                op = new Op(in.data(), legs, Owner.CALLER, oneHot ? picks : null, 0, null);
            }
            ops.add(prepare(op, plan.prepared().get(k), sizes));
        }
        List<Plan.Step> steps = plan.steps();
        int[] consumer = consumers(inputs.size(), steps);
        for (int k = 0; k < steps.size(); k++) {
            betweenSteps.run();
            Plan.Step s = steps.get(k);
            Op a = ops.get(s.left()), b = ops.get(s.right());
            boolean last = k == steps.size() - 1;
            Op r = pair(a, b, s, sizes, last ? n.output() : null, last ? null : steps.get(consumer[inputs.size() + k]));
            release(a);
            release(b);
            ops.remove(s.right());
            ops.remove(s.left());
            ops.add(r);
        }
        return finish(ops.get(0), n.output(), sizes);
    }

    /**
     * For every operand (inputs 0..count-1, then the result of step k as count + k), the index
     * of the step that consumes it (-1 for the final result).
     */
    private static int[] consumers(int count, List<Plan.Step> steps) {
        int[] consumer = new int[count + steps.size()];
        Arrays.fill(consumer, -1);
        List<Integer> ids = new ArrayList<>();
        for (int k = 0; k < count; k++) ids.add(k);
        for (int k = 0; k < steps.size(); k++) {
            Plan.Step s = steps.get(k);
            consumer[ids.get(s.left())] = k;
            consumer[ids.get(s.right())] = k;
            ids.remove(s.right());
            ids.remove(s.left());
            ids.add(count + k);
        }
        return consumer;
    }

    /** The output buffer holding {@code op} summed down to the output legs, in the output's order. */
    private Buffer finish(Op op, int[] output, long[] sizes) {
        if (op.owner == Owner.OUTPUT) return op.data;
        int[] kept = select(op.legs, l -> indexOf(output, l) >= 0);
        if (kept.length < op.legs.length) {
            Op summed = reduce(op, kept, sizes, Arrays.equals(kept, output));
            release(op);
            if (summed.owner == Owner.OUTPUT) return summed.data;
            op = summed;
        }
        Buffer out = memory.output((int) product(output, sizes));
        gatherInto(op, output, sizes, out);
        release(op);
        return out;
    }

    /**
     * A strided input as an operand whose axes are in the order of their steps, largest first (a
     * stable sort: an operand's axes may be in any order, its legs say which is which); row-major
     * when the steps are then a row-major array's from index 0.
     */
    private static Op laidOut(Input in, int[] legs, long[] sizes) {
        long[] steps = in.steps();
        if (steps.length != legs.length) throw new IllegalArgumentException("an input of " + legs.length + " axes with " + steps.length + " steps");
        Integer[] order = new Integer[legs.length];
        for (int k = 0; k < order.length; k++) order[k] = k;
        Arrays.sort(order, (x, y) -> Long.compare(steps[y], steps[x]));
        int[] sorted = new int[legs.length];
        long[] sortedSteps = new long[legs.length];
        for (int k = 0; k < order.length; k++) {
            sorted[k] = legs[order[k]];
            sortedSteps[k] = steps[order[k]];
        }
        if (in.offset() == 0 && Arrays.equals(sortedSteps, strides(sorted, sizes))) return new Op(in.data(), sorted, Owner.CALLER);
        return new Op(in.data(), sorted, Owner.CALLER, null, in.offset(), sortedSteps);
    }

    /** Where the entries of op's axes lie: its steps, or a row-major array's strides. */
    private static long[] stepsOf(Op op, long[] sizes) {
        return op.strided() ? op.steps : strides(op.legs, sizes);
    }

    /** Diagonals of repeated legs, then the legs {@code prepared} drops summed out. */
    private Op prepare(Op op, int[] prepared, long[] sizes) {
        int[] legs = op.legs;
        int[] unique = distinct(legs);
        if (unique.length < legs.length) {
            // Generalised diagonal: one axis per distinct leg, read at the summed strides.
            long[] strides = stepsOf(op, sizes);
            long[] step = new long[unique.length];
            for (int u = 0; u < unique.length; u++) for (int k = 0; k < legs.length; k++) if (legs[k] == unique[u]) step[u] += strides[k];
            Buffer d = memory.allocate((int) product(unique, sizes));
            Strided.gather(op.data, op.offset, shape(unique, sizes), step, d);
            release(op);
            op = new Op(d, unique, Owner.TEMPORARY);
        }
        int[] kept = select(op.legs, l -> indexOf(prepared, l) >= 0);
        if (kept.length == op.legs.length) return op;
        Op summed = reduce(op, kept, sizes, false);
        release(op);
        return summed;
    }

    /** {@code op} with every leg not in {@code kept} summed out (kept in op's order); into the output if asked. */
    private Op reduce(Op op, int[] kept, long[] sizes, boolean intoOutput) {
        int[] summed = select(op.legs, l -> indexOf(kept, l) < 0);
        Op grouped = arranged(op, concat(kept, summed), sizes);
        int count = (int) product(kept, sizes);
        Buffer out = intoOutput ? memory.output(count) : memory.allocate(count);
        Reductions.reduce(grouped.data, count, (int) product(summed, sizes), 1, Backend.Reduction.SUM, out); // summed in float64
        if (grouped != op) release(grouped);
        return new Op(out, kept, intoOutput ? Owner.OUTPUT : Owner.TEMPORARY);
    }

    /** {@code op} with its axes in the order {@code to} (the same legs), row-major: itself if already so, else a temporary copy. */
    private Op arranged(Op op, int[] to, long[] sizes) {
        if (Arrays.equals(op.legs, to) && !op.strided()) return op;
        Buffer d = memory.allocate((int) product(to, sizes));
        gatherInto(op, to, sizes, d);
        return new Op(d, to, Owner.TEMPORARY);
    }

    private static void gatherInto(Op op, int[] to, long[] sizes, Buffer dst) {
        long[] from = stepsOf(op, sizes);
        long[] step = new long[to.length];
        for (int k = 0; k < to.length; k++) step[k] = from[indexOf(op.legs, to[k])];
        Strided.gather(op.data, op.offset, shape(to, sizes), step, dst);
    }

    /**
     * Where {@code op}'s entries lie as a GEMM's stored matrices [batch][rows, cols], each of the
     * three groups of legs taken in the order given as one axis; null when a group's legs do not
     * lie at one step (each stepping over all of the next, legs of size 1 aside), the columns'
     * step is not 1, or the rows overlap. The groups may lie in any order: a row-major [pos, head,
     * d_head] is [head][pos, d_head] at a batch stride of d_head and a leading dimension of head *
     * d_head.
     */
    private static Matrix matrix(Op op, int[] batch, int[] rows, int[] cols, long[] sizes) {
        long[] steps = stepsOf(op, sizes);
        long batchStep = groupStep(op, steps, batch, sizes), rowStep = groupStep(op, steps, rows, sizes), colStep = groupStep(op, steps, cols, sizes);
        long r = product(rows, sizes), c = product(cols, sizes);
        if (batchStep < 0 || rowStep < 0 || colStep < 0 || (c > 1 && colStep != 1)) return null;
        long ld = r > 1 ? rowStep : Math.max(1, c);
        if (ld < c || ld > Integer.MAX_VALUE) return null;
        return new Matrix(op.data, op.offset, (int) ld, product(batch, sizes) > 1 ? batchStep : r * c);
    }

    /**
     * The step of legs {@code group} of an operand (steps {@code steps}, by its axes) taken as one
     * axis in that order: the innermost leg's step when each steps over all of the next (legs of
     * size 1 aside); 0 for a group of one entry; -1 when they do not lie so.
     */
    private static long groupStep(Op op, long[] steps, int[] group, long[] sizes) {
        long step = 0, next = -1;
        for (int k = group.length - 1; k >= 0; k--) {
            long size = sizes[group[k]];
            if (size == 1) continue;
            long at = steps[indexOf(op.legs, group[k])];
            if (next < 0) step = at;
            else if (at != next) return -1;
            next = at * size;
        }
        return step;
    }

    private void release(Op op) {
        if (op.owner == Owner.TEMPORARY) memory.release(op.data);
    }

    /**
     * One step as a batched GEMM; the result's axes are (batch, left free, right free) or, when
     * that suits what comes next better, (batch, right free, left free), computed as B^T A^T.
     * With {@code output} (the last step) and either layout equal to it, the GEMM writes the
     * output; otherwise {@code next} (the step that uses the result) decides: the transposed
     * layout is taken when only it can be used there in place.
     */
    private Op pair(Op a, Op b, Plan.Step s, long[] sizes, int[] output, Plan.Step next) {
        Op picked = picked(a, b, s, sizes, output);
        if (picked == null) picked = picked(b, a, s, sizes, output);
        if (picked == null) picked = scaled(a, b, s, sizes, output);
        if (picked == null) picked = scaled(b, a, s, sizes, output);
        if (picked != null) return picked;
        // The batch and contracted legs take their order from an operand that can be used in
        // place (the larger if both can), so that one is never copied.
        boolean aInPlace = inPlace(a.legs, s), bInPlace = inPlace(b.legs, s);
        Op big = product(a.legs, sizes) >= product(b.legs, sizes) ? a : b;
        Op lead = aInPlace == bInPlace ? big : aInPlace ? a : b;
        int[] batch = inOrderOf(lead.legs, s.batch());
        int[] con = inOrderOf(lead.legs, s.contracted());
        int[] freeA = select(a.legs, l -> indexOf(batch, l) < 0 && indexOf(con, l) < 0);
        int[] freeB = select(b.legs, l -> indexOf(batch, l) < 0 && indexOf(con, l) < 0);
        int nb = (int) product(batch, sizes), nc = (int) product(con, sizes);
        int m = (int) product(freeA, sizes), n = (int) product(freeB, sizes);
        // A as [nb, m, nc] or [nb, nc, m] (transposed), read where it lies when its entries lie
        // so ({@link #matrix}: a row-major operand in either order, or one whose batch legs lie
        // between the others, or a strided input), else gathered into the one with the longer
        // contiguous run to copy.
        int[] aNormal = concat(batch, freeA, con), aTrans = concat(batch, con, freeA);
        Matrix ma = matrix(a, batch, freeA, con, sizes);
        boolean ta = ma == null && (ma = matrix(a, batch, con, freeA, sizes)) != null;
        Op x = a;
        if (ma == null) {
            ta = run(a.legs, aTrans, sizes) > run(a.legs, aNormal, sizes);
            x = arranged(a, ta ? aTrans : aNormal, sizes);
            ma = ta ? Matrix.packed(x.data, nc, m) : Matrix.packed(x.data, m, nc);
        }
        // B as [nb, nc, n] or [nb, n, nc] (transposed), chosen the same way.
        int[] bNormal = concat(batch, con, freeB), bTrans = concat(batch, freeB, con);
        Matrix mb = matrix(b, batch, con, freeB, sizes);
        boolean tb = mb == null && (mb = matrix(b, batch, freeB, con, sizes)) != null;
        Op y = b;
        if (mb == null) {
            tb = run(b.legs, bTrans, sizes) > run(b.legs, bNormal, sizes);
            y = arranged(b, tb ? bTrans : bNormal, sizes);
            mb = tb ? Matrix.packed(y.data, n, nc) : Matrix.packed(y.data, nc, n);
        }
        int[] legs = concat(batch, freeA, freeB), swapped = concat(batch, freeB, freeA);
        boolean swap = output != null
                ? !Arrays.equals(legs, output) && Arrays.equals(swapped, output)
                : next != null && !inPlace(legs, next) && inPlace(swapped, next);
        if (swap) legs = swapped;
        boolean toOutput = output != null && Arrays.equals(legs, output);
        int count = Math.multiplyExact(nb, Math.multiplyExact(m, n));
        Buffer z = toOutput ? memory.output(count) : memory.allocate(count);
        if (!ma.isPacked(nb, ta ? nc : m, ta ? m : nc) || !mb.isPacked(nb, tb ? n : nc, tb ? nc : n)) {
            if (swap) gemm.multiply(nb, n, m, nc, mb, !tb, ma, !ta, z);
            else gemm.multiply(nb, m, n, nc, ma, ta, mb, tb, z);
        } else if (swap) {
            gemm.multiply(nb, n, m, nc, y.data, !tb, x.data, !ta, z);
        } else {
            gemm.multiply(nb, m, n, nc, x.data, ta, y.data, tb, z);
        }
        if (x != a) release(x);
        if (y != b) release(y);
        return new Op(z, legs, toOutput ? Owner.OUTPUT : Owner.TEMPORARY);
    }

    /**
     * The step as a gather when {@code oneHot} is a one-hot input [rows, cols] contracted with
     * {@code other} over cols alone (no batch leg): result (rows, other's free legs), row r being
     * other's slice at cols = picks[r] (zeros for -1), the same numbers a GEMM gives (x * 1 plus
     * exact zeros) without its multiply-adds. Null when the step is not of that form.
     */
    private Op picked(Op oneHot, Op other, Plan.Step s, long[] sizes, int[] output) {
        if (oneHot.picks == null || s.batch().length != 0 || s.contracted().length != 1 || s.contracted()[0] != oneHot.legs[1]) return null;
        int rows = oneHot.legs[0], cols = oneHot.legs[1];
        int[] free = select(other.legs, l -> l != cols);
        long[] from = stepsOf(other, sizes);
        long colStride = from[indexOf(other.legs, cols)];
        long[] shape = shape(free, sizes), step = new long[free.length];
        for (int k = 0; k < free.length; k++) step[k] = from[indexOf(other.legs, free[k])];
        int[] legs = concat(new int[] {rows}, free);
        boolean toOutput = output != null && Arrays.equals(legs, output);
        int width = (int) product(free, sizes), count = Math.multiplyExact(oneHot.picks.length, width);
        Buffer z = toOutput ? memory.output(count) : memory.allocate(count);
        for (int r = 0; r < oneHot.picks.length; r++) {
            int c = oneHot.picks[r];
            if (c < 0) Strided.fill(z, r * width, width, 0);
            else Strided.gather(other.data, other.offset + c * colStride, shape, step, z, r * width);
        }
        return new Op(z, legs, toOutput ? Owner.OUTPUT : Owner.TEMPORARY);
    }

    /**
     * The step as one pass when it contracts nothing and {@code w}'s legs are the trailing legs of
     * {@code x} in the same order (a layer norm's weight times its output): result x's legs,
     * entry i being x[i] w[i mod |w|], the product a GEMM of one term gives, rounded once, in x's
     * layout (a GEMM would put the shared legs first, and the output then needs a transpose). Null
     * when the step is not of that form.
     */
    private Op scaled(Op x, Op w, Plan.Step s, long[] sizes, int[] output) {
        if (s.contracted().length != 0 || x.strided() || w.strided() || w.legs.length == 0 || w.legs.length >= x.legs.length) return null;
        int lead = x.legs.length - w.legs.length;
        for (int k = 0; k < w.legs.length; k++) if (x.legs[lead + k] != w.legs[k]) return null;
        for (int k = 0; k < lead; k++) if (indexOf(w.legs, x.legs[k]) >= 0) return null;
        if (product(w.legs, sizes) > SCALE_MAX) return null;
        int len = (int) product(w.legs, sizes), count = (int) product(x.legs, sizes);
        boolean toOutput = output != null && Arrays.equals(x.legs, output);
        Buffer z = toOutput ? memory.output(count) : memory.allocate(count);
        scale(x.data, w.data, len, count, z);
        return new Op(z, x.legs, toOutput ? Owner.OUTPUT : Owner.TEMPORARY);
    }

    /** The largest factor {@link #scaled} copies to an array (beyond it, the GEMM's path). */
    private static final long SCALE_MAX = 1 << 24;

    /** z[i] = x[i] * w[i mod len] for i < n, in the buffers' type (one rounding, as a GEMM of one term). */
    private static void scale(Buffer x, Buffer w, int len, int n, Buffer z) {
        if (z instanceof DoubleBuffer dz) {
            DoubleBuffer dx = (DoubleBuffer) x, dw = (DoubleBuffer) w;
            double[] wv = new double[len], t = new double[Math.min(n, CHUNK)];
            dw.get(0, wv, 0, len);
            for (int from = 0; from < n; from += t.length) {
                int c = Math.min(t.length, n - from);
                dx.get(from, t, 0, c);
                for (int i = 0, at = from % len; i < c; i++) {
                    t[i] *= wv[at];
                    if (++at == len) at = 0;
                }
                dz.put(from, t, 0, c);
            }
        } else {
            FloatBuffer fx = (FloatBuffer) x, fw = (FloatBuffer) w, fz = (FloatBuffer) z;
            float[] wv = new float[len], t = new float[Math.min(n, CHUNK)];
            fw.get(0, wv, 0, len);
            for (int from = 0; from < n; from += t.length) {
                int c = Math.min(t.length, n - from);
                fx.get(from, t, 0, c);
                for (int i = 0, at = from % len; i < c; i++) {
                    t[i] *= wv[at];
                    if (++at == len) at = 0;
                }
                fz.put(from, t, 0, c);
            }
        }
    }

    /**
     * Whether an operand with axes {@code legs} can enter step {@code s} as it lies: its batch
     * legs first (in any order), then its contracted legs either right after them or last.
     */
    private static boolean inPlace(int[] legs, Plan.Step s) {
        int[] batch = s.batch(), con = s.contracted();
        int nb = batch.length, nc = con.length;
        for (int k = 0; k < nb; k++) if (indexOf(batch, legs[k]) < 0) return false;
        boolean first = true, last = true;
        for (int k = 0; k < nc; k++) {
            first &= indexOf(con, legs[nb + k]) >= 0;
            last &= indexOf(con, legs[legs.length - nc + k]) >= 0;
        }
        return first || last;
    }

    /**
     * The length of the contiguous runs a gather from axes {@code from} into axes {@code to} copies:
     * the product of the sizes of the trailing axes that stay trailing, in the same order.
     */
    private static long run(int[] from, int[] to, long[] sizes) {
        long run = 1;
        for (int k = 1; k <= from.length && from[from.length - k] == to[to.length - k]; k++) run *= sizes[from[from.length - k]];
        return run;
    }

    /**
     * The legs {@code keep} accepts, in their order: a loop rather than a stream, since this runs
     * several times for every step of every contraction, where setting up a stream cost more than
     * the filtering (8% of a small model's gradient).
     */
    private static int[] select(int[] legs, java.util.function.IntPredicate keep) {
        int[] out = new int[legs.length];
        int n = 0;
        for (int l : legs) if (keep.test(l)) out[n++] = l;
        return n == legs.length ? out : Arrays.copyOf(out, n);
    }

    /** Each leg once, at its first place (legs are few: a scan beats a hash set). */
    private static int[] distinct(int[] legs) {
        int[] out = new int[legs.length];
        int n = 0;
        for (int l : legs) {
            boolean seen = false;
            for (int k = 0; k < n && !seen; k++) seen = out[k] == l;
            if (!seen) out[n++] = l;
        }
        return n == legs.length ? out : Arrays.copyOf(out, n);
    }

    /** The legs of {@code subset} in the order they appear in {@code legs}. */
    private static int[] inOrderOf(int[] legs, int[] subset) {
        return select(legs, l -> indexOf(subset, l) >= 0);
    }

    private static long[] shape(int[] legs, long[] sizes) {
        long[] shape = new long[legs.length];
        for (int k = 0; k < legs.length; k++) shape[k] = sizes[legs[k]];
        return shape;
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
        // Plain loops: a stream here was 2% of a small model's backward pass (several per step).
        int n = 0;
        for (int[] p : parts) n += p.length;
        int[] out = new int[n];
        int at = 0;
        for (int[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static int indexOf(int[] a, int x) {
        for (int k = 0; k < a.length; k++) if (a[k] == x) return k;
        return -1;
    }
}
