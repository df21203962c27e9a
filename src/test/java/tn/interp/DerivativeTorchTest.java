package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;

/**
 * Whole-model derivatives against torch autograd, without torch at run time: a GPT-2-style block
 * (layer norms with scale and shift, causal softmax attention, a GELU MLP, residual adds, a final
 * layer norm, unembedding, cross-entropy) written in tn on the weights that
 * src/test/resources/grad/make_fixtures.py drew, and its exact Jacobian and loss gradients compared
 * with the ones torch autograd computed there in float64 (checked-in .npy files).
 */
class DerivativeTorchTest {
    private static final String DIR = "src/test/resources/grad/";

    private static String model() {
        StringBuilder s = new StringBuilder("""
                set dtype = float64
                leg pos = 5, key = 5, d = 8, head = 2, dh = 4, hid = 16, vocab = 7
                """);
        String[][] weights = {{"x0", "pos, d"}, {"ln1_w", "d"}, {"ln1_b", "d"}, {"Wq", "head, d, dh"}, {"Wk", "head, d, dh"},
            {"Wv", "head, d, dh"}, {"Wo", "head, dh, d"}, {"ln2_w", "d"}, {"ln2_b", "d"}, {"Win", "d, hid"}, {"b_in", "hid"},
            {"Wout", "hid, d"}, {"lnf_w", "d"}, {"lnf_b", "d"}, {"Wu", "d, vocab"}};
        for (String[] w : weights) s.append(w[0]).append(" = load(\"").append(DIR).append("w_").append(w[0]).append(".npy\", ").append(w[1]).append(")\n");
        s.append("target = load(\"").append(DIR).append("target.npy\", pos, vocab)\n");
        s.append("""
                def ln(x, w, b) {
                    y = layernorm(x, d) w -> [pos, d]
                    return y + broadcast(b, y)
                }
                h = ln(x0, ln1_w, ln1_b)
                q = h Wq -> [head, pos, dh]
                kk = h[pos -> key] Wk -> [head, key, dh]
                v = h[pos -> key] Wv -> [head, key, dh]
                scores = q kk -> [head, pos, key]
                A = softmax(0.5 * scores + causal_mask(scores, pos, key), key)
                z = A v -> [pos, head, dh]
                x1 = x0 + (z Wo -> [pos, d])
                h2 = ln(x1, ln2_w, ln2_b)
                pre = h2 Win -> [pos, hid]
                x2 = x1 + (gelu(pre + broadcast(b_in, pre)) Wout -> [pos, d])
                logits = ln(x2, lnf_w, lnf_b) Wu -> [pos, vocab]
                loss = -sum(target log(softmax(logits, vocab)))
                """);
        return s.toString();
    }

    private static void assertAgrees(Scripts s, String mine, String torch, String legs, int expectedLength) {
        double[] got = s.values(mine);
        Scripts t = Scripts.run(new Nd4jBackend(), DType.FLOAT64, "leg pos = 5, d = 8, head = 2, dh = 4, hid = 16, vocab = 7, one = 1\n"
                + "T = load(\"" + DIR + torch + ".npy\", " + legs + ")\n");
        double[] want = t.values("T");
        assertEquals(expectedLength, want.length, torch);
        assertEquals(want.length, got.length, mine);
        for (int k = 0; k < want.length; k++) {
            assertEquals(want[k], got[k], 1e-9 * Math.max(1, Math.abs(want[k])), mine + " vs torch's " + torch + " entry " + k);
        }
    }

    @Test
    void theJacobianOfABlockIsTorchAutogradsJacobian() {
        Scripts s = Scripts.run(new Nd4jBackend(), DType.FLOAT64, model() + "J = jacobian(x2, x0)\n");
        assertAgrees(s, "J", "jac_x2_x0", "pos, d, pos', d'", 5 * 8 * 5 * 8);
    }

    @Test
    void theLossGradientsAreTorchAutogradsGradients() {
        Scripts s = Scripts.run(new Nd4jBackend(), DType.FLOAT64, model() + """
                g_x0 = grad(loss, x0)
                g_Wq = grad(loss, Wq)
                g_Win = grad(loss, Win)
                g_Wu = grad(loss, Wu)
                g_ln1_w = grad(loss, ln1_w)
                g_lnf_b = grad(loss, lnf_b)
                """);
        assertAgrees(s, "loss", "loss", "one", 1);
        assertAgrees(s, "g_x0", "grad_x0", "pos, d", 40);
        assertAgrees(s, "g_Wq", "grad_Wq", "head, d, dh", 64);
        assertAgrees(s, "g_Win", "grad_Win", "d, hid", 128);
        assertAgrees(s, "g_Wu", "grad_Wu", "d, vocab", 56);
        assertAgrees(s, "g_ln1_w", "grad_ln1_w", "d", 8);
        assertAgrees(s, "g_lnf_b", "grad_lnf_b", "d", 8);
    }
}
