package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import tn.diag.TnError;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;
import tn.reference.ReferencePaths;
import tn.reference.ReferenceSafetensors;
import tn.reference.ReferenceTransformer;

/**
 * Path expansion: term counts of attention-only transformers ((1 + H)^L with heads, 2^L with
 * layers as single heads), completeness (the terms sum to the network, float64 1e-9, frozen and
 * not; truncated expansions with their remainder), names, filtering and ranking, and distribution
 * over sums with coefficients in a plain network with a bubble kept whole. On models with MLPs,
 * layer norms and biases (every variant of the stdlib's, and a GPT-2 file): the terms add up to
 * the plain-Java reference's logits, and each term of a frozen model equals the reference's
 * (ReferencePaths, which computes every path with loops from the forward pass's patterns and
 * layer norm factors).
 */
class PathExpansionTest {
    static final Nd4jBackend ND4J = new Nd4jBackend();

    static Scripts run(String text) {
        return Scripts.run(ND4J, DType.FLOAT64, "import transformer\n" + text);
    }

    static List<String> names(Scripts s, String tuple) {
        List<String> out = new ArrayList<>();
        for (Value v : ((Value.Tuple) s.module.globals().get(tuple)).items()) out.add(((Value.TensorValue) v).net().label());
        return out;
    }

    static int count(Scripts s, String tuple) {
        return ((Value.Tuple) s.module.globals().get(tuple)).items().size();
    }

    /**
     * Frozen: (1 + H)^L terms, 2^L with whole layers. Not frozen, the heads of layer 1 also read their
     * Q and K inputs from every earlier path: 1 + H + H (1 + H)^3 terms for two layers, 10 with whole layers.
     */
    @ParameterizedTest(name = "L={0}, H={1}, frozen={2}: {3} terms, {4} with whole layers")
    @CsvSource({"2, 4, true, 25, 4", "3, 2, true, 27, 8", "1, 3, true, 4, 2", "2, 3, false, 196, 10", "2, 2, false, 57, 10",
        "1, 2, false, 3, 2"})
    void attentionOnlyModelsHaveTheirNumberOfTermsAndTheTermsSumToTheModel(int layers, int heads, boolean frozen, int expected,
            int expectedLayers) {
        Scripts s = run("""
                m = transformer(layers=%d, heads=%d, d_model=8, vocab=9, context=8, seed=2, std=0.4, mlp="none", layernorm=false, biases=false)
                ids = [1, 2, 3, 1, 2]
                if %s {
                    m = freeze(m, ids)
                }
                x = residual_paths(m, ids, true)
                assert close(x, residual(m, ids))
                E = expand(x)
                S = total(E)
                L = unembed(m, x)
                EL = expand(L)
                T = total(EL)
                layers = expand(residual_paths(m, ids, false))
                """.formatted(layers, heads, frozen));
        assertEquals(expected, count(s, "E"));
        assertEquals(expected, count(s, "EL"));
        assertEquals(expectedLayers, count(s, "layers"));
        double[] x = s.values("x"), sum = s.values("S"), l = s.values("L"), t = s.values("T");
        for (int k = 0; k < x.length; k++) assertEquals(x[k], sum[k], 1e-9 * Math.max(1, Math.abs(x[k])));
        for (int k = 0; k < l.length; k++) assertEquals(l[k], t[k], 1e-9 * Math.max(1, Math.abs(l[k])));
    }

    @Test
    void termsAreNamedByTheirPathAndCanBeFilteredAndRanked() {
        Scripts s = run("""
                m = transformer(layers=2, heads=2, d_model=8, vocab=9, context=8, seed=2, std=0.4, mlp="none", layernorm=false, biases=false)
                ids = [1, 2, 3, 1, 2]
                f = freeze(m, ids)
                E = expand(unembed(f, residual_paths(f, ids, true)))
                through = terms(E, through="L0H1")
                R = rank(E)
                first = item(R, 0)
                last = item(R, len(R) - 1)
                big = norm(first)
                small = norm(last)
                """);
        assertEquals(List.of("direct", "L0H0", "L0H1", "L1H0", "L1H0<-V-L0H0", "L1H0<-V-L0H1", "L1H1", "L1H1<-V-L0H0", "L1H1<-V-L0H1"), names(s, "E"));
        assertEquals(List.of("L0H1", "L1H0<-V-L0H1", "L1H1<-V-L0H1"), names(s, "through"));
        assertTrue(s.values("big")[0] >= s.values("small")[0]);
        List<String> ranked = names(s, "R");
        assertEquals(9, ranked.size());
        assertEquals(new java.util.TreeSet<>(names(s, "E")), new java.util.TreeSet<>(ranked));
    }

