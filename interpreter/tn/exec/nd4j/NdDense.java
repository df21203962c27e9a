package tn.exec.nd4j;

import org.nd4j.linalg.api.ndarray.INDArray;
import tn.exec.DType;
import tn.exec.Dense;

/** A {@link Dense} backed by an ND4J array (always a C-ordered array the backend owns). */
public final class NdDense implements Dense {
    private final INDArray array;
    private final DType dtype;

    public NdDense(INDArray array, DType dtype) {
        this.array = array;
        this.dtype = dtype;
    }

    public INDArray array() { return array; }

    @Override public long[] shape() { return array.shape(); }

    @Override public DType dtype() { return dtype; }

    @Override public String toString() {
        return "NdDense" + java.util.Arrays.toString(shape()) + " " + dtype;
    }
}
