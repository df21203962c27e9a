package tn.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tn.exec.Backend;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;
import tn.plan.Planner;
import tn.reference.ReferenceBackend;

/**
 * Every bubble's derivative network against central finite differences in float64, property
 * style: for each function, seeded random shapes and legs, y = C f(W X) (f over a random subset of
 * the legs where it takes legs), the derivative dy/dW built both forward and in reverse and
 * contracted on ND4J, the oracle (y(W + hE) - y(W - hE)) / 2h computed entry by entry on the naive
 * reference backend (loops in float64, no ND4J, no derivative code).
 */
class DerivativePropertyTest {
    private static final Backend ND4J = new Nd4jBackend();
    private static final Backend REFERENCE = new ReferenceBackend();

    /** The network y = C f(W X) over given data for W, on a backend. */
    private record Case(BubbleFunction f, double parameter, long[] sizes, List<String> over, boolean positive,
                        double[] w, double[] x, double[] c, int reshapeAt) {
        Net y(Backend backend, double[] wData, Net[] wOut) {
            // legs: W [a, j], X [j, b, e], C [a, b, z]; u = W X has legs [a, b, e]
            long a = sizes[0], j = sizes[1], b = sizes[2], e = sizes[3], z = sizes[4];
            Net w = leaf(backend, List.of("a", "j"), new long[] {a, j}, wData);
            wOut[0] = w;
            Net x = leaf(backend, List.of("j", "b", "e"), new long[] {j, b, e}, this.x);
            Net u = new Net.Product(List.of(w, x), List.of("a", "b", "e"), new long[] {a, b, e}, DType.FLOAT64, 1, null);
            if (reshapeAt == 1) {
                // a reshape before the bubble: group (a b) then split it back
                Net grouped = new Net.Reshape(u, new int[] {0, 1, 2}, List.of("ab", "e"), new long[] {a * b, e}, null);
                u = new Net.Reshape(grouped, new int[] {0, 1}, List.of("a", "b", "e"), new long[] {a, b, e}, null);
            } else if (reshapeAt == 2) {
                // a transposing reshape: [e, a, b] from the permutation (2, 0, 1), then back by name in the product
                u = new Net.Reshape(u, new int[] {2, 0, 1}, List.of("e", "a", "b"), new long[] {e, a, b}, null);
            }
            Net fu = new Net.Bubble(f, u, over, parameter, null);
            Net cc = leaf(backend, List.of("a", "b", "z"), new long[] {a, b, z}, c);
            List<String> out = new ArrayList<>(List.of("z"));
            for (String leg : fu.legs()) if (!List.of("a", "b").contains(leg)) out.add(leg);
            long[] outSizes = new long[out.size()];
            for (int k = 0; k < outSizes.length; k++) outSizes[k] = out.get(k).equals("z") ? z : fu.sizeOf(out.get(k));
            if (fu.legs().contains("a") || fu.legs().contains("b")) {
                List<Net> factors = new ArrayList<>(List.of(fu, cc));
                // legs a or b reduced away: bring them back as ones so C still contracts
                for (String leg : List.of("a", "b")) {
                    if (!fu.legs().contains(leg)) factors.add(new Net.Delta(List.of(leg), leg.equals("a") ? a : b, DType.FLOAT64, null));
                }
                return new Net.Product(factors, out, outSizes, DType.FLOAT64, 1, null);
            }
            return fu;
        }
    }

    private static Net leaf(Backend backend, List<String> legs, long[] shape, double[] data) {
        return new Net.Leaf(Tensor.of(legs, backend.fromDoubles(data, shape, DType.FLOAT64)), "test", null);
    }

    private static Case randomCase(BubbleFunction f, Random rnd) {
        long[] sizes = new long[5];
        for (int k = 0; k < 5; k++) sizes[k] = 1 + rnd.nextInt(3);
        List<String> legs = List.of("a", "b", "e");
        List<String> over = new ArrayList<>();
        if (f.kind != BubbleFunction.Kind.ELEMENTWISE) {
            for (String leg : legs) if (rnd.nextBoolean()) over.add(leg);
            if (over.isEmpty() && f.kind == BubbleFunction.Kind.NORMALISE) over.add(legs.get(rnd.nextInt(3)));
        }
        boolean positive = f == BubbleFunction.LOG || f == BubbleFunction.SQRT || f == BubbleFunction.POW;
        double parameter = switch (f) {
            case POW -> List.of(-1.5, 0.5, 2.0, 3.0, -1.0).get(rnd.nextInt(5));
            case LAYERNORM -> rnd.nextBoolean() ? 1e-5 : 0.3;
            default -> 0;
        };
        long a = sizes[0], j = sizes[1], b = sizes[2], e = sizes[3], z = sizes[4];
        return new Case(f, parameter, sizes, over, positive, data(rnd, a * j, positive), data(rnd, j * b * e, positive),
                data(rnd, a * b * z, false), rnd.nextInt(3));
    }

    private static double[] data(Random rnd, long n, boolean positive) {
        double[] d = new double[(int) n];
        for (int i = 0; i < d.length; i++) d[i] = positive ? 0.5 + rnd.nextDouble() : rnd.nextGaussian();
        return d;
    }

