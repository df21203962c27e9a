package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tn.interp.ProcessWeightsTest.assertNear;
import static tn.interp.ProcessWeightsTest.run;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tn.io.NdData;
import tn.io.Npz;

/**
 * run_with_cache against an independent float64 numpy reference of GPT-2 written one head and one
 * position at a time on Hugging Face's tensors (src/test/resources/cache/make_fixtures.py, output
 * checked in), on the GPT-2-shaped model of src/test/resources/process (2 layers, 3 heads, biases,
 * layer norms, a GELU MLP, an untied unembedding with a bias): every cached activation agrees to
 * 1e-12. On models of the other kinds (attention only, bilinear MLP, no layer norms, frozen) the
 * cache's logits and last residual are forward's and residual's.
 */
class RunWithCacheTest {
    static final Path DIR = Path.of("src/test/resources/cache");
    static final String TOKENS = "[3, 1, 4, 1, 5, 9, 2]";
    static Map<String, NdData> expected;

    /** Each cached activation's legs, in the reference's axis order. */
    static final Map<String, String> LEGS = new LinkedHashMap<>();
    static {
        LEGS.put("embed", "pos, d_model");
        LEGS.put("pos_embed", "pos, d_model");
        for (String n : new String[] {"resid_pre", "resid_mid", "resid_post", "attn_out", "mlp_out"}) LEGS.put(n, "layer, pos, d_model");
        for (String n : new String[] {"q", "k", "v", "z"}) LEGS.put(n, "layer, pos, head, d_head");
        LEGS.put("attn_scores", "layer, head, pos, key");
        LEGS.put("pattern", "layer, head, pos, key");
        LEGS.put("result", "layer, pos, head, d_model");
        LEGS.put("mlp_pre", "layer, pos, d_mlp");
        LEGS.put("mlp_post", "layer, pos, d_mlp");
        LEGS.put("ln1_scale", "layer, pos");
        LEGS.put("ln2_scale", "layer, pos");
        LEGS.put("lnf_scale", "pos");
        LEGS.put("logits", "pos, vocab");
    }

    @BeforeAll
    static void readFixtures() throws Exception {
        expected = Npz.read(DIR.resolve("expected.npz"));
    }

