package tn.exec;

/**
 * A complex array as two real arrays of the same shape (its real and imaginary parts, of
 * {@link DType#realPart()} type), the "planar" layout. Every real kernel of a backend then works
 * on complex arrays unchanged: shape operations and linear maps (take, permute, reshape, sums,
 * slicing) act on each part, and a contraction step is four real GEMMs, as many real
 * multiply-adds as one complex GEMM does (see {@link ComplexBackend}). Files hold complex numbers
 * interleaved (numpy's {@code <c16}); readers and writers convert.
 */
public record ComplexDense(Dense re, Dense im, DType dtype) implements Dense {

    public ComplexDense {
        if (!dtype.isComplex()) throw new IllegalArgumentException("not a complex type: " + dtype);
        if (re.dtype() != dtype.realPart() || im.dtype() != dtype.realPart()) {
            throw new IllegalArgumentException("parts " + re.dtype() + ", " + im.dtype() + " of a " + dtype + " array");
        }
        if (!java.util.Arrays.equals(re.shape(), im.shape())) {
            throw new IllegalArgumentException("parts of shapes " + java.util.Arrays.toString(re.shape()) + " and " + java.util.Arrays.toString(im.shape()));
        }
    }

    @Override public long[] shape() { return re.shape(); }

    @Override public String toString() {
        return "ComplexDense" + java.util.Arrays.toString(shape()) + " " + dtype;
    }
}
