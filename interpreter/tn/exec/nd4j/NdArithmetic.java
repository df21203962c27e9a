package tn.exec.nd4j;

import java.lang.ref.Reference;
import java.nio.Buffer;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import tn.exec.Backend.Elementwise;
import tn.exec.Backend.Reduction;
import tn.exec.DType;
import tn.exec.Dense;
import tn.exec.Reductions;

import static tn.exec.nd4j.Nd4jBackend.arr;
import static tn.exec.nd4j.Nd4jBackend.nd;
import static tn.exec.nd4j.Nd4jBackend.type;
import static tn.exec.nd4j.Nd4jBackend.wrap;

/**
 * {@link Nd4jBackend}'s arithmetic: linear combinations, elementwise functions, reductions,
 * softmax and layer norm, in Java over the arrays' native memory ({@link Reductions},
 * {@link tn.exec.Pointwise}), through ND4J's operations only for arrays too large to index by int.
 */
final class NdArithmetic {
    private NdArithmetic() {}

    /**
     * In Java over the terms' native memory, into memory tn owns: an ND4J scalar multiply and add
     * took about 20 ms for two [64, 768] float32 terms here (a GPT-2 forward makes ~130 such
     * sums: 2.8 s of it), a loop takes microseconds. The arithmetic is ND4J's: each term times its
     * coefficient rounded to the type, then added to the running sum in that order, so the
     * numbers are the same.
     */
    static Dense linearCombination(List<Dense> terms, double[] coefficients) {
        DType d = terms.get(0).dtype();
        for (Dense t : terms) d = DType.promote(d, t.dtype());
        long[] shape = terms.get(0).shape();
        long n = terms.get(0).length();
        if (n == 0 || n > Integer.MAX_VALUE - 8) return linearCombinationNd4j(terms, coefficients, d);
        DataType type = type(d);
        List<Object> holders = new java.util.ArrayList<>();
        List<Buffer> in = new java.util.ArrayList<>();
        for (Dense t : terms) {
            NdDense.Read read = nd(t).read(type);
            holders.add(read.holder());
            in.add(read.buffer());
        }
        NdDense out = NdDense.allocate(shape, n, d);
        try {
            Reductions.combine(in, coefficients, (int) n, out.ownBuffer(type));
        } finally {
            Reference.reachabilityFence(holders);
        }
        return out;
    }

    /**
     * Repeated terms read in place ({@link Reductions#combine(List, int[], double[], int, Buffer)}):
     * one pass, one new array of {@code n} entries (at most an int's worth, not 0), the terms'
     * shapes checked by the caller.
     */
    static Dense linearCombination(List<Dense> terms, double[] coefficients, long[] shape, long n) {
        DType d = terms.get(0).dtype();
        for (Dense t : terms) d = DType.promote(d, t.dtype());
        DataType type = type(d);
        List<Object> holders = new java.util.ArrayList<>();
        List<Buffer> in = new java.util.ArrayList<>();
        int[] lengths = new int[terms.size()];
        for (int k = 0; k < lengths.length; k++) {
            Dense t = terms.get(k);
            lengths[k] = (int) t.length();
            NdDense.Read read = nd(t).read(type);
            holders.add(read.holder());
            in.add(read.buffer());
        }
        NdDense out = NdDense.allocate(shape, n, d);
        try {
            Reductions.combine(in, lengths, coefficients, (int) n, out.ownBuffer(type));
        } finally {
            Reference.reachabilityFence(holders);
        }
        return out;
    }

    private static Dense linearCombinationNd4j(List<Dense> terms, double[] coefficients, DType d) {
        INDArray acc = null;
        for (int k = 0; k < terms.size(); k++) {
            INDArray t = arr(terms.get(k));
            if (t.dataType() != type(d)) t = t.castTo(type(d));
            INDArray scaled = t.mul(coefficients[k]);
            acc = acc == null ? scaled : acc.addi(scaled);
        }
        return wrap(acc, d);
    }

    /** In Java over the array's memory ({@link tn.exec.Pointwise}): one pass, one new array. */
    /** {@code self}: the backend, for the entry-by-entry path of a scalar, an empty or a beyond-int array. */
    static Dense map(Nd4jBackend self, Dense x, Elementwise fn, double p) {
        long n = x.length();
        if (x.rank() == 0 || n == 0 || n > Integer.MAX_VALUE - 8) return mapNd4j(self, x, fn, p);
        DataType type = type(x.dtype());
        NdDense nd = nd(x);
        NdDense.Read read = nd.read(type);
        Object holder = read.holder();
        Buffer src = read.buffer();
        NdDense out = NdDense.allocate(x.shape(), n, x.dtype());
        try {
            tn.exec.Pointwise.apply(src, fn, p, (int) n, out.ownBuffer(type));
        } finally {
            Reference.reachabilityFence(holder);
        }
        return out;
    }

