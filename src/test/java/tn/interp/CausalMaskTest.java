package tn.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tn.exec.Backend;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;
import tn.reference.ReferenceBackend;

/**
 * causal_mask(scores, q, k): -1e30 where the key index is past the query index, else 0, whatever
 * the scores' other legs and their order. Checked against the rule applied entry by entry to
 * nested loops over the legs in the order they are declared here.
 */
class CausalMaskTest {
    static Stream<Backend> backends() {
        return Stream.of(new Nd4jBackend(), new ReferenceBackend());
    }

    /** Legs a (3), pos (5), b (2), key (4): scores over `order`, the mask read back in that order. */
    private static void check(Backend be, String order, DType dtype) {
        String[] legs = order.split(", ");
        java.util.Map<String, Integer> size = java.util.Map.of("a", 3, "pos", 5, "b", 2, "key", 4);
        Scripts s = Scripts.run(be, dtype, "leg a = 3\nleg pos = 5\nleg b = 2\nleg key = 4\n"
                + "S = zeros(" + order + ")\nM = causal_mask(S, pos, key)\n");
        int n = 1;
        for (String l : legs) n *= size.get(l);
        double[] want = new double[n];
        int[] idx = new int[legs.length];
        for (int p = 0; p < n; p++) {
            int q = 0, k = 0;
            for (int ax = 0; ax < legs.length; ax++) {
                if (legs[ax].equals("pos")) q = idx[ax];
                if (legs[ax].equals("key")) k = idx[ax];
            }
            want[p] = k > q ? (dtype == DType.FLOAT32 ? (float) -1e30 : -1e30) : 0;
            for (int ax = legs.length - 1; ax >= 0; ax--) {
                if (++idx[ax] < size.get(legs[ax])) break;
                idx[ax] = 0;
            }
        }
        assertArrayEquals(want, s.values("M"), 0, order + " " + dtype);
    }

    @ParameterizedTest
    @MethodSource("backends")
    void theMaskFollowsTheScoresLegsInAnyOrder(Backend be) {
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            check(be, "pos, key", dtype);
            check(be, "key, pos", dtype);
            check(be, "a, pos, key", dtype);
            check(be, "pos, a, key", dtype);
            check(be, "key, b, pos, a", dtype);
            check(be, "a, key, b, pos", dtype);
        }
    }
}
