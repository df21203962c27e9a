package tn.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import tn.exec.nd4j.Nd4jBackend;
import tn.plan.Network;
import tn.plan.Plan;
import tn.plan.Planner;

/**
 * Contractions of random complex networks (some operands real, repeated legs, traces, batch
 * legs, sliced plans) through {@link ComplexBackend} over ND4J, against a naive loop einsum
 * written here in complex double arithmetic: every assignment of every leg, the product of the
 * operands' entries, summed into the output entry.
 */
class ComplexContractionTest {
    static final ComplexBackend B = (ComplexBackend) ComplexBackend.over(new Nd4jBackend());

    /** An operand: its legs and its row-major entries (im null for a real operand). */
    record Operand(int[] legs, double[] re, double[] im) {}

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void randomNetworksAgreeWithANaiveLoop(int seed) {
        Random r = new Random(seed);
        int legCount = 3 + r.nextInt(4);
        long[] sizes = new long[legCount];
        for (int l = 0; l < legCount; l++) sizes[l] = 1 + r.nextInt(3);
        int inputs = 1 + r.nextInt(4);
        List<Operand> ops = new ArrayList<>();
        boolean[] used = new boolean[legCount];
        for (int k = 0; k < inputs; k++) {
            int rank = 1 + r.nextInt(3);
            int[] legs = new int[rank];
            for (int a = 0; a < rank; a++) used[legs[a] = r.nextInt(legCount)] = true; // repeats allowed: diagonals
            int n = 1;
            for (int l : legs) n *= sizes[l];
            double[] re = new double[n], im = k % 3 == 2 ? null : new double[n];
            for (int i = 0; i < n; i++) {
                re[i] = r.nextGaussian();
                if (im != null) im[i] = r.nextGaussian();
            }
            ops.add(new Operand(legs, re, im));
        }
        List<Integer> out = new ArrayList<>();
        for (int l = 0; l < legCount; l++) if (used[l] && r.nextBoolean()) out.add(l);
        int[] output = out.stream().mapToInt(Integer::intValue).toArray();
        String[] names = new String[legCount];
        for (int l = 0; l < legCount; l++) names[l] = "l" + l;
        List<int[]> legs = ops.stream().map(Operand::legs).toList();
        Network network = new Network(legs, output, sizes, names);
        DType dtype = seed % 2 == 0 ? DType.COMPLEX128 : DType.COMPLEX64;
        List<Dense> dense = new ArrayList<>();
        for (Operand o : ops) {
            long[] shape = java.util.Arrays.stream(o.legs()).mapToLong(l -> sizes[l]).toArray();
            dense.add(o.im() == null ? B.fromDoubles(o.re(), shape, dtype.realPart()) : B.fromParts(o.re(), o.im(), shape, dtype));
        }
        boolean anyComplex = ops.stream().anyMatch(o -> o.im() != null);
        Plan plan = new Planner().plan(network, "greedy", Double.POSITIVE_INFINITY);
        double[][] expected = naive(ops, output, sizes);
        check(B.contract(plan, dense), expected, anyComplex, dtype);
        // The same path with a contracted leg sliced, the slices summed (as the evaluator runs it).
        int[] sliced = java.util.Arrays.stream(legs.get(0)).filter(l -> java.util.Arrays.stream(output).noneMatch(x -> x == l)).limit(1).toArray();
        if (sliced.length == 1 && ops.size() > 1) {
            Plan perSlice = Plan.fromPath(plan.slice(sliced).sliceNetwork(), plan.path(), plan.method(), 0);
            Dense sum = null;
            for (long v = 0; v < sizes[sliced[0]]; v++) {
                List<Dense> parts = new ArrayList<>();
                for (int k = 0; k < dense.size(); k++) {
                    Dense x = dense.get(k);
                    int[] in = legs.get(k);
                    for (int a = 0; a < in.length; a++) if (in[a] == sliced[0]) x = B.take(x, a, v);
                    parts.add(x);
                }
                Dense part = B.contract(perSlice, parts);
                sum = sum == null ? part : B.linearCombination(List.of(sum, part), new double[] {1, 1});
            }
            check(sum, expected, anyComplex, dtype);
        }
    }

    private static void check(Dense got, double[][] expected, boolean complex, DType dtype) {
        double tolerance = dtype == DType.COMPLEX128 ? 1e-12 : 1e-5;
        double[] re = B.toDoubles(B.realPart(got));
        double[] im = complex ? B.toDoubles(((ComplexDense) got).im()) : new double[re.length];
        if (complex) assertEquals(dtype, got.dtype());
        assertEquals(expected[0].length, re.length);
        for (int i = 0; i < re.length; i++) {
            double scale = 1 + Math.hypot(expected[0][i], expected[1][i]);
            assertTrue(Math.hypot(re[i] - expected[0][i], im[i] - expected[1][i]) <= tolerance * scale,
                    "entry " + i + ": " + re[i] + "+" + im[i] + "j vs " + expected[0][i] + "+" + expected[1][i] + "j");
        }
    }

    /** The einsum by its definition, in complex double arithmetic: {re[], im[]} of the output, row-major. */
    private static double[][] naive(List<Operand> ops, int[] output, long[] sizes) {
        int legCount = sizes.length;
        int outSize = 1;
        for (int l : output) outSize *= sizes[l];
        double[] re = new double[outSize], im = new double[outSize];
        int[] value = new int[legCount];
        long[] range = sizes.clone(); // a leg on no operand is not summed over (it is not in the network)
        for (int l = 0; l < legCount; l++) {
            boolean on = false;
            for (Operand o : ops) for (int x : o.legs()) on |= x == l;
            if (!on) range[l] = 1;
        }
        while (true) {
            double pr = 1, pi = 0;
            for (Operand o : ops) {
                int at = 0;
                for (int l : o.legs()) at = at * (int) sizes[l] + value[l];
                double a = o.re()[at], b = o.im() == null ? 0 : o.im()[at];
                double t = pr * a - pi * b;
                pi = pr * b + pi * a;
                pr = t;
            }
            int at = 0;
            for (int l : output) at = at * (int) sizes[l] + value[l];
            re[at] += pr;
            im[at] += pi;
            int l = legCount - 1;
            while (l >= 0 && ++value[l] == range[l]) value[l--] = 0;
            if (l < 0) break;
        }
        return new double[][] {re, im};
    }

    /** Promotion: real with complex gives complex of the wider precision. */
    @Test
    void promotionFollowsNumpy() {
        assertEquals(DType.COMPLEX128, DType.promote(DType.FLOAT64, DType.COMPLEX64));
        assertEquals(DType.COMPLEX64, DType.promote(DType.FLOAT32, DType.COMPLEX64));
        assertEquals(DType.COMPLEX128, DType.promote(DType.COMPLEX128, DType.FLOAT32));
        assertEquals(DType.FLOAT64, DType.promote(DType.FLOAT32, DType.FLOAT64));
    }

    /** Reading a complex array as real numbers is a bug, never a silent loss of the imaginary part. */
    @Test
    void aComplexArrayIsNeverReadAsReal() {
        Dense z = B.fromParts(new double[] {1, 2}, new double[] {3, 4}, new long[] {2}, DType.COMPLEX128);
        assertThrows(IllegalArgumentException.class, () -> B.toDoubles(z));
        assertThrows(IllegalArgumentException.class, () -> B.cast(z, DType.FLOAT64));
        assertThrows(IllegalArgumentException.class, () -> B.softmax(z, new int[] {0}));
    }
}
