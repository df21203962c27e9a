package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tn.diag.Diagnostics;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;
import tn.reference.ReferenceBackend;

/**
 * The decomposition builtins through whole scripts, checked by their defining properties on
 * random inputs: reconstruction, isometries, Eckart-Young (error = discarded weight), CP recovery
 * of exactly low-rank tensors, HOOI never worse than HOSVD, TT-SVD exact at full bond, canonical
 * forms, compression error, and grad against central finite differences.
 */
class DecompositionScriptTest {
    static final Nd4jBackend ND4J = new Nd4jBackend();

    static Scripts run(String text) {
        return Scripts.run(ND4J, DType.FLOAT64, text);
    }

    static double number(Scripts s, String name) {
        Value v = s.module.globals().get(name);
        if (v instanceof Value.Num n) return n.value();
        if (v instanceof Value.TensorValue) return s.values(name)[0];
        throw new AssertionError(name + " is " + v);
    }

    @ParameterizedTest(name = "svd of a 3x4x5 tensor, left = {0}")
    @ValueSource(strings = {"[i]", "[j]", "[k]", "[i, j]", "[i, k]", "[j, k]"})
    void svdReconstructsAcrossEveryBipartitionAndTruncationErrorIsTheDiscardedWeight(String left) {
        Scripts s = run("""
                leg i = 3, j = 4, k = 5
                T = random(i, j, k, seed=11)
                U, S, V = svd(T, left=%s, bond=r)
                assert close(U S V -> [i, j, k], T)
                assert is_isometry(U, into=%s)
                U2, S2, V2, err = svd(T, left=%s, bond=r2, rank=2)
                actual = norm(T - U2 S2 V2 -> [i, j, k])
                U3, S3, V3, err3 = svd(T, left=%s, bond=r3, cutoff=0.5)
                actual3 = norm(T - U3 S3 V3 -> [i, j, k])
                """.formatted(left, left, left, left));
        double[] sv = s.values("S");
        double tail = 0;
        for (int q = 2; q < sv.length; q++) tail += sv[q] * sv[q];
        assertEquals(Math.sqrt(tail), number(s, "err"), 1e-12);
        assertEquals(number(s, "err"), number(s, "actual"), 1e-12);
        assertEquals(number(s, "err3"), number(s, "actual3"), 1e-12);
        for (double x : s.values("S3")) assertTrue(x > 0.5 * sv[0]);
    }

    @Test
    void svdResultsAgreeWithTheReferenceBackend() {
        String script = """
                leg i = 6, j = 4
                M = random(i, j, seed=3)
                U, S, V = svd(M, bond=r)
                Q, R = qr(M, bond=q)
                """;
        Scripts a = run(script), b = Scripts.run(new ReferenceBackend(), DType.FLOAT64, script);
        for (String name : new String[] {"U", "S", "V", "Q", "R"}) {
            double[] x = a.values(name), y = b.values(name);
            for (int q = 0; q < x.length; q++) assertEquals(y[q], x[q], 1e-10, name + " entry " + q);
        }
    }

    @ParameterizedTest(name = "cp recovers an exact rank-{0} tensor")
    @ValueSource(ints = {1, 2, 3})
    void cpRecoversExactlyLowRankTensors(int rank) {
        Scripts s = run("""
                leg i = 5, j = 4, k = 6, s = %d
                T = random(i, s, seed=1) random(j, s, seed=2) random(k, s, seed=3) -> [i, j, k]
                w, A, B, C, fit, iters = cp(T, rank=%d, bond=r)
                assert close(w A B C -> [i, j, k], T, rtol=1e-5, atol=1e-7)
                """.formatted(rank, rank));
        assertTrue(number(s, "fit") > 0.9999, "fit " + number(s, "fit"));
    }

