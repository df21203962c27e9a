package tn.exec.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tn.exec.DType;
import tn.exec.Dense;

/**
 * Sums and slices, which the backend computes in Java on native memory (ND4J's operations cost
 * tens of milliseconds each on a busy machine): the same numbers as a naive loop with the type's
 * rounding at each operation, and slices along every axis, of arrays from tn's memory, from ND4J
 * and of mixed types.
 */
class SumAndTakeTest {
    private final Nd4jBackend backend = new Nd4jBackend();

    @Test
    void aLinearCombinationRoundsLikeTheScalarMultiplyAndAddItReplaces() {
        Random rnd = new Random(2);
        long[] shape = {3, 4, 5};
        int n = 60;
        double[] c = {0.1, -3, 1.0 / 3};
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            double[][] x = new double[3][n];
            for (double[] t : x) for (int i = 0; i < n; i++) t[i] = rnd.nextGaussian();
            // One term from ND4J memory (a permuted copy), the others from tn's.
            List<Dense> terms = List.of(backend.fromDoubles(x[0], shape, dtype),
                    backend.permute(backend.fromDoubles(x[1], new long[] {3, 5, 4}, dtype), new int[] {0, 2, 1}),
                    backend.fromDoubles(x[2], shape, dtype));
            double[] second = backend.toDoubles(terms.get(1));
            double[] expected = new double[n];
            for (int i = 0; i < n; i++) {
                if (dtype == DType.FLOAT32) {
                    float acc = (float) x[0][i] * (float) c[0];
                    acc = acc + (float) second[i] * (float) c[1];
                    acc = acc + (float) x[2][i] * (float) c[2];
                    expected[i] = acc;
                } else {
                    expected[i] = x[0][i] * c[0] + second[i] * c[1] + x[2][i] * c[2];
                }
            }
            assertArrayEquals(expected, backend.toDoubles(backend.linearCombination(terms, c)), 0, dtype.toString());
        }
        // float32 plus float64: float64.
        Dense f = backend.fromDoubles(new double[] {0.1, 0.2}, new long[] {2}, DType.FLOAT32);
        Dense d = backend.fromDoubles(new double[] {0.1, 0.2}, new long[] {2}, DType.FLOAT64);
        assertArrayEquals(new double[] {(double) 0.1f + 0.1, (double) 0.2f + 0.2},
                backend.toDoubles(backend.linearCombination(List.of(f, d), new double[] {1, 1})), 0);
        // Scalars (a loss, a norm summed in a loop) round the same way, and stay scalars.
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            List<Dense> scalars = List.of(backend.fromDoubles(new double[] {0.7}, new long[0], dtype),
                    backend.fromDoubles(new double[] {-2.9}, new long[0], dtype), backend.fromDoubles(new double[] {1e-3}, new long[0], dtype));
            double expected = dtype == DType.FLOAT32
                    ? (double) ((0.7f * (float) c[0] + -2.9f * (float) c[1]) + 1e-3f * (float) c[2])
                    : 0.7 * c[0] + -2.9 * c[1] + 1e-3 * c[2];
            Dense sum = backend.linearCombination(scalars, c);
            assertEquals(0, sum.rank(), dtype.toString());
            assertEquals(dtype, sum.dtype());
            assertArrayEquals(new double[] {expected}, backend.toDoubles(sum), 0, dtype.toString());
        }
    }

    @Test
    void takeFixesOneAxisAtAnIndex() {
        long[] shape = {3, 4, 5};
        double[] x = new double[60];
        for (int i = 0; i < 60; i++) x[i] = i;
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Dense a = backend.fromDoubles(x, shape, dtype);
            Dense transposed = backend.permute(backend.fromDoubles(x, new long[] {5, 4, 3}, dtype), new int[] {2, 1, 0});
            for (int axis = 0; axis < 3; axis++) {
                for (int index = 0; index < shape[axis]; index += 2) {
                    for (Dense src : new Dense[] {a, transposed}) {
                        double[] all = backend.toDoubles(src);
                        long[] s = shape.clone();
                        s[axis] = 1;
                        double[] expected = new double[(int) (s[0] * s[1] * s[2])];
                        int k = 0;
                        for (int i = 0; i < s[0]; i++) for (int j = 0; j < s[1]; j++) for (int l = 0; l < s[2]; l++) {
                            int[] at = {i, j, l};
                            at[axis] = index;
                            expected[k++] = all[(at[0] * 4 + at[1]) * 5 + at[2]];
                        }
                        Dense t = backend.take(src, axis, index);
                        assertArrayEquals(s, t.shape());
                        assertArrayEquals(expected, backend.toDoubles(t), 0, "axis " + axis + " index " + index);
                    }
                }
            }
        }
    }
}
