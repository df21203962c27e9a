package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;

/**
 * Path expansion: term counts of attention-only transformers ((1 + H)^L with heads, 2^L with
 * layers as single heads), completeness (the terms sum to the network, float64 1e-9, frozen and
 * not; truncated expansions with their remainder), names, filtering and ranking, and distribution
 * over sums with coefficients in a plain network with a bubble kept whole.
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
}
