package tn.exec.nd4j;

import java.lang.ref.Reference;
import java.nio.Buffer;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import tn.exec.Backend;
import tn.exec.DType;
import tn.exec.ComplexDense;
import tn.exec.Dense;
import tn.exec.Reductions;
import tn.plan.Plan;

/**
 * The {@link Backend} on ND4J's native CPU backend (OpenBLAS). Every result is a fresh C-ordered
 * array; arguments are never mutated; mixed dtypes are promoted before ND4J sees them (ND4J
 * throws on float x double).
 */
public final class Nd4jBackend implements Backend {
    private final Nd4jContractor contractor;

    public Nd4jBackend() {
        this(true);
    }

    /** With {@code buffers} false every contraction goes through ND4J operations (for tests). */
    public Nd4jBackend(boolean buffers) {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        this.contractor = new Nd4jContractor(buffers);
    }

    static DataType type(DType d) {
        return d == DType.FLOAT64 ? DataType.DOUBLE : DataType.FLOAT;
    }

    private static INDArray arr(Dense d) { return nd(d).array(); }

    /**
     * The value as an {@link NdDense}: a lazy stack ({@link NdStack}) is made whole first, a
     * strided view ({@link NdView}) copied row-major.
     */
    static NdDense nd(Dense d) {
        if (d instanceof NdStack s) return s.whole();
        if (d instanceof NdView v) return v.copy();
        return (NdDense) d;
    }

    /** A view where x is tn's own native memory ({@link NdView}), else a copy. */
    @Override
    public Dense strided(Dense x, long offset, long[] shape, long[] steps) {
        NdView view = NdView.of(nd(x), offset, shape, steps);
        return view != null ? view : nd(Backend.super.strided(x, offset, shape, steps));
    }

    private static Dense wrap(INDArray a, DType d) {
        if (a.isView() || a.ordering() != 'c') a = a.dup('c');
        return new NdDense(a, d);
    }

    /** Written straight into native memory in the dtype ({@link #generate}): no float[] or double[] copy on the way. */
    @Override
    public Dense fromDoubles(double[] data, long[] shape, DType dtype) {
        long n = 1;
        for (long s : shape) n *= s;
        if (n != data.length) throw new IllegalArgumentException("data of length " + data.length + " for shape " + Arrays.toString(shape));
        if (shape.length == 0) return new NdDense(Nd4j.scalar(type(dtype), data[0]), dtype);
        if (n == 0) return new NdDense(Nd4j.create(type(dtype), shape), dtype);
        // Not cancellable: a copy is quick, and callers of fromDoubles do not expect to be interrupted.
        return NativeFill.make(shape.clone(), n, dtype, (from, out, count) -> System.arraycopy(data, (int) from, out, 0, count), false);
    }

    /** Into native memory in bulk ({@link FileRead}); through the default's doubles only on a big-endian machine. */
    @Override
    public Dense read(java.nio.channels.FileChannel file, long[] positions, long run, tn.exec.Stored stored, long[] shape, DType dtype)
            throws java.io.IOException {
        long n = 1;
        for (long s : shape) n = Math.multiplyExact(n, s);
        if (n != run * positions.length) throw new IllegalArgumentException(positions.length + " runs of " + run + " for shape " + Arrays.toString(shape));
        if (n == 0 || shape.length == 0 || java.nio.ByteOrder.nativeOrder() != java.nio.ByteOrder.LITTLE_ENDIAN) {
            return Backend.super.read(file, positions, run, stored, shape, dtype);
        }
        return FileRead.read(file, positions, run, stored, shape.clone(), dtype);
    }

