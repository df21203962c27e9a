package tn.interp;

/**
 * {@code StrictMath.log}, {@code sin} and {@code cos} in plain Java, bit-identical to StrictMath,
 * for the arguments Box-Muller gives them ({@link Rng}): log of a normal positive double, sine and
 * cosine of an angle in [0, 2 pi). StrictMath is specified to return exactly what fdlibm 5.3
 * returns; these are fdlibm's published algorithms (the same constants, the same operations in
 * the same order), so the results are the same bits. They exist for speed: on Java 17 the three
 * StrictMath functions are JNI calls into C; here they are compiled with the caller, and sine and
 * cosine share one argument reduction (Box-Muller went from 27 to 18 ns of CPU time a number on
 * this project's VM). Arguments outside the domain are passed to StrictMath (never the case in
 * {@link Rng}).
 *
 * <p>{@code RngTest} compares every function with StrictMath on millions of arguments, including
 * each branch's boundaries.
 */
final class StrictFunctions {
    private StrictFunctions() {}

    // log: x = 2^k (1 + f), log(1 + f) = f - s (f - R(s^2)) with s = f / (2 + f), R a minimax polynomial.
    private static final double LN2_HI = Double.longBitsToDouble(0x3FE62E42FEE00000L);
    private static final double LN2_LO = Double.longBitsToDouble(0x3DEA39EF35793C76L);
    private static final double LG1 = Double.longBitsToDouble(0x3FE5555555555593L);
    private static final double LG2 = Double.longBitsToDouble(0x3FD999999997FA04L);
    private static final double LG3 = Double.longBitsToDouble(0x3FD2492494229359L);
    private static final double LG4 = Double.longBitsToDouble(0x3FCC71C51D8E78AFL);
    private static final double LG5 = Double.longBitsToDouble(0x3FC7466496CB03DEL);
    private static final double LG6 = Double.longBitsToDouble(0x3FC39A09D078C69FL);
    private static final double LG7 = Double.longBitsToDouble(0x3FC2F112DF3E5244L);

    // sin and cos on [-pi/4, pi/4]: odd and even minimax polynomials.
    private static final double S1 = Double.longBitsToDouble(0xBFC5555555555549L);
    private static final double S2 = Double.longBitsToDouble(0x3F8111111110F8A6L);
    private static final double S3 = Double.longBitsToDouble(0xBF2A01A019C161D5L);
    private static final double S4 = Double.longBitsToDouble(0x3EC71DE357B1FE7DL);
    private static final double S5 = Double.longBitsToDouble(0xBE5AE5E68A2B9CEBL);
    private static final double S6 = Double.longBitsToDouble(0x3DE5D93A5ACFD57CL);
    private static final double C1 = Double.longBitsToDouble(0x3FA555555555554CL);
    private static final double C2 = Double.longBitsToDouble(0xBF56C16C16C15177L);
    private static final double C3 = Double.longBitsToDouble(0x3EFA01A019CB1590L);
    private static final double C4 = Double.longBitsToDouble(0xBE927E4F809C52ADL);
    private static final double C5 = Double.longBitsToDouble(0x3E21EE9EBDB4B1C4L);
    private static final double C6 = Double.longBitsToDouble(0xBDA8FAE9BE8838D4L);

    // Reduction modulo pi/2: 2/pi, and pi/2 split into 33-bit pieces with their tails.
    private static final double INV_PIO2 = Double.longBitsToDouble(0x3FE45F306DC9C883L);
    private static final double PIO2_1 = Double.longBitsToDouble(0x3FF921FB54400000L);
    private static final double PIO2_1T = Double.longBitsToDouble(0x3DD0B4611A626331L);
    private static final double PIO2_2 = Double.longBitsToDouble(0x3DD0B4611A600000L);
    private static final double PIO2_2T = Double.longBitsToDouble(0x3BA3198A2E037073L);
    private static final double PIO2_3 = Double.longBitsToDouble(0x3BA3198A2E000000L);
    private static final double PIO2_3T = Double.longBitsToDouble(0x397B839A252049C1L);
    /** High words of n pi/2 for n = 1..4: near them the reduction may cancel and needs more bits of pi. */
    private static final int[] NPIO2_HIGH = {0x3FF921FB, 0x400921FB, 0x4012D97C, 0x401921FB};

    private static int high(double x) {
        return (int) (Double.doubleToRawLongBits(x) >>> 32);
    }

