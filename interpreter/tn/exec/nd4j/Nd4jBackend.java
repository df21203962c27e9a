package tn.exec.nd4j;

import java.lang.ref.Reference;
import java.nio.Buffer;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tn.exec.Backend;
import tn.exec.DType;
import tn.exec.ComplexDense;
import tn.exec.Dense;
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

    static INDArray arr(Dense d) { return nd(d).array(); }

    /**
     * The value as an {@link NdDense}: a lazy stack ({@link NdStack}) is made whole first, a
     * strided view ({@link NdView}) copied row-major, a one-hot ({@link NdOneHot}) written out.
     */
    static NdDense nd(Dense d) {
        if (d instanceof NdStack s) return s.whole();
        if (d instanceof NdView v) return v.copy();
        if (d instanceof NdOneHot h) return h.entries();
        return (NdDense) d;
    }

    /** A view where x is tn's own native memory ({@link NdView}), else a copy. */
    @Override
    public Dense strided(Dense x, long offset, long[] shape, long[] steps) {
        NdView view = NdView.of(nd(x), offset, shape, steps);
        return view != null ? view : nd(Backend.super.strided(x, offset, shape, steps));
    }

    static Dense wrap(INDArray a, DType d) {
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
     * Zeros with a 1 per row, marked so that contractions pick its rows ({@link Dense#oneHotColumns}):
     * kept as its columns until an operation needs the entries ({@link NdOneHot}).
     */
    @Override
    public Dense oneHot(int[] columns, long width, DType dtype) {
        long n = Math.multiplyExact((long) columns.length, width);
        if (n == 0 || dtype.isComplex()) return Backend.super.oneHot(columns, width, dtype);
        return new NdOneHot(columns, width, dtype);
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
        long[] strides = new long[shape.length];
        long[] full = x.shape();
        for (long k = shape.length - 1, m = 1; k >= 0; k--) {
            strides[(int) k] = m;
            m *= full[(int) k];
        }
        return gathered(x, index * strides[axis], shape, strides);
    }

    /**
     * A new row-major array of {@code shape} in memory tn owns, entry (i0, .., ik) being entry
     * {@code offset + i0 * steps[0] + .. + ik * steps[k]} of {@code src}'s row-major entries: a
     * strided copy in Java ({@link tn.exec.Strided#gather}), for slices, permutations and views.
     */
    static NdDense gathered(NdDense src, long offset, long[] shape, long[] steps) {
        DataType type = type(src.dtype());
        long n = 1;
        for (long d : shape) n *= d;
        NdDense.Read read = src.read(type);
        NdDense out = NdDense.allocate(shape, n, src.dtype());
        try {
            tn.exec.Strided.gather(read.buffer(), offset, shape, steps, out.ownBuffer(type));
        } finally {
            Reference.reachabilityFence(read.holder());
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
        long[] in = x.shape(), strides = new long[in.length], shape = new long[in.length], step = new long[in.length];
        for (int k = in.length - 1, m = 1; k >= 0; m *= (int) in[k], k--) strides[k] = m;
        for (int k = 0; k < perm.length; k++) {
            shape[k] = in[perm[k]];
            step[k] = strides[perm[k]];
        }
        return gathered(nd(x), 0, shape, step);
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

    // ---- arithmetic (NdArithmetic) ------------------------------------------------------------

    @Override
    public Dense linearCombination(List<Dense> terms, double[] coefficients) {
        return NdArithmetic.linearCombination(terms, coefficients);
    }

    @Override
    public Dense linearCombination(List<Dense> terms, double[] coefficients, long[] shape) {
        Backend.checkSuffixes(terms, shape);
        long n = 1;
        for (long s : shape) n *= s;
        if (n == 0 || n > Integer.MAX_VALUE - 8) return Backend.super.linearCombination(terms, coefficients, shape);
        return NdArithmetic.linearCombination(terms, coefficients, shape, n);
    }

    @Override
    public Dense map(Dense x, Elementwise fn, double p) {
        return NdArithmetic.map(this, x, fn, p);
    }

    @Override
    public Dense reduce(Dense x, int[] axes, Reduction op) {
        return NdArithmetic.reduce(x, axes, op);
    }

    @Override
    public Dense softmax(Dense x, int[] axes) {
        return NdArithmetic.softmax(x, axes);
    }

    @Override
    public Dense layerNorm(Dense x, int[] axes, double eps) {
        return NdArithmetic.layerNorm(x, axes, eps);
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
