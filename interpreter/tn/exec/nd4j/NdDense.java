package tn.exec.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import tn.exec.DType;
import tn.exec.Dense;

/** A {@link Dense} backed by an ND4J array (always a C-ordered array the backend owns). */
public final class NdDense implements Dense {
    private final INDArray array;
    private final DType dtype;
    private double[] doubles;

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
            else if (!array.isView() && array.ordering() == 'c' && array.data().length() == array.length()) doubles = array.data().asDouble();
            else doubles = array.dup('c').data().asDouble();
        }
        return doubles;
    }

    @Override public long[] shape() { return array.shape(); }

    @Override public DType dtype() { return dtype; }

    @Override public String toString() {
        return "NdDense" + java.util.Arrays.toString(shape()) + " " + dtype;
    }
}
