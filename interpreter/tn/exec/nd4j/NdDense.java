package tn.exec.nd4j;

import java.lang.ref.Reference;
import java.nio.Buffer;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tn.exec.DType;
import tn.exec.Dense;

/**
 * A {@link Dense} backed by ND4J: either an ND4J array (always a C-ordered array the backend
 * owns), or native memory tn allocated and wrote itself (a contraction's result), row-major.
 * The latter is wrapped as an ND4J array only when an ND4J operation asks for it: wrapping costs
 * about 10 us (ND4J builds and caches shape information natively), as much as a whole small
 * contraction, and a result that only feeds the next contraction never needs it.
 */
public final class NdDense implements Dense {
    private final DType dtype;
    private final long[] shape;
    /**
     * The entries when tn allocated their memory ({@link FloatPointer} or {@link DoublePointer};
     * null when ND4J owns the memory). Whatever wraps the memory holds this object, so the memory
     * lives as long as it is reachable.
     */
    private final Pointer data;
    /** A row-major view of {@link #data} (null when ND4J owns the memory). */
    private final Buffer view;
    /** Frees or gives back {@link #data}'s memory at once (null when ND4J owns the memory). */
    private final Runnable free;
    private volatile INDArray array;
    /** The columns of the 1s when this is a one-hot matrix ({@link Dense#oneHotColumns}), else null. */
    private final int[] oneHot;
    /**
     * Set when this value does not hold its memory alone: it reads another's (a file's mapping, a
     * view made by {@link #share}), or another value may read this one's without holding this
     * object (a view was made of it: {@link #share}, {@link #asOneHot}, an {@link NdView}; or it
     * was wrapped as an ND4J array, whose views tn cannot see). {@link #release} then frees
     * nothing: the memory goes when every holder is unreachable.
     */
    private volatile boolean shared;
    /** Set when {@link #release} gave the memory back: any later read is refused rather than answered from reused memory. */
    private volatile boolean released;

    public NdDense(INDArray array, DType dtype) {
        this.array = array;
        this.dtype = dtype;
        this.shape = array.shape();
        this.data = null;
        this.view = null;
        this.free = null;
        this.oneHot = null;
    }

    /**
     * A value around native memory tn allocated and wrote ({@code data}: a {@link FloatPointer} or
     * {@link DoublePointer}, by type); {@code free} frees it or gives it back, at most once.
     */
    NdDense(Pointer data, Runnable free, long[] shape, DType dtype) {
        this(data, free, true, shape, dtype);
    }

    /** {@code owns}: false for memory this value only reads (a file's mapping, another value's entries): {@link #release} leaves it. */
    private NdDense(Pointer data, Runnable free, boolean owns, long[] shape, DType dtype) {
        this.dtype = dtype;
        this.shape = shape.clone();
        this.data = data;
        this.free = free;
        this.view = view(data);
        this.oneHot = null;
        this.shared = !owns;
    }

    /** The same entries (the same memory), known to be the one-hot matrix with the 1s at {@code columns}. */
    private NdDense(NdDense x, int[] columns) {
        this.dtype = x.dtype;
        this.shape = x.shape;
        this.data = x.data;
        this.free = x.free;
        this.view = x.view;
        this.array = x.array;
        this.oneHot = columns.clone();
        this.shared = true;
        x.shared = true;
    }

    /** This value marked as the one-hot matrix with the 1s at {@code columns} (the caller made it so). */
    NdDense asOneHot(int[] columns) {
        if (shape.length != 2 || shape[0] != columns.length) throw new IllegalArgumentException("not a one-hot of " + columns.length + " rows");
        return new NdDense(this, columns);
    }

