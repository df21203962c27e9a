package tn.io;

import java.util.Arrays;
import tn.exec.DType;

/**
 * An n-dimensional array as it came out of (or goes into) a .npy file: its shape, its values in
 * row-major (C) order, and the element type the file stores, spelled as numpy spells it
 * ({@code float32}, {@code int64}, {@code bool}, ...).
 *
 * <p>Values are held as doubles whatever the file type, because tn computes in float32/float64.
 * Every float16/float32, every int8..int32 and uint8..uint32 value and bool (0/1) is represented
 * exactly; int64 and uint64 values beyond 2^53 are rounded to the nearest double.
 *
 * <p>The arrays are not copied (they can be large); callers must not mutate them once shared.
 * Equality compares contents, not array identity.
 */
public record NdData(long[] shape, double[] data, String dtype) {

    public NdData {
        if (shape == null || data == null || dtype == null) {
            throw new IllegalArgumentException("shape, data and dtype must not be null");
        }
        long count = Shapes.elementCount(shape);
        // Complex data is interleaved: real and imaginary part of each element, numpy's layout.
        long values = dtype.startsWith("complex") && count > 0 ? 2 * count : count;
        if (values != data.length) {
            throw new IllegalArgumentException("shape " + Shapes.format(shape) + " holds "
                    + (count < 0 ? "an invalid number of" : String.valueOf(count))
                    + " elements but " + data.length + " values were given");
        }
    }

    /** Whether the data is complex: interleaved (real, imaginary) pairs, 2 values an element. */
    public boolean isComplex() {
        return dtype.startsWith("complex");
    }

    /** Array of one of tn's compute types; the form the writers take. */
    public static NdData of(long[] shape, double[] data, DType dtype) {
        return new NdData(shape, data, dtype.label());
    }

    public int rank() {
        return shape.length;
    }

    /** Number of elements (1 for rank 0). */
    public int size() {
        return data.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NdData other
                && Arrays.equals(shape, other.shape)
                && Arrays.equals(data, other.data)
                && dtype.equals(other.dtype);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(shape) + Arrays.hashCode(data)) + dtype.hashCode();
    }

    @Override
    public String toString() {
        String values = data.length <= 16 ? Arrays.toString(data)
                : Arrays.toString(Arrays.copyOf(data, 16)).replace("]", ", ...]");
        return "NdData" + Shapes.format(shape) + " " + dtype + " " + values;
    }
}