    /**
     * A private (copy-on-write) mapping of the region wrapped as the array's memory: tn never
     * writes into a value, and if anything did, the write would stay in this process.
     */
    @Override
    public Dense mapped(java.nio.channels.FileChannel file, long position, tn.exec.Stored stored, long[] shape, DType dtype)
            throws java.io.IOException {
        boolean same = stored.isLayoutOf(dtype);
        long n = 1;
        for (long s : shape) n = Math.multiplyExact(n, s);
        long bytes = n * stored.width;
        if (!same || shape.length == 0 || n == 0 || bytes > Integer.MAX_VALUE || position % stored.width != 0
                || java.nio.ByteOrder.nativeOrder() != java.nio.ByteOrder.LITTLE_ENDIAN) {
            return null;
        }
        java.nio.MappedByteBuffer region;
        try {
            region = file.map(java.nio.channels.FileChannel.MapMode.PRIVATE, position, bytes);
        } catch (java.nio.channels.NonWritableChannelException e) {
            return null; // opened for reading only: a private mapping needs a channel open for both
        }
        return NdDense.wrapBytes(region, region, shape.clone(), dtype);
    }

    /** Slices made when first taken, the whole when first needed ({@link NdStack}). */
    @Override
    public Dense stack(long[] shape, DType dtype, java.util.function.IntFunction<Dense> layer) {
        return new NdStack(shape, dtype, layer);
    }

    @Override
    public void release(Dense x) {
        if (x instanceof NdDense d) d.release();
    }

    @Override
    public double[] toDoubles(Dense x) {
        long n = x.length();
        if (x.rank() > 0 && n > 0 && n <= Integer.MAX_VALUE - 8) {
            // Straight from the array's memory: no ND4J copy (dup) of the array, which for the
            // small vectors the evaluator inspects cost more than the reading.
            double[] out = new double[(int) n];
            copyDoubles(x, 0, out, (int) n);
            return out;
        }
        INDArray a = arr(x);
        if (a.rank() == 0) return new double[] {a.getDouble(0)};
        if (a.length() == 0) return new double[0]; // an empty array has no buffer at all
        return a.dup('c').data().asDouble();
    }

    @Override
    public void copyDoubles(Dense x, long from, double[] into, int count) {
        NdDense.Read read = nd(x).read(type(x.dtype()));
        java.nio.Buffer b = read.buffer();
        int start = Math.toIntExact(from);
        // In bulk: a get per entry is a virtual call (tn's buffers come in several classes).
        if (b instanceof java.nio.DoubleBuffer db) {
            db.get(start, into, 0, count);
        } else {
            float[] f = new float[count];
            ((java.nio.FloatBuffer) b).get(start, f, 0, count);
            for (int k = 0; k < count; k++) into[k] = f[k];
        }
        java.lang.ref.Reference.reachabilityFence(read.holder());
    }

    @Override
    public Dense cast(Dense x, DType dtype) {
        if (x.dtype() == dtype) return x;
        return new NdDense(arr(x).castTo(type(dtype)), dtype);
    }

    @Override
    public Dense full(long[] shape, double value, DType dtype) {
        if (shape.length == 0) return new NdDense(Nd4j.scalar(type(dtype), value), dtype);
        // Filled in Java ({@link NativeFill}), like generate: ND4J's valueArrayOf (allocate, then
        // an assign op) cost more for the small ones vectors a sum over a leg contracts with.
        return generate(shape, dtype, (from, out, count) -> java.util.Arrays.fill(out, 0, count, value));
    }

    /** Straight into native memory, in parallel chunks ({@link NativeFill}); scalars and empty arrays are ND4J arrays. */
    @Override
    public Dense generate(long[] shape, DType dtype, Entries entries) {
        long n = 1;
        for (long s : shape) n = Math.multiplyExact(n, s);
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("an array of " + n + " entries is larger than tn's arrays can be");
        if (shape.length == 0) {
            double[] value = new double[1];
            entries.compute(0, value, 1);
            return new NdDense(Nd4j.scalar(type(dtype), value[0]), dtype);
        }
        if (n == 0) return new NdDense(Nd4j.create(type(dtype), shape), dtype);
        return NativeFill.make(shape.clone(), n, dtype, entries, true);
    }

