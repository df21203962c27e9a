package tn.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tn.diag.TnError;
import tn.io.NdData;
import tn.io.Npz;

/**
 * Weight processing (fold_layernorm(m, center=true), process_weights) against an independent numpy
 * reference of TransformerLens's processing written from the maths
 * (src/test/resources/process/make_fixtures.py, whose outputs are checked in): on a GPT-2-shaped
 * model with biases, layer norms, a GELU MLP and an untied unembedding with a bias, every processed
 * weight, the logits and the composition scores agree with the reference's to float64 rounding;
 * the logits equal the unprocessed model's exactly, or up to one constant per position with
 * center_unembed (the same log-probabilities).
 */
class ProcessWeightsTest {
    static final Path DIR = Path.of("src/test/resources/process");
    static final String TOKENS = "[3, 1, 4, 1, 5, 9, 2]";
    static final int VOCAB = 17;
    static Map<String, NdData> expected;

    /** Each weight's legs, in the order the reference stores it. */
    static final Map<String, String> LEGS = new LinkedHashMap<>();
    static {
        LEGS.put("W_E", "vocab, d_model");
        LEGS.put("W_pos", "ctx, d_model");
        for (String n : List.of("W_Q", "W_K", "W_V")) LEGS.put(n, "layer, head, d_model, d_head");
        for (String n : List.of("b_Q", "b_K", "b_V")) LEGS.put(n, "layer, head, d_head");
        LEGS.put("W_O", "layer, head, d_head, d_model");
        for (String n : List.of("b_O", "ln1_w", "ln1_b", "ln2_w", "ln2_b", "b_out")) LEGS.put(n, "layer, d_model");
        LEGS.put("W_in", "layer, d_model, d_mlp");
        LEGS.put("b_in", "layer, d_mlp");
        LEGS.put("W_out", "layer, d_mlp, d_model");
        LEGS.put("lnf_w", "d_model");
        LEGS.put("lnf_b", "d_model");
        LEGS.put("W_U", "d_model, vocab");
        LEGS.put("b_U", "vocab");
    }

    @BeforeAll
    static void readFixtures() throws Exception {
        expected = Npz.read(DIR.resolve("expected.npz"));
    }

    /** Runs {@code text} after loading the fixture model as m (also the model of the cache and patch fixtures). */
    static Scripts run(String text) {
        return TransformerTest.run("m = load_gpt2(\"" + DIR.resolve("gpt2.npz").toAbsolutePath() + "\", heads=3)\n" + text);
    }

    /** The script for model p: every weight in the reference's leg order, logits, composition scores. */
    static String outputs() {
        StringBuilder s = new StringBuilder("logits = forward(p, " + TOKENS + ")\n");
        for (Map.Entry<String, String> e : LEGS.entrySet()) s.append(e.getKey()).append(" = p.").append(e.getKey()).append(" -> [").append(e.getValue()).append("]\n");
        for (String k : List.of("Q", "K", "V")) s.append("comp_").append(k).append(" = composition(p, \"").append(k).append("\") -> [layer, head, layer', head']\n");
        return s.toString();
    }

    /** Checks {@code text} (tn check: no tensor computed) after loading the fixture model as m; the messages. */
    static String check(String text) {
        return Scripts.check("import transformer\nm = load_gpt2(\"" + DIR.resolve("gpt2.npz").toAbsolutePath() + "\", heads=3)\n" + text).format();
    }