    @Test
    void withoutFreezingTheSecondLayersPatternGivesQAndKCompositionTerms() {
        Scripts s = run("""
                m = transformer(layers=2, heads=2, d_model=8, vocab=9, context=8, seed=5, std=0.4, mlp="none", layernorm=false, biases=false)
                ids = [1, 2, 3, 1, 2]
                E = expand(residual_paths(m, ids, false))
                """);
        assertEquals(List.of("direct", "L0", "L1", "L1<-V-L0", "L1<-K-L0", "L1<-{K-L0, V-L0}", "L1<-Q-L0", "L1<-{Q-L0, V-L0}",
                "L1<-{Q-L0, K-L0}", "L1<-{Q-L0, K-L0, V-L0}"), names(s, "E"));
    }

    @Test
    void truncatedExpansionsKeepLowOrdersAndAnExactRemainder() {
        Scripts s = run("""
                m = transformer(layers=3, heads=2, d_model=8, vocab=9, context=8, seed=4, std=0.4, mlp="none", layernorm=false, biases=false)
                ids = [1, 2, 3, 4]
                f = freeze(m, ids)
                x = residual_paths(f, ids, true)
                E0 = expand(x, order=0)
                E1 = expand(x, order=1)
                E2 = expand(x, order=2)
                S1 = total(E1)
                S2 = total(E2)
                """);
        // order 0: direct + remainder; order 1: direct + 6 heads + remainder; order 2 adds the 2-head paths:
        // L1 heads reading L0 heads (2 x 2) and L2 heads reading L0 or L1 heads (2 x 4) = 12.
        assertEquals(2, count(s, "E0"));
        assertEquals(1 + 6 + 1, count(s, "E1"));
        assertEquals(1 + 6 + 12 + 1, count(s, "E2"));
        assertEquals("remainder (order > 1)", names(s, "E1").get(7));
        double[] x = s.values("x"), s1 = s.values("S1"), s2 = s.values("S2");
        for (int k = 0; k < x.length; k++) {
            assertEquals(x[k], s1[k], 1e-9 * Math.max(1, Math.abs(x[k])));
            assertEquals(x[k], s2[k], 1e-9 * Math.max(1, Math.abs(x[k])));
        }
    }

    @Test
    void productsDistributeOverSumsWithCoefficientsAndBubblesStayWhole() {
        Scripts s = Scripts.run(ND4J, DType.FLOAT64, """
                leg i = 3, j = 4
                A = random(i, j, seed=1)
                B = random(i, j, seed=2)
                C = random(j, seed=3)
                D = random(j, seed=4)
                x = (A - 2 * B) (C + D)
                E = expand(x)
                S = total(E)
                y = relu(A C + B D) + A D
                F = expand(y)
                T = total(F)
                """);
        assertEquals(4, count(s, "E"));
        assertEquals(2, count(s, "F"), "the relu bubble is one term, its argument expanded inside");
        double[] x = s.values("x"), sum = s.values("S"), y = s.values("y"), t = s.values("T");
        for (int k = 0; k < x.length; k++) assertEquals(x[k], sum[k], 1e-12);
        for (int k = 0; k < y.length; k++) assertEquals(y[k], t[k], 1e-12);
    }

    /** Entries equal within tol relative to the entry's size (when above 1). */
    static void assertClose(double[] expected, double[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int k = 0; k < expected.length; k++) assertEquals(expected[k], actual[k], tol * Math.max(1, Math.abs(expected[k])), what + " [" + k + "]");
    }