    /**
     * Zeros with a 1 per row, marked so that contractions pick its rows ({@link Dense#oneHotColumns}).
     * Written by a memset and one store per row: generated entry by entry (a division each), the
     * [64, 50257] embedding one-hot of a GPT-2 forward took ~10% of the interpreter's own time.
     */
    @Override
    public Dense oneHot(int[] columns, long width, DType dtype) {
        long n = Math.multiplyExact((long) columns.length, width);
        if (n == 0) return Backend.super.oneHot(columns, width, dtype);
        NdDense out = NdDense.allocate(new long[] {columns.length, width}, n, dtype);
        Pointer p = out.data();
        Pointer.memset(p, 0, n * dtype.bytes());
        for (int r = 0; r < columns.length; r++) {
            if (columns[r] < 0) continue;
            long at = r * width + columns[r];
            if (p instanceof FloatPointer f) f.put(at, 1f);
            else ((DoublePointer) p).put(at, 1.0);
        }
        return out.asOneHot(columns);
    }

    @Override
    public Dense contract(Plan plan, List<Dense> operands) {
        return contractor.contract(plan, operands);
    }

    /**
     * A strided copy in Java into memory tn owns: ND4J's get + dup took about 30 ms for one
     * layer's [768, 3072] float32 weight here (a GPT-2 forward picks ~80 such slices), a copy
     * a few milliseconds.
     */
    @Override
    public Dense take(Dense x, int axis, long index) {
        if (x instanceof NdStack s && axis == 0) return s.layer(Math.toIntExact(index));
        if (x instanceof NdView v) return v.take(axis, index);
        NdDense nd = nd(x);
        long before = 1;
        for (int k = 0; k < axis; k++) before *= x.shape()[k];
        if (before == 1) { // the slice is one block of the memory: shared, not copied
            long[] shape = x.shape();
            long block = x.length() / shape[axis];
            shape[axis] = 1;
            NdDense view = nd.share(index * block, shape);
            if (view != null) return view;
        }
        return copySlice(nd, axis, index);
    }

    /** Slice {@code index} of {@code axis} (kept, of size 1) as a new array. */
    static NdDense copySlice(NdDense x, int axis, long index) {
        long[] shape = x.shape();
        shape[axis] = 1;
        long n = 1;
        for (long s : shape) n *= s;
        if (n == 0 || x.length() > Integer.MAX_VALUE - 8) return takeNd4j(x, axis, index);
        DataType type = type(x.dtype());
        NdDense nd = x;
        NdDense.Read read = nd.read(type);
        Object holder = read.holder();
        Buffer src = read.buffer();
        long[] strides = new long[shape.length];
        long[] full = x.shape();
        for (long k = shape.length - 1, m = 1; k >= 0; k--) {
            strides[(int) k] = m;
            m *= full[(int) k];
        }
        NdDense out = NdDense.allocate(shape, n, x.dtype());
        try {
            tn.exec.Strided.gather(src, index * strides[axis], shape, strides, out.ownBuffer(type));
        } finally {
            Reference.reachabilityFence(holder);
        }
        return out;
    }

    private static NdDense takeNd4j(Dense x, int axis, long index) {
        INDArray a = arr(x);
        org.nd4j.linalg.indexing.INDArrayIndex[] idx = new org.nd4j.linalg.indexing.INDArrayIndex[a.rank()];
        for (int k = 0; k < idx.length; k++) {
            idx[k] = k == axis ? org.nd4j.linalg.indexing.NDArrayIndex.interval(index, index + 1)
                    : org.nd4j.linalg.indexing.NDArrayIndex.all();
        }
        long[] shape = a.shape().clone();
        shape[axis] = 1;
        return new NdDense(a.get(idx).dup('c').reshape('c', shape), x.dtype());
    }

