package tn.io;

import java.util.Arrays;

/**
 * What a .npy header says about the array that follows it, without the data: enough for tn's
 * static checker to know shapes and types before anything is loaded.
 *
 * @param shape        extents, outermost first; empty for a rank-0 (scalar) array
 * @param dtype        element type as numpy names it: {@code float32}, {@code int64}, {@code bool}, ...
 * @param bigEndian    whether multi-byte elements are stored most significant byte first
 * @param fortranOrder whether the data is stored column-major; readers hand back C order regardless
 * @param dataOffset   where the data starts, in bytes from the start of the .npy content
 */
public record NpyHeader(long[] shape, String dtype, boolean bigEndian, boolean fortranOrder, long dataOffset) {

    public int rank() {
        return shape.length;
    }

    /** Number of elements (1 for rank 0). The header reader has checked it fits in a long. */
    public long elementCount() {
        return Shapes.elementCount(shape);
    }

    /** Bytes per element. */
    public int elementSize() {
        return elementType().size;
    }

    /** Bytes of data the header promises. */
    public long dataBytes() {
        return elementCount() * elementSize();
    }

    ElementType elementType() {
        return ElementType.byLabel(dtype);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NpyHeader h
                && Arrays.equals(shape, h.shape) && dtype.equals(h.dtype) && bigEndian == h.bigEndian
                && fortranOrder == h.fortranOrder && dataOffset == h.dataOffset;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + dtype.hashCode();
    }

    @Override
    public String toString() {
        return "NpyHeader" + Shapes.format(shape) + " " + dtype + (bigEndian ? " big-endian" : "")
                + (fortranOrder ? " fortran-order" : "") + " data@" + dataOffset;
    }
}
