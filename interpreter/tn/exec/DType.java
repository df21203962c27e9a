package tn.exec;

/**
 * Element types tn computes in. float32 is the default; mixing promotes to the wider type, and a
 * real type with a complex one gives the complex type of the wider precision (numpy's rule:
 * float64 with complex64 is complex128). A complex entry is a pair of real numbers of its
 * {@link #realPart()} type.
 */
public enum DType {
    FLOAT32("float32", 4),
    FLOAT64("float64", 8),
    COMPLEX64("complex64", 8),
    COMPLEX128("complex128", 16);

    /** The names users may write, for messages ("float32, float64, complex64 or complex128"). */
    public static final String NAMES = "float32, float64, complex64 or complex128";

    private final String label;
    private final int bytes;

    DType(String label, int bytes) {
        this.label = label;
        this.bytes = bytes;
    }

    /** The name users write (`float32`, `float64`, `complex64`, `complex128`). */
    public String label() { return label; }

    public int bytes() { return bytes; }

    public boolean isComplex() { return this == COMPLEX64 || this == COMPLEX128; }

    /** Whether entries are (pairs of) 64-bit floats. */
    public boolean isDouble() { return this == FLOAT64 || this == COMPLEX128; }

    /** The type of one real component: float32 for complex64, float64 for complex128; itself when real. */
    public DType realPart() {
        return switch (this) {
            case COMPLEX64 -> FLOAT32;
            case COMPLEX128 -> FLOAT64;
            default -> this;
        };
    }

    /** The complex type of this precision: complex64 for float32, complex128 for float64. */
    public DType complexType() {
        return isDouble() ? COMPLEX128 : COMPLEX64;
    }

    /**
     * How many real multiply-adds one multiply-add of this type is: 4 for a complex one
     * ((a + bi)(c + di) takes ac, bd, ad, bc), 1 for a real one. The planner's costs count real
     * multiply-adds.
     */
    public int workFactor() { return isComplex() ? 4 : 1; }

    /** The type two operands are promoted to. */
    public static DType promote(DType a, DType b) {
        boolean wide = a.isDouble() || b.isDouble();
        if (a.isComplex() || b.isComplex()) return wide ? COMPLEX128 : COMPLEX64;
        return wide ? FLOAT64 : FLOAT32;
    }

    /** Parses a user-written name; null when unknown. */
    public static DType parse(String name) {
        for (DType d : values()) if (d.label.equals(name)) return d;
        return null;
    }

    @Override public String toString() { return label; }
}
