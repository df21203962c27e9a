package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tn.io.NdData;
import tn.io.Npz;

/**
 * logit_lens and direct_logit_attribution against the independent numpy reference of
 * src/test/resources/cache/make_fixtures.py (GPT-2-shaped model with biases, layer norms, a GELU
 * MLP): every layer's lens and every component's attribution of logit[5] - logit[9] to 1e-12; and
 * the identity that makes the attribution direct: with the final layer norm's factor fixed at the
 * cache's, the parts (embeddings, each head, each b_O, each MLP, ln_f's shift and b_U) add up to the
 * logit difference of the model's own logits, summed here in plain Java, on every kind of model.
 */
class LogitAttributionTest {
    static final String TOKENS = "[3, 1, 4, 1, 5, 9, 2]";
    static final int A = 5, B = 9, VOCAB = 17, POS = 7, LAYERS = 2, HEADS = 3;
    static Map<String, NdData> expected;

    @BeforeAll
    static void readFixtures() throws Exception {
        expected = Npz.read(RunWithCacheTest.DIR.resolve("expected.npz"));
    }

    static final String SCRIPT = """
            c = run_with_cache(m, %s)
            lens = logit_lens(m, c) -> [layer, pos, vocab]
            a = direct_logit_attribution(m, c, logit_diff_direction(m, %d, %d))
            embed = a.embed -> [pos]
            pos_embed = a.pos_embed -> [pos]
            heads = a.heads -> [layer, head, pos]
            attn_bias = a.attn_bias -> [layer, pos]
            attn = a.attn -> [layer, pos]
            constant = a.constant -> [pos]
            total = a.total -> [pos]
            logits = c.logits -> [pos, vocab]
            """;

    @Test
    void lensAndAttributionsMatchTheReference() {
        Scripts s = ProcessWeightsTest.run(SCRIPT.formatted(TOKENS, A, B) + "mlp = a.mlp -> [layer, pos]\n");
        ProcessWeightsTest.assertNear(expected.get("lens").data(), s.values("lens"), 1e-12, "logit lens");
        for (String k : new String[] {"embed", "pos_embed", "heads", "attn_bias", "mlp", "constant"}) {
            ProcessWeightsTest.assertNear(expected.get("dla_" + k).data(), s.values(k), 1e-12, "attribution " + k);
        }
        // The last layer's lens is the model's logits.
        double[] lens = s.values("lens"), logits = expected.get("logits").data();
        for (int i = 0; i < POS * VOCAB; i++) assertEquals(logits[i], lens[(LAYERS - 1) * POS * VOCAB + i], 1e-12, "last lens entry " + i);
        // attn is each layer's heads plus its b_O.
        double[] heads = s.values("heads"), bias = s.values("attn_bias"), attn = s.values("attn");
        for (int l = 0; l < LAYERS; l++) {
            for (int p = 0; p < POS; p++) {
                double sum = bias[l * POS + p];
                for (int h = 0; h < HEADS; h++) sum += heads[(l * HEADS + h) * POS + p];
                assertEquals(sum, attn[l * POS + p], 1e-12, "attn [" + l + ", " + p + "]");
            }
        }
    }

    @Test
    void aDirectionThatIsNotOverTheLogitsIsRefused() {
        tn.diag.TnError e = org.junit.jupiter.api.Assertions.assertThrows(tn.diag.TnError.class,
                () -> ProcessWeightsTest.run("c = run_with_cache(m, [1, 2])\na = direct_logit_attribution(m, c, m.W_U)\n"));
        assertTrue(e.getMessage().contains("the direction d has legs other than vocab"), e.getMessage());
        assertEquals(4, e.span().line(), "located at the call (line 4 after the import and the model)");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "m",
        "process_weights(m)",
        "fold_layernorm(m)",
        "freeze(m, [3, 1, 4, 1, 5, 9, 2])",
        "freeze(m, [3, 1, 4, 1, 5, 9, 2], patterns=false)",
        "transformer(layers=2, heads=3, d_model=12, d_mlp=24, vocab=17, context=8, seed=5, std=0.4, mlp=\"none\")",
        "transformer(layers=2, heads=3, d_model=12, d_mlp=24, vocab=17, context=8, seed=5, std=0.4, mlp=\"bilinear\")",
        "transformer(layers=2, heads=3, d_model=12, d_mlp=24, vocab=17, context=8, seed=5, std=0.4, layernorm=false)",
        "transformer(layers=2, heads=3, d_model=12, d_mlp=24, vocab=17, context=8, seed=5, std=0.4, biases=false)",
    })
    void thePartsAddUpToTheLogitDifference(String model) {
        Scripts s = ProcessWeightsTest.run("m = " + model + "\n" + SCRIPT.formatted(TOKENS, A, B)
                + (model.contains("\"none\"") ? "" : "mlp = a.mlp -> [layer, pos]\n"));
        double[] logits = s.values("logits"), total = s.values("total"), e = s.values("embed"), pe = s.values("pos_embed");
        double[] heads = s.values("heads"), bias = s.values("attn_bias"), k = s.values("constant");
        double[] mlp = model.contains("\"none\"") ? new double[LAYERS * POS] : s.values("mlp");
        double largest = 0;
        for (int p = 0; p < POS; p++) {
            double want = logits[p * VOCAB + A] - logits[p * VOCAB + B];
            double sum = e[p] + pe[p] + k[p];
            for (int l = 0; l < LAYERS; l++) {
                sum += bias[l * POS + p] + mlp[l * POS + p];
                for (int h = 0; h < HEADS; h++) sum += heads[(l * HEADS + h) * POS + p];
            }
            assertEquals(want, sum, 1e-12 * Math.max(1, Math.abs(want)), "sum of the parts at position " + p);
            assertEquals(want, total[p], 1e-12 * Math.max(1, Math.abs(want)), "total at position " + p);
            largest = Math.max(largest, Math.abs(want));
        }
        assertTrue(largest > 1e-3, "the logit difference is not trivially 0 (largest " + largest + ")");
    }
}
