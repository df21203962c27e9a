package tn.exec;

/**
 * Raised where a factorisation meets an inf or nan in its input (LAPACK would fail on it, or
 * return nonsense): how many there are and the first one, as a row-major index into the matrix
 * given, so the caller can name it by legs.
 */
public final class NonFiniteException extends ArithmeticException {
    private final long count;
    private final long infinities;
    private final long first;
    private final double value;

    public NonFiniteException(long count, long infinities, long first, double value) {
        super(count + " entries are inf or nan; the first, " + value + ", at index " + first);
        this.count = count;
        this.infinities = infinities;
        this.first = first;
        this.value = value;
    }

    public long count() { return count; }

    public long infinities() { return infinities; }

    /** The row-major index of the first non-finite entry. */
    public long first() { return first; }

    public double value() { return value; }

    /** Throws when any entry is inf or nan. */
    public static void check(double[] data) {
        long count = 0, infinities = 0, first = -1;
        for (int i = 0; i < data.length; i++) {
            double x = data[i];
            if (Double.isFinite(x)) continue;
            if (count++ == 0) first = i;
            if (Double.isInfinite(x)) infinities++;
        }
        if (count > 0) throw new NonFiniteException(count, infinities, first, data[(int) first]);
    }
}
