package tn.interp;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;
import tn.io.Entries;

/**
 * How values look when printed: numbers with six significant digits, tensors as a header
 * (`C: [i=2, k=3] float32`) and a numpy-like preview that shows at most six entries per axis.
 * Output must be stable across machines, so the formats are fixed and -0 prints as 0.
 */
public final class Printer {
    static final int EDGE = 3;

    private Printer() {}

    /** A number with six significant digits, trailing zeros dropped (`3.14159`, `14`, `1.5e-07`). */
    public static String number(double x) {
        if (Double.isNaN(x)) return "nan";
        if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        if (x == 0) return "0";
        BigDecimal d = new BigDecimal(x).round(new MathContext(6));
        double a = Math.abs(d.doubleValue());
        if (a >= 1e-4 && a < 1e15) {
            String s = d.stripTrailingZeros().toPlainString();
            return s.equals("-0") ? "0" : s;
        }
        String s = String.format(Locale.ROOT, "%.5e", x);
        String mantissa = s.substring(0, s.indexOf('e'));
        String exponent = s.substring(s.indexOf('e') + 1);
        if (mantissa.contains(".")) mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
        int e = Integer.parseInt(exponent);
        return mantissa + "e" + (e < 0 ? "-" : "+") + String.format(Locale.ROOT, "%02d", Math.abs(e));
    }

    /** `[i=2, k=3] float32`. */
    public static String signature(List<String> legs, long[] shape, String dtype) {
        StringBuilder sb = new StringBuilder("[");
        for (int k = 0; k < legs.size(); k++) {
            if (k > 0) sb.append(", ");
            String leg = legs.get(k);
            sb.append(leg.startsWith("#") ? "_" : leg).append('=').append(shape[k]);
        }
        return sb.append("] ").append(dtype).toString();
    }

    /** The numpy-like preview of row-major data. */
    public static String preview(double[] data, long[] shape) {
        return preview(Entries.of(data), shape);
    }

    /**
     * The numpy-like preview of a tensor's entries, read in bounded chunks: one pass over all of
     * them for the format (fixed or scientific, the column width), then only the entries shown.
     */
    public static String preview(Entries entries, long[] shape) {
        if (shape.length == 0) return number(new Cursor(entries, 1).get(0));
        Extremes x = Extremes.of(entries, count(shape));
        boolean scientific = x.maxFinite >= 1e6 || (x.maxFinite > 0 && x.maxFinite < 1e-3);
        int width = x.width(scientific);
        StringBuilder sb = new StringBuilder();
        long[] strides = new long[shape.length];
        long s = 1;
        for (int k = shape.length - 1; k >= 0; k--) { strides[k] = s; s *= shape[k]; }
        Cursor data = new Cursor(entries, s);
        block(sb, i -> {
            String e = element(data.get(i), scientific);
            return " ".repeat(width - e.length()) + e;
        }, shape, strides, 0, 0);
        return sb.toString();
    }

    private static long count(long[] shape) {
        long n = 1;
        for (long d : shape) n *= d;
        return n;
    }

    /**
     * The widest formatted entry, found by formatting only the entries that can be widest: the
     * largest and smallest magnitudes of each sign, zero, and the non-finite ones (a formatted
     * number's width grows with its sign, integer digits and exponent digits only).
     */
    static int width(double[] data, boolean scientific) {
        return Extremes.of(Entries.of(data), data.length).width(scientific);
    }

    /** What decides a preview's format, gathered in one pass over the entries, a chunk at a time. */
    private static final class Extremes {
        static final int CHUNK = 1 << 16;
        double maxPos = -1, minPos = Double.POSITIVE_INFINITY, maxNeg = -1, minNeg = Double.POSITIVE_INFINITY;
        double maxFinite = 0;
        boolean nan, posInf, negInf, zero;

        static Extremes of(Entries entries, long count) {
            Extremes x = new Extremes();
            double[] chunk = new double[(int) Math.min(CHUNK, count)];
            for (long from = 0; from < count; from += chunk.length) {
                int n = (int) Math.min(chunk.length, count - from);
                entries.copy(from, chunk, n);
                for (int k = 0; k < n; k++) x.add(chunk[k]);
            }
            return x;
        }

        void add(double v) {
            if (Double.isNaN(v)) nan = true;
            else if (v == Double.POSITIVE_INFINITY) posInf = true;
            else if (v == Double.NEGATIVE_INFINITY) negInf = true;
            else if (v == 0) zero = true;
            else if (v > 0) {
                maxPos = Math.max(maxPos, v);
                minPos = Math.min(minPos, v);
            } else {
                maxNeg = Math.max(maxNeg, -v);
                minNeg = Math.min(minNeg, -v);
            }
            if (Double.isFinite(v)) maxFinite = Math.max(maxFinite, Math.abs(v));
        }

