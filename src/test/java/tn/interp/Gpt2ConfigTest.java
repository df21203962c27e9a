package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tn.diag.Diagnostics;
import tn.diag.TnError;
import tn.reference.ReferenceTransformer;

/**
 * load_gpt2 believes only what it can check: an untied lm_head.weight is the unembedding; the
 * config.json beside the weights gives the number of heads, layer norm's epsilon and the attention
 * scaling (the inverse-layer scaling of the Stanford CRFM GPT-2s), and its other claims must agree
 * with the tensors; settings tn does not implement are refused. Logits are checked against the
 * plain-Java reference forward pass, which implements those variants on its own.
 */
class Gpt2ConfigTest {
    static final int LAYERS = 3, HEADS = 2, D = 8, MLP = 32, VOCAB = 13, CTX = 7;
    static final int[] TOKENS = TransformerTest.TOKENS;

    @TempDir
    Path dir;

    /** GPT-2's own config.json (gpt2 on the Hugging Face hub), its sizes made the test model's. */
    static Map<String, String> gpt2Config() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("activation_function", "\"gelu_new\"");
        c.put("architectures", "[\"GPT2LMHeadModel\"]");
        c.put("attn_pdrop", "0.1");
        c.put("bos_token_id", "12");
        c.put("embd_pdrop", "0.1");
        c.put("eos_token_id", "12");
        c.put("initializer_range", "0.02");
        c.put("layer_norm_epsilon", "1e-05");
        c.put("model_type", "\"gpt2\"");
        c.put("n_ctx", String.valueOf(CTX));
        c.put("n_embd", String.valueOf(D));
        c.put("n_head", String.valueOf(HEADS));
        c.put("n_layer", String.valueOf(LAYERS));
        c.put("n_positions", String.valueOf(CTX));
        c.put("resid_pdrop", "0.1");
        c.put("summary_activation", "null");
        c.put("summary_first_dropout", "0.1");
        c.put("summary_proj_to_labels", "true");
        c.put("summary_type", "\"cls_index\"");
        c.put("summary_use_proj", "true");
        c.put("task_specific_params", "{\"text-generation\": {\"do_sample\": true, \"max_length\": 50}}");
        c.put("vocab_size", String.valueOf(VOCAB));
        return c;
    }

    /** A model folder: the weights (with lm_head if given) and, if given, a config.json. */
    Path model(String name, Map<String, double[]> w, Map<String, String> config) throws Exception {
        Path folder = Files.createDirectories(dir.resolve(name));
        Map<String, long[]> shapes = TransformerTest.gpt2Shapes(LAYERS, D, MLP, VOCAB, CTX);
        shapes.put("lm_head.weight", new long[] {VOCAB, D});
        shapes.put("lm_head.bias", new long[] {VOCAB});
        shapes.put("score.weight", new long[] {2, D});
        TransformerTest.writeNpz(folder.resolve("model.npz"), w, shapes);
        if (config != null) {
            StringBuilder json = new StringBuilder("{");
            for (Map.Entry<String, String> e : config.entrySet()) json.append(json.length() > 1 ? ",\n " : "\n ").append('"').append(e.getKey()).append("\": ").append(e.getValue());
            Files.writeString(folder.resolve("config.json"), json.append("\n}\n"), StandardCharsets.UTF_8);
        }
        return folder.resolve("model.npz");
    }

    static Map<String, double[]> weights(long seed) {
        return TransformerTest.gpt2Weights(LAYERS, D, MLP, VOCAB, CTX, seed);
    }

    static Scripts load(Path file, String args) {
        return TransformerTest.run("m = load_gpt2(\"" + file.toAbsolutePath() + "\"" + args + ")\nL = forward(m, [3, 1, 4, 1, 5, 9])\n");
    }

    static void assertLogits(ReferenceTransformer.Config c, Map<String, double[]> w, Scripts s) {
        double[][] expected = new ReferenceTransformer(c, w).logits(TOKENS), actual = TransformerTest.logits(s, "L", VOCAB);
        TransformerTest.assertClose(expected, actual, 1e-9);
    }

    static String field(Scripts s, String name) {
        return ((Value.Record) s.module.globals().get("m")).fields().get(name).toString();
    }

    static ReferenceTransformer.Config plain() {
        return new ReferenceTransformer.Config(LAYERS, HEADS, D, MLP, VOCAB, "gelu", true);
    }

    @Test
    void anUntiedLmHeadIsTheUnembedding() throws Exception {
        Map<String, double[]> w = weights(1);
        SplittableRandom r = new SplittableRandom(5);
        w.put("lm_head.weight", TransformerTest.normal(r, VOCAB * D, 0.5, 0));
        Scripts s = load(model("untied", w, null), ", heads=2");
        assertLogits(plain(), w, s);
        assertTrue(field(s, "unembedding").contains("lm_head"), field(s, "unembedding"));
        // Not the tied logits: the reference without lm_head is far from them.
        Map<String, double[]> tied = new LinkedHashMap<>(w);
        tied.remove("lm_head.weight");
        double[][] wrong = new ReferenceTransformer(plain(), tied).logits(TOKENS), right = new ReferenceTransformer(plain(), w).logits(TOKENS);
        assertTrue(Math.abs(wrong[0][0] - right[0][0]) > 1e-3);

        w.put("lm_head.bias", TransformerTest.normal(r, VOCAB, 0.5, 0));
        assertLogits(plain(), w, load(model("untied_bias", w, null), ", heads=2"));

        // Tied, and without lm_head: wte.
        Scripts t = load(model("tied", tied, null), ", heads=2");
        assertLogits(plain(), tied, t);
        assertTrue(field(t, "unembedding").contains("wte"), field(t, "unembedding"));
    }

    @Test
    void theConfigGivesTheHeadsAndGpt2sOwnConfigLoads() throws Exception {
        Map<String, double[]> w = weights(2);
        Path file = model("gpt2", w, gpt2Config());
        assertLogits(plain(), w, load(file, ""));
        assertLogits(plain(), w, load(file, ", heads=2"));
        assertFalse(Scripts.check("import transformer\nm = load_gpt2(\"" + file.toAbsolutePath() + "\")\nL = forward(m, [1, 2])\n").any());
    }

    @Test
    void inverseLayerScalingEpsilonAndUnscaledAttentionAreWhatTheConfigSays() throws Exception {
        Map<String, double[]> w = weights(3);
        Map<String, String> crfm = gpt2Config();
        crfm.put("scale_attn_by_inverse_layer_idx", "true");
        crfm.put("reorder_and_upcast_attn", "true");
        crfm.put("n_inner", "null");
        crfm.put("use_cache", "false");
        crfm.put("torch_dtype", "\"float32\"");
        crfm.put("transformers_version", "\"4.17.0\"");
        crfm.put("layer_norm_epsilon", "0.01");
        crfm.put("n_inner", String.valueOf(MLP));
        Scripts s = load(model("crfm", w, crfm), "");
        assertLogits(new ReferenceTransformer.Config(LAYERS, HEADS, D, MLP, VOCAB, "gelu", true, 0.01, true, true), w, s);
        // The reference's variants matter: GPT-2's settings give other logits.
        double[][] plainLogits = new ReferenceTransformer(plain(), w).logits(TOKENS), actual = TransformerTest.logits(s, "L", VOCAB);
        double diff = 0;
        for (int t = 0; t < TOKENS.length; t++) for (int v = 0; v < VOCAB; v++) diff = Math.max(diff, Math.abs(plainLogits[t][v] - actual[t][v]));
        assertTrue(diff > 1e-2, "the settings change the logits by " + diff);

        Map<String, String> unscaled = gpt2Config();
        unscaled.put("scale_attn_weights", "false");
        assertLogits(new ReferenceTransformer.Config(LAYERS, HEADS, D, MLP, VOCAB, "gelu", true, 1e-5, false, false), w,
                load(model("unscaled", w, unscaled), ""));

        Map<String, String> untied = gpt2Config();
        untied.put("tie_word_embeddings", "false");
        Map<String, double[]> withHead = new LinkedHashMap<>(w);
        withHead.put("lm_head.weight", TransformerTest.normal(new SplittableRandom(8), VOCAB * D, 0.5, 0));
        assertLogits(plain(), withHead, load(model("untied", withHead, untied), ""));
        // A tied config with an lm_head that is wte's copy (some files store both): wte; a bias is used.
        Map<String, double[]> copy = new LinkedHashMap<>(w);
        copy.put("lm_head.weight", w.get("wte.weight").clone());
        assertLogits(plain(), w, load(model("copy", copy, gpt2Config()), ""));
        copy.put("lm_head.bias", TransformerTest.normal(new SplittableRandom(10), VOCAB, 0.5, 0));
        assertLogits(plain(), copy, load(model("copy_bias", copy, gpt2Config()), ""));
    }

    String error(String folder, Map<String, double[]> w, Map<String, String> config, String args) throws Exception {
        Path file = model(folder, w, config);
        String script = "import transformer\nm = load_gpt2(\"" + file.toAbsolutePath() + "\"" + args + ")\n";
        TnError e = assertThrows(TnError.class, () -> TransformerTest.run(script.substring("import transformer\n".length())));
        // The same refusal while checking (except what needs the numbers: a tied lm_head that is not wte).
        Diagnostics d = Scripts.check(script);
        if (!e.getMessage().contains("is not wte.weight")) assertTrue(d.format().contains(e.getMessage()), d.format());
        return e.getMessage().replace(dir.toAbsolutePath().toString(), "DIR");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "n_embd | 16 | DIR/bad/config.json: n_embd is 16, but wte.weight in DIR/bad/model.npz has d_model 8",
        "n_layer | 12 | DIR/bad/config.json: n_layer is 12, but DIR/bad/model.npz has 3 layers (h.0 to h.2)",
        "vocab_size | 50257 | DIR/bad/config.json: vocab_size is 50257, but wte.weight in DIR/bad/model.npz has 13 tokens",
        "n_positions | 1024 | DIR/bad/config.json: n_positions is 1024, but wpe.weight in DIR/bad/model.npz has 7 positions",
        "n_ctx | 1024 | DIR/bad/config.json: n_ctx is 1024, but wpe.weight in DIR/bad/model.npz has 7 positions",
        "n_inner | 64 | DIR/bad/config.json: n_inner is 64, but h.0.mlp.c_fc.weight in DIR/bad/model.npz has d_mlp 32",
        "activation_function | \"gelu\" | DIR/bad/config.json: activation_function is \"gelu\", but tn's MLPs use GPT-2's GELU, the tanh"
            + " approximation (\"gelu_new\"); tn does not implement \"gelu\"",
        "activation_function | \"relu\" | DIR/bad/config.json: activation_function is \"relu\", but tn's MLPs use GPT-2's GELU, the tanh"
            + " approximation (\"gelu_new\"); tn does not implement \"relu\"",
        "add_cross_attention | true | DIR/bad/config.json: add_cross_attention is true; tn does not implement cross-attention (GPT-2 as a decoder of an encoder)",
        "model_type | \"gpt_neo\" | DIR/bad/config.json: model_type is \"gpt_neo\"; load_gpt2() reads GPT-2 models (\"gpt2\")",
        "pruned_heads | {\"0\": [1]} | DIR/bad/config.json: pruned_heads is {\"0\":[1]}; tn does not implement pruned heads (every layer has n_head heads)",
        "tie_word_embeddings | false | DIR/bad/config.json: tie_word_embeddings is false, but DIR/bad/model.npz has no lm_head.weight to unembed with",
        "scale_attn_weights | 1 | DIR/bad/config.json: scale_attn_weights is 1, not true or false",
        "layer_norm_epsilon | -1 | DIR/bad/config.json: layer_norm_epsilon is -1, not a positive number",
        "rotary_dim | 64 | DIR/bad/config.json: the setting rotary_dim is not one tn knows, and might change the model; tn reads",
    })
    void contradictionsAndSettingsTnDoesNotImplementAreRefused(String key, String value, String message) throws Exception {
        Map<String, String> config = gpt2Config();
        config.put(key, value);
        String m = error("bad", weights(4), config, "");
        assertTrue(m.startsWith(message), m);
    }

    @Test
    void theHeadsMustAgreeWithTheConfigAndAreNeededWithoutOne() throws Exception {
        Map<String, double[]> w = weights(5);
        Path file = model("heads", w, gpt2Config());
        TnError e = assertThrows(TnError.class, () -> load(file, ", heads=4"));
        assertEquals(e.getMessage().replace(dir.toAbsolutePath().toString(), "DIR"),
                "DIR/heads/config.json: n_head is 2, but heads=4 was given; leave heads= out to use the config's");
        assertEquals("heads=4", e.span().text());
        Path bare = model("bare", w, null);
        e = assertThrows(TnError.class, () -> load(bare, ""));
        assertTrue(e.getMessage().startsWith("load_gpt2() needs heads=, the number of attention heads: the tensors cannot tell it"
                + " (any divisor of d_model fits them), and there is no config.json beside "), e.getMessage());
    }

    @Test
    void aConfigThatIsNotUtf8IsRefusedByName() throws Exception {
        Path file = model("latin1", weights(8), gpt2Config());
        Files.write(file.resolveSibling("config.json"), "{\"model_type\": \"gpt2\", \"n_head\": 2, \"note\": \"caf\u00e9\"}"
                .getBytes(StandardCharsets.ISO_8859_1));
        TnError e = assertThrows(TnError.class, () -> load(file, ""));
        assertEquals("DIR/latin1/config.json: not JSON (it is not UTF-8 text)", e.getMessage().replace(dir.toAbsolutePath().toString(), "DIR"));
    }

    @Test
    void aTiedConfigWithAnotherLmHeadIsRefused() throws Exception {
        Map<String, double[]> w = weights(6);
        w.put("lm_head.weight", TransformerTest.normal(new SplittableRandom(9), VOCAB * D, 0.5, 0));
        String m = error("tied", w, gpt2Config(), "");
        assertTrue(m.startsWith("DIR/tied/config.json: tie_word_embeddings is not given (true), but lm_head.weight in DIR/tied/model.npz"
                + " is not wte.weight (their entries differ by up to "), m);
        assertTrue(m.endsWith("); set it to false to unembed with lm_head.weight"), m);
    }

    @Test
    void tensorsThatAreNotGpt2sAreRefused() throws Exception {
        Map<String, double[]> w = weights(7);
        w.put("score.weight", new double[2 * D]);
        String m = error("score", w, null, ", heads=2");
        assertTrue(m.startsWith("DIR/score/model.npz: tensors that are not GPT-2's: score.weight; load_gpt2() reads wte, wpe,"), m);
    }
}
