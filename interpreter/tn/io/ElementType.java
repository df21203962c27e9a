package tn.io;

import java.nio.ByteBuffer;

/**
 * The element types tn can read from a .npy file, named as numpy names them, with their size in
 * bytes and how one element is turned into a double. Byte order is not part of the type: the
 * caller sets it on the buffer.
 */
enum ElementType {
    BOOL("bool", 'b', 1),
    INT8("int8", 'i', 1),
    INT16("int16", 'i', 2),
    INT32("int32", 'i', 4),
    INT64("int64", 'i', 8),
    UINT8("uint8", 'u', 1),
    UINT16("uint16", 'u', 2),
    UINT32("uint32", 'u', 4),
    UINT64("uint64", 'u', 8),
    FLOAT16("float16", 'f', 2),
    FLOAT32("float32", 'f', 4),
    FLOAT64("float64", 'f', 8),
    // Complex: two floats, real part first (decoded a component at a time by the readers).
    COMPLEX64("complex64", 'c', 8),
    COMPLEX128("complex128", 'c', 16);

    /** What tn supports, for messages about what it does not. */
    static final String SUPPORTED = "tn reads float16/32/64, complex64/128, signed and unsigned integers and bool";

    final String label;
    final char kind;
    final int size;

    ElementType(String label, char kind, int size) {
        this.label = label;
        this.kind = kind;
        this.size = size;
    }

    /** The type with numpy kind letter {@code kind} ('b', 'i', 'u', 'f') and {@code size} bytes, or null. */
    static ElementType of(char kind, int size) {
        for (ElementType t : values()) if (t.kind == kind && t.size == size) return t;
        return null;
    }

    /** The type numpy calls {@code label}, or null. */
    static ElementType byLabel(String label) {
        for (ElementType t : values()) if (t.label.equals(label)) return t;
        return null;
    }

    /** Whether an element is two numbers (real, imaginary). */
    boolean isComplex() { return kind == 'c'; }

    /** The type of one number of an element: the float of half the size for a complex type, else itself. */
    ElementType component() {
        return this == COMPLEX64 ? FLOAT32 : this == COMPLEX128 ? FLOAT64 : this;
    }

    /** Reads one element (one component of a complex one) at the buffer's position, in the buffer's byte order. */
    double decode(ByteBuffer b) {
        switch (this) {
            // numpy treats any non-zero byte as True, and True converts to 1.
            case BOOL: return b.get() != 0 ? 1 : 0;
            case INT8: return b.get();
            case INT16: return b.getShort();
            case INT32: return b.getInt();
            case INT64: return b.getLong();
            case UINT8: return b.get() & 0xff;
            case UINT16: return b.getShort() & 0xffff;
            case UINT32: return b.getInt() & 0xffffffffL;
            case UINT64: return unsignedToDouble(b.getLong());
            case FLOAT16: return halfToFloat(b.getShort());
            case FLOAT32: return b.getFloat();
            case FLOAT64: return b.getDouble();
            case COMPLEX64: return b.getFloat();
            case COMPLEX128: return b.getDouble();
            default: throw new AssertionError(this);
        }
    }

    /** The 64 bits read as an unsigned number, correctly rounded to a double. */
    static double unsignedToDouble(long v) {
        if (v >= 0) return v;
        // Halve (keeping the lost bit as a sticky bit so rounding stays correct), convert, double.
        return ((v >>> 1) | (v & 1)) * 2.0;
    }

    /** IEEE 754 binary16 to binary32 (exact). */
    static float halfToFloat(short half) {
        return tn.exec.Stored.halfToFloat(half);
    }
}
