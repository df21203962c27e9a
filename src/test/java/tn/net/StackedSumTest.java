package tn.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tn.exec.Backend;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;
import tn.plan.Planner;

/**
 * A sum of terms that each place a product at one index of a leg through a one-hot vector (what
 * the gradient of a layer-stacked weight collects, one term per layer) is evaluated by stacking the
 * products along that leg: against the entries written out by hand, with two terms at one index,
 * coefficients, the leg in the middle of the output, and the forms that must take the ordinary
 * path (an index without a term, a one-hot that is not a unit vector).
 */
class StackedSumTest {
    private static final Backend ND4J = new Nd4jBackend();

    private static Net leaf(List<String> legs, long[] shape, double[] data, String kind) {
        return new Net.Leaf(Tensor.of(legs, ND4J.fromDoubles(data, shape, DType.FLOAT64)), kind, null);
    }

    private static double[] unit(int n, int k) {
        double[] e = new double[n];
        e[k] = 1;
        return e;
    }

    @Test
    void termsPlacedAtIndicesAreStackedAlongTheirLeg() {
        Random rnd = new Random(5);
        int n = 3, a = 2, b = 4;
        int[] index = {0, 2, 1, 2};            // two terms at index 2
        double[] coefficient = {1, -0.5, 2, 3};
        double[][] g = new double[index.length][a * b];
        List<Net> terms = new ArrayList<>();
        for (int t = 0; t < index.length; t++) {
            for (int k = 0; k < a * b; k++) g[t][k] = rnd.nextGaussian();
            Net e = leaf(List.of("layer"), new long[] {n}, unit(n, index[t]), "onehot");
            Net x = leaf(List.of("a", "b"), new long[] {a, b}, g[t], "random");
            // output legs [a, layer, b]: the stacked leg in the middle
            terms.add(new Net.Product(List.of(x, e), List.of("a", "layer", "b"), new long[] {a, n, b}, DType.FLOAT64, t == 3 ? 0.25 : 1, null));
        }
        Net sum = new Net.Sum(terms, coefficient, null);
        double[] got = ND4J.toDoubles(new Evaluator(ND4J, new Planner(), 8e9).evaluate(sum).data());
        double[] want = new double[a * n * b];
        for (int t = 0; t < index.length; t++) {
            double c = coefficient[t] * (t == 3 ? 0.25 : 1);
            for (int i = 0; i < a; i++) for (int j = 0; j < b; j++) want[(i * n + index[t]) * b + j] += c * g[t][i * b + j];
        }
        for (int k = 0; k < want.length; k++) assertEquals(want[k], got[k], 1e-12, "entry " + k);
    }

    @Test
    void otherFormsTakeTheOrdinaryPathAndAgree() {
        int n = 3;
        double[] x = {1, 2};
        List<double[]> ones = List.of(unit(n, 0), new double[] {0, 2, 0}, unit(n, 1));  // not a unit vector: 2 e_1
        List<Net> terms = new ArrayList<>();
        for (double[] e : ones) {
            terms.add(new Net.Product(List.of(leaf(List.of("i"), new long[] {2}, x, "random"), leaf(List.of("layer"), new long[] {n}, e, "onehot")),
                    List.of("layer", "i"), new long[] {n, 2}, DType.FLOAT64, 1, null));
        }
        double[] got = ND4J.toDoubles(new Evaluator(ND4J, new Planner(), 8e9).evaluate(new Net.Sum(terms, new double[] {1, 1, 1}, null)).data());
        assertEquals(List.of(1.0, 2.0, 3.0, 6.0, 0.0, 0.0), java.util.Arrays.stream(got).boxed().toList(), "index 2 has no term; 2 e_1 counts twice");
    }
}
