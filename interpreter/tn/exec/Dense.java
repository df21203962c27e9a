package tn.exec;

/**
 * An opaque handle to a dense array owned by a {@link Backend}. Row-major (C order) semantics:
 * axis k of the array is leg k of the tensor that holds it. Handles are immutable from the
 * interpreter's point of view: no backend operation mutates an argument.
 */
public interface Dense {
    long[] shape();

    DType dtype();

    default int rank() { return shape().length; }

    default long length() {
        long n = 1;
        for (long s : shape()) n *= s;
        return n;
    }
}
