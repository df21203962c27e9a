package tn.interp.builtins;

import java.util.List;
import tn.diag.Span;
import tn.diag.TnError;
import tn.exec.DType;
import tn.interp.Interpreter;
import tn.net.Evaluator;
import tn.net.Units;

/**
 * Checks an array a builtin is about to make against what can be made, before anything is
 * allocated: its entries counted in exact arithmetic (sizes whose product overflows are refused,
 * never wrapped), at most what one array holds, and its bytes within the memory limit. Builtins
 * run it in the checking pass too, so `tn check` refuses what `tn run` could not allocate.
 */
final class Allocation {
    /** The most entries one array holds (Java arrays and buffers are indexed by int). */
    static final long MAX_ENTRIES = Integer.MAX_VALUE - 8;

    private Allocation() {}

    /** The product of the sizes, or -1 when it does not fit in a long. */
    static long entries(long[] shape) {
        long n = 1;
        for (long s : shape) {
            if (s == 0) return 0;
        }
        for (long s : shape) {
            try {
                n = Math.multiplyExact(n, s);
            } catch (ArithmeticException overflow) {
                return -1;
            }
        }
        return n;
    }

    /**
     * The number of entries of an array with legs {@code legs} of sizes {@code shape}, after
     * checking that it can be made as {@code dtype}; {@code what} names it in messages
     * ("random()"). Throws a TnError at {@code span} otherwise.
     */
    static int check(Interpreter in, Span span, String what, List<String> legs, long[] shape, DType dtype) {
        return (int) check(in, span, what + " with legs " + Evaluator.describe(legs, shape), shape, dtype.bytes(), dtype.label(), "smaller legs");
    }

    /**
     * Checks that {@code shape} can be one array, and that it fits the memory limit at
     * {@code bytesPerEntry} bytes an entry (the array and any temporary copies of it);
     * {@code subject} is what the messages say ("random() with legs [a=10, b=20]"), {@code smaller}
     * what can be made smaller. Returns the number of entries.
     */
    static long check(Interpreter in, Span span, String subject, long[] shape, int bytesPerEntry, String type, String smaller) {
        long n = entries(shape);
        double count = n >= 0 ? n : product(shape);
        if (n < 0 || n > MAX_ENTRIES) {
            throw new TnError(span, subject + " would have " + Units.count(count) + " entries, more than one array can hold ("
                    + MAX_ENTRIES + "); use " + smaller);
        }
        checkBytes(in, span, subject, count, count * bytesPerEntry, type, smaller);
        return n;
    }

    /** Refuses {@code bytes} (for {@code count} entries of {@code type}) when over the memory limit. */
    static void checkBytes(Interpreter in, Span span, String subject, double count, double bytes, String type, String smaller) {
        double limit = in.evaluator().memoryLimitBytes();
        if (bytes > limit) {
            throw new TnError(span, subject + " needs " + Units.bytes(bytes) + " (" + Units.count(count) + " entries of " + type
                    + "), over the memory limit of " + Units.bytes(limit) + "; raise the limit (--memory-limit, or `set memory_limit = "
                    + roundedUp(bytes) + "`) or use " + smaller);
        }
    }

    /** {@code x} rounded up to three significant digits, as a number a script can write (4.01e10). */
    static String roundedUp(double x) {
        if (x < 1000) return String.valueOf((long) Math.ceil(x));
        int e = (int) Math.floor(Math.log10(x));
        long m = (long) Math.ceil(x / Math.pow(10, e - 2));
        return String.format(java.util.Locale.ROOT, "%d.%02de%d", m / 100, m % 100, e);
    }

    private static double product(long[] shape) {
        double p = 1;
        for (long s : shape) p *= s;
        return p;
    }
}