    /** A strided copy in Java into memory tn owns (ND4J's permute + dup allocates through its own, slower, allocator). */
    @Override
    public Dense permute(Dense x, int[] perm) {
        if (x instanceof NdView v) return v.permute(perm);
        long n = x.length();
        if (x.rank() == 0 || n == 0 || n > Integer.MAX_VALUE - 8) return new NdDense(arr(x).permute(perm).dup('c'), x.dtype());
        DataType type = type(x.dtype());
        NdDense nd = nd(x);
        NdDense.Read read = nd.read(type);
        Object holder = read.holder();
        Buffer src = read.buffer();
        long[] in = x.shape(), strides = new long[in.length], shape = new long[in.length], step = new long[in.length];
        for (int k = in.length - 1, m = 1; k >= 0; m *= (int) in[k], k--) strides[k] = m;
        for (int k = 0; k < perm.length; k++) {
            shape[k] = in[perm[k]];
            step[k] = strides[perm[k]];
        }
        NdDense out = NdDense.allocate(shape, n, x.dtype());
        try {
            tn.exec.Strided.gather(src, 0, shape, step, out.ownBuffer(type));
        } finally {
            Reference.reachabilityFence(holder);
        }
        return out;
    }

    @Override
    public Dense reshape(Dense x, long[] shape) {
        if (x instanceof NdView v && shape.length > 0) {
            NdView view = v.reshape(shape);
            if (view != null) return view;
        }
        if (shape.length > 0 && (!(x instanceof NdStack) || x.shape()[0] == 1)) { // tn's own memory is shared, not copied
            NdDense view = nd(x).share(0, shape);
            if (view != null) return view;
        }
        INDArray a = arr(x);
        // A C-ordered array that is not a view is reshaped in place of a copy: nothing in tn writes
        // into an array after it is made, so sharing the buffer is safe.
        boolean contiguous = a.ordering() == 'c' && a.offset() == 0 && a.data().length() == a.length()
                && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(a);
        if (!contiguous || a.rank() == 0) a = a.dup('c');
        if (shape.length == 0) return new NdDense(Nd4j.scalar(a.dataType(), a.getDouble(0)), x.dtype());
        return new NdDense(a.reshape('c', shape), x.dtype());
    }

    @Override
    public Dense expandDiagonal(Dense x, int axis, int copies) {
        INDArray a = arr(x);
        long[] in = a.shape();
        long[] shape = new long[in.length + copies];
        for (int k = 0, j = 0; k < in.length; k++) {
            shape[j++] = in[k];
            if (k == axis) for (int c = 0; c < copies; c++) shape[j++] = in[k];
        }
        INDArray out = Nd4j.zeros(a.dataType(), shape);
        // Write x through a strided view of out's diagonal: the copies' strides add to axis's.
        long[] strides = out.stride();
        long[] viewStrides = new long[in.length];
        for (int k = 0, j = 0; k < in.length; k++) {
            long s = strides[j];
            if (k == axis) for (int c = 1; c <= copies; c++) s += strides[j + c];
            viewStrides[k] = s;
            j += k == axis ? copies + 1 : 1;
        }
        INDArray view = Nd4j.create(out.data(), in, viewStrides, 0, 'c');
        view.assign(a);
        return new NdDense(out, x.dtype());
    }