    /**
     * A new C-ordered array of the shape ({@code n} entries, at least one) in native memory tn
     * owns, its entries undefined (the caller writes every one): from the {@link BlockPool} when
     * large, else malloc'd; given back when released or unreachable.
     */
    static NdDense allocate(long[] shape, long n, DType dtype) {
        // Complex arrays are pairs of real ones (tn.exec.ComplexBackend): a complex dtype here would
        // size the memory as float32 while writers count dtype.bytes() (16 for complex128).
        if (dtype.isComplex()) throw new IllegalArgumentException("the ND4J backend holds real arrays only, not " + dtype);
        boolean f64 = dtype == DType.FLOAT64;
        long bytes = n * (f64 ? Double.BYTES : Float.BYTES);
        Collector.allocated(bytes);
        if (bytes >= BlockPool.MIN_BYTES) {
            BytePointer block = BlockPool.take(bytes);
            Pointer data = f64 ? new DoublePointer(block).capacity(n).limit(n) : new FloatPointer(block).capacity(n).limit(n);
            return new NdDense(data, BlockPool.giveWhenUnreachable(data, block)::clean, shape, dtype);
        }
        Pointer p = f64 ? new DoublePointer(n) : new FloatPointer(n);
        return new NdDense(p, p::deallocate, shape, dtype);
    }

    /**
     * Entries {@code [offset, offset + n)} of this value's native memory as a value of the shape
     * (n entries), sharing the memory: no copy, which is safe because nothing in tn writes into a
     * value after it is made. The view keeps this value (so its memory) reachable, and releasing
     * the view frees nothing. Null when ND4J owns the memory or it is too large for one view.
     */
    NdDense share(long offset, long[] shape) {
        if (data == null) return null;
        long n = 1;
        for (long d : shape) n *= d;
        int width = data instanceof DoublePointer ? Double.BYTES : Float.BYTES;
        if (n == 0 || offset < 0 || offset + n > data.limit() || (offset + n) * width > Integer.MAX_VALUE) return null;
        checkLive();
        shared = true;
        java.nio.ByteBuffer bytes = data.asByteBuffer().slice((int) (offset * width), (int) (n * width));
        return wrapBytes(bytes, this, shape, dtype);
    }

    /**
     * A value over the native memory of the direct buffer {@code bytes} (its entries, row-major,
     * in the dtype's width), without a copy; {@code owner} is kept reachable as long as the value
     * (the memory's owner: a parent value, or the mapping of a file).
     */
    static NdDense wrapBytes(java.nio.ByteBuffer bytes, Object owner, long[] shape, DType dtype) {
        boolean f64 = dtype == DType.FLOAT64;
        long n = bytes.capacity() / (f64 ? Double.BYTES : Float.BYTES);
        BytePointer at = new BytePointer(bytes);
        Pointer p = f64 ? new DoublePointer(at).capacity(n).limit(n) : new FloatPointer(at).capacity(n).limit(n);
        Object[] keep = {owner, bytes, at};
        return new NdDense(p, () -> Reference.reachabilityFence(keep), false, shape, dtype);
    }

    /** The native memory tn allocated ({@link FloatPointer} or {@link DoublePointer}), or null when ND4J owns it. */
    Pointer data() {
        checkLive();
        return data;
    }

    /** Notes that a view of this value's memory was made elsewhere ({@link NdView}): {@link #release} will not free it. */
    void markShared() {
        shared = true;
    }

    /**
     * Gives the memory back now rather than when the garbage collector finds the value unreachable
     * (the evaluator does so for an intermediate once its last consumer has run; benchmarks free
     * each result as numpy's reference counting does). The caller must not use the value
     * afterwards. Memory that a view or an ND4J array may also read ({@link #shared}) is not freed:
     * it goes when all its holders are unreachable, as without this call. A value whose reads
     * came after the release would be refused ({@link #checkLive}).
     *
     * <p>With the system property {@code tn.poison} set (the test suite sets it), freed memory is
     * first filled with NaNs (its first 64 MB), so a read through a buffer taken before the release
     * shows in every number it reaches instead of reading whatever the memory holds next.
     */
    public void release() {
        if (shared || released) return;
        if (free != null) {
            released = true;
            long bytes = length() * (data instanceof DoublePointer ? Double.BYTES : Float.BYTES);
            if (POISON) Pointer.memset(data, 0xFF, Math.min(POISON_BYTES, bytes));
            free.run();
            Collector.freed(bytes);
        } else if (array != null && !array.isView() && array.closeable()) {
            released = true;
            array.close();
        }
    }