    /** Entry by entry within {@code tol} relative to max(1, |want|). */
    static void assertNear(double[] want, double[] got, double tol, String what) {
        assertEquals(want.length, got.length, what + ": sizes");
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], tol * Math.max(1, Math.abs(want[i])), what + " entry " + i);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "raw            | m",
        "fold           | fold_layernorm(m)",
        "fold_center    | fold_layernorm(m, center=true)",
        "value_biases   | process_weights(m, fold_ln=false, center_writing_weights=false, center_unembed=false)",
        "center_writing | process_weights(m, fold_ln=false, center_unembed=false, fold_value_biases=false)",
        "center_unembed | process_weights(m, fold_ln=false, center_writing_weights=false, fold_value_biases=false)",
        "tl             | process_weights(m)",
        "tl             | process_weights(m, fold_ln=true, center_writing_weights=true, center_unembed=true, fold_value_biases=true)",
    })
    void processedWeightsLogitsAndCompositionScoresMatchTheReference(String reference, String call) {
        Scripts s = run("p = " + call + "\n" + outputs());
        for (String name : LEGS.keySet()) assertNear(expected.get(reference + "__" + name).data(), s.values(name), 1e-12, reference + " " + name);
        assertNear(expected.get(reference + "__logits").data(), s.values("logits"), 1e-11, reference + " logits");
        for (String k : List.of("Q", "K", "V")) assertNear(expected.get(reference + "__comp_" + k).data(), s.values("comp_" + k), 1e-12, reference + " " + k + "-composition");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "fold_layernorm(m, center=true)                                                          | false",
        "process_weights(m, center_unembed=false)                                                | false",
        "process_weights(m, fold_ln=false, center_writing_weights=false, fold_value_biases=false) | true",
        "process_weights(m)                                                                      | true",
    })
    void theProcessedModelComputesTheSameFunctionUpToAShiftOfEachPositionsLogits(String call, boolean shifted) {
        Scripts s = run("p = " + call + "\nL = forward(m, " + TOKENS + ")\nP = forward(p, " + TOKENS + ")\n");
        double[] l = s.values("L"), p = s.values("P");
        double[] raw = expected.get("raw__logits").data();
        assertNear(raw, l, 1e-11, "unprocessed logits");
        double largestShift = 0;
        for (int t = 0; t < raw.length / VOCAB; t++) {
            double shift = p[t * VOCAB] - raw[t * VOCAB];
            largestShift = Math.max(largestShift, Math.abs(shift));
            for (int v = 0; v < VOCAB; v++) assertEquals(raw[t * VOCAB + v] + (shifted ? shift : 0), p[t * VOCAB + v], 1e-11, "logit [" + t + ", " + v + "]");
            double[] a = logSoftmax(raw, t), b = logSoftmax(p, t);
            for (int v = 0; v < VOCAB; v++) assertEquals(a[v], b[v], 1e-11, "log-probability [" + t + ", " + v + "]");
        }
        if (shifted) assertTrue(largestShift > 0.1, "center_unembed moves the logits (by " + largestShift + ")");
    }

    static double[] logSoftmax(double[] logits, int t) {
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (int v = 0; v < VOCAB; v++) max = Math.max(max, logits[t * VOCAB + v]);
        for (int v = 0; v < VOCAB; v++) sum += Math.exp(logits[t * VOCAB + v] - max);
        double[] out = new double[VOCAB];
        for (int v = 0; v < VOCAB; v++) out[v] = logits[t * VOCAB + v] - max - Math.log(sum);
        return out;
    }

    @Test
    void withEveryOptionOffNothingChanges() {
        StringBuilder text = new StringBuilder("p = process_weights(m, fold_ln=false, center_writing_weights=false, center_unembed=false, fold_value_biases=false)\n");
        for (Map.Entry<String, String> e : LEGS.entrySet()) {
            text.append("a_").append(e.getKey()).append(" = m.").append(e.getKey()).append(" -> [").append(e.getValue()).append("]\n");
            text.append("b_").append(e.getKey()).append(" = p.").append(e.getKey()).append(" -> [").append(e.getValue()).append("]\n");
        }
        Scripts s = run(text.toString());
        for (String name : LEGS.keySet()) assertArrayEquals(s.values("a_" + name), s.values("b_" + name), name);
        Value.Record p = (Value.Record) s.module.globals().get("p"), m = (Value.Record) s.module.globals().get("m");
        assertEquals(m.fields().get("ln_folded"), p.fields().get("ln_folded"));
        assertEquals(m.fields().get("biases"), p.fields().get("biases"));
    }

    @Test
    void foldingTwiceIsFoldingOnce() {
        // The folded model's layer norms are left with scale 1 and shift 0, so a second fold (or a
        // centred fold of a folded model) moves nothing more.
        Scripts s = run("""
                L = forward(m, %s)
                f = fold_layernorm(m)
                F = forward(fold_layernorm(f), %s)
                C = forward(fold_layernorm(f, center=true), %s)
                n1 = norm(f.ln1_w - 1 * ones(layer, d_model)) + norm(f.ln1_b) + norm(f.ln2_b) + norm(f.lnf_b)
                """.formatted(TOKENS, TOKENS, TOKENS));
        assertNear(s.values("L"), s.values("F"), 1e-11, "folded twice");
        assertNear(s.values("L"), s.values("C"), 1e-11, "folded, then folded with centring");
        assertEquals(0, s.values("n1")[0]);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "process_weights(m)                                              | pass fold_ln=false, center_writing_weights=false",
        "process_weights(m, fold_ln=false)                               | centring the weights that write to the residual stream would change",
        "process_weights(m, centre_unembed=true)                         | has no parameter centre_unembed",
    })
    void whatCannotBeDoneIsRefusedWithALocatedMessage(String call, String message) {
        TnError e = assertThrows(TnError.class, () -> TransformerTest.run(
                "m = transformer(layers=1, heads=2, d_model=8, vocab=11, context=6, layernorm=false)\np = " + call + "\n"));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void theOtherOptionsWorkWithoutLayerNorms() {
        Scripts s = TransformerTest.run("""
                m = transformer(layers=2, heads=2, d_model=8, vocab=11, context=6, seed=3, std=0.4, layernorm=false)
                p = process_weights(m, fold_ln=false, center_writing_weights=false, center_unembed=false)
                L = forward(m, [3, 1, 4])
                P = forward(p, [3, 1, 4])
                n = norm(p.b_V)
                """);
        assertNear(s.values("L"), s.values("P"), 1e-11, "value biases folded without layer norms");
        assertEquals(0, s.values("n")[0]);
    }
}