    /** The functions users write (the derivative functions themselves are checked through these). */
    enum Written { RELU, GELU, TANH, SIGMOID, EXP, LOG, SQRT, ABS, POW, SOFTMAX, LAYERNORM, SUM, MEAN, MAX, MIN, NORM }

    @ParameterizedTest
    @EnumSource(Written.class)
    void theDerivativeNetworkMatchesCentralFiniteDifferences(Written written) {
        BubbleFunction f = BubbleFunction.valueOf(written.name());
        Random rnd = new Random(19_000 + f.ordinal());
        for (int trial = 0; trial < 12; trial++) {
            Case c = randomCase(f, rnd);
            String what = f + " trial " + trial + " sizes " + java.util.Arrays.toString(c.sizes) + " over " + c.over
                    + " reshape " + c.reshapeAt + " p " + c.parameter;
            double[] fd = finiteDifferences(c);
            for (boolean reverse : new boolean[] {false, true}) {
                Net[] w = new Net[1];
                Net y = c.y(ND4J, c.w, w);
                List<String> names = List.of("a'", "j'");
                Net g = Derivative.of(y, w[0], names, null, reverse);
                assertNotNull(g, what);
                Evaluator ev = new Evaluator(ND4J, new Planner(), 8e9);
                Tensor t = ev.evaluate(g);
                assertEquals(concat(y.legs(), names), t.legs(), what);
                double[] got = ND4J.toDoubles(t.data());
                assertEquals(fd.length, got.length, what);
                for (int k = 0; k < fd.length; k++) {
                    assertEquals(fd[k], got[k], 1e-6 * Math.max(1, Math.abs(fd[k])), what + (reverse ? " reverse" : " forward") + " entry " + k);
                }
            }
        }
    }

    /**
     * The derivative of the derivative (gelu'', tanh'', sigmoid'', softmax's and layer norm's second
     * derivatives...) against second central differences of y itself on the reference backend
     * (four evaluations per pair of W's entries, no derivative code in the oracle).
     */
    @ParameterizedTest
    @EnumSource(Written.class)
    void theSecondDerivativeMatchesSecondFiniteDifferences(Written written) {
        BubbleFunction f = BubbleFunction.valueOf(written.name());
        Random rnd = new Random(29_000 + f.ordinal());
        for (int trial = 0; trial < 5; trial++) {
            Case c = randomCase(f, rnd);
            String what = f + " trial " + trial + " sizes " + java.util.Arrays.toString(c.sizes) + " over " + c.over + " p " + c.parameter;
            double h = 1e-4;
            int nw = c.w.length;
            int ny = evaluate(c, c.w).length;
            double[] fd = new double[ny * nw * nw];
            for (int k = 0; k < nw; k++) {
                for (int l = 0; l < nw; l++) {
                    double[][] y = new double[4][];
                    for (int s = 0; s < 4; s++) {
                        double[] w = c.w.clone();
                        w[k] += s < 2 ? h : -h;
                        w[l] += s % 2 == 0 ? h : -h;
                        y[s] = evaluate(c, w);
                    }
                    for (int i = 0; i < ny; i++) fd[(i * nw + k) * nw + l] = (y[0][i] - y[1][i] - y[2][i] + y[3][i]) / (4 * h * h);
                }
            }
            for (boolean reverse : new boolean[] {false, true}) {
                Net[] w = new Net[1];
                Net y = c.y(ND4J, c.w, w);
                Net g = Derivative.of(y, w[0], List.of("a'", "j'"), null, reverse);
                Net hessian = Derivative.of(g, w[0], List.of("a''", "j''"), null, reverse);
                double[] got = hessian == null ? new double[fd.length] : ND4J.toDoubles(new Evaluator(ND4J, new Planner(), 8e9).evaluate(hessian).data());
                assertEquals(fd.length, got.length, what);
                double scale = 1;
                for (double v : fd) scale = Math.max(scale, Math.abs(v));
                for (int k = 0; k < fd.length; k++) {
                    assertEquals(fd[k], got[k], 2e-5 * scale, what + (reverse ? " reverse" : " forward") + " entry " + k);
                }
            }
        }
    }

    /** dy/dW by central differences on the reference backend, in y's legs then W's (row-major). */
    private static double[] finiteDifferences(Case c) {
        double h = 1e-6;
        int nw = c.w.length;
        double[][] columns = new double[nw][];
        int ny = -1;
        for (int k = 0; k < nw; k++) {
            double[] plus = c.w.clone(), minus = c.w.clone();
            plus[k] += h;
            minus[k] -= h;
            double[] yp = evaluate(c, plus), ym = evaluate(c, minus);
            ny = yp.length;
            columns[k] = new double[ny];
            for (int i = 0; i < ny; i++) columns[k][i] = (yp[i] - ym[i]) / (2 * h);
        }
        double[] out = new double[ny * nw];
        for (int i = 0; i < ny; i++) for (int k = 0; k < nw; k++) out[i * nw + k] = columns[k][i];
        return out;
    }

    private static double[] evaluate(Case c, double[] w) {
        Net y = c.y(REFERENCE, w, new Net[1]);
        Tensor t = new Evaluator(REFERENCE, new Planner(), 8e9).evaluate(y);
        return REFERENCE.toDoubles(t.data());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
