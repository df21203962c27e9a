package tn.draw;

import java.math.BigDecimal;
import java.math.MathContext;

/** Numbers as diagrams show them: scalar factors, exponents (four significant digits, no locale). */
final class Numbers {
    private Numbers() {}

    static String format(double x) {
        if (Double.isNaN(x)) return "nan";
        if (Double.isInfinite(x)) return x > 0 ? "inf" : "-inf";
        if (x == 0) return "0";
        if (x == Math.rint(x) && Math.abs(x) < 1e9) return Long.toString((long) x);
        BigDecimal d = new BigDecimal(x).round(new MathContext(4));
        double a = Math.abs(d.doubleValue());
        if (a >= 1e-3 && a < 1e9) return d.stripTrailingZeros().toPlainString();
        return d.stripTrailingZeros().toString().replace("E", "e");
    }
}
