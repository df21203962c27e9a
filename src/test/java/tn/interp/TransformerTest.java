package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tn.diag.TnError;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;
import tn.io.NdData;
import tn.io.Npz;
import tn.reference.ReferenceTransformer;

/**
 * Transformers written in tn (stdlib/transformer.tn) against a plain-Java reference forward pass
 * (float64, 1e-9): GPT-2 weights loaded from an .npz with GPT-2's names, and random models of every
 * variant (GELU, bilinear and attention-only MLPs, with and without layer norm); frozen models
 * reproduce the unfrozen logits on their tokens.
 */
class TransformerTest {
    static final Nd4jBackend ND4J = new Nd4jBackend();
    static final int[] TOKENS = {3, 1, 4, 1, 5, 9};

    static Scripts run(String text) {
        return Scripts.run(ND4J, DType.FLOAT64, "import transformer\n" + text);
    }

    static double[][] logits(Scripts s, String name, int vocab) {
        double[] flat = s.values(name);
        double[][] out = new double[flat.length / vocab][vocab];
        for (int t = 0; t < out.length; t++) System.arraycopy(flat, t * vocab, out[t], 0, vocab);
        return out;
    }

    /** Equal within tol, relative to the size of the entry when it is above 1. */
    static void assertClose(double[][] expected, double[][] actual, double tol) {
        assertEquals(expected.length, actual.length);
        for (int t = 0; t < expected.length; t++) {
            for (int v = 0; v < expected[t].length; v++) {
                assertEquals(expected[t][v], actual[t][v], tol * Math.max(1, Math.abs(expected[t][v])), "logit [" + t + ", " + v + "]");
            }
        }
    }

    /** Random GPT-2 weights under GPT-2's names. */
    static Map<String, double[]> gpt2Weights(int layers, int d, int dMlp, int vocab, int ctx, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, double[]> w = new LinkedHashMap<>();
        w.put("wte.weight", normal(r, vocab * d, 0.5, 0));
        w.put("wpe.weight", normal(r, ctx * d, 0.5, 0));
        for (int l = 0; l < layers; l++) {
            String p = "h." + l + ".";
            w.put(p + "ln_1.weight", normal(r, d, 0.1, 1));
            w.put(p + "ln_1.bias", normal(r, d, 0.1, 0));
            w.put(p + "attn.c_attn.weight", normal(r, d * 3 * d, 0.4, 0));
            w.put(p + "attn.c_attn.bias", normal(r, 3 * d, 0.1, 0));
            w.put(p + "attn.c_proj.weight", normal(r, d * d, 0.3, 0));
            w.put(p + "attn.c_proj.bias", normal(r, d, 0.1, 0));
            w.put(p + "ln_2.weight", normal(r, d, 0.1, 1));
            w.put(p + "ln_2.bias", normal(r, d, 0.1, 0));
            w.put(p + "mlp.c_fc.weight", normal(r, d * dMlp, 0.3, 0));
            w.put(p + "mlp.c_fc.bias", normal(r, dMlp, 0.1, 0));
            w.put(p + "mlp.c_proj.weight", normal(r, dMlp * d, 0.3, 0));
            w.put(p + "mlp.c_proj.bias", normal(r, d, 0.1, 0));
        }
        w.put("ln_f.weight", normal(r, d, 0.1, 1));
        w.put("ln_f.bias", normal(r, d, 0.1, 0));
        return w;
    }

