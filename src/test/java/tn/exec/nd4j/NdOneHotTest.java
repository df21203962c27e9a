package tn.exec.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tn.exec.DType;
import tn.exec.Dense;
import tn.net.Evaluator;
import tn.net.Net;
import tn.net.Tensor;
import tn.plan.Planner;
import tn.reference.ReferenceBackend;

/**
 * A one-hot matrix is kept as its columns ({@link NdOneHot}) and written out only when an
 * operation reads its entries: the token embedding's product picks rows without it; a product
 * over its rows, two one-hots together, a sum or a read write it. Every case against the naive
 * reference backend (which forms the matrix) on random products with a one-hot factor, in float32
 * and float64.
 */
class NdOneHotTest {
    private static final Nd4jBackend ND4J = new Nd4jBackend();
    private static final ReferenceBackend REFERENCE = new ReferenceBackend();

    @Test
    void anEmbeddingProductNeverWritesTheOneHot() {
        int[] ids = {4, 0, 4, 6, -1};
        NdOneHot hot = (NdOneHot) ND4J.oneHot(ids, 7, DType.FLOAT32);
        double[] w = new Random(1).doubles(7 * 3).toArray();
        Net x = new Net.Leaf(Tensor.of(List.of("pos", "vocab"), hot), "onehot", null);
        Net e = new Net.Leaf(Tensor.of(List.of("vocab", "d"), ND4J.fromDoubles(w, new long[] {7, 3}, DType.FLOAT32)), "random", null);
        Net product = new Net.Product(List.of(x, e), List.of("pos", "d"), new long[] {5, 3}, DType.FLOAT32, 1.0, null);
        double[] got = ND4J.toDoubles(new Evaluator(ND4J, new Planner(), 8e9).evaluate(product).data());
        assertFalse(hot.written(), "the rows were picked; the one-hot's entries were never needed");
        for (int r = 0; r < ids.length; r++) {
            for (int c = 0; c < 3; c++) assertArrayEquals(new double[] {ids[r] < 0 ? 0 : (float) w[ids[r] * 3 + c]}, new double[] {got[r * 3 + c]});
        }
        assertArrayEquals(new double[] {0, 0, 0, 0, 1, 0, 0}, java.util.Arrays.copyOf(ND4J.toDoubles(hot), 7));
        assertTrue(hot.written());
    }

    @Test
    void randomProductsWithAOneHotAgreeWithTheReference() {
        Random rnd = new Random(20261208);
        String[] legs = {"p", "v", "a", "b"};
        long[] sizes = {4, 6, 3, 2};
        for (int trial = 0; trial < 200; trial++) {
            DType dtype = trial % 2 == 0 ? DType.FLOAT64 : DType.FLOAT32;
            int[] ids = new int[4];
            for (int r = 0; r < ids.length; r++) ids[r] = rnd.nextInt(7) - 1; // -1: a row of zeros
            List<Net> nd = new ArrayList<>(), ref = new ArrayList<>();
            nd.add(new Net.Leaf(Tensor.of(List.of("p", "v"), ND4J.oneHot(ids, 6, dtype)), "onehot", null));
            ref.add(new Net.Leaf(Tensor.of(List.of("p", "v"), REFERENCE.oneHot(ids, 6, dtype)), "onehot", null));
            if (trial % 5 == 0) { // a second one-hot over the same legs or transposed
                boolean swap = rnd.nextBoolean();
                int[] other = swap ? new int[] {1, 0, 3, -1, 2, 3} : new int[] {3, 3, 0, 1};
                List<String> l = swap ? List.of("v", "p") : List.of("p", "v");
                long w = swap ? 4 : 6;
                nd.add(new Net.Leaf(Tensor.of(l, ND4J.oneHot(other, w, dtype)), "onehot", null));
                ref.add(new Net.Leaf(Tensor.of(l, REFERENCE.oneHot(other, w, dtype)), "onehot", null));
            }
            int factors = 1 + rnd.nextInt(3);
            java.util.Set<String> seen = new java.util.LinkedHashSet<>(List.of("p", "v"));
            for (int f = 0; f < factors; f++) {
                List<String> l = new ArrayList<>();
                for (int k = 0; k < legs.length; k++) if (rnd.nextInt(3) == 0) l.add(legs[k]);
                if (l.isEmpty()) l.add(legs[1 + rnd.nextInt(3)]);
                java.util.Collections.shuffle(l, rnd);
                long[] shape = l.stream().mapToLong(s -> sizes[java.util.Arrays.asList(legs).indexOf(s)]).toArray();
                long n = 1;
                for (long s : shape) n *= s;
                double[] data = rnd.doubles((int) n, -1, 1).toArray();
                nd.add(new Net.Leaf(Tensor.of(l, ND4J.fromDoubles(data, shape, dtype)), "random", null));
                ref.add(new Net.Leaf(Tensor.of(l, REFERENCE.fromDoubles(data, shape, dtype)), "random", null));
                seen.addAll(l);
            }
            List<String> out = new ArrayList<>();
            for (String s : seen) if (rnd.nextInt(3) > 0) out.add(s);
            java.util.Collections.shuffle(out, rnd);
            long[] outSizes = out.stream().mapToLong(s -> sizes[java.util.Arrays.asList(legs).indexOf(s)]).toArray();
            Net a = new Net.Product(nd, out, outSizes, dtype, 1.0, null), b = new Net.Product(ref, out, outSizes, dtype, 1.0, null);
            double[] got = ND4J.toDoubles(new Evaluator(ND4J, new Planner(), 8e9).evaluate(a).data());
            double[] want = REFERENCE.toDoubles(new Evaluator(REFERENCE, new Planner(), 8e9).evaluate(b).data());
            double tol = dtype == DType.FLOAT32 ? 1e-5 : 1e-12;
            String what = "trial " + trial + ": " + nd.stream().map(n -> n.legs().toString()).toList() + " -> " + out;
            assertTrue(got.length == want.length, what);
            for (int k = 0; k < got.length; k++) assertTrue(Math.abs(got[k] - want[k]) <= tol * (1 + Math.abs(want[k])), what + " entry " + k + ": " + got[k] + " vs " + want[k]);
        }
    }

    @Test
    void otherOperationsReadTheWrittenEntries() {
        Dense hot = ND4J.oneHot(new int[] {2, -1, 0}, 3, DType.FLOAT64);
        Dense sum = ND4J.linearCombination(List.of(hot, ND4J.full(new long[] {3, 3}, 1.0, DType.FLOAT64)), new double[] {2, 1});
        assertArrayEquals(new double[] {1, 1, 3, 1, 1, 1, 3, 1, 1}, ND4J.toDoubles(sum));
        assertArrayEquals(new double[] {0, 0, 1, 0, 0, 0, 1, 0, 0}, ND4J.toDoubles(ND4J.reshape(hot, new long[] {9})));
    }
}
