package tn.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.Buffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tn.exec.nd4j.Nd4jBackend;
import tn.plan.Network;
import tn.plan.Plan;

/**
 * A product with a one-hot matrix runs as a gather of rows (no multiply-adds) and gives the
 * numbers of the product, bit for bit: checked against a naive loop that picks nothing (sums of
 * x * 1 and exact zeros in float64) and against the same plan run as GEMMs, with ids repeated,
 * out of order and -1, the one-hot on either side of the step, and other legs and inputs present.
 */
class OneHotGatherTest {
    // Legs: 0 = pos (rows), 1 = vocab (cols), 2 = a, 3 = b, 4 = c.
    private static final long[] SIZES = {5, 7, 3, 4, 2};
    private static final int[] IDS = {4, 0, 4, 6, -1};

    /** A GEMM that counts its calls and multiplies with the plain-Java loops. */
    private static final class CountingGemm implements BufferContractor.Gemm {
        int calls;

        @Override
        public void multiply(int batch, int m, int n, int k, Buffer a, boolean ta, Buffer b, boolean tb, Buffer c) {
            calls++;
            BufferContractor.JAVA.multiply(batch, m, n, k, a, ta, b, tb, c);
        }
    }

    /**
     * The cases: the other operand's legs, the extra input (or null), the output, and the paths
     * with the one-hot as input 0 and as input 1.
     */
    private record Case(int[] x, int[] extra, int[] output, List<int[]> path, List<int[]> pathSecond) {
        Case(int[] x, int[] extra, int[] output, List<int[]> path) {
            this(x, extra, output, path, path);
        }
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        int[][] xs = {{1, 2}, {2, 1}, {2, 1, 3}, {3, 2, 1}};
        for (int[] x : xs) {
            int[] free = Arrays.stream(x).filter(l -> l != 1).toArray();
            int[] rowsFirst = concat(new int[] {0}, free), rowsLast = concat(free, new int[] {0});
            for (int[] out : new int[][] {rowsFirst, rowsLast}) {
                cases.add(new Case(x, null, out, List.of(new int[] {0, 1})));
            }
        }
        // onehot[pos, vocab] X[a, vocab, b] Y[b, c] -> [c, pos, a], the one-hot step first or last.
        cases.add(new Case(new int[] {2, 1, 3}, new int[] {3, 4}, new int[] {4, 0, 2}, List.of(new int[] {0, 1}, new int[] {0, 1})));
        cases.add(new Case(new int[] {2, 1, 3}, new int[] {3, 4}, new int[] {0, 4, 2},
                List.of(new int[] {1, 2}, new int[] {0, 1}), List.of(new int[] {0, 2}, new int[] {0, 1})));
        return cases;
    }

