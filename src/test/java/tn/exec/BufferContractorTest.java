package tn.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.Buffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tn.plan.Network;
import tn.plan.Plan;
import tn.reference.ReferenceBackend;

/**
 * The buffer contractor on the Java heap with the plain-Java products, against the naive
 * reference (random networks along random paths, float64 and float32), and its memory
 * discipline: every temporary it takes is given back, the output is asked for once, inputs are
 * never written.
 */
class BufferContractorTest {
    private final ReferenceBackend reference = new ReferenceBackend();

    /** Heap memory that records what is live. */
    static final class Counting implements BufferContractor.Memory {
        final BufferContractor.Memory heap;
        final Map<Buffer, Boolean> live = new IdentityHashMap<>();
        int outputs, allocations;

        Counting(boolean f64) {
            heap = BufferContractor.Memory.heap(f64);
        }

        @Override
        public Buffer allocate(int n) {
            Buffer b = heap.allocate(n);
            // garbage in fresh memory, as malloc may give: the contractor must overwrite it
            if (b instanceof DoubleBuffer d) for (int i = 0; i < n; i++) d.put(i, Double.NaN);
            else for (int i = 0; i < n; i++) ((FloatBuffer) b).put(i, Float.NaN);
            live.put(b, true);
            allocations++;
            return b;
        }

        @Override
        public void release(Buffer b) {
            assertTrue(live.remove(b) != null, "released a buffer that was not allocated (or twice)");
        }

        @Override
        public Buffer output(int n) {
            outputs++;
            return allocate(n);
        }
    }

