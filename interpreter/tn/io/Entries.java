package tn.io;

/**
 * The row-major entries of an array, read a run at a time: writers and the printer go through a
 * large tensor in bounded chunks instead of copying it whole into a {@code double[]} (eight bytes
 * an entry, twice a float32 tensor's own size).
 */
@FunctionalInterface
public interface Entries {
    /** Copies entries {@code [from, from + count)} into {@code into[0 .. count)}. */
    void copy(long from, double[] into, int count);

    /** Entries held in an array already. */
    static Entries of(double[] data) {
        return (from, into, count) -> System.arraycopy(data, (int) from, into, 0, count);
    }
}
