package tn.spark;

import org.apache.spark.api.java.function.Function;

/**
 * One Spark task over a range of slices: task t of n takes slices [t S / n, (t + 1) S / n) and
 * returns their sum. Only the task numbers are sent from the driver, so a run of billions of slices
 * needs no list of them there; each slice is contracted by {@link SliceTask}.
 */
final class SliceRange implements Function<Integer, Partial> {
    private static final long serialVersionUID = 1L;

    private final SliceTask slice;
    private final long slices;
    private final int tasks;

    SliceRange(SliceTask slice, long slices, int tasks) {
        this.slice = slice;
        this.slices = slices;
        this.tasks = tasks;
    }

    /** The first slice of task t (t = tasks gives the end). */
    static long start(long t, long slices, int tasks) {
        try {
            return Math.multiplyExact(t, slices) / tasks;
        } catch (ArithmeticException e) { // past 2^63: exactly, in big integers
            return java.math.BigInteger.valueOf(t).multiply(java.math.BigInteger.valueOf(slices))
                    .divide(java.math.BigInteger.valueOf(tasks)).longValueExact();
        }
    }

    @Override
    public Partial call(Integer t) {
        long from = start(t, slices, tasks), to = start(t + 1L, slices, tasks);
        Partial sum = null;
        for (long s = from; s < to; s++) {
            Partial p = slice.call(s);
            if (sum == null) {
                sum = p;
            } else {
                for (int i = 0; i < sum.values.length; i++) sum.values[i] += p.values[i];
            }
        }
        return sum;
    }
}