    private static Dense mapNd4j(Nd4jBackend self, Dense x, Elementwise fn, double p) {
        if (fn.ordinal() > Elementwise.NEG.ordinal()) {
            // The derivative functions (tn.net.Derivative) have no ND4J op; here (a scalar, an empty or a
            // beyond-int array) they go entry by entry through the same float64 formula.
            if (x.length() > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(fn + " of more than 2^31 entries; take a slice");
            double[] v = self.toDoubles(x);
            for (int i = 0; i < v.length; i++) v[i] = tn.exec.Pointwise.of(fn, v[i], p);
            return self.fromDoubles(v, x.shape(), x.dtype());
        }
        INDArray a = arr(x);
        INDArray out = switch (fn) {
            case RELU -> Transforms.relu(a, true);
            case GELU -> gelu(a);
            case TANH -> Transforms.tanh(a, true);
            case SIGMOID -> Transforms.sigmoid(a, true);
            case EXP -> Transforms.exp(a, true);
            case LOG -> Transforms.log(a, true);
            case SQRT -> Transforms.sqrt(a, true);
            case ABS -> Transforms.abs(a, true);
            case POW -> Transforms.pow(a, p, true);
            case NEG -> a.neg();
            default -> throw new IllegalStateException(fn.toString());
        };
        return wrap(out, x.dtype());
    }

    /** GPT-2's GELU: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
    private static INDArray gelu(INDArray x) {
        INDArray inner = x.mul(x).muli(x).muli(0.044715).addi(x).muli(Math.sqrt(2 / Math.PI));
        return Transforms.tanh(inner, false).addi(1).muli(x).muli(0.5);
    }

    static Dense reduce(Dense x, int[] axes, Reduction op) {
        long n = x.length();
        if (reducesEveryAxis(axes, x.rank()) && n > 0 && n <= Reductions.MAX_ENTRIES) {
            // To a scalar (a loss, a norm, a softmax's total): read where it lies, into tn's own
            // memory; an ND4J scalar costs more to make than a small reduction.
            DataType type = type(x.dtype());
            NdDense.Read read = nd(x).read(type);
            NdDense out = NdDense.allocate(new long[0], 1, x.dtype());
            try {
                Reductions.reduce(read.buffer(), 1, (int) n, 1, op, out.ownBuffer(type));
            } finally {
                Reference.reachabilityFence(read.holder());
            }
            return out;
        }
        return new NdDense(reduceAxes(arr(x), axes, op), x.dtype());
    }

    private static boolean reducesEveryAxis(int[] axes, int rank) {
        if (rank == 0) return false;
        for (int k = 0; k < rank; k++) if (Nd4jContractor.indexOf(axes, k) < 0) return false;
        return true;
    }

    /**
     * Reduces the given axes away, accumulating in float64 ({@link Reductions}); the result has
     * the array's type and the kept axes in order. When the reduced axes lie together (the
     * array read as [outer, group, inner], size-1 axes aside) the data are read where they lie;
     * otherwise the reduced axes are first moved last (a copy).
     */
    static INDArray reduceAxes(INDArray a, int[] axes, Reduction op) {
        if (a.length() > Reductions.MAX_ENTRIES) return hugeReduce(a, axes, op);
        int rank = a.rank();
        long[] shape = a.shape();
        long[] kept = new long[rank];
        int keptCount = 0;
        for (int k = 0; k < rank; k++) if (Nd4jContractor.indexOf(axes, k) < 0) kept[keptCount++] = shape[k];
        kept = Arrays.copyOf(kept, keptCount);
        long[] block = together(shape, axes);
        INDArray src;
        if (block != null) {
            src = NdDense.contiguous(a, a.dataType());
        } else {
            src = Nd4jContractor.permute(a, lastPermutation(rank, axes));
            long group = 1;
            for (int k : axes) group *= shape[k];
            block = new long[] {a.length() / Math.max(1, group), group, 1};
        }
        INDArray out = kept.length == 0 ? Nd4j.scalar(a.dataType(), 0.0) : Nd4j.createUninitialized(a.dataType(), kept, 'c');
        Reductions.reduce(NdDense.buffer(src), (int) block[0], (int) block[1], (int) block[2], op, NdDense.buffer(out));
        Reference.reachabilityFence(src); // the buffer is a view of src's memory
        return out;
    }

    /**
     * [outer, group, inner] when the axes with more than one entry that are reduced lie next to
     * each other among those that have more than one entry (their order does not matter), else null.
     */
    private static long[] together(long[] shape, int[] axes) {
        long outer = 1, group = 1, inner = 1;
        int phase = 0; // 0: before the reduced block, 1: in it, 2: after it
        for (int k = 0; k < shape.length; k++) {
            if (shape[k] == 1) continue;
            boolean reduced = Nd4jContractor.indexOf(axes, k) >= 0;
            if (reduced && phase == 2) return null;
            if (reduced) phase = 1;
            else if (phase == 1) phase = 2;
            if (reduced) group *= shape[k];
            else if (phase == 0) outer *= shape[k];
            else inner *= shape[k];
        }
        return new long[] {outer, group, inner};
    }

    /** The permutation that moves {@code axes} last (in their order), the others first in theirs. */
    private static int[] lastPermutation(int rank, int[] axes) {
        int[] perm = new int[rank];
        int j = 0;
        for (int k = 0; k < rank; k++) if (Nd4jContractor.indexOf(axes, k) < 0) perm[j++] = k;
        for (int k : axes) perm[j++] = k;
        return perm;
    }

    /**
     * Arrays too large for int-indexed buffers (8 GB and more in float32, beyond the default
     * memory limit): ND4J reduces a float64 copy, so the accumulation is still in float64.
     */
    static INDArray hugeReduce(INDArray a, int[] axes, Reduction op) {
        int rank = a.rank();
        long group = 1;
        for (int k : axes) group *= a.size(k);
        long rows = a.length() / Math.max(1, group);
        INDArray m = Nd4jContractor.permute(a.castTo(DataType.DOUBLE), lastPermutation(rank, axes)).reshape('c', new long[] {rows, group});
        INDArray r = switch (op) {
            case SUM -> m.sum(1);
            case MEAN -> m.mean(1);
            case MAX -> m.max(1);
            case MIN -> m.min(1);
            case NORM -> m.norm2(1);
        };
        long[] shape = java.util.stream.IntStream.range(0, rank).filter(k -> Nd4jContractor.indexOf(axes, k) < 0).mapToLong(a::size).toArray();
        if (shape.length == 0) return Nd4j.scalar(a.dataType(), r.getDouble(0));
        return r.reshape('c', shape).castTo(a.dataType()).dup('c');
    }

    /** A row operation of {@link Reductions} on [rows, group] buffers (dst may be src). */
    private interface RowOp { void apply(Buffer src, int rows, int group, Buffer dst); }

    /**
     * Applies {@code op} to the rows of x with the given axes as the row: read where they lie
     * when those axes are already last (size-1 axes aside), otherwise moved last in a copy, done
     * in place there, and moved back.
     */
    private static Dense byRows(Dense x, int[] axes, RowOp op) {
        long length = x.length();
        if (length > Reductions.MAX_ENTRIES) {
            throw new UnsupportedOperationException("softmax and layernorm are limited to " + Reductions.MAX_ENTRIES + " entries; this tensor has " + length);
        }
        int rank = x.rank();
        long[] shape = x.shape();
        long group = 1;
        for (int k : axes) group *= shape[k];
        int rows = (int) (length / Math.max(1, group));
        long[] block = together(shape, axes);
        if (block != null && block[2] == 1 && rank > 0) {
            // Read where it lies (a row-major copy only of a view): not wrapped as an ND4J array,
            // so the evaluator may give x's memory back once it is used (NdDense#release).
            DataType type = type(x.dtype());
            NdDense.Read src = nd(x).read(type);
            NdDense out = NdDense.allocate(shape, length, x.dtype()); // tn's memory: ND4J's allocator is slower
            try {
                op.apply(src.buffer(), rows, (int) group, out.ownBuffer(type));
            } finally {
                Reference.reachabilityFence(src.holder());
            }
            return out;
        }
        INDArray a = arr(x);
        if (rank == 0) {
            INDArray out = Nd4j.scalar(a.dataType(), 0.0);
            op.apply(NdDense.buffer(NdDense.contiguous(a, a.dataType())), rows, (int) group, NdDense.buffer(out));
            return new NdDense(out, x.dtype());
        }
        int[] perm = lastPermutation(rank, axes);
        INDArray moved = a.permute(perm).dup('c'); // a copy of our own: worked on in place
        op.apply(NdDense.buffer(moved), rows, (int) group, NdDense.buffer(moved));
        int[] inverse = new int[rank];
        for (int k = 0; k < rank; k++) inverse[perm[k]] = k;
        return wrap(Nd4jContractor.permute(moved, inverse), x.dtype());
    }

    static Dense softmax(Dense x, int[] axes) {
        return byRows(x, axes, Reductions::softmax);
    }

    static Dense layerNorm(Dense x, int[] axes, double eps) {
        return byRows(x, axes, (src, rows, group, dst) -> Reductions.layerNorm(src, rows, group, eps, dst));
    }
}
