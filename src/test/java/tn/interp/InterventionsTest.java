package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static tn.interp.ProcessWeightsTest.assertNear;
import static tn.interp.ProcessWeightsTest.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tn.diag.TnError;
import tn.io.NdData;
import tn.io.Npz;

/**
 * ablate against an independent float64 numpy reference of GPT-2 with TransformerLens-style hooks,
 * written one head and one position at a time on Hugging Face's tensors
 * (src/test/resources/patch/make_fixtures.py, output checked in), on the GPT-2-shaped model of
 * src/test/resources/process (2 layers, 3 heads, biases, layer norms, a GELU MLP, an untied
 * unembedding with a bias): zero-, mean- (over the prompt, or a reference batch) and
 * resample-ablation of a head, an attention layer, an MLP, an MLP neuron and a residual direction
 * agree to 1e-12.
 */
class InterventionsTest {
    static final Path DIR = Path.of("src/test/resources/patch");
    static final String CLEAN = "[3, 1, 4, 1, 5, 9, 2]";
    static final String OTHER = "[2, 7, 1, 8, 2, 8, 1]";
    static final String OTHER2 = "[6, 0, 11, 3, 3, 12, 16]";
    static final String BATCH = "tuple([2, 7, 1, 8], [16, 15, 14])";
    static Map<String, NdData> expected;

