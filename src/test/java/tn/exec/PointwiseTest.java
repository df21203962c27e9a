package tn.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import tn.exec.nd4j.Nd4jBackend;

/**
 * Elementwise functions computed in Java ({@link Pointwise}, through the ND4J backend's map) are
 * the textbook formulas: GELU against 0.5 x (1 + tanh(u)) with Java's tanh, the others against
 * java.lang.Math, in float64 to a few ulps and in float32 to the float32 rounding of the float64
 * value (one ulp); NaN, infinities and signed zeros as IEEE says; arrays large enough to run in
 * parallel pieces agree with the piece-by-piece loop entry for entry.
 */
class PointwiseTest {
    private final Nd4jBackend backend = new Nd4jBackend();

    private static double reference(Backend.Elementwise fn, double x, double p) {
        return switch (fn) {
            case RELU -> Double.isNaN(x) ? x : Math.max(x, 0);
            case GELU -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * Math.pow(x, 3))));
            case TANH -> Math.tanh(x);
            case SIGMOID -> x < 0 ? Math.exp(x) / (1 + Math.exp(x)) : 0.5 * (1 + Math.tanh(x / 2));
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case SQRT -> Math.sqrt(x);
            case ABS -> Math.abs(x);
            case POW -> Math.pow(x, p);
            case NEG -> -x;
            // Derivatives, textbook forms (1 - tanh^2 cancels where tanh is near 1: see the slack below).
            case STEP -> Double.isNaN(x) ? x : x > 0 ? 1 : 0;
            case SIGN -> Math.signum(x);
            case GELU_GRAD -> {
                double c = Math.sqrt(2 / Math.PI), t = Math.tanh(c * (x + 0.044715 * Math.pow(x, 3)));
                yield Double.isInfinite(x) ? (x > 0 ? 1 : 0) : 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x);
            }
            case TANH_GRAD -> 1 - Math.tanh(x) * Math.tanh(x);
            case SIGMOID_GRAD -> {
                double s = 1 / (1 + Math.exp(-x));
                yield s * (1 - s);
            }
        };
    }

    @Test
    void everyFunctionIsItsFormulaInBothTypes() {
        Random rnd = new Random(3);
        int n = 300_000; // more than one parallel piece
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = (i % 3 == 0 ? 10 : 1) * rnd.nextGaussian();
        double[] special = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-30, -1e-30, 40, -40, 1e6, -1e6};
        System.arraycopy(special, 0, x, 0, special.length);
        for (Backend.Elementwise fn : Backend.Elementwise.values()) {
            double p = fn == Backend.Elementwise.POW ? 3 : 0;
            double[] in = x.clone();
            if (fn == Backend.Elementwise.LOG || fn == Backend.Elementwise.SQRT) for (int i = special.length; i < n; i++) in[i] = Math.abs(in[i]);
            for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                double[] got = backend.toDoubles(backend.map(backend.fromDoubles(in, new long[] {n / 100, 100}, dtype), fn, p));
                for (int i = 0; i < n; i++) {
                    double xi = dtype == DType.FLOAT32 ? (float) in[i] : in[i];
                    double want = reference(fn, xi, p);
                    if (dtype == DType.FLOAT32) want = (float) want;
                    String where = fn + " " + dtype + " at " + xi;
                    if (Double.isNaN(want) || Double.isInfinite(want) || (want == 0 && fn != Backend.Elementwise.GELU && fn.ordinal() <= Backend.Elementwise.NEG.ordinal())) {
                        assertEquals(want, got[i], 0, where);
                        continue;
                    }
                    double ulp = dtype == DType.FLOAT32 ? Math.ulp((float) want) : Math.ulp(want);
                    // sigmoid's reference goes through tanh, GELU's through a different formula: a
                    // few ulps; where GELU is tiny (x far below 0) the reference's 1 + tanh(u)
                    // cancels, so it is only good to |x| times 1's ulp (it says -0.0 where the
                    // function is -1.9e-130 at x = -15.7).
                    double slack = fn == Backend.Elementwise.GELU ? 4 * Math.ulp(dtype == DType.FLOAT32 ? 1f : 1.0) * Math.abs(xi) : 0;
                    // The derivatives' references subtract numbers near 1 (1 - tanh^2, 1 - s): good to
                    // a few ulps of 1 (times |x| for gelu').
                    if (fn.ordinal() > Backend.Elementwise.NEG.ordinal()) slack = 8 * Math.ulp(dtype == DType.FLOAT32 ? 1f : 1.0) * Math.max(1, xi * xi * Math.abs(xi));
                    assertEquals(want, got[i], (dtype == DType.FLOAT32 ? 1 : 8) * ulp + slack, where);
                }
            }
        }
    }

    @Test
    void geluIsExactlyZeroOrTheInputFarOut() {
        double[] x = {-1e4, -60, 60, 1e4};
        double[] got = backend.toDoubles(backend.map(backend.fromDoubles(x, new long[] {4}, DType.FLOAT64), Backend.Elementwise.GELU, 0));
        assertEquals(-0.0, got[0], 0);
        assertEquals(0, got[1], 1e-300);
        assertEquals(60, got[2], 0);
        assertEquals(1e4, got[3], 0);
    }
}
