package tn.io;

/**
 * Shape arithmetic and formatting shared by the readers and writers. Shapes are printed the way
 * Python prints a tuple, so messages match what the user sees in numpy: {@code ()}, {@code (3,)},
 * {@code (2, 3)}.
 */
final class Shapes {
    private Shapes() {}

    /** Python tuple notation for a shape. */
    static String format(long[] shape) {
        if (shape.length == 1) return "(" + shape[0] + ",)";
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(shape[i]);
        }
        return sb.append(')').toString();
    }

    /**
     * Number of elements, or -1 when it does not fit in a long. Rank 0 holds one element; any zero
     * extent makes the array empty, whatever the other extents are.
     */
    static long elementCount(long[] shape) {
        for (long d : shape) if (d == 0) return 0;
        long n = 1;
        for (long d : shape) {
            if (d < 0) return -1;
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException overflow) {
                return -1;
            }
        }
        return n;
    }

    /** Bytes taken by {@code count} elements of {@code size} bytes each, or -1 on overflow. */
    static long byteCount(long count, int size) {
        if (count < 0) return -1;
        try {
            return Math.multiplyExact(count, (long) size);
        } catch (ArithmeticException overflow) {
            return -1;
        }
    }
}