    /** The Java GEMM against a naive triple loop, k = 1 (batched outer products) and k > 1, every layout, both types. */
    @Test
    void theJavaProductAgreesWithANaiveLoop() {
        java.util.Random rnd = new java.util.Random(7);
        // Small, long rows, long columns, and many small products: the outer product writes them in pieces.
        for (int[] shape : new int[][] {{4, 5, 3}, {2, 7, 5000}, {2, 20000, 1}, {40000, 1, 1}, {50, 3, 200}})
        for (int k : new int[] {1, 3}) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    int batch = shape[0], m = shape[1], n = shape[2];
                    double[] a = new double[batch * m * k], b = new double[batch * k * n];
                    for (int x = 0; x < a.length; x++) a[x] = rnd.nextGaussian();
                    for (int x = 0; x < b.length; x++) b[x] = rnd.nextGaussian();
                    double[] want = new double[batch * m * n];
                    for (int p = 0; p < batch; p++) for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) for (int q = 0; q < k; q++) {
                        double av = a[p * m * k + (ta ? q * m + i : i * k + q)], bv = b[p * k * n + (tb ? j * k + q : q * n + j)];
                        want[p * m * n + i * n + j] += av * bv;
                    }
                    java.nio.DoubleBuffer dc = java.nio.DoubleBuffer.allocate(want.length);
                    BufferContractor.JAVA.multiply(batch, m, n, k, java.nio.DoubleBuffer.wrap(a), ta, java.nio.DoubleBuffer.wrap(b), tb, dc);
                    float[] fa = new float[a.length], fb = new float[b.length];
                    for (int x = 0; x < a.length; x++) fa[x] = (float) a[x];
                    for (int x = 0; x < b.length; x++) fb[x] = (float) b[x];
                    java.nio.FloatBuffer fc = java.nio.FloatBuffer.allocate(want.length);
                    BufferContractor.JAVA.multiply(batch, m, n, k, java.nio.FloatBuffer.wrap(fa), ta, java.nio.FloatBuffer.wrap(fb), tb, fc);
                    for (int x = 0; x < want.length; x++) {
                        assertEquals(want[x], dc.get(x), 1e-12, "float64 k=" + k + " ta=" + ta + " tb=" + tb);
                        assertEquals(want[x], fc.get(x), 1e-5, "float32 k=" + k + " ta=" + ta + " tb=" + tb);
                    }
                    if (k == 1) for (int x = 0; x < want.length; x++) {
                        int p = x / (m * n), i = x / n % m, j = x % n;
                        assertEquals(fa[p * m + i] * fb[p * n + j], fc.get(x), 0.0, "float32 outer product, exactly");
                    }
                }
            }
        }
    }

    @Test
    void randomNetworksAgreeWithTheReferenceAndGiveBackEveryTemporary() {
        Random rnd = new Random(11);
        int withTemporaries = 0;
        for (int trial = 0; trial < 400; trial++) {
            Network n = BackendAgreementTest.randomNetwork(rnd);
            List<int[]> path = BackendAgreementTest.randomPath(n, rnd);
            Plan plan = Plan.fromPath(n, path, "random", 0);
            List<Dense> slow = new ArrayList<>();
            List<double[]> raw = new ArrayList<>();
            for (int[] legs : n.inputs()) {
                long[] shape = Arrays.stream(legs).mapToLong(l -> n.sizes()[l]).toArray();
                double[] d = new double[(int) Arrays.stream(shape).reduce(1, (x, y) -> x * y)];
                for (int i = 0; i < d.length; i++) d[i] = (float) rnd.nextGaussian();
                raw.add(d);
                slow.add(reference.fromDoubles(d, shape, DType.FLOAT64));
            }
            double[] expected = reference.toDoubles(reference.contract(plan, slow));
            String what = "trial " + trial + " " + n.equation() + " sizes " + Arrays.toString(n.sizes());
            for (boolean f64 : new boolean[] {true, false}) {
                List<Buffer> inputs = new ArrayList<>();
                for (double[] d : raw) {
                    if (f64) inputs.add(DoubleBuffer.wrap(d.clone()));
                    else {
                        float[] f = new float[d.length];
                        for (int i = 0; i < f.length; i++) f[i] = (float) d[i];
                        inputs.add(FloatBuffer.wrap(f));
                    }
                }
                Counting memory = new Counting(f64);
                Buffer out = new BufferContractor(BufferContractor.JAVA, memory, () -> {}).contract(plan, inputs);
                assertEquals(1, memory.outputs, what + ": output asked for once");
                assertEquals(1, memory.live.size(), what + ": every temporary given back");
                assertTrue(memory.live.containsKey(out), what + ": the output is the memory's");
                if (memory.allocations > 1) withTemporaries++;
                for (int i = 0; i < expected.length; i++) {
                    double got = f64 ? ((DoubleBuffer) out).get(i) : ((FloatBuffer) out).get(i);
                    assertEquals(expected[i], got, (f64 ? 1e-12 : 1e-4) * (1 + Math.abs(expected[i])), what + " entry " + i);
                }
                for (int k = 0; k < raw.size(); k++) {
                    double[] now = new double[raw.get(k).length];
                    for (int i = 0; i < now.length; i++) now[i] = f64 ? ((DoubleBuffer) inputs.get(k)).get(i) : ((FloatBuffer) inputs.get(k)).get(i);
                    double[] was = raw.get(k).clone();
                    assertArrayEquals(was, now, what + ": input " + k + " written");
                }
            }
        }
        assertTrue(withTemporaries > 200, withTemporaries + " runs needed temporaries");
    }

    @Test
    void aLastStepWhoseTransposeIsTheOutputWritesItWithoutAGather() {
        // A[i,j] B[j,k] -> [k,i]: the product in (i, k) order would need a final transpose;
        // computed as B^T A^T it lands in the output directly (one buffer: the output).
        Network n = Network.of(List.of(new int[] {0, 1}, new int[] {1, 2}), new int[] {2, 0}, new long[] {2, 3, 2});
        Plan plan = Plan.fromPath(n, List.of(new int[] {0, 1}), "one step", 0);
        double[] a = {1, 2, 3, 4, 5, 6}; // [[1,2,3],[4,5,6]]
        double[] b = {1, 0, 0, 1, 1, 1}; // [[1,0],[0,1],[1,1]]
        // A B = [[4, 5], [10, 11]]; its transpose, row-major:
        double[] expected = {4, 10, 5, 11};
        for (boolean transposedInputs : new boolean[] {false, true}) {
            Network m = n;
            List<Buffer> inputs = List.of(DoubleBuffer.wrap(a.clone()), DoubleBuffer.wrap(b.clone()));
            if (transposedInputs) {
                // The same product with A stored as [j,i] and B as [k,j] (transposed GEMM operands).
                m = Network.of(List.of(new int[] {1, 0}, new int[] {2, 1}), new int[] {2, 0}, new long[] {2, 3, 2});
                inputs = List.of(DoubleBuffer.wrap(new double[] {1, 4, 2, 5, 3, 6}), DoubleBuffer.wrap(new double[] {1, 0, 1, 0, 1, 1}));
            }
            Counting memory = new Counting(true);
            Buffer out = new BufferContractor(BufferContractor.JAVA, memory, () -> {})
                    .contract(Plan.fromPath(m, plan.path(), "one step", 0), inputs);
            assertEquals(1, memory.allocations, "only the output is allocated");
            double[] got = new double[4];
            ((DoubleBuffer) out).get(0, got);
            assertArrayEquals(expected, got, 1e-15);
        }
    }

    @Test
    void intermediatesAreLaidOutSoTheStepThatUsesThemNeedsNoGather() {
        // A Tucker reconstruction G[a,b,c] U1[i,a] U2[j,b] U3[k,c] -> [i,j,k] along
        // (G U3), (U2 .), (U1 .): kept in the GEMMs' plain layout, the second and third steps
        // would each gather their intermediate first (5 buffers); laid out as B^T A^T where the
        // next step can use that in place, only the two intermediates and the output are needed.
        int i = 0, j = 1, k = 2, a = 3, b = 4, c = 5;
        Network n = Network.of(List.of(new int[] {a, b, c}, new int[] {i, a}, new int[] {j, b}, new int[] {k, c}),
                new int[] {i, j, k}, new long[] {4, 3, 5, 2, 3, 2});
        Plan plan = Plan.fromPath(n, List.of(new int[] {0, 3}, new int[] {1, 2}, new int[] {0, 1}), "tucker", 0);
        Random rnd = new Random(5);
        List<Dense> slow = new ArrayList<>();
        List<Buffer> inputs = new ArrayList<>();
        for (int[] legs : n.inputs()) {
            long[] shape = Arrays.stream(legs).mapToLong(l -> n.sizes()[l]).toArray();
            double[] d = new double[(int) Arrays.stream(shape).reduce(1, (x, y) -> x * y)];
            for (int e = 0; e < d.length; e++) d[e] = rnd.nextGaussian();
            slow.add(reference.fromDoubles(d, shape, DType.FLOAT64));
            inputs.add(DoubleBuffer.wrap(d));
        }
        double[] expected = reference.toDoubles(reference.contract(plan, slow));
        Counting memory = new Counting(true);
        Buffer out = new BufferContractor(BufferContractor.JAVA, memory, () -> {}).contract(plan, inputs);
        assertEquals(3, memory.allocations, "two intermediates and the output, no gathered copies");
        double[] got = new double[expected.length];
        ((DoubleBuffer) out).get(0, got);
        assertArrayEquals(expected, got, 1e-12);
    }

    @Test
    void aCancelledContractionStopsBetweenSteps() {
        Network n = Network.of(List.of(new int[] {0, 1}, new int[] {1, 2}, new int[] {2, 3}), new int[] {0, 3}, new long[] {2, 2, 2, 2});
        Plan plan = Plan.fromPath(n, List.of(new int[] {0, 1}, new int[] {0, 1}), "chain", 0);
        int[] calls = {0};
        Runnable cancelOnSecond = () -> {
            if (++calls[0] == 2) throw new java.util.concurrent.CancellationException("stop");
        };
        List<Buffer> inputs = List.of(DoubleBuffer.wrap(new double[4]), DoubleBuffer.wrap(new double[4]), DoubleBuffer.wrap(new double[4]));
        Counting memory = new Counting(true);
        BufferContractor c = new BufferContractor(BufferContractor.JAVA, memory, cancelOnSecond);
        org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.CancellationException.class, () -> c.contract(plan, inputs));
        assertEquals(2, calls[0]);
        assertEquals(1, memory.live.size(), "the first step's result is still held (the caller's memory frees it)");
    }

    @Test
    void aScalingAlongTrailingLegsIsOnePassInTheOperandsLayout() {
        // y[pos, d] w[d] -> [pos, d] (a layer norm's weight): one pass into the output, each entry
        // the float product y w rounded once, as the GEMM of one term gives it; and w[d] y[pos, d]
        // (the factor first) the same. A factor along a leading leg (w[pos]) takes the GEMM's path.
        int pos = 7, d = 5;
        Random rnd = new Random(12);
        float[] y = new float[pos * d], w = new float[d], v = new float[pos];
        for (int i = 0; i < y.length; i++) y[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < d; i++) w[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < pos; i++) v[i] = (float) rnd.nextGaussian();
        for (boolean factorFirst : new boolean[] {false, true}) {
            Network n = factorFirst
                    ? Network.of(List.of(new int[] {1}, new int[] {0, 1}), new int[] {0, 1}, new long[] {pos, d})
                    : Network.of(List.of(new int[] {0, 1}, new int[] {1}), new int[] {0, 1}, new long[] {pos, d});
            Plan plan = Plan.fromPath(n, List.of(new int[] {0, 1}), "one step", 0);
            List<Buffer> inputs = factorFirst ? List.of(FloatBuffer.wrap(w.clone()), FloatBuffer.wrap(y.clone()))
                    : List.of(FloatBuffer.wrap(y.clone()), FloatBuffer.wrap(w.clone()));
            Counting memory = new Counting(false);
            int[] gemms = {0};
            BufferContractor.Gemm counting = (batch, m, k2, k, a, ta, b, tb, c) -> {
                gemms[0]++;
                BufferContractor.JAVA.multiply(batch, m, k2, k, a, ta, b, tb, c);
            };
            FloatBuffer out = (FloatBuffer) new BufferContractor(counting, memory, () -> {}).contract(plan, inputs);
            assertEquals(1, memory.allocations, "only the output");
            assertEquals(0, gemms[0], "no GEMM");
            for (int p = 0; p < pos; p++) for (int j = 0; j < d; j++) assertEquals(y[p * d + j] * w[j], out.get(p * d + j), 0.0);
        }
        // v[pos] y[pos, d]: pos leads, so the GEMM's batched path (and the same numbers).
        Network n = Network.of(List.of(new int[] {0, 1}, new int[] {0}), new int[] {0, 1}, new long[] {pos, d});
        Plan plan = Plan.fromPath(n, List.of(new int[] {0, 1}), "one step", 0);
        FloatBuffer out = (FloatBuffer) new BufferContractor(BufferContractor.JAVA, new Counting(false), () -> {})
                .contract(plan, List.of(FloatBuffer.wrap(y.clone()), FloatBuffer.wrap(v.clone())));
        for (int p = 0; p < pos; p++) for (int j = 0; j < d; j++) assertEquals(y[p * d + j] * v[p], out.get(p * d + j), 0.0);
    }
}