    static double[] flat(double[][] x) {
        return Stream.of(x).flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    static double[] term(Scripts s, String tuple, int k) {
        Value.TensorValue t = (Value.TensorValue) ((Value.Tuple) s.module.globals().get(tuple)).items().get(k);
        return s.interpreter.evaluator().backend().toDoubles(s.interpreter.evaluator().evaluate(t.net()).data());
    }

    /** Terms with a frozen model's heads: R(0) = 1, R(l + 1) = (1 + H) R(l) + bias + MLP, and b_U at the end. */
    static int frozenTerms(int layers, int heads, boolean bias, boolean mlp) {
        int r = 1;
        for (int l = 0; l < layers; l++) r = (1 + heads) * r + (bias ? 1 : 0) + (mlp ? 1 : 0);
        return r + (bias ? 1 : 0);
    }

    /** The terms of tuple E against the reference's, name by name (in order) and value by value. */
    static void assertTermsMatch(Scripts s, String tuple, Map<String, double[][]> expected) {
        List<String> names = names(s, tuple);
        assertEquals(new ArrayList<>(expected.keySet()), names);
        int k = 0;
        for (Map.Entry<String, double[][]> e : expected.entrySet()) assertClose(flat(e.getValue()), term(s, tuple, k++), 1e-9, "term " + e.getKey());
    }

    static Stream<Arguments> variants() {
        List<Arguments> out = new ArrayList<>();
        for (String mlp : List.of("gelu", "bilinear", "none")) {
            for (boolean layernorm : List.of(true, false)) {
                for (boolean biases : List.of(true, false)) {
                    for (boolean frozen : List.of(true, false)) out.add(Arguments.of(mlp, layernorm, biases, frozen));
                }
            }
        }
        return out.stream();
    }

    /**
     * Every variant of the stdlib's transformer (MLP GELU, bilinear or none; layer norms or not;
     * biases or not), frozen (patterns and layer norm factors) or with only the layer norms fixed
     * (freeze(m, ids, patterns=false): the patterns are split by source): the terms, per head and per
     * layer, add up to the reference's logits; their names are distinct; a frozen model's terms are
     * the reference's, one by one, as many as documented.
     */
    @ParameterizedTest(name = "mlp={0}, layernorm={1}, biases={2}, frozen patterns={3}")
    @MethodSource("variants")
    void everyVariantsTermsAddUpToTheReferenceLogits(String mlp, boolean layernorm, boolean biases, boolean frozen) {
        int layers = frozen ? 3 : 2, heads = 2, d = 8, dMlp = 12, vocab = 11;
        Scripts s = run("""
                m = transformer(layers=%d, heads=2, d_model=8, d_mlp=12, vocab=11, context=8, seed=5, std=0.4, mlp="%s", layernorm=%s, biases=%s)
                ids = [3, 1, 4, 1, 5, 9]
                f = freeze(m, ids, patterns=%s)
                E = expand(unembed(f, residual_paths(f, ids, true)))
                S = total(E)
                W = expand(unembed(f, residual_paths(f, ids, false)))
                T = total(W)
                """.formatted(layers, mlp, layernorm, biases, frozen));
        ReferenceTransformer ref = new ReferenceTransformer(new ReferenceTransformer.Config(layers, heads, d, dMlp, vocab, mlp, layernorm),
                TransformerTest.asGpt2(s, layers, heads, d, dMlp, vocab, mlp));
        ReferencePaths paths = new ReferencePaths(ref, TransformerTest.TOKENS, biases || layernorm);
        double[] logits = flat(paths.logits());
        assertClose(logits, s.values("S"), 1e-9, "the sum of the terms per head");
        assertClose(logits, s.values("T"), 1e-9, "the sum of the terms per layer");
        assertEquals(count(s, "E"), new HashSet<>(names(s, "E")).size(), "distinct names: " + names(s, "E"));
        assertEquals(count(s, "W"), new HashSet<>(names(s, "W")).size(), "distinct names: " + names(s, "W"));
        if (frozen) {
            assertEquals(frozenTerms(layers, heads, biases || layernorm, !mlp.equals("none")), count(s, "E"));
            assertEquals(frozenTerms(layers, 1, biases || layernorm, !mlp.equals("none")), count(s, "W"));
            assertTermsMatch(s, "E", paths.terms(true));
            assertTermsMatch(s, "W", paths.terms(false));
        }
    }

    static final Path TINY_GPT2 = Path.of("examples/data/tiny_gpt2.safetensors").toAbsolutePath();

    /**
     * A GPT-2 file (layer norms, GELU MLPs, biases; examples/data/tiny_gpt2.safetensors), frozen:
     * 38 terms ((1 + 4) ((1 + 4) + 2) + 2, + b_U), each equal to the reference's computed from the
     * file read independently; they add up to the reference's logits; truncated at order 1, the 14
     * first-order terms and the remainder add up to them too.
     */
    @Test
    void aGpt2FilesTermsAreTheReferencesAndAddUpToItsLogits() throws Exception {
        Scripts s = run("""
                m = load_gpt2("%s", heads=4)
                ids = [3, 1, 4, 1, 5, 7]
                f = freeze(m, ids)
                x = residual_paths(f, ids, true)
                E = expand(unembed(f, x))
                S = total(E)
                W = expand(unembed(f, residual_paths(f, ids, false)))
                E1 = expand(unembed(f, x), order=1)
                S1 = total(E1)
                """.formatted(TINY_GPT2.toString().replace("\\", "/")));
        ReferenceTransformer ref = new ReferenceTransformer(new ReferenceTransformer.Config(2, 4, 16, 64, 16, "gelu", true), ReferenceSafetensors.read(TINY_GPT2));
        ReferencePaths paths = new ReferencePaths(ref, new int[] {3, 1, 4, 1, 5, 7}, true);
        double[] logits = flat(paths.logits());
        assertEquals(38, count(s, "E"));
        assertTermsMatch(s, "E", paths.terms(true));
        assertTermsMatch(s, "W", paths.terms(false));
        assertClose(logits, s.values("S"), 1e-9, "the sum of the terms");
        assertEquals(List.of("direct", "L0H0", "L0H1", "L0H2", "L0H3", "b_O0", "MLP0", "L1H0", "L1H1", "L1H2", "L1H3", "b_O1", "MLP1", "b_U",
                "remainder (order > 1)"), names(s, "E1"));
        assertClose(logits, s.values("S1"), 1e-9, "the terms of order 1 and the remainder");
    }

    /** Folding the layer norms into the weights (fold_layernorm) changes no term: the same names, the same values. */
    @Test
    void foldedLayerNormsGiveTheSameTerms() {
        Scripts s = run("""
                m = transformer(layers=2, heads=2, d_model=8, d_mlp=12, vocab=11, context=8, seed=6, std=0.4)
                ids = [3, 1, 4, 1, 5, 9]
                f = freeze(m, ids)
                E = expand(unembed(f, residual_paths(f, ids, true)))
                g = freeze(fold_layernorm(m), ids)
                G = expand(unembed(g, residual_paths(g, ids, true)))
                h = fold_layernorm(f)
                H = expand(unembed(h, residual_paths(h, ids, true)))
                """);
        assertEquals(frozenTerms(2, 2, true, true), count(s, "E"));
        assertEquals(names(s, "E"), names(s, "G"));
        assertEquals(names(s, "E"), names(s, "H"));
        for (int k = 0; k < count(s, "E"); k++) {
            assertClose(term(s, "E", k), term(s, "G", k), 1e-9, "folded, then frozen: " + names(s, "E").get(k));
            assertClose(term(s, "E", k), term(s, "H", k), 1e-9, "frozen, then folded: " + names(s, "E").get(k));
        }
    }

    @Test
    void aModelWithLayerNormsMustBeFrozenFirst() {
        TnError e = assertThrows(TnError.class, () -> run("""
                m = transformer(layers=1, heads=2, d_model=8, vocab=11, context=8, seed=5)
                x = residual_paths(m, [1, 2, 3], true)
                """));
        assertTrue(e.getMessage().contains("the model has layer norms, which are not linear: fix their factors on these tokens first, with f = freeze(m, ids)"),
                e.getMessage());
    }

    /** x read along direction d (both [pos][vocab], flattened): the plain sum of x[k] d[k]. */
    static double along(double[] x, double[] d) {
        assertEquals(d.length, x.length);
        double sum = 0;
        for (int k = 0; k < x.length; k++) sum += x[k] * d[k];
        return sum;
    }

    /**
     * unembed_along(f, x, d) reads the logits along a direction d[pos, vocab] without a product
     * through W_U per term. On a GPT-2 file (layer norms, GELU MLPs, biases), for a logit difference
     * at the last position and for a dense random direction: its terms are expand(unembed(f, x))'s,
     * name by name, each equal to the reference's term read along d with a plain sum; they add up to
     * forward(m, ids) (the unfrozen model's logits) read along d, and to the reference's; at order 1,
     * with the remainder, too.
     */
    @Test
    void unembedAlongADirectionGivesEachTermsLogitsReadAlongIt() throws Exception {
        Scripts s = run("""
                m = load_gpt2("%s", heads=4)
                ids = [3, 1, 4, 1, 5, 7]
                f = freeze(m, ids)
                x = residual_paths(f, ids, true)
                L = forward(m, ids)
                d1 = onehot([0, 0, 0, 0, 0, 9], pos, vocab, size=16) - onehot([0, 0, 0, 0, 0, 2], pos, vocab, size=16)
                d2 = random(pos, vocab, seed=3)
                E1 = expand(unembed_along(f, x, d1))
                E2 = expand(unembed_along(f, x, d2))
                S2 = total(E2)
                O2 = expand(unembed_along(f, x, d2), order=1)
                T2 = total(O2)
                """.formatted(TINY_GPT2.toString().replace("\\", "/")));
        ReferenceTransformer ref = new ReferenceTransformer(new ReferenceTransformer.Config(2, 4, 16, 64, 16, "gelu", true), ReferenceSafetensors.read(TINY_GPT2));
        ReferencePaths paths = new ReferencePaths(ref, new int[] {3, 1, 4, 1, 5, 7}, true);
        Map<String, double[][]> expected = paths.terms(true);
        double[] logits = s.values("L");
        for (String d : List.of("d1", "d2")) {
            double[] dir = s.values(d);
            String tuple = d.equals("d1") ? "E1" : "E2";
            assertEquals(new ArrayList<>(expected.keySet()), names(s, tuple));
            int k = 0;
            double sum = 0;
            for (Map.Entry<String, double[][]> e : expected.entrySet()) {
                double[] t = term(s, tuple, k++);
                assertEquals(1, t.length, "a term along a direction is a number");
                double want = along(flat(e.getValue()), dir);
                assertEquals(want, t[0], 1e-9 * Math.max(1, Math.abs(want)), d + ": term " + e.getKey());
                sum += t[0];
            }
            double read = along(logits, dir);
            assertEquals(read, sum, 1e-9 * Math.max(1, Math.abs(read)), d + ": the terms add up to forward's logits read along " + d);
            assertEquals(along(flat(paths.logits()), dir), read, 1e-9 * Math.max(1, Math.abs(read)), d + ": forward against the reference");
        }
        double read = along(logits, s.values("d2"));
        assertEquals(read, s.values("S2")[0], 1e-9 * Math.max(1, Math.abs(read)), "total(E2)");
        assertEquals(List.of("direct", "L0H0", "L0H1", "L0H2", "L0H3", "b_O0", "MLP0", "L1H0", "L1H1", "L1H2", "L1H3", "b_O1", "MLP1", "b_U",
                "remainder (order > 1)"), names(s, "O2"));
        assertEquals(read, s.values("T2")[0], 1e-9 * Math.max(1, Math.abs(read)), "total at order 1 with the remainder");
    }

    /**
     * Every variant of the stdlib's transformer, patterns frozen or split by source, and folded
     * (fold_layernorm; a bilinear MLP's layer norm shift cannot be, and a model without layer norms
     * has nothing to fold): the terms of unembed_along add up to forward(m, ids) read along a random
     * direction with a plain sum.
     */
    @ParameterizedTest(name = "mlp={0}, layernorm={1}, biases={2}, frozen patterns={3}")
    @MethodSource("variants")
    void everyVariantsTermsAlongADirectionAddUpToItsLogitsReadAlongIt(String mlp, boolean layernorm, boolean biases, boolean frozen) {
        Scripts s = run("""
                m = transformer(layers=2, heads=2, d_model=8, d_mlp=12, vocab=11, context=8, seed=5, std=0.4, mlp="%s", layernorm=%s, biases=%s)
                ids = [3, 1, 4, 1, 5, 9]
                L = forward(m, ids)
                leg pos = 6
                d = random(pos, vocab, seed=4)
                f = freeze(m, ids, patterns=%s)
                S = total(expand(unembed_along(f, residual_paths(f, ids, true), d)))
                g = %s
                G = total(expand(unembed_along(g, residual_paths(g, ids, false), d)))
                """.formatted(mlp, layernorm, biases, frozen, mlp.equals("bilinear") && layernorm ? "f" : "fold_layernorm(f)"));
        double read = along(s.values("L"), s.values("d"));
        assertEquals(read, s.values("S")[0], 1e-9 * Math.max(1, Math.abs(read)), "the terms per head");
        assertEquals(read, s.values("G")[0], 1e-9 * Math.max(1, Math.abs(read)), "the terms per layer, layer norms folded");
    }

    @Test
    void unembedAlongADirectionNeedsTheFinalLayerNormFixed() {
        TnError e = assertThrows(TnError.class, () -> run("""
                m = transformer(layers=1, heads=2, d_model=8, vocab=11, context=8, seed=5)
                ids = [1, 2, 3]
                y = unembed_along(m, residual(m, ids), onehot([0, 0, 4], pos, vocab, size=11))
                """));
        assertTrue(e.getMessage().contains("the model's final layer norm is not linear: fix its factors on these tokens first, with f = freeze(m, ids)"),
                e.getMessage());
        assertEquals("<test>", e.span().source().name(), "the error is located at the call");
        assertEquals(4, e.span().line(), "the error is located at the call");
    }

    /**
     * A loaded GPT-2 whose config.json sets what GPT-2's defaults do not (the Stanford CRFM models'
     * inverse-layer attention scaling, layer norm epsilon 0.01, an untied lm_head with a bias): the
     * terms, frozen, are the reference's one by one (it implements those settings on its own) and
     * add up to forward's logits, per head and along a direction.
     */
    @Test
    void aGpt2WithItsConfigsSettingsExpandsExactly(@TempDir Path dir) throws Exception {
        int layers = 2, heads = 2, d = 8, dMlp = 32, vocab = 13, ctx = 7;
        Map<String, double[]> w = TransformerTest.gpt2Weights(layers, d, dMlp, vocab, ctx, 11);
        java.util.SplittableRandom r = new java.util.SplittableRandom(12);
        w.put("lm_head.weight", TransformerTest.normal(r, vocab * d, 0.5, 0));
        w.put("lm_head.bias", TransformerTest.normal(r, vocab, 0.5, 0));
        Map<String, long[]> shapes = TransformerTest.gpt2Shapes(layers, d, dMlp, vocab, ctx);
        shapes.put("lm_head.weight", new long[] {vocab, d});
        shapes.put("lm_head.bias", new long[] {vocab});
        TransformerTest.writeNpz(dir.resolve("model.npz"), w, shapes);
        java.nio.file.Files.writeString(dir.resolve("config.json"), """
                {"model_type": "gpt2", "n_layer": %d, "n_head": %d, "n_embd": %d, "vocab_size": %d, "n_positions": %d,
                 "activation_function": "gelu_new", "layer_norm_epsilon": 0.01, "scale_attn_by_inverse_layer_idx": true,
                 "tie_word_embeddings": false}
                """.formatted(layers, heads, d, vocab, ctx));
        Scripts s = run("""
                m = load_gpt2("%s")
                ids = [3, 1, 4, 1, 5, 9]
                L = forward(m, ids)
                f = freeze(m, ids)
                E = expand(unembed(f, residual_paths(f, ids, true)))
                S = total(E)
                d = onehot([0, 0, 0, 0, 0, 7], pos, vocab, size=13) - onehot([0, 0, 0, 0, 0, 2], pos, vocab, size=13)
                D = total(expand(unembed_along(f, residual_paths(f, ids, true), d)))
                g = freeze(m, ids, patterns=false)
                G = total(expand(unembed(g, residual_paths(g, ids, false))))
                """.formatted(dir.resolve("model.npz").toString().replace("\\", "/")));
        ReferenceTransformer ref = new ReferenceTransformer(new ReferenceTransformer.Config(layers, heads, d, dMlp, vocab, "gelu", true, 0.01, true, true), w);
        ReferencePaths paths = new ReferencePaths(ref, TransformerTest.TOKENS, true);
        double[] logits = flat(paths.logits());
        assertClose(logits, s.values("L"), 1e-9, "forward against the reference");
        assertClose(logits, s.values("S"), 1e-9, "the sum of the terms");
        assertClose(logits, s.values("G"), 1e-9, "the sum of the terms, patterns split by source");
        assertTermsMatch(s, "E", paths.terms(true));
        double read = along(logits, s.values("d"));
        assertEquals(read, s.values("D")[0], 1e-9 * Math.max(1, Math.abs(read)), "along a direction");
    }
}