    @Test
    void cpOnAFourLegTensorAndItsFitIsOneMinusTheRelativeError() {
        Scripts s = run("""
                leg a = 3, b = 4, c = 3, d = 5
                T = random(a, b, c, d, seed=9)
                w, A, B, C, D, fit, iters = cp(T, rank=4, bond=r, max_iter=50)
                direct = 1 - norm(T - w A B C D -> [a, b, c, d]) / norm(T)
                """);
        assertEquals(number(s, "direct"), number(s, "fit"), 1e-10);
        double[] w = s.values("w");
        for (int q = 1; q < w.length; q++) assertTrue(w[q - 1] >= w[q], "weights descending");
    }

    @ParameterizedTest(name = "tucker seed {0}")
    @ValueSource(ints = {1, 2, 3, 4})
    void hooiIsNeverWorseThanHosvdAndFullRanksAreExact(int seed) {
        Scripts s = run("""
                leg i = 5, j = 6, k = 4
                X = random(i, j, k, seed=%d)
                G, U1, U2, U3, e1 = tucker(X, ranks=[2, 3, 2], core=[a, b, c], method="hosvd")
                H, V1, V2, V3, e2 = tucker(X, ranks=[2, 3, 2], core=[a, b, c])
                direct = norm(X - H V1 V2 V3 -> [i, j, k]) / norm(X)
                assert is_isometry(V1, into=[i])
                assert is_isometry(V2, into=[j])
                F, W1, W2, W3, e3 = tucker(X, ranks=[5, 6, 4], core=[a', b', c'])
                """.formatted(seed));
        assertTrue(number(s, "e2") <= number(s, "e1") + 1e-12, number(s, "e2") + " > " + number(s, "e1"));
        assertEquals(number(s, "direct"), number(s, "e2"), 1e-12);
        assertEquals(0, number(s, "e3"), 1e-13);
    }

    @Test
    void tensorTrainsExactAtFullBondTruncationErrorIsTheDiscardedWeightAndCanonicalFormsHold() {
        Scripts s = run("""
                leg i = 3, j = 4, k = 5, l = 2, m = 3
                Y = random(i, j, k, l, m, seed=21)
                psi, exact = tt(Y, bond=b)
                assert close(psi -> [i, j, k, l, m], Y)
                phi, err = tt(Y, bond=b, max_bond=3)
                actual = norm(phi - Y)
                L = canonical(phi, form="left")
                c1, c2, c3, c4, c5 = cores(L)
                assert is_isometry(c1, into=[i])
                assert is_isometry(c2, into=[b1, j])
                assert is_isometry(c3, into=[b2, k])
                assert is_isometry(c4, into=[b3, l])
                assert close(L, phi)
                R = canonical(phi, form="right")
                r1, r2, r3, r4, r5 = cores(R)
                assert is_isometry(r5, into=[m])
                assert is_isometry(r4, into=[l, b4])
                assert is_isometry(r2, into=[j, b2])
                M = canonical(phi, center=k)
                m1, m2, m3, m4, m5 = cores(M)
                assert is_isometry(m2, into=[b1, j])
                assert is_isometry(m4, into=[l, b4])
                centre = norm(m3)
                whole = sqrt(phi phi -> [])
                chi, cerr = compress(phi, max_bond=2)
                cactual = norm(chi - phi)
                inner = chi phi -> []
                dense = (chi -> [i, j, k, l, m]) (phi -> [i, j, k, l, m]) -> []
                """);
        assertEquals(0, number(s, "exact"), 1e-12);
        assertEquals(number(s, "err"), number(s, "actual"), 1e-12);
        assertTrue(number(s, "err") > 0.1, "the truncation dropped something");
        assertEquals(number(s, "whole"), number(s, "centre"), 1e-12, "the orthogonality centre carries the norm");
        assertEquals(number(s, "cerr"), number(s, "cactual"), 1e-12);
        assertEquals(number(s, "dense"), number(s, "inner"), 1e-10);
    }

