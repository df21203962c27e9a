package tn.exec;

/** Element types tn computes in. float32 is the default; mixing promotes to the wider type. */
public enum DType {
    FLOAT32("float32", 4),
    FLOAT64("float64", 8);

    private final String label;
    private final int bytes;

    DType(String label, int bytes) {
        this.label = label;
        this.bytes = bytes;
    }

    /** The name users write (`float32`, `float64`). */
    public String label() { return label; }

    public int bytes() { return bytes; }

    /** The type two operands are promoted to. */
    public static DType promote(DType a, DType b) {
        return (a == FLOAT64 || b == FLOAT64) ? FLOAT64 : FLOAT32;
    }

    /** Parses a user-written name; null when unknown. */
    public static DType parse(String name) {
        for (DType d : values()) if (d.label.equals(name)) return d;
        return null;
    }

    @Override public String toString() { return label; }
}