    /** StrictMath.log(x) for a normal positive finite x. */
    static double log(double x) {
        long bits = Double.doubleToRawLongBits(x);
        int hx = (int) (bits >>> 32);
        if (hx < 0x00100000 || hx >= 0x7ff00000) return StrictMath.log(x); // zero, negative, subnormal, inf, NaN
        int k = (hx >> 20) - 1023;
        hx &= 0x000fffff;
        // Scale x into [sqrt(2)/2, sqrt(2)): keep its mantissa, choose the exponent 0 or -1.
        int i = (hx + 0x95f64) & 0x100000;
        double m = Double.longBitsToDouble(((long) (hx | (i ^ 0x3ff00000)) << 32) | (bits & 0xffffffffL));
        k += i >> 20;
        double f = m - 1.0;
        if ((0x000fffff & (2 + hx)) < 3) { // |f| < 2^-20
            if (f == 0) {
                if (k == 0) return 0;
                double dk = k;
                return dk * LN2_HI + dk * LN2_LO;
            }
            double r = f * f * (0.5 - 0.33333333333333333 * f);
            if (k == 0) return f - r;
            double dk = k;
            return dk * LN2_HI - ((r - dk * LN2_LO) - f);
        }
        double s = f / (2.0 + f);
        double dk = k;
        double z = s * s;
        int lower = hx - 0x6147a;
        double w = z * z;
        int upper = 0x6b851 - hx;
        double t1 = w * (LG2 + w * (LG4 + w * LG6));
        double t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
        double r = t2 + t1;
        if ((lower | upper) > 0) {
            double hfsq = 0.5 * f * f;
            if (k == 0) return f - (hfsq - s * (hfsq + r));
            return dk * LN2_HI - ((hfsq - (s * (hfsq + r) + dk * LN2_LO)) - f);
        }
        if (k == 0) return f - s * (f - r);
        return dk * LN2_HI - ((s * (f - r) - dk * LN2_LO) - f);
    }

    /** sin(x + y) for |x| <= pi/4, y the tail of x; {@code tail} false when y is 0. */
    private static double kernelSin(double x, double y, boolean tail) {
        int ix = high(x) & 0x7fffffff;
        if (ix < 0x3e400000 && (int) x == 0) return x; // |x| < 2^-27
        double z = x * x;
        double v = z * x;
        double r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
        if (!tail) return x + v * (S1 + z * r);
        return x - ((z * (0.5 * y - v * r) - y) - v * S1);
    }

    /** cos(x + y) for |x| <= pi/4, y the tail of x. */
    private static double kernelCos(double x, double y) {
        int ix = high(x) & 0x7fffffff;
        if (ix < 0x3e400000 && (int) x == 0) return 1.0; // |x| < 2^-27
        double z = x * x;
        double r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
        if (ix < 0x3FD33333) return 1.0 - (0.5 * z - (z * r - x * y)); // |x| < 0.3
        double qx = ix > 0x3fe90000 ? 0.28125 : Double.longBitsToDouble((long) (ix - 0x00200000) << 32); // x/4, truncated
        double hz = 0.5 * z - qx;
        double a = 1.0 - qx;
        return a - (hz - (z * r - x * y));
    }

    /**
     * {@code r * StrictMath.cos(x) * scale} into {@code out[at]} and
     * {@code r * StrictMath.sin(x) * scale} into {@code out[at + 1]} (multiplied in that order),
     * for 0 <= x < 2 pi.
     */
    static void cosSin(double x, double r, double scale, double[] out, int at) {
        int ix = high(x) & 0x7fffffff;
        if (!(x >= 0) || ix > 0x401921FB) { // outside [0, 2 pi) (with room to spare): StrictMath itself
            out[at] = r * StrictMath.cos(x) * scale;
            out[at + 1] = r * StrictMath.sin(x) * scale;
            return;
        }
        if (ix <= 0x3fe921fb) { // |x| <= pi/4: no reduction
            out[at] = r * kernelCos(x, 0) * scale;
            out[at + 1] = r * kernelSin(x, 0, false) * scale;
            return;
        }
        // x = n pi/2 + (y0 + y1)
        int n;
        double y0, y1;
        if (ix < 0x4002d97c) { // x < 3 pi/4: n = 1
            n = 1;
            double z = x - PIO2_1;
            if (ix != 0x3ff921fb) { // 33 + 53 bits of pi are enough
                y0 = z - PIO2_1T;
                y1 = (z - y0) - PIO2_1T;
            } else { // near pi/2: 33 + 33 + 53 bits
                z -= PIO2_2;
                y0 = z - PIO2_2T;
                y1 = (z - y0) - PIO2_2T;
            }
        } else {
            n = (int) (x * INV_PIO2 + 0.5);
            double fn = n;
            double r1 = x - fn * PIO2_1;
            double w = fn * PIO2_1T; // first round: 85 bits
            y0 = r1 - w;
            if (ix == NPIO2_HIGH[n - 1]) { // possible cancellation: check how many bits were lost
                int j = ix >> 20;
                int lost = j - ((high(y0) >> 20) & 0x7ff);
                if (lost > 16) { // second round: 118 bits
                    double t = r1;
                    w = fn * PIO2_2;
                    r1 = t - w;
                    w = fn * PIO2_2T - ((t - r1) - w);
                    y0 = r1 - w;
                    lost = j - ((high(y0) >> 20) & 0x7ff);
                    if (lost > 49) { // third round: 151 bits
                        t = r1;
                        w = fn * PIO2_3;
                        r1 = t - w;
                        w = fn * PIO2_3T - ((t - r1) - w);
                        y0 = r1 - w;
                    }
                }
            }
            y1 = (r1 - y0) - w;
        }
        double c, s;
        switch (n & 3) {
            case 0 -> { c = kernelCos(y0, y1); s = kernelSin(y0, y1, true); }
            case 1 -> { c = -kernelSin(y0, y1, true); s = kernelCos(y0, y1); }
            case 2 -> { c = -kernelCos(y0, y1); s = -kernelSin(y0, y1, true); }
            default -> { c = kernelSin(y0, y1, true); s = -kernelCos(y0, y1); }
        }
        out[at] = r * c * scale;
        out[at + 1] = r * s * scale;
    }

}