        int width(boolean scientific) {
            List<Double> candidates = new java.util.ArrayList<>();
            if (maxPos >= 0) {
                candidates.add(maxPos);
                candidates.add(minPos);
            }
            if (maxNeg >= 0) {
                candidates.add(-maxNeg);
                candidates.add(-minNeg);
            }
            if (zero) candidates.add(0.0);
            if (nan) candidates.add(Double.NaN);
            if (posInf) candidates.add(Double.POSITIVE_INFINITY);
            if (negInf) candidates.add(Double.NEGATIVE_INFINITY);
            int width = 0;
            for (double v : candidates) width = Math.max(width, element(v, scientific).length());
            return width;
        }
    }

    /** Reads the shown entries a short run at a time (they come in runs of up to EDGE). */
    private static final class Cursor {
        private final Entries entries;
        private final long length;
        private final double[] run = new double[2 * EDGE];
        private long base = -1;
        private int filled;

        Cursor(Entries entries, long length) {
            this.entries = entries;
            this.length = length;
        }

        double get(long index) {
            if (base < 0 || index < base || index >= base + filled) {
                base = index;
                filled = (int) Math.min(run.length, length - index);
                entries.copy(index, run, filled);
            }
            return run[(int) (index - base)];
        }
    }

    private static void block(StringBuilder sb, java.util.function.LongFunction<String> entry, long[] shape, long[] strides, int axis, long offset) {
        sb.append('[');
        long n = shape[axis];
        boolean cut = n > 2 * EDGE;
        for (long i = 0; i < n; i++) {
            if (cut && i == EDGE) {
                sb.append(axis == shape.length - 1 ? "..., " : "...,\n" + " ".repeat(axis + 1));
                i = n - EDGE;
            }
            if (axis == shape.length - 1) {
                sb.append(entry.apply(offset + i * strides[axis]));
            } else {
                block(sb, entry, shape, strides, axis + 1, offset + i * strides[axis]);
            }
            if (i < n - 1) {
                sb.append(',');
                if (axis == shape.length - 1) sb.append(' ');
                else sb.append("\n".repeat(shape.length - axis - 1)).append(" ".repeat(axis + 1));
            }
        }
        sb.append(']');
    }

    /**
     * The preview of complex entries, given interleaved (re, im, re, im, ...: numpy's memory
     * layout), each as {@code re+imj} the way numpy prints them ({@code 0.7071-0.7071j}); a scalar
     * as {@code number(re)+number(im)j}. One format (fixed or scientific) for both parts.
     */
    public static String previewComplex(Entries interleaved, long[] shape) {
        long n = count(shape);
        if (shape.length == 0) {
            double[] z = new double[2];
            interleaved.copy(0, z, 2);
            return number(z[0]) + imaginary(number(Math.abs(z[1])), z[1]);
        }
        Extremes all = Extremes.of(interleaved, 2 * n);
        // The imaginary parts' magnitudes (the real parts read as 0), for the width after the sign.
        Extremes magnitudes = Extremes.of((from, into, count) -> {
            interleaved.copy(from, into, count);
            for (int k = 0; k < count; k++) into[k] = (from + k) % 2 == 1 ? Math.abs(into[k]) : 0;
        }, 2 * n);
        boolean scientific = all.maxFinite >= 1e6 || (all.maxFinite > 0 && all.maxFinite < 1e-3);
        int width = all.width(scientific), imWidth = magnitudes.width(scientific);
        Cursor data = new Cursor(interleaved, 2 * n);
        StringBuilder sb = new StringBuilder();
        long[] strides = new long[shape.length];
        long s = 1;
        for (int k = shape.length - 1; k >= 0; k--) { strides[k] = s; s *= shape[k]; }
        block(sb, i -> {
            String re = element(data.get(2 * i), scientific);
            double imv = data.get(2 * i + 1);
            String im = element(Math.abs(imv), scientific);
            return " ".repeat(width - re.length()) + re + imaginary(im + " ".repeat(imWidth - im.length()), imv);
        }, shape, strides, 0, 0);
        return sb.toString();
    }

    /** {@code +2j} or {@code -2j} for the formatted magnitude of an imaginary part (nan keeps +). */
    private static String imaginary(String magnitude, double im) {
        String body = magnitude.stripTrailing();
        boolean negative = im < 0 && !body.matches("0(\\.0+)?(e[+-]0+)?"); // -0.00001 shown as +0.0000j, as -0 is shown as 0
        return (negative ? "-" : "+") + body + "j" + magnitude.substring(body.length());
    }

    static String element(double v, boolean scientific) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        String s = scientific ? String.format(Locale.ROOT, "%.4e", v) : String.format(Locale.ROOT, "%.4f", v);
        if (s.startsWith("-") && s.matches("-0\\.0+(e[+-]0+)?")) s = s.substring(1);
        return s;
    }
}
