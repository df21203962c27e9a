package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;

/**
 * stdlib/train.tn's SGD and Adam steps against their published formulas, computed here in Java
 * on a loss whose gradient is known in closed form: L(w) = sum_i a_i (w_i - c_i)^2, dL/dw = 2 a (w - c).
 * Adam as in Kingma and Ba (2015), Algorithm 1, with the bias-corrected moments.
 */
class TrainTest {
    private static final double[] W = {1.0, -2.0, 0.5}, C = {0.3, 0.1, -0.2}, A = {1, 2, 3};
    private static final String HEAD = """
            set dtype = float64
            import train
            leg i = 3
            w = [1.0, -2.0, 0.5][i]
            c = [0.3, 0.1, -0.2][i]
            def L(w) = sum(pow(w - c, 2) .* [1.0, 2.0, 3.0][i])
            """;

    @Test
    void adamTakesThePublishedSteps() {
        Scripts s = Scripts.run(new Nd4jBackend(), DType.FLOAT64, HEAD + """
                params = tuple(w)
                st = adam_init(params)
                for step in range(3) {
                    params, st = adam_step(params, L(item(params, 0)), st, lr=0.1, beta1=0.8, beta2=0.99, eps=1e-3)
                }
                out = item(params, 0)
                """);
        double[] w = W.clone(), m = new double[3], v = new double[3];
        double lr = 0.1, b1 = 0.8, b2 = 0.99, eps = 1e-3;
        for (int t = 1; t <= 3; t++) {
            for (int k = 0; k < 3; k++) {
                double g = 2 * A[k] * (w[k] - C[k]);
                m[k] = b1 * m[k] + (1 - b1) * g;
                v[k] = b2 * v[k] + (1 - b2) * g * g;
                double mHat = m[k] / (1 - Math.pow(b1, t)), vHat = v[k] / (1 - Math.pow(b2, t));
                w[k] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
        }
        double[] got = s.values("out");
        for (int k = 0; k < 3; k++) assertEquals(w[k], got[k], 1e-12, "w[" + k + "]");
        assertEquals(3.0, ((Value.Num) ((Value.Record) s.module.globals().get("st")).fields().get("t")).value(), 0);
    }

    @Test
    void sgdSubtractsTheGradientTimesTheRate() {
        Scripts s = Scripts.run(new Nd4jBackend(), DType.FLOAT64, HEAD + """
                params = tuple(w)
                for step in range(2) {
                    params = sgd_step(params, L(item(params, 0)), lr=0.1)
                }
                out = item(params, 0)
                """);
        double[] w = W.clone();
        for (int t = 0; t < 2; t++) for (int k = 0; k < 3; k++) w[k] -= 0.1 * 2 * A[k] * (w[k] - C[k]);
        double[] got = s.values("out");
        for (int k = 0; k < 3; k++) assertEquals(w[k], got[k], 1e-12, "w[" + k + "]");
    }
}
