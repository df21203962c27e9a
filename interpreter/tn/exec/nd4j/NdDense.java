package tn.exec.nd4j;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tn.exec.DType;
import tn.exec.Dense;

/** A {@link Dense} backed by an ND4J array (always a C-ordered array the backend owns). */
public final class NdDense implements Dense {
    private final INDArray array;
    private final DType dtype;
    private double[] doubles;
    private float[] floats;

    public NdDense(INDArray array, DType dtype) {
        this.array = array;
        this.dtype = dtype;
    }

    public INDArray array() { return array; }

    /**
     * The entries as row-major doubles, computed once: backend arrays are never mutated, so the
     * copy stays valid (callers must not modify it).
     */
    double[] doubles() {
        if (doubles == null) {
            if (array.rank() == 0) doubles = new double[] {array.getDouble(0)};
            else if (array.dataType() == DataType.DOUBLE) {
                doubles = new double[(int) array.length()];
                nio(contiguous(array)).asDoubleBuffer().get(doubles);
            } else {
                float[] f = floats();
                doubles = new double[f.length];
                for (int i = 0; i < f.length; i++) doubles[i] = f[i];
            }
        }
        return doubles;
    }

    /** The entries as row-major floats, computed once like {@link #doubles()} (callers must not modify it). */
    float[] floats() {
        if (floats == null) {
            if (array.rank() == 0) return floats = new float[] {array.getFloat(0)};
            floats = new float[(int) array.length()];
            nio(contiguous(array.dataType() == DataType.FLOAT ? array : array.castTo(DataType.FLOAT))).asFloatBuffer().get(floats);
        }
        return floats;
    }

    /** The array itself when it is C-ordered and owns its whole buffer, else a C-ordered copy. */
    private static INDArray contiguous(INDArray a) {
        return !a.isView() && a.ordering() == 'c' && a.offset() == 0 && a.data().length() == a.length() ? a : a.dup('c');
    }

    /**
     * The native memory of a C-ordered array as a byte buffer: bulk copies through it are one
     * memcpy (DataBuffer.asDouble() and Nd4j.create(double[]) take about twice as long).
     */
    private static java.nio.ByteBuffer nio(INDArray a) {
        return a.data().asNio().order(java.nio.ByteOrder.nativeOrder());
    }

    /** A new C-ordered float32 array holding the row-major entries (rank 0 for an empty shape). */
    static INDArray array(float[] data, long[] shape) {
        if (shape.length == 0) return Nd4j.scalar(data[0]);
        INDArray a = Nd4j.createUninitialized(DataType.FLOAT, shape, 'c');
        nio(a).asFloatBuffer().put(data);
        return a;
    }

    /** A new C-ordered float64 array holding the row-major entries (rank 0 for an empty shape). */
    static INDArray array(double[] data, long[] shape) {
        if (shape.length == 0) return Nd4j.scalar(data[0]);
        INDArray a = Nd4j.createUninitialized(DataType.DOUBLE, shape, 'c');
        nio(a).asDoubleBuffer().put(data);
        return a;
    }

    @Override public long[] shape() { return array.shape(); }

    @Override public DType dtype() { return dtype; }

    @Override public String toString() {
        return "NdDense" + java.util.Arrays.toString(shape()) + " " + dtype;
    }
}
