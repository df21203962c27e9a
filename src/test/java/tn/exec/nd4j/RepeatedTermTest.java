package tn.exec.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import tn.exec.Backend;
import tn.exec.DType;
import tn.exec.Dense;
import tn.reference.ReferenceBackend;

/**
 * A sum whose shorter terms are repeated along the leading axes ({@link
 * Backend#linearCombination(List, double[], long[])}: a bias added to every position without
 * forming it at the full size) gives bit for bit the numbers of the same sum with each repetition
 * formed first, on ND4J, on the reference backend, and against a loop; a term that is not the
 * trailing axes is refused.
 */
class RepeatedTermTest {
    @Test
    void repeatedTermsGiveTheNumbersOfTheFormedRepetitions() {
        SplittableRandom rnd = new SplittableRandom(4);
        long[] shape = {3, 70_000, 4}; // several pieces, and a bias whose runs wrap across them
        int n = 3 * 70_000 * 4;
        double[] x = rnd.doubles(n, -1, 1).toArray(), y = rnd.doubles(n, -1, 1).toArray(), b = rnd.doubles(70_000 * 4, -1, 1).toArray();
        double[] c = rnd.doubles(4, -1, 1).toArray();
        double s = 0.25;
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (Backend backend : new Backend[] {new Nd4jBackend(), new ReferenceBackend()}) {
                Dense dx = backend.fromDoubles(x, shape, dtype), dy = backend.fromDoubles(y, shape, dtype);
                Dense db = backend.fromDoubles(b, new long[] {70_000, 4}, dtype), dc = backend.fromDoubles(c, new long[] {4}, dtype);
                Dense ds = backend.fromDoubles(new double[] {s}, new long[0], dtype);
                double[] k = {1, -2, 0.5, 3, -1};
                double[] got = backend.toDoubles(backend.linearCombination(List.of(dx, db, dy, dc, ds), k, shape));
                // The same sum with the repetitions formed, in the same order.
                double[] bFull = new double[n], cFull = new double[n], sFull = new double[n];
                for (int i = 0; i < n; i++) {
                    bFull[i] = b[i % b.length];
                    cFull[i] = c[i % 4];
                    sFull[i] = s;
                }
                List<Dense> formed = List.of(dx, backend.fromDoubles(bFull, shape, dtype), dy, backend.fromDoubles(cFull, shape, dtype),
                        backend.fromDoubles(sFull, shape, dtype));
                double[] want = backend.toDoubles(backend.linearCombination(formed, k));
                assertArrayEquals(want, got, 0.0, dtype + " on " + backend.getClass().getSimpleName());
                // and against a loop in float64 (float32 rounds each step: within a few ulps)
                for (int i = 0; i < n; i += 997) {
                    double loop = x[i] - 2 * b[i % b.length] + 0.5 * y[i] + 3 * c[i % 4] - s;
                    org.junit.jupiter.api.Assertions.assertEquals(loop, got[i], dtype == DType.FLOAT64 ? 1e-14 : 1e-5);
                }
                assertThrows(IllegalArgumentException.class,
                        () -> backend.linearCombination(List.of(dx, backend.fromDoubles(new double[3], new long[] {3}, dtype)), new double[] {1, 1}, shape),
                        "a term along a leading axis is not a repetition of trailing ones");
            }
        }
    }
}
