package tn.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tn.exec.Backend;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;
import tn.plan.Planner;

/**
 * Second and third derivatives of the smooth elementwise bubbles (gelu, tanh, sigmoid), taken by
 * differentiating the derivative network again, against finite differences of the functions
 * written here in plain Java (GPT-2's tanh-approximated GELU, Math.tanh, the logistic): no tn
 * code in the oracle. Each order in both directions (forward tangents and reverse adjoints).
 */
class HigherDerivativeTest {
    private static final Backend ND4J = new Nd4jBackend();
    private static final double[] X = {-4.0, -2.5, -0.7, -0.05, 0.0, 0.1, 0.9, 1.7, 3.0, 5.5};

    enum Smooth {
        GELU(x -> 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)))),
        TANH(Math::tanh),
        SIGMOID(x -> 1 / (1 + Math.exp(-x)));

        final DoubleUnaryOperator f;

        Smooth(DoubleUnaryOperator f) { this.f = f; }
    }

    /** The n-th derivative of f at x by a central stencil (n = 2: h 1e-4, n = 3: h 1e-3). */
    private static double finiteDifference(DoubleUnaryOperator f, double x, int n) {
        if (n == 2) {
            double h = 1e-4;
            return (f.applyAsDouble(x + h) - 2 * f.applyAsDouble(x) + f.applyAsDouble(x - h)) / (h * h);
        }
        double h = 1e-3;
        return (f.applyAsDouble(x + 2 * h) - 2 * f.applyAsDouble(x + h) + 2 * f.applyAsDouble(x - h) - f.applyAsDouble(x - 2 * h)) / (2 * h * h * h);
    }

    @ParameterizedTest
    @EnumSource(Smooth.class)
    void secondAndThirdDerivativesMatchFiniteDifferences(Smooth s) {
        for (boolean reverse : new boolean[] {false, true}) {
            Net x = new Net.Leaf(Tensor.of(List.of("i"), ND4J.fromDoubles(X, new long[] {X.length}, DType.FLOAT64)), "x", null);
            // d/dx sum_i f(x_i) = f'(x); d/dx sum_i f'(x_i) = f''(x); once more f'''(x)
            Net d = new Net.Bubble(BubbleFunction.valueOf(s.name()), x, List.of(), 0, null);
            for (int order = 1; order <= 3; order++) {
                Net total = new Net.Bubble(BubbleFunction.SUM, d, List.of(), 0, null);
                Net g = Derivative.of(total, x, List.of("i"), null, reverse);
                d = g;
                if (order == 1) continue;
                double[] got = ND4J.toDoubles(new Evaluator(ND4J, new Planner(), 8e9).evaluate(d).data());
                for (int k = 0; k < X.length; k++) {
                    double want = finiteDifference(s.f, X[k], order);
                    assertEquals(want, got[k], (order == 2 ? 1e-6 : 1e-4) * Math.max(1, Math.abs(want)),
                            s + " order " + order + " at " + X[k] + (reverse ? " reverse" : " forward"));
                }
            }
        }
    }
}