    /**
     * In Java over the terms' native memory, into memory tn owns: an ND4J scalar multiply and add
     * took about 20 ms for two [64, 768] float32 terms here (a GPT-2 forward makes ~130 such
     * sums: 2.8 s of it), a loop takes microseconds. The arithmetic is ND4J's: each term times its
     * coefficient rounded to the type, then added to the running sum in that order, so the
     * numbers are the same.
     */
    @Override
    public Dense linearCombination(List<Dense> terms, double[] coefficients) {
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

    /** Repeated terms read in place ({@link Reductions#combine(List, int[], double[], int, Buffer)}): one pass, one new array. */
    @Override
    public Dense linearCombination(List<Dense> terms, double[] coefficients, long[] shape) {
        Backend.checkSuffixes(terms, shape);
        long n = 1;
        for (long s : shape) n *= s;
        if (n == 0 || n > Integer.MAX_VALUE - 8) return Backend.super.linearCombination(terms, coefficients, shape);
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

    private Dense linearCombinationNd4j(List<Dense> terms, double[] coefficients, DType d) {
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
    @Override
    public Dense map(Dense x, Elementwise fn, double p) {
        long n = x.length();
        if (x.rank() == 0 || n == 0 || n > Integer.MAX_VALUE - 8) return mapNd4j(x, fn, p);
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

    private Dense mapNd4j(Dense x, Elementwise fn, double p) {
        if (fn.ordinal() > Elementwise.NEG.ordinal()) {
            // The derivative functions (tn.net.Derivative) have no ND4J op; here (a scalar, an empty or a
            // beyond-int array) they go entry by entry through the same float64 formula.
            if (x.length() > Integer.MAX_VALUE - 8) throw new IllegalArgumentException(fn + " of more than 2^31 entries; take a slice");
            double[] v = toDoubles(x);
            for (int i = 0; i < v.length; i++) v[i] = tn.exec.Pointwise.of(fn, v[i], p);
            return fromDoubles(v, x.shape(), x.dtype());
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

    @Override
    public Dense reduce(Dense x, int[] axes, Reduction op) {
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
    private Dense byRows(Dense x, int[] axes, RowOp op) {
        INDArray a = arr(x);
        if (a.length() > Reductions.MAX_ENTRIES) {
            throw new UnsupportedOperationException("softmax and layernorm are limited to " + Reductions.MAX_ENTRIES + " entries; this tensor has " + a.length());
        }
        int rank = a.rank();
        long[] shape = a.shape();
        long group = 1;
        for (int k : axes) group *= shape[k];
        int rows = (int) (a.length() / Math.max(1, group));
        long[] block = together(shape, axes);
        if (block != null && block[2] == 1) {
            INDArray src = NdDense.contiguous(a, a.dataType());
            if (rank == 0) {
                INDArray out = Nd4j.scalar(a.dataType(), 0.0);
                op.apply(NdDense.buffer(src), rows, (int) group, NdDense.buffer(out));
                return new NdDense(out, x.dtype());
            }
            NdDense out = NdDense.allocate(shape, a.length(), x.dtype()); // tn's memory: ND4J's allocator is slower
            op.apply(NdDense.buffer(src), rows, (int) group, out.ownBuffer(a.dataType()));
            Reference.reachabilityFence(src);
            return out;
        }
        int[] perm = lastPermutation(rank, axes);
        INDArray moved = a.permute(perm).dup('c'); // a copy of our own: worked on in place
        op.apply(NdDense.buffer(moved), rows, (int) group, NdDense.buffer(moved));
        int[] inverse = new int[rank];
        for (int k = 0; k < rank; k++) inverse[perm[k]] = k;
        return wrap(Nd4jContractor.permute(moved, inverse), x.dtype());
    }

    @Override
    public Dense softmax(Dense x, int[] axes) {
        return byRows(x, axes, Reductions::softmax);
    }

    @Override
    public Dense layerNorm(Dense x, int[] axes, double eps) {
        return byRows(x, axes, (src, rows, group, dst) -> Reductions.layerNorm(src, rows, group, eps, dst));
    }

    // ---- matrix factorisations ----------------------------------------------------------------
    // LAPACK directly (see Lapack for why not ND4J's wrappers); any dtype in, float64 out. A complex
    // matrix (ComplexBackend passes it down) goes to the complex routines, complex128 out.

    @Override
    public Dense[] svd(Dense matrix) {
        return matrix instanceof ComplexDense c ? ComplexLapack.svd(c, true) : Lapack.svd(arr(matrix), true);
    }

    @Override
    public Dense svdvals(Dense matrix) {
        return matrix instanceof ComplexDense c ? ComplexLapack.svd(c, false)[0] : Lapack.svd(arr(matrix), false)[0];
    }

    @Override
    public Dense[] qr(Dense matrix) {
        return matrix instanceof ComplexDense c ? ComplexLapack.qr(c) : Lapack.qr(arr(matrix));
    }

    @Override
    public Dense[] eigh(Dense matrix) {
        return matrix instanceof ComplexDense c ? ComplexLapack.eigh(c) : Lapack.eigh(arr(matrix));
    }

    @Override
    public Dense[] eig(Dense matrix) {
        return matrix instanceof ComplexDense c ? ComplexLapack.eig(c) : Lapack.eig(arr(matrix));
    }
}