    /** Also a frozen model (patterns and layer-norm factors fixed on the same tokens) gives the same cache. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"m", "freeze(m, [3, 1, 4, 1, 5, 9, 2])", "freeze(m, [3, 1, 4, 1, 5, 9, 2], patterns=false)"})
    void everyActivationMatchesTheReference(String model) {
        StringBuilder s = new StringBuilder("c = run_with_cache(" + model + ", " + TOKENS + ")\n");
        for (Map.Entry<String, String> e : LEGS.entrySet()) s.append("a_").append(e.getKey()).append(" = c.").append(e.getKey()).append(" -> [").append(e.getValue()).append("]\n");
        Scripts r = run(s.toString());
        for (String name : LEGS.keySet()) {
            assertEquals(java.util.List.of(LEGS.get(name).split(", ")), r.tensor("a_" + name).legs(), name + "'s legs");
            assertNear(expected.get(name).data(), r.values("a_" + name), 1e-12, name);
        }
    }

    @Test
    void aLayerIsPickedByName() {
        Scripts r = run("c = run_with_cache(m, " + TOKENS + ")\nx = pick(c.resid_pre, layer=1) -> [pos, d_model]\nA = pick(c.pattern, layer=1, head=2) -> [pos, key]\n");
        double[] pre = expected.get("resid_pre").data(), pattern = expected.get("pattern").data();
        int n = 7 * 12, p = 7 * 7;
        assertNear(java.util.Arrays.copyOfRange(pre, n, 2 * n), r.values("x"), 1e-12, "resid_pre layer 1");
        assertNear(java.util.Arrays.copyOfRange(pattern, (3 + 2) * p, (3 + 3) * p), r.values("A"), 1e-12, "pattern layer 1 head 2");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "transformer(layers=2, heads=2, d_model=8, d_mlp=12, vocab=11, context=8, seed=3, std=0.4)",
        "transformer(layers=2, heads=2, d_model=8, d_mlp=12, vocab=11, context=8, seed=3, std=0.4, mlp=\"none\")",
        "transformer(layers=2, heads=2, d_model=8, d_mlp=12, vocab=11, context=8, seed=3, std=0.4, mlp=\"bilinear\")",
        "transformer(layers=2, heads=2, d_model=8, d_mlp=12, vocab=11, context=8, seed=3, std=0.4, layernorm=false, biases=false)",
        "freeze(transformer(layers=2, heads=2, d_model=8, d_mlp=12, vocab=11, context=8, seed=3, std=0.4), [3, 1, 4, 1, 5])",
        "fold_layernorm(transformer(layers=2, heads=2, d_model=8, d_mlp=12, vocab=11, context=8, seed=3, std=0.4))",
        "freeze(transformer(layers=2, heads=2, d_model=8, d_mlp=12, vocab=11, context=8, seed=3, std=0.4), [3, 1, 4, 1, 5], patterns=false)",
    })
    void everyKindOfModelGivesForwardsLogits(String model) {
        Scripts r = TransformerTest.run("""
                m = %s
                ids = [3, 1, 4, 1, 5]
                c = run_with_cache(m, ids)
                L = forward(m, ids)
                X = residual(m, ids)
                d1 = norm(c.logits - L) / norm(L)
                d2 = norm(pick(c.resid_post, layer=1) - X) / norm(X)
                """.formatted(model));
        assertTrue(r.values("d1")[0] < 1e-12, "logits differ from forward's by " + r.values("d1")[0]);
        assertTrue(r.values("d2")[0] < 1e-12, "resid_post differs from residual's by " + r.values("d2")[0]);
        Value.Record c = (Value.Record) r.module.globals().get("c");
        assertEquals(model.contains("mlp=\"none\""), !c.fields().containsKey("mlp_out"));
        assertEquals(!model.contains("mlp=\""), c.fields().containsKey("mlp_pre"));
        assertFalse(model.contains("layernorm=false") && c.fields().containsKey("lnf_scale"));
    }

    /**
     * A batch (three prompts of one length) gives every field a first leg batch, and each prompt's
     * slice is its own run's cache exactly; the batch's logits are the numpy reference's for each
     * prompt (src/test/resources/patch, batch_logits), and forward_batch's too.
     */
    @Test
    void aBatchIsEachPromptsOwnRun() throws Exception {
        StringBuilder s = new StringBuilder("P = tuple(" + TOKENS + ", [2, 7, 1, 8, 2, 8, 1], [6, 0, 11, 3, 3, 12, 16])\n"
                + "c = run_with_cache(m, P, batch=true)\nlogits = c.logits -> [batch, pos, vocab]\nL = forward_batch(m, P) -> [batch, pos, vocab]\nworst = 0\n"
                + "for k in range(3) {\n    one = run_with_cache(m, item(P, k))\n");
        for (String name : LEGS.keySet()) {
            s.append("    worst = worst + norm(pick(c.").append(name).append(", batch=k) - one.").append(name).append(")\n");
        }
        s.append("}\n");
        Scripts r = run(s.toString());
        assertEquals(0.0, r.values("worst")[0], "every field of each prompt's slice is its own run's");
        Value.Record c = (Value.Record) r.module.globals().get("c");
        for (String name : LEGS.keySet()) {
            Value.TensorValue t = (Value.TensorValue) c.fields().get(name);
            assertEquals("batch", t.net().legs().get(0), name + " has the batch leg first");
            assertEquals(3, t.net().size(0), name);
        }
        double[] want = Npz.read(Path.of("src/test/resources/patch/expected.npz")).get("batch_logits").data();
        assertNear(want, r.values("logits"), 1e-12, "the batch's logits");
        assertNear(want, r.values("L"), 1e-12, "forward_batch");
    }

    @Test
    void aBatchOfPromptsOfDifferentLengthsIsRefused() {
        tn.diag.TnError e = org.junit.jupiter.api.Assertions.assertThrows(tn.diag.TnError.class,
                () -> run("c = run_with_cache(m, tuple(" + TOKENS + ", [2, 7, 1]), batch=true)\n"));
        assertTrue(e.getMessage().contains("a tuple of prompts of the same length"), e.getMessage());
        assertEquals(3, e.span().line(), "located at the call: " + e.span().where());
    }
}
