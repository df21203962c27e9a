package tn.exec;

import java.nio.Buffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;

/**
 * The elementwise functions of {@link Backend.Elementwise} on {@link FloatBuffer} or
 * {@link DoubleBuffer} (heap or native), in parallel pieces for large arrays. Each entry is
 * computed in float64 and rounded once to the buffer's type (an array library's float32 chain of
 * operations rounds at every step). GELU, GPT-2's tanh approximation
 * 0.5 x (1 + tanh(u)) with u = sqrt(2/pi) (x + 0.044715 x^3), is computed as x / (1 + exp(-2u)),
 * the same function (0.5 (1 + tanh(u)) = 1 / (1 + exp(-2u))) without tanh's cost and without
 * cancellation (x times a number in [0, 1]). One call per array instead of ND4J's seven
 * operations and six temporaries for GELU, which cost more than the GPT-2 MLP's GEMMs here.
 */
public final class Pointwise {
    private Pointwise() {}

    /** Entries per piece (pieces run in parallel when the array is large: {@link Reductions#run}). */
    private static final int PIECE = 1 << 15;
    private static final double GELU_C = Math.sqrt(2 / Math.PI);
    /** A piece's entries, per thread (not a new array per piece: less garbage to collect). */
    private static final ThreadLocal<float[]> FLOATS = ThreadLocal.withInitial(() -> new float[PIECE]);
    private static final ThreadLocal<double[]> DOUBLES = ThreadLocal.withInitial(() -> new double[PIECE]);

    /** dst[i] = fn(src[i]) for i < n ({@code p}: POW's exponent); dst may be src. */
    public static void apply(Buffer src, Backend.Elementwise fn, double p, int n, Buffer dst) {
        int pieces = (n + PIECE - 1) / PIECE;
        Reductions.run(pieces, n, k -> piece(src, fn, p, k * PIECE, Math.min(n, (k + 1) * PIECE), dst));
    }

    /** Entries [from, to), copied in bulk to an array and back (a get/put call per entry is slower). */
    private static void piece(Buffer src, Backend.Elementwise fn, double p, int from, int to, Buffer dst) {
        int w = to - from;
        if (src instanceof FloatBuffer f) {
            float[] t = FLOATS.get();
            f.get(from, t, 0, w);
            for (int i = 0; i < w; i++) t[i] = (float) of(fn, t[i], p);
            ((FloatBuffer) dst).put(from, t, 0, w);
        } else {
            double[] t = DOUBLES.get();
            ((DoubleBuffer) src).get(from, t, 0, w);
            for (int i = 0; i < w; i++) t[i] = of(fn, t[i], p);
            ((DoubleBuffer) dst).put(from, t, 0, w);
        }
    }

    /** fn(x); NaN stays NaN. */
    public static double of(Backend.Elementwise fn, double x, double p) {
        return switch (fn) {
            case RELU -> x > 0 || x != x ? x : 0;
            case GELU -> x / (1 + Math.exp(-2 * GELU_C * (x + 0.044715 * x * x * x)));
            case TANH -> Math.tanh(x);
            case SIGMOID -> 1 / (1 + Math.exp(-x));
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case ABS -> Math.abs(x);
            case POW -> Math.pow(x, p);
            case NEG -> -x;
            case STEP -> x > 0 ? 1 : x != x ? x : 0;
            case SIGN -> Math.signum(x);
            case GELU_GRAD -> geluGrad(x);
            case TANH_GRAD -> 1 / (Math.cosh(x) * Math.cosh(x));
            case SIGMOID_GRAD -> sigmoidGrad(x);
        };
    }

    /**
     * d/dx of x s(x) with s = 1 / (1 + exp(-2u)), u = c (x + 0.044715 x^3): s + x s (1 - s) 2u',
     * with s (1 - s) formed as e / (1 + e)^2, e = exp(-2u), so no difference of close numbers.
     */
    private static double geluGrad(double x) {
        double u = GELU_C * (x + 0.044715 * x * x * x);
        double du = GELU_C * (1 + 3 * 0.044715 * x * x);
        if (-2 * u > 700) return 0; // e overflows; the limit is 0 (s -> 0 faster than x grows)
        if (-2 * u < -700) return 1; // e underflows: s = 1 and x e -> 0 (also at x = infinity, where x e is NaN)
        double e = Math.exp(-2 * u);
        double s = 1 / (1 + e);
        return s + x * (e / ((1 + e) * (1 + e))) * 2 * du;
    }

    /** s (1 - s) for s = 1 / (1 + exp(-x)), as e / (1 + e)^2 with e = exp(-|x|) (symmetric, no overflow). */
    private static double sigmoidGrad(double x) {
        double e = Math.exp(-Math.abs(x));
        return e / ((1 + e) * (1 + e));
    }
}