    static double[] normal(SplittableRandom r, int n, double std, double mean) {
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble(), v = r.nextDouble();
            d[i] = mean + std * Math.sqrt(-2 * Math.log(1 - u)) * Math.cos(2 * Math.PI * v);
        }
        return d;
    }

    static void writeNpz(Path file, Map<String, double[]> w, Map<String, long[]> shapes) throws Exception {
        Map<String, NdData> arrays = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : w.entrySet()) arrays.put(e.getKey(), NdData.of(shapes.get(e.getKey()), e.getValue(), DType.FLOAT64));
        Npz.write(file, arrays);
    }

    static Map<String, long[]> gpt2Shapes(int layers, int d, int dMlp, int vocab, int ctx) {
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("wte.weight", new long[] {vocab, d});
        s.put("wpe.weight", new long[] {ctx, d});
        for (int l = 0; l < layers; l++) {
            String p = "h." + l + ".";
            for (String n : new String[] {"ln_1.weight", "ln_1.bias", "ln_2.weight", "ln_2.bias", "attn.c_proj.bias", "mlp.c_proj.bias"}) s.put(p + n, new long[] {d});
            s.put(p + "attn.c_attn.weight", new long[] {d, 3L * d});
            s.put(p + "attn.c_attn.bias", new long[] {3L * d});
            s.put(p + "attn.c_proj.weight", new long[] {d, d});
            s.put(p + "mlp.c_fc.weight", new long[] {d, dMlp});
            s.put(p + "mlp.c_fc.bias", new long[] {dMlp});
            s.put(p + "mlp.c_proj.weight", new long[] {dMlp, d});
        }
        s.put("ln_f.weight", new long[] {d});
        s.put("ln_f.bias", new long[] {d});
        return s;
    }

    @Test
    void gpt2WeightsFromAnNpzGiveTheReferenceLogits(@TempDir Path dir) throws Exception {
        int layers = 2, heads = 2, d = 8, dMlp = 16, vocab = 13, ctx = 7;
        Map<String, double[]> w = gpt2Weights(layers, d, dMlp, vocab, ctx, 42);
        Path file = dir.resolve("gpt2.npz");
        writeNpz(file, w, gpt2Shapes(layers, d, dMlp, vocab, ctx));
        Scripts s = run("m = load_gpt2(\"" + file.toAbsolutePath() + "\", heads=2)\nL = forward(m, [3, 1, 4, 1, 5, 9])\n");
        double[][] expected = new ReferenceTransformer(new ReferenceTransformer.Config(layers, heads, d, dMlp, vocab, "gelu", true), w).logits(TOKENS);
        assertClose(expected, logits(s, "L", vocab), 1e-9);
        double spread = 0;
        for (double[] row : expected) for (double v : row) spread = Math.max(spread, Math.abs(v));
        assertTrue(spread > 0.1, "the logits are not trivially small");
    }

    @Test
    void gpt2WeightsFromSafetensorsGiveTheReferenceLogits(@TempDir Path dir) throws Exception {
        int layers = 2, heads = 4, d = 8, dMlp = 16, vocab = 13, ctx = 7;
        Map<String, double[]> w = gpt2Weights(layers, d, dMlp, vocab, ctx, 43);
        Map<String, long[]> shapes = gpt2Shapes(layers, d, dMlp, vocab, ctx);
        Map<String, NdData> arrays = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : w.entrySet()) arrays.put(e.getKey(), NdData.of(shapes.get(e.getKey()), e.getValue(), DType.FLOAT64));
        Path file = dir.resolve("model.safetensors");
        tn.io.Safetensors.write(file, arrays);
        Scripts s = run("m = load_gpt2(\"" + file.toAbsolutePath() + "\", heads=4)\nL = forward(m, [3, 1, 4, 1, 5, 9])\n");
        double[][] expected = new ReferenceTransformer(new ReferenceTransformer.Config(layers, heads, d, dMlp, vocab, "gelu", true), w).logits(TOKENS);
        assertClose(expected, logits(s, "L", vocab), 1e-9);
        // A truncated file is refused with its name and the reason.
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        Path cut = dir.resolve("cut.safetensors");
        java.nio.file.Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        TnError e = assertThrows(TnError.class, () -> run("m = load_gpt2(\"" + cut.toAbsolutePath() + "\", heads=4)\n"));
        assertTrue(e.getMessage().contains("(truncated?)"), e.getMessage());
    }

    @Test
    void gpt2NamesWithATransformerPrefixAndWithoutSuffixesLoadToo(@TempDir Path dir) throws Exception {
        int layers = 1, d = 4, dMlp = 8, vocab = 5, ctx = 6;
        Map<String, double[]> w = gpt2Weights(layers, d, dMlp, vocab, ctx, 7);
        Map<String, long[]> shapes = gpt2Shapes(layers, d, dMlp, vocab, ctx);
        Map<String, double[]> renamed = new LinkedHashMap<>();
        Map<String, long[]> renamedShapes = new LinkedHashMap<>();
        for (String k : w.keySet()) {
            String n = "transformer." + (k.endsWith(".weight") && k.startsWith("w") ? k.substring(0, k.length() - 7) : k);
            renamed.put(n, w.get(k));
            renamedShapes.put(n, shapes.get(k));
        }
        Path file = dir.resolve("hf.npz");
        writeNpz(file, renamed, renamedShapes);
        Scripts s = run("m = load_gpt2(\"" + file.toAbsolutePath() + "\", heads=1)\nL = forward(m, [0, 4, 2])\n");
        double[][] expected = new ReferenceTransformer(new ReferenceTransformer.Config(layers, 1, d, dMlp, vocab, "gelu", true), w)
                .logits(new int[] {0, 4, 2});
        assertClose(expected, logits(s, "L", vocab), 1e-9);
    }

    @Test
    void missingOrMisshapedGpt2TensorsAreNamed(@TempDir Path dir) throws Exception {
        int layers = 1, d = 4, dMlp = 8, vocab = 5, ctx = 6;
        Map<String, double[]> w = gpt2Weights(layers, d, dMlp, vocab, ctx, 7);
        Map<String, long[]> shapes = gpt2Shapes(layers, d, dMlp, vocab, ctx);
        w.remove("h.0.ln_2.bias");
        Path missing = dir.resolve("missing.npz");
        writeNpz(missing, w, shapes);
        TnError e = assertThrows(TnError.class, () -> run("m = load_gpt2(\"" + missing.toAbsolutePath() + "\", heads=2)\n"));
        assertTrue(e.getMessage().contains("missing tensor h.0.ln_2.bias"), e.getMessage());
        w.put("h.0.ln_2.bias", new double[d]);
        shapes.put("h.0.attn.c_proj.weight", new long[] {2, 8});
        Path wrong = dir.resolve("wrong.npz");
        writeNpz(wrong, w, shapes);
        e = assertThrows(TnError.class, () -> run("m = load_gpt2(\"" + wrong.toAbsolutePath() + "\", heads=2)\n"));
        assertTrue(e.getMessage().contains("h.0.attn.c_proj.weight has shape [2, 8] but [4, 4] was expected"), e.getMessage());
        e = assertThrows(TnError.class, () -> run("m = load_gpt2(\"" + missing.toAbsolutePath() + "\", heads=3)\n"));
        assertTrue(e.getMessage().contains("d_model 4 is not divisible by heads=3"), e.getMessage());
    }

    /**
     * A random tn model's weights (tn's layout, read back from the record) in GPT-2's layout, so
     * the reference can run them: the inverse of the loader's split, written independently.
     */
    static Map<String, double[]> asGpt2(Scripts s, int layers, int heads, int d, int dMlp, int vocab, String mlp) {
        int dh = d / heads;
        Value.Record m = (Value.Record) s.module.globals().get("m");
        java.util.function.Function<String, double[]> f = name -> s.interpreter.evaluator().backend()
                .toDoubles(s.interpreter.evaluator().evaluate(((Value.TensorValue) m.fields().get(name)).net()).data());
        Map<String, double[]> w = new LinkedHashMap<>();
        w.put("wte.weight", f.apply("W_E"));
        w.put("wpe.weight", f.apply("W_pos"));
        w.put("W_U", f.apply("W_U"));
        double[] wq = f.apply("W_Q"), wk = f.apply("W_K"), wv = f.apply("W_V"), wo = f.apply("W_O");
        double[] bq = f.apply("b_Q"), bk = f.apply("b_K"), bv = f.apply("b_V"), bo = f.apply("b_O");
        for (int l = 0; l < layers; l++) {
            String p = "h." + l + ".";
            double[] attn = new double[d * 3 * d], attnB = new double[3 * d], proj = new double[d * d];
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < d; i++) {
                    for (int j = 0; j < dh; j++) {
                        int src = ((l * heads + h) * d + i) * dh + j;
                        attn[i * 3 * d + h * dh + j] = wq[src];
                        attn[i * 3 * d + d + h * dh + j] = wk[src];
                        attn[i * 3 * d + 2 * d + h * dh + j] = wv[src];
                    }
                }
                for (int j = 0; j < dh; j++) {
                    attnB[h * dh + j] = bq[(l * heads + h) * dh + j];
                    attnB[d + h * dh + j] = bk[(l * heads + h) * dh + j];
                    attnB[2 * d + h * dh + j] = bv[(l * heads + h) * dh + j];
                    for (int o = 0; o < d; o++) proj[(h * dh + j) * d + o] = wo[((l * heads + h) * dh + j) * d + o];
                }
            }
            w.put(p + "attn.c_attn.weight", attn);
            w.put(p + "attn.c_attn.bias", attnB);
            w.put(p + "attn.c_proj.weight", proj);
            w.put(p + "attn.c_proj.bias", java.util.Arrays.copyOfRange(bo, l * d, (l + 1) * d));
            w.put(p + "ln_1.weight", java.util.Arrays.copyOfRange(f.apply("ln1_w"), l * d, (l + 1) * d));
            w.put(p + "ln_1.bias", java.util.Arrays.copyOfRange(f.apply("ln1_b"), l * d, (l + 1) * d));
            if (!mlp.equals("none")) {
                w.put(p + "ln_2.weight", java.util.Arrays.copyOfRange(f.apply("ln2_w"), l * d, (l + 1) * d));
                w.put(p + "ln_2.bias", java.util.Arrays.copyOfRange(f.apply("ln2_b"), l * d, (l + 1) * d));
                if (mlp.equals("gelu")) {
                    w.put(p + "mlp.c_fc.weight", java.util.Arrays.copyOfRange(f.apply("W_in"), l * d * dMlp, (l + 1) * d * dMlp));
                    w.put(p + "mlp.c_fc.bias", java.util.Arrays.copyOfRange(f.apply("b_in"), l * dMlp, (l + 1) * dMlp));
                } else {
                    w.put(p + "mlp.W_1", java.util.Arrays.copyOfRange(f.apply("W_1"), l * d * dMlp, (l + 1) * d * dMlp));
                    w.put(p + "mlp.W_2", java.util.Arrays.copyOfRange(f.apply("W_2"), l * d * dMlp, (l + 1) * d * dMlp));
                }
                w.put(p + "mlp.c_proj.weight", java.util.Arrays.copyOfRange(f.apply("W_out"), l * dMlp * d, (l + 1) * dMlp * d));
                w.put(p + "mlp.c_proj.bias", java.util.Arrays.copyOfRange(f.apply("b_out"), l * d, (l + 1) * d));
            }
        }
        w.put("ln_f.weight", f.apply("lnf_w"));
        w.put("ln_f.bias", f.apply("lnf_b"));
        return w;
    }

    @ParameterizedTest(name = "mlp={0}, layernorm={1}")
    @CsvSource({"gelu, true", "gelu, false", "bilinear, true", "bilinear, false", "none, true", "none, false"})
    void randomModelsOfEveryVariantMatchTheReferenceAndFreezingKeepsTheirLogits(String mlp, boolean layernorm) {
        int layers = 3, heads = 2, d = 8, dMlp = 12, vocab = 11, ctx = 8;
        Scripts s = run("""
                m = transformer(layers=3, heads=2, d_model=8, d_mlp=12, vocab=11, context=8, seed=5, std=0.4, mlp="%s", layernorm=%s)
                ids = [3, 1, 4, 1, 5, 9]
                L = forward(m, ids)
                f = freeze(m, ids)
                F = forward(f, ids)
                """.formatted(mlp, layernorm));
        Map<String, double[]> w = asGpt2(s, layers, heads, d, dMlp, vocab, mlp);
        double[][] expected = new ReferenceTransformer(new ReferenceTransformer.Config(layers, heads, d, dMlp, vocab, mlp, layernorm), w).logits(TOKENS);
        assertClose(expected, logits(s, "L", vocab), 1e-9);
        assertClose(expected, logits(s, "F", vocab), 1e-9);
    }

    @Test
    void theJacobianOfAFrozenMultilinearModelIsTheNetworkWithTheInputRemoved() {
        // Frozen attention and a bilinear MLP without layer norm: multilinear, so grad() pokes a hole
        // (the product rule over every occurrence of x1) and agrees with central finite differences.
        Scripts s = run("""
                m = transformer(layers=2, heads=2, d_model=6, vocab=10, context=5, seed=3, std=0.4, mlp="bilinear", layernorm=false)
                ids = [1, 2, 3]
                f = freeze(m, ids)
                x0 = embed(f, ids)
                x1 = block(f, 0, x0)
                x2 = block(f, 1, x1)
                J = grad(x2, x1)
                F = jacobian(x2, x1)
                g = transformer(layers=2, heads=2, d_model=6, vocab=10, context=5, seed=3, std=0.4)
                y1 = block(g, 0, embed(g, ids))
                y2 = block(g, 1, y1)
                G = jacobian(y2, y1)
                """);
        double[] j = s.values("J"), f = s.values("F");
        assertEquals(18 * 18, j.length);
        for (int k = 0; k < j.length; k++) assertEquals(j[k], f[k], 1e-6 * Math.max(1, Math.abs(j[k])), "entry " + k);
        // Causality: a later residual does not depend on later positions: dy2[pos=0] / dy1[pos'=2] = 0.
        double[] g = s.values("G");
        for (int a = 0; a < 6; a++) for (int b = 0; b < 6; b++) assertEquals(0, g[(0 * 6 + a) * 18 + 2 * 6 + b], 1e-9);
        assertTrue(Math.abs(g[(2 * 6) * 18 + 0]) > 1e-6, "the last position does depend on the first");
    }

    @ParameterizedTest(name = "mlp={0}")
    @CsvSource({"gelu", "none"})
    void foldingLayerNormsIntoTheWeightsKeepsTheLogits(String mlp) {
        Scripts s = run("""
                m = transformer(layers=2, heads=2, d_model=8, vocab=11, context=6, seed=1, std=0.4, mlp="%s")
                ids = [3, 1, 4, 1, 5]
                L = forward(m, ids)
                g = fold_layernorm(m)
                G = forward(g, ids)
                """.formatted(mlp));
        double[] l = s.values("L"), g = s.values("G");
        for (int k = 0; k < l.length; k++) assertEquals(l[k], g[k], 1e-10);
        Value.Record folded = (Value.Record) s.module.globals().get("g");
        assertEquals(new Value.Bool(true), folded.fields().get("ln_folded"));
    }

    @Test
    void aFrozenModelWithoutLayerNormIsLinearInItsInput() {
        // With the patterns fixed and no layer norm, an attention-only model is linear in the embedding:
        // the output for x1 + x2 is the sum of the outputs (biases counted once: compare differences).
        Scripts s = run("""
                m = transformer(layers=2, heads=2, d_model=8, vocab=11, context=8, seed=2, std=0.4, mlp="none", layernorm=false)
                ids = [3, 1, 4, 1]
                f = freeze(m, ids)
                x0 = embed(f, ids)
                leg pos = 4
                d1 = random(pos, d_model, seed=7)
                d2 = random(pos, d_model, seed=8)
                def run(x) {
                    for l in range(f.n_layers) {
                        x = block(f, l, x)
                    }
                    return x
                }
                lhs = run(x0 + d1 + d2) - run(x0)
                rhs = (run(x0 + d1) - run(x0)) + (run(x0 + d2) - run(x0))
                assert close(lhs, rhs)
                """);
        assertTrue(s.values("lhs").length == 32);
    }
}