    /** The one-hot's entries themselves (what anything that reads it sees): 1 at each row's column, else 0. */
    @Test
    void theOneHotHoldsOneOneAPerRowAndZerosElsewhere() {
        Nd4jBackend nd4j = new Nd4jBackend();
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) { // the backend's own (real) types
            for (int width : new int[] {1, 7, 50257}) {
                int[] columns = {width - 1, 0, -1, width / 2, width - 1};
                double[] got = nd4j.toDoubles(nd4j.oneHot(columns, width, dtype));
                assertEquals((long) columns.length * width, got.length);
                for (int r = 0; r < columns.length; r++) {
                    for (int c = 0; c < width; c++) {
                        assertEquals(columns[r] == c ? 1.0 : 0.0, got[r * width + c], dtype + " width " + width + " entry " + r + "," + c);
                    }
                }
            }
        }
    }

    @Test
    void aOneHotProductPicksRowsWithoutAGemmAndGivesTheProductsNumbersBitForBit() {
        Random rnd = new Random(5);
        for (Case c : cases()) {
            for (boolean oneHotFirst : new boolean[] {true, false}) {
                List<int[]> inputs = new ArrayList<>();
                int[] oneHot = {0, 1};
                inputs.add(oneHotFirst ? oneHot : c.x);
                inputs.add(oneHotFirst ? c.x : oneHot);
                if (c.extra != null) inputs.add(c.extra);
                Network n = Network.of(inputs, c.output, SIZES);
                Plan plan = Plan.fromPath(n, oneHotFirst ? c.path : c.pathSecond, "case", 0);
                List<double[]> data = new ArrayList<>();
                for (int[] legs : inputs) data.add(legs == oneHot ? oneHotEntries() : random(legs, rnd));
                double[] expected = naive(n, data);
                for (boolean f64 : new boolean[] {true, false}) {
                    List<Buffer> buffers = new ArrayList<>();
                    List<int[]> marks = new ArrayList<>();
                    for (int k = 0; k < inputs.size(); k++) {
                        buffers.add(buffer(data.get(k), f64));
                        marks.add(inputs.get(k) == oneHot ? IDS : null);
                    }
                    CountingGemm gemm = new CountingGemm();
                    double[] picked = doubles(new BufferContractor(gemm, BufferContractor.Memory.heap(f64), () -> {}).contract(plan, buffers, marks));
                    CountingGemm plain = new CountingGemm();
                    double[] multiplied = doubles(new BufferContractor(plain, BufferContractor.Memory.heap(f64), () -> {}).contract(plan, buffers));
                    String what = Arrays.toString(c.x) + " out " + Arrays.toString(c.output) + (oneHotFirst ? " one-hot left" : " one-hot right") + (f64 ? " f64" : " f32");
                    assertEquals(plain.calls - 1, gemm.calls, what + ": the one-hot step needs no GEMM");
                    assertArrayEquals(multiplied, picked, 0, what + ": as the GEMMs");
                    // Without a third input every entry is one product x * 1: exact in both types.
                    double tolerance = c.extra == null ? 0 : f64 ? 1e-12 : 1e-5;
                    assertArrayEquals(expected, picked, tolerance, what + ": as the naive loop");
                }
            }
        }
    }

    @Test
    void aOneHotOverItsRowLegOrWithARepeatedLegIsMultipliedAsBefore() {
        // sum_pos onehot[pos, vocab] X[pos, a] scatters rows rather than gathering them: a GEMM.
        Network n = Network.of(List.of(new int[] {0, 1}, new int[] {0, 2}), new int[] {1, 2}, SIZES);
        Plan plan = Plan.fromPath(n, List.of(new int[] {0, 1}), "case", 0);
        List<double[]> data = List.of(oneHotEntries(), random(new int[] {0, 2}, new Random(1)));
        CountingGemm gemm = new CountingGemm();
        double[] got = doubles(new BufferContractor(gemm, BufferContractor.Memory.heap(true), () -> {})
                .contract(plan, List.of(buffer(data.get(0), true), buffer(data.get(1), true)), Arrays.asList(IDS, null)));
        assertEquals(1, gemm.calls);
        assertArrayEquals(naive(n, data), got, 0);
    }

    @Test
    void theNd4jBackendMarksItsOneHotsAndContractsThemExactly() {
        Nd4jBackend backend = new Nd4jBackend();
        for (DType dtype : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
            Dense oneHot = backend.oneHot(IDS, SIZES[1], dtype);
            assertArrayEquals(IDS, oneHot.oneHotColumns());
            assertArrayEquals(oneHotEntries(), backend.toDoubles(oneHot), 0);
            Dense plain = backend.fromDoubles(oneHotEntries(), new long[] {SIZES[0], SIZES[1]}, dtype);
            assertNull(plain.oneHotColumns());
            assertNull(backend.permute(oneHot, new int[] {1, 0}).oneHotColumns(), "a transposed one-hot is a plain array");
            double[] w = random(new int[] {1, 2}, new Random(3));
            Dense x = backend.fromDoubles(w, new long[] {SIZES[1], SIZES[2]}, dtype);
            Network n = Network.of(List.of(new int[] {0, 1}, new int[] {1, 2}), new int[] {0, 2}, SIZES);
            Plan plan = Plan.fromPath(n, List.of(new int[] {0, 1}), "case", 0);
            double[] picked = backend.toDoubles(backend.contract(plan, List.of(oneHot, x)));
            double[] multiplied = backend.toDoubles(backend.contract(plan, List.of(plain, x)));
            assertArrayEquals(multiplied, picked, 0, dtype.toString());
            assertArrayEquals(naive(n, List.of(oneHotEntries(), w)), picked, 0, dtype.toString());
        }
    }

    private static double[] oneHotEntries() {
        double[] d = new double[(int) (SIZES[0] * SIZES[1])];
        for (int r = 0; r < IDS.length; r++) if (IDS[r] >= 0) d[r * (int) SIZES[1] + IDS[r]] = 1;
        return d;
    }

    /** Random entries that are float32 values, so both types hold the same numbers. */
    private static double[] random(int[] legs, Random rnd) {
        double[] d = new double[(int) Arrays.stream(legs).mapToLong(l -> SIZES[l]).reduce(1, (a, b) -> a * b)];
        for (int i = 0; i < d.length; i++) d[i] = (float) rnd.nextGaussian();
        return d;
    }

    /** The einsum by its definition: a loop over every combination of leg values, in float64. */
    private static double[] naive(Network n, List<double[]> data) {
        int legs = SIZES.length;
        int[] out = n.output();
        double[] result = new double[(int) Arrays.stream(out).mapToLong(l -> SIZES[l]).reduce(1, (a, b) -> a * b)];
        int[] value = new int[legs];
        long total = Arrays.stream(SIZES).reduce(1, (a, b) -> a * b);
        for (long t = 0; t < total; t++) {
            long rest = t;
            for (int l = legs - 1; l >= 0; l--) {
                value[l] = (int) (rest % SIZES[l]);
                rest /= SIZES[l];
            }
            double p = 1;
            for (int k = 0; k < data.size(); k++) p *= data.get(k)[index(n.inputs().get(k), value)];
            result[index(out, value)] += p;
        }
        // Legs on no input were looped over too: divide their multiplicity out.
        double times = 1;
        for (int l = 0; l < legs; l++) if (!onSomeInput(n, l)) times *= SIZES[l];
        for (int i = 0; i < result.length; i++) result[i] /= times;
        return result;
    }

    private static boolean onSomeInput(Network n, int leg) {
        for (int[] in : n.inputs()) for (int l : in) if (l == leg) return true;
        return false;
    }

    private static int index(int[] legs, int[] value) {
        int i = 0;
        for (int l : legs) i = i * (int) SIZES[l] + value[l];
        return i;
    }

    private static Buffer buffer(double[] d, boolean f64) {
        if (f64) return DoubleBuffer.wrap(d.clone());
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return FloatBuffer.wrap(f);
    }

    private static double[] doubles(Buffer b) {
        if (b instanceof DoubleBuffer d) {
            double[] out = new double[d.capacity()];
            d.get(0, out);
            return out;
        }
        FloatBuffer f = (FloatBuffer) b;
        double[] out = new double[f.capacity()];
        for (int i = 0; i < out.length; i++) out[i] = f.get(i);
        return out;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