    @BeforeAll
    static void readFixtures() throws Exception {
        expected = Npz.read(DIR.resolve("expected.npz"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "head_zero                  | \"head\", layer=1, head=2, how=\"zero\"",
        "head_mean                  | \"head\", layer=1, head=2, how=\"mean\"",
        "head_mean_batch            | \"head\", layer=1, head=2, how=\"mean\", ref=" + BATCH,
        "head_resample              | \"head\", layer=1, head=2, how=\"resample\", ref=tuple(" + OTHER + ")",
        "head_resample2             | \"head\", layer=1, head=2, how=\"resample\", ref=tuple(" + OTHER + ", " + OTHER2 + ")",
        "attn_zero                  | \"attn\", layer=0",
        "attn_mean                  | \"attn\", layer=0, how=\"mean\"",
        "attn_resample              | \"attn\", layer=0, how=\"resample\", ref=tuple(" + OTHER + ")",
        "mlp_zero                   | \"mlp\", layer=1, how=\"zero\"",
        "mlp_mean_batch             | \"mlp\", layer=1, how=\"mean\", ref=" + BATCH,
        "mlp_resample               | \"mlp\", layer=1, how=\"resample\", ref=tuple(" + OTHER + ")",
        "neuron_zero                | \"neuron\", layer=0, neuron=5",
        "neuron_mean                | \"neuron\", layer=0, neuron=5, how=\"mean\"",
        "neuron_mean_batch          | \"neuron\", layer=0, neuron=5, how=\"mean\", ref=" + BATCH,
        "neuron_resample            | \"neuron\", layer=0, neuron=5, how=\"resample\", ref=tuple(" + OTHER + ")",
        "direction_zero             | \"direction\", layer=1, direction=d",
        "direction_mean             | \"direction\", layer=1, direction=d, how=\"mean\"",
        "direction_resample         | \"direction\", layer=1, direction=d, how=\"resample\", ref=tuple(" + OTHER + ")",
        "direction_final_zero       | \"direction\", layer=2, direction=3 * d",
        "direction_final_mean_batch | \"direction\", layer=2, direction=d, how=\"mean\", ref=" + BATCH,
    })
    void ablationsMatchTheReference(String key, String args) {
        Scripts r = run("d = pick(m.W_E, vocab=7)\nL = ablate(m, " + CLEAN + ", " + args + ") -> [pos, vocab]\n");
        assertEquals(List.of("pos", "vocab"), r.tensor("L").legs());
        assertNear(expected.get("abl_" + key).data(), r.values("L"), 1e-12, key);
    }

    /**
     * Mean ablation of a batch (three prompts of one length, batch=true): TransformerLens's mean, over
     * the batch at each position, against the reference's batch_mean_<site> [batch, pos, vocab]; zero
     * ablation of a batch is each prompt's.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "head            | \"head\", layer=1, head=2",
        "attn            | \"attn\", layer=0",
        "mlp             | \"mlp\", layer=1",
        "neuron          | \"neuron\", layer=0, neuron=5",
        "direction       | \"direction\", layer=1, direction=d",
        "direction_final | \"direction\", layer=2, direction=d",
    })
    void batchMeanAblationIsOverTheBatchAtEachPosition(String site, String args) {
        Scripts r = run("d = pick(m.W_E, vocab=7)\nP = tuple(" + CLEAN + ", " + OTHER + ", " + OTHER2 + ")\n"
                + "L = ablate(m, P, " + args + ", how=\"mean\", batch=true) -> [batch, pos, vocab]\n"
                + "Z = ablate(m, P, " + args + ", batch=true)\nz = norm(pick(Z, batch=1) - ablate(m, " + OTHER + ", " + args + "))\n");
        assertNear(expected.get("batch_mean_" + site).data(), r.values("L"), 1e-12, site);
        assertEquals(0.0, r.values("z")[0], "zero ablation of a batch is each prompt's");
    }

    @org.junit.jupiter.api.Test
    void activationPatchingMatchesTheReference() {
        Scripts r = run("p = activation_patching(m, " + CLEAN + ", [3, 1, 7, 1, 5, 9, 2], logit_diff_direction(m, 5, 9))\n"
                + "R = p.resid_pre -> [layer, pos]\nH = p.heads -> [layer, head]\nc = p.clean\nk = p.corrupted\n");
        assertEquals(List.of("layer", "pos"), r.tensor("R").legs());
        assertEquals(List.of("layer", "head"), r.tensor("H").legs());
        assertNear(expected.get("metric_clean").data(), r.values("c"), 1e-12, "clean metric");
        assertNear(expected.get("metric_corrupted").data(), r.values("k"), 1e-12, "corrupted metric");
        assertNear(expected.get("patch_resid").data(), r.values("R"), 1e-12, "resid_pre patching");
        assertNear(expected.get("patch_heads").data(), r.values("H"), 1e-12, "head patching");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "m, " + CLEAN + ", [3, 1, 7, 1, 5, 9]                             | must have the same number of tokens",
        "m, " + CLEAN + ", " + CLEAN + "                                   | the metric is the same on the clean and the corrupted prompt",
        "freeze(m, " + CLEAN + "), " + CLEAN + ", [3, 1, 7, 1, 5, 9, 2]    | the model is frozen",
    })
    void patchingRefusesWhatItCannotDo(String args, String message) {
        TnError e = assertThrows(TnError.class, () -> run("p = activation_patching(" + args + ", logit_diff_direction(m, 5, 9))\n"));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals(3, e.span().line(), "the error is located at the call: " + e.span().where());
        // When checking, what needs no model run: the prompts' lengths (the metric's values, and a
        // model frozen on token ids held in a variable, wait for tn run).
        String checked = ProcessWeightsTest.check("p = activation_patching(" + args + ", logit_diff_direction(m, 5, 9))\n");
        assertEquals(message.contains("the same number of tokens"), checked.contains(message), "tn check says: " + checked);
    }

    @org.junit.jupiter.api.Test
    void aMetricDirectionWithOtherLegsIsRefused() {
        TnError e = assertThrows(TnError.class, () -> run("p = activation_patching(m, " + CLEAN + ", [3, 1, 7, 1, 5, 9, 2], m.W_U)\n"));
        assertTrue(e.getMessage().contains("has legs other than vocab"), e.getMessage());
    }

    /** On every kind of model, resampling a component from the prompt itself gives forward's logits. */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {
        "transformer(layers=2, heads=2, d_model=8, d_mlp=12, vocab=11, context=8, seed=3, std=0.4)",
        "transformer(layers=2, heads=2, d_model=8, d_mlp=12, vocab=11, context=8, seed=3, std=0.4, mlp=\"none\")",
        "transformer(layers=2, heads=2, d_model=8, d_mlp=12, vocab=11, context=8, seed=3, std=0.4, mlp=\"bilinear\")",
        "transformer(layers=2, heads=2, d_model=8, d_mlp=12, vocab=11, context=8, seed=3, std=0.4, layernorm=false, biases=false)",
        "fold_layernorm(transformer(layers=2, heads=2, d_model=8, d_mlp=12, vocab=11, context=8, seed=3, std=0.4))",
        "freeze(transformer(layers=2, heads=2, d_model=8, d_mlp=12, vocab=11, context=8, seed=3, std=0.4), [3, 1, 4, 1, 5])",
    })
    void resamplingFromThePromptItselfIsForward(String model) {
        boolean mlp = !model.contains("mlp=\"none\"");
        String sites = "tuple(\"head\", \"attn\", \"direction\"" + (mlp ? ", \"mlp\", \"neuron\")" : ")");
        Scripts r = TransformerTest.run("""
                m = %s
                ids = [3, 1, 4, 1, 5]
                L = forward(m, ids)
                worst = 0
                for site in %s {
                    h = -1
                    n = -1
                    d = tuple()
                    if site == "head" { h = 1 }
                    if site == "neuron" { n = 3 }
                    if site == "direction" { d = pick(m.W_E, vocab=7) }
                    A = ablate(m, ids, site, layer=1, head=h, neuron=n, direction=d, how="resample", ref=tuple(ids))
                    worst = worst + norm(A - L) / norm(L)
                    Z = ablate(m, ids, site, layer=1, head=h, neuron=n, direction=d)
                    assert norm(Z - L) > 1e-6
                }
                """.formatted(model, sites));
        assertTrue(r.values("worst")[0] < 1e-12, "resampled logits differ from forward's by " + r.values("worst")[0]);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "\"heads\", layer=1, head=0                          | the site is one of",
        "\"head\", layer=1, head=0, how=\"mena\"             | how= is \"zero\", \"mean\" or \"resample\"",
        "\"head\", layer=2, head=0                           | layer= is not a layer of the model",
        "\"head\", layer=1, head=3                           | head= is not a head of the model",
        "\"head\", layer=1                                   | head= is not a head of the model",
        "\"attn\", layer=1, head=0                           | head= is only for site \"head\"",
        "\"mlp\", layer=1, neuron=4                          | neuron= is only for site \"neuron\"",
        "\"neuron\", layer=1, neuron=24                      | neuron= is not a neuron of the model",
        "\"attn\", layer=1, direction=pick(m.W_E, vocab=7)   | direction= is only for site \"direction\"",
        "\"direction\", layer=1                              | direction= [d_model] is needed for site \"direction\"",
        "\"head\", layer=1, head=0, how=\"resample\"         | needs ref=",
        "\"head\", layer=1, head=0, how=\"resample\", ref=tuple([1, 2]) | must be as long as ids",
        "\"head\", layer=1, head=0, ref=tuple([1, 2])        | ref= is not used by how=\"zero\"",
        "\"head\", layer=1, head=0, hwo=\"mean\"             | has no parameter hwo",
        "\"head\", layer=1, head=0, how=\"mean\", ref=tuple([1, 2]), batch=true | with batch=true, how=\"mean\" takes the mean over the batch itself",
    })
    void whatCannotBeDoneIsRefusedWithALocatedMessage(String args, String message) {
        TnError e = assertThrows(TnError.class, () -> run("L = ablate(m, " + CLEAN + ", " + args + ")\n"));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertEquals(3, e.span().line(), "the error is located at the call: " + e.span().where());   // line 1 is the import
        // Already when checking: the arguments are known without computing anything.
        String checked = ProcessWeightsTest.check("L = ablate(m, " + CLEAN + ", " + args + ")\n");
        assertTrue(checked.contains("<test>:3:") && checked.contains(message), "tn check says: " + checked);
    }
}
