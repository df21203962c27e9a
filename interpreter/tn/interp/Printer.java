package tn.interp;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.List;
import java.util.Locale;

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
        if (shape.length == 0) return number(data[0]);
        boolean scientific = false;
        double max = 0;
        for (double v : data) if (Double.isFinite(v)) max = Math.max(max, Math.abs(v));
        if (max >= 1e6 || (max > 0 && max < 1e-3)) scientific = true;
        int width = 0;
        for (double v : data) width = Math.max(width, element(v, scientific).length());
        StringBuilder sb = new StringBuilder();
        long[] strides = new long[shape.length];
        long s = 1;
        for (int k = shape.length - 1; k >= 0; k--) { strides[k] = s; s *= shape[k]; }
        block(sb, data, shape, strides, 0, 0, scientific, width);
        return sb.toString();
    }

    private static void block(StringBuilder sb, double[] data, long[] shape, long[] strides, int axis, long offset,
                              boolean scientific, int width) {
        sb.append('[');
        long n = shape[axis];
        boolean cut = n > 2 * EDGE;
        for (long i = 0; i < n; i++) {
            if (cut && i == EDGE) {
                sb.append(axis == shape.length - 1 ? "..., " : "...,\n" + " ".repeat(axis + 1));
                i = n - EDGE;
            }
            if (axis == shape.length - 1) {
                String e = element(data[(int) (offset + i * strides[axis])], scientific);
                sb.append(" ".repeat(width - e.length())).append(e);
            } else {
                block(sb, data, shape, strides, axis + 1, offset + i * strides[axis], scientific, width);
            }
            if (i < n - 1) {
                sb.append(',');
                if (axis == shape.length - 1) sb.append(' ');
                else sb.append("\n".repeat(shape.length - axis - 1)).append(" ".repeat(axis + 1));
            }
        }
        sb.append(']');
    }

    private static String element(double v, boolean scientific) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        String s = scientific ? String.format(Locale.ROOT, "%.4e", v) : String.format(Locale.ROOT, "%.4f", v);
        if (s.startsWith("-") && s.matches("-0\\.0+(e[+-]0+)?")) s = s.substring(1);
        return s;
    }
}
