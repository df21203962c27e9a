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

    /**
     * For a one-hot matrix [rows, cols] made by {@link Backend#oneHot}: the column of the 1 in each
     * row (-1 for a row of zeros); null for every other array. A contraction over the column leg
     * may then pick rows of the other operand instead of multiplying (exact, and a GEMM's cost
     * turned into a copy's). Arrays derived from this one (casts, slices, permutations) are plain.
     */
    default int[] oneHotColumns() {
        return null;
    }

    default long length() {
        long n = 1;
        for (long s : shape()) n *= s;
        return n;
    }
}