    static final boolean POISON = Boolean.getBoolean("tn.poison");
    /** At most this much of a freed value is poisoned (the start of it): a huge fill given back when interrupted must not take seconds. */
    private static final long POISON_BYTES = 64L << 20;

    /** Refuses to read a value whose memory {@link #release} gave back (a bug in tn, never a user's error). */
    private void checkLive() {
        if (released) throw new IllegalStateException("a value was read after its memory was given back: " + this);
    }

    /** The value as an ND4J array (wrapping tn's memory, without a copy, on first use). */
    public INDArray array() {
        checkLive();
        shared = true;
        INDArray a = array;
        if (a == null) {
            synchronized (this) {
                a = array;
                if (a == null) array = a = wrap();
            }
        }
        return a;
    }

    private INDArray wrap() {
        long n = 1;
        for (long d : shape) n *= d;
        DataBuffer buffer = data instanceof DoublePointer d
                ? Nd4j.createBuffer(d, DataType.DOUBLE, n, DoubleIndexer.create(d))
                : Nd4j.createBuffer(data, DataType.FLOAT, n, FloatIndexer.create((FloatPointer) data));
        // The buffer holds the pointer, so the memory lives as long as the array.
        return Nd4j.create(buffer, shape, Nd4j.getStrides(shape, 'c'), 0, 'c');
    }

    /**
     * The row-major entries as a view of tn's own native memory when this value is such memory
     * of the given type, else null. The value must stay reachable while the view is in use.
     */
    Buffer ownBuffer(DataType type) {
        checkLive();
        if (view == null) return null;
        return (type == DataType.DOUBLE) == (data instanceof DoublePointer) ? view : null;
    }

    /**
     * The row-major entries of a value as a buffer of the given type, and the object that must
     * stay reachable while the buffer is read ({@link Reference#reachabilityFence} it): the value
     * itself when its own memory is of that type, else a C-ordered copy (or cast) ND4J made, which
     * nothing else holds.
     */
    record Read(Buffer buffer, Object holder) {}

    /** This value's entries to read as {@code type} ({@link Read}). */
    Read read(DataType type) {
        Buffer own = ownBuffer(type);
        if (own != null) return new Read(own, this);
        INDArray a = contiguous(array(), type);
        return new Read(buffer(a), a);
    }

    /** A row-major view of {@code data}'s entries ({@link FloatPointer} or {@link DoublePointer}). */
    static Buffer view(Pointer data) {
        return data instanceof DoublePointer d ? d.asBuffer() : ((FloatPointer) data).asBuffer();
    }

    /**
     * The array's entries as a row-major view of its native memory ({@link java.nio.FloatBuffer}
     * or {@link java.nio.DoubleBuffer}, by its type); the array must be C-ordered, own its whole
     * buffer, and stay reachable while the view is in use (the view does not keep it alive).
     */
    static Buffer buffer(INDArray a) {
        java.nio.ByteBuffer bytes = a.data().asNio().order(java.nio.ByteOrder.nativeOrder());
        return a.dataType() == DataType.DOUBLE ? bytes.asDoubleBuffer() : bytes.asFloatBuffer();
    }

    /**
     * The array itself when it is C-ordered with the default strides, of the given type and spans
     * its whole buffer, else such a copy. ND4J flags the result of a reshape as a view even when
     * it spans its whole buffer in order: the flag alone copied about 1.1 s of weights and
     * activations per GPT-2 forward (36 [12, 768, 64] head weights, 24 [768, 3072] MLP weights...).
     */
    static INDArray contiguous(INDArray a, DataType type) {
        if (a.dataType() != type) a = a.castTo(type);
        boolean whole = a.ordering() == 'c' && a.offset() == 0 && a.data().length() == a.length()
                && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(a);
        return whole ? a : a.dup('c');
    }

    @Override public long[] shape() { return shape.clone(); }

    @Override public DType dtype() { return dtype; }

    @Override public int[] oneHotColumns() { return oneHot == null ? null : oneHot.clone(); }

    @Override public String toString() {
        return "NdDense" + java.util.Arrays.toString(shape) + " " + dtype;
    }
}
