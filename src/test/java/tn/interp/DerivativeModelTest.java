package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;

/**
 * Exact Jacobians and gradients of the stdlib transformer (layer norms, GELU MLP, softmax
 * attention) against central finite differences in float64 (jacobian(..., h=), which evaluates the
 * model 2 size(x) times and takes no derivative).
 */
class DerivativeModelTest {
    private static Scripts run(String text) {
        return Scripts.run(new Nd4jBackend(), DType.FLOAT64, text);
    }

    private static void assertClose(double[] want, double[] got, double tolerance, String what) {
        assertEquals(want.length, got.length, what);
        for (int k = 0; k < want.length; k++) assertEquals(want[k], got[k], tolerance * Math.max(1, Math.abs(want[k])), what + " entry " + k);
    }

    /** A small stdlib transformer (seeded) and its cross-entropy `loss` on five tokens. */
    private static String lossOfAModel(int seed) {
        return """
                import transformer
                m = transformer(layers=2, heads=2, d_model=8, vocab=11, context=6, seed=%d, std=0.4)
                ids = [3, 1, 4, 1, 5]
                target = onehot([1, 4, 1, 5, 9], pos, vocab, size=11)
                loss = -sum(target log(softmax(forward(m, ids), vocab)))
                """.formatted(seed);
    }

    /** The squared norm of the tensor {@code name} is above {@code bound}: the gradient is not trivially zero. */
    private static void assertNotZero(Scripts s, String name, double bound) {
        double norm = 0;
        for (double v : s.values(name)) norm += v * v;
        assertTrue(norm > bound, name + " is not zero");
    }

    @Test
    void theJacobianOfATransformerBlockMatchesFiniteDifferences() {
        Scripts s = run("""
                import transformer
                m = transformer(layers=2, heads=2, d_model=8, vocab=11, context=6, seed=1, std=0.4)
                ids = [3, 1, 4, 1, 5]
                x1 = block(m, 0, embed(m, ids))
                x2 = block(m, 1, x1)
                J = jacobian(x2, x1)
                F = jacobian(x2, x1, h=1e-6)
                """);
        double[] j = s.values("J");
        assertEquals(40 * 40, j.length);
        assertClose(s.values("F"), j, 1e-7, "dx2/dx1");
        // Causality, exactly: position 0 of x2 does not depend on position 4 of x1.
        for (int a = 0; a < 8; a++) for (int b = 0; b < 8; b++) assertEquals(0, j[a * 40 + 4 * 8 + b], 0);
    }

    @Test
    void theGradientOfALossMatchesFiniteDifferences() {
        Scripts s = run(lossOfAModel(2) + """
                gE = grad(loss, m.W_E)
                fE = jacobian(loss, m.W_E, h=1e-6)
                gU = grad(loss, m.W_U)
                fU = jacobian(loss, m.W_U, h=1e-6)
                gP = grad(loss, m.W_pos)
                fP = jacobian(loss, m.W_pos, h=1e-6)
                """);
        assertClose(s.values("fE"), s.values("gE"), 1e-7, "dloss/dW_E");
        assertClose(s.values("fU"), s.values("gU"), 1e-7, "dloss/dW_U");
        assertClose(s.values("fP"), s.values("gP"), 1e-7, "dloss/dW_pos");
        assertNotZero(s, "gE", 1e-6);
    }

    /**
     * Weights stacked over layers are used through pick(W, layer=l), a slice that is also the stack
     * contracted with a one-hot vector: the gradient with respect to the whole stack collects every
     * layer's share (grad said "does not occur" before, as did finite differences).
     */
    @Test
    void theGradientReachesLayerStackedWeightsThroughTheirSlices() {
        Scripts s = run(lossOfAModel(3) + """
                gQ = grad(loss, m.W_Q)
                fQ = jacobian(loss, m.W_Q, h=1e-6)
                gI = grad(loss, m.W_in)
                fI = jacobian(loss, m.W_in, h=1e-6)
                gL = grad(loss, m.ln1_w)
                fL = jacobian(loss, m.ln1_w, h=1e-6)
                leg layer = 2, i = 3, j = 3
                W = random(layer, i, j, seed=4)
                x = random(j, seed=5)
                y = sum(tanh(pick(W, layer=0) x) .* relu(pick(W, layer=1) x[j] ))
                gW = grad(y, W)
                fW = jacobian(y, W, h=1e-6)
                """);
        assertClose(s.values("fQ"), s.values("gQ"), 1e-7, "dloss/dW_Q");
        assertClose(s.values("fI"), s.values("gI"), 1e-7, "dloss/dW_in");
        assertClose(s.values("fL"), s.values("gL"), 1e-7, "dloss/dln1_w");
        assertClose(s.values("fW"), s.values("gW"), 1e-7, "dy/dW");
        for (String g : new String[] {"gQ", "gI", "gW"}) assertNotZero(s, g, 1e-8);
    }
}
