package tn.exec.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import tn.exec.DType;
import tn.exec.Dense;
import tn.plan.Network;
import tn.plan.Plan;

/**
 * Backend.copyDoubles, the chunked read that save() and the printer use, gives the same entries
 * as a whole copy by another route ({@code toDoubles}: an ND4J dup), for arrays ND4J owns, for
 * contraction results in tn's own native memory, for both types and for scalars.
 */
class CopyDoublesTest {
    private final Nd4jBackend backend = new Nd4jBackend();

    private void assertChunksEqualWhole(Dense d, int chunk) {
        double[] whole = backend.toDoubles(d);
        double[] part = new double[chunk];
        for (long from = 0; from < whole.length; from += chunk) {
            int n = (int) Math.min(chunk, whole.length - from);
            backend.copyDoubles(d, from, part, n);
            for (int k = 0; k < n; k++) assertEquals(whole[(int) from + k], part[k], "entry " + (from + k));
        }
    }

    @Test
    void chunksOfEveryKindOfArrayEqualTheWholeCopy() {
        for (DType t : new DType[] {DType.FLOAT32, DType.FLOAT64}) { // the ND4J backend's own (real) types
            double[] data = new double[1001];
            for (int i = 0; i < data.length; i++) data[i] = Math.sin(i) * 1e3 + 1.0 / 3;
            Dense owned = backend.fromDoubles(data, new long[] {7, 11, 13}, t);
            assertChunksEqualWhole(owned, 64);
            assertChunksEqualWhole(backend.permute(owned, new int[] {2, 0, 1}), 100);
            assertChunksEqualWhole(backend.fromDoubles(new double[] {2.5}, new long[0], t), 1);
            int n = 700; // an outer product: a result of 490,000 entries in tn's own memory
            Plan outer = Plan.fromPath(Network.of(List.of(new int[] {0}, new int[] {1}), new int[] {0, 1}, new long[] {n, n}),
                    List.of(new int[] {0, 1}), "outer", 0);
            double[] a = new double[n];
            for (int i = 0; i < n; i++) a[i] = i - 0.5;
            Dense v = backend.fromDoubles(a, new long[] {n}, t);
            Dense result = backend.contract(outer, List.of(v, v));
            assertChunksEqualWhole(result, 1 << 16);
        }
    }
}
