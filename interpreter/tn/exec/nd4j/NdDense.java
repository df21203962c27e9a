package tn.exec.nd4j;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import tn.exec.DType;
import tn.exec.Dense;

/** A {@link Dense} backed by an ND4J array (always a C-ordered array the backend owns). */
public final class NdDense implements Dense {
    private final INDArray array;
    private final DType dtype;
    /** The native memory of the array when tn allocated it (else ND4J owns it). */
    private final Pointer owned;

    public NdDense(INDArray array, DType dtype) {
        this(array, dtype, null);
    }

    NdDense(INDArray array, DType dtype, Pointer owned) {
        this.array = array;
        this.dtype = dtype;
        this.owned = owned;
    }

    /**
     * Frees the native memory now rather than when the garbage collector finds the array
     * unreachable (benchmarks use this to free each result as numpy's reference counting does);
     * the value must not be used afterwards.
     */
    public void release() {
        if (owned != null) owned.deallocate();
        else if (array.closeable()) array.close();
    }

    public INDArray array() { return array; }

    /**
     * The array's entries as a row-major view of its native memory ({@link java.nio.FloatBuffer}
     * or {@link java.nio.DoubleBuffer}, by its type); the array must be C-ordered, own its whole
     * buffer, and stay reachable while the view is in use (the view does not keep it alive).
     */
    static java.nio.Buffer buffer(INDArray a) {
        java.nio.ByteBuffer bytes = a.data().asNio().order(java.nio.ByteOrder.nativeOrder());
        return a.dataType() == DataType.DOUBLE ? bytes.asDoubleBuffer() : bytes.asFloatBuffer();
    }

    /** The array itself when it is C-ordered, of the given type and owns its whole buffer, else such a copy. */
    static INDArray contiguous(INDArray a, DataType type) {
        if (a.dataType() != type) a = a.castTo(type);
        return !a.isView() && a.ordering() == 'c' && a.offset() == 0 && a.data().length() == a.length() ? a : a.dup('c');
    }

    @Override public long[] shape() { return array.shape(); }

    @Override public DType dtype() { return dtype; }

    @Override public String toString() {
        return "NdDense" + java.util.Arrays.toString(shape()) + " " + dtype;
    }
}