    @Test
    void mpsInnerProductIsPlannedCoreByCoreWithoutTheDenseTensor() {
        java.util.List<Double> largest = new java.util.ArrayList<>();
        Scripts.run(ND4J, DType.FLOAT64, """
                leg a = 4, b = 4, c = 4, d = 4, e = 4, f = 4, g = 4, h = 4
                X = random(a, b, c, d, e, f, g, h, seed=2)
                psi, err = tt(X, bond=s, max_bond=4)
                n2 = psi psi -> []
                """, (net, plan) -> {
                    if (net.rank() == 0) largest.add(plan.largestIntermediate());
                });
        assertEquals(1, largest.size());
        assertTrue(largest.get(0) <= 64, "largest intermediate " + largest.get(0) + " (the dense tensor has 65536 entries)");
    }

    @Test
    void gradMatchesCentralFiniteDifferences() {
        Scripts s = run("""
                leg i = 3, j = 4, k = 2
                W = random(i, j, seed=1)
                x = random(j, seed=2)
                V = random(k, i, seed=3)
                y = V W x
                g = grad(y, W)
                q = x W[i, j] W[i', j'] x[j'] -> []
                gq = grad(q, W)
                """);
        double[] w = s.values("W"), x = s.values("x"), v = s.values("V"), g = s.values("g"), gq = s.values("gq");
        double h = 1e-6;
        for (int a = 0; a < 3; a++) for (int b = 0; b < 4; b++) {
            double[] plus = w.clone(), minus = w.clone();
            plus[a * 4 + b] += h;
            minus[a * 4 + b] -= h;
            for (int kk = 0; kk < 2; kk++) {
                double fd = (y(v, plus, x, kk) - y(v, minus, x, kk)) / (2 * h);
                assertEquals(fd, g[(kk * 3 + a) * 4 + b], 1e-8, "dy/dW");
            }
            double fdq = (q(plus, x) - q(minus, x)) / (2 * h);
            assertEquals(fdq, gq[a * 4 + b], 1e-6, "dq/dW (W occurs twice: the product rule)");
        }
    }

    private static double y(double[] v, double[] w, double[] x, int k) {
        double s = 0;
        for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) s += v[k * 3 + i] * w[i * 4 + j] * x[j];
        return s;
    }

    private static double q(double[] w, double[] x) {
        double s = 0;
        for (int i = 0; i < 3; i++) for (int j = 0; j < 4; j++) s += w[i * 4 + j] * x[j];
        return s * s;
    }

    @Test
    void decompositionsCheckWithoutNumbersAndGiveShapes() {
        Diagnostics d = Scripts.check("""
                leg i = 3, j = 4, k = 5
                T = random(i, j, k, seed=11)
                U, S, V = svd(T, left=[i, j], bond=r)
                X = U[i, j, r] ones(r)
                w, A, B, C, fit, iters = cp(T, rank=2, bond=s)
                psi, err = tt(T, bond=b, max_bond=2)
                G, U1, U2, U3, terr = tucker(T, ranks=[2, 2, 2], core=[a, bb, c])
                g = grad(U S V, S)
                """);
        assertEquals("", d.format());
    }

    @ParameterizedTest(name = "{0} of {1}")
    @org.junit.jupiter.params.provider.CsvSource(delimiter = '|', value = {"directions(%s)|T", "directions(%s)|A B", "heatmap(%s, \"%s\")|T",
        "heatmap(%s, \"%s\")|A B"})
    void theGroupingSuggestedForAThreeLegTensorWorksWhenPasted(String call, String tensor, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
        String head = """
                leg i = 3, j = 4, k = 2, d = 2
                T = random(i, j, k, seed=1)
                A = random(i, j, d, seed=2)
                B = random(d, k, seed=3)
                """;
        String file = dir.resolve("m.svg").toString();
        tn.diag.TnError e = org.junit.jupiter.api.Assertions.assertThrows(tn.diag.TnError.class,
                () -> run(head + call.formatted(tensor, file) + "\n"));
        String suggested = e.getMessage().substring(e.getMessage().indexOf("e.g. ") + 5);
        assertEquals(tensor.equals("T") ? "T -> [(i j), k]" : "(A B) -> [(i j), k]", suggested, e.getMessage());
        run(head + call.formatted(suggested, file) + "\n"); // no error
    }
}
