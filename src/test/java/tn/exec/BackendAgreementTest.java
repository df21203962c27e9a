package tn.exec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tn.exec.nd4j.Nd4jBackend;
import tn.plan.Network;
import tn.plan.Plan;
import tn.reference.ReferenceBackend;

/**
 * The ND4J backend against the naive plain-Java reference, operation by operation: contractions
 * of random networks along random valid paths (every path must give the same numbers), and every
 * other operation on random data of ranks 0-4. float64, 1e-10 relative.
 */
class BackendAgreementTest {
    private final Backend nd4j = new Nd4jBackend();
    private final Backend nd4jOnly = new Nd4jBackend(false);
    private final Backend reference = new ReferenceBackend();

    private static void assertClose(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 1e-300;
        for (double v : expected) if (Double.isFinite(v)) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < expected.length; i++) {
            if (Double.isNaN(expected[i])) {
                assertEquals(Double.NaN, actual[i], what + " entry " + i);
                continue;
            }
            assertEquals(expected[i], actual[i], 1e-10 * scale, what + " entry " + i);
        }
    }

    private static double[] data(Random rnd, long[] shape) {
        int n = 1;
        for (long s : shape) n *= (int) s;
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = rnd.nextGaussian();
        return d;
    }

    /** A random network: 2-6 inputs, legs of sizes 1-4 (repeats, hyperedges, batch legs, outer products). */
    static Network randomNetwork(Random rnd) {
        int legs = 1 + rnd.nextInt(6);
        long[] sizes = new long[legs];
        for (int l = 0; l < legs; l++) sizes[l] = 1 + rnd.nextInt(4);
        int inputs = 2 + rnd.nextInt(5);
        List<int[]> in = new ArrayList<>();
        boolean[] used = new boolean[legs];
        for (int k = 0; k < inputs; k++) {
            int rank = rnd.nextInt(4);
            int[] t = new int[rank];
            for (int r = 0; r < rank; r++) {
                t[r] = rnd.nextInt(legs);
                used[t[r]] = true;
            }
            in.add(t);
        }
        List<Integer> out = new ArrayList<>();
        for (int l = 0; l < legs; l++) if (used[l] && rnd.nextInt(3) == 0) out.add(l);
        java.util.Collections.shuffle(out, rnd);
        return Network.of(in, out.stream().mapToInt(Integer::intValue).toArray(), sizes);
    }

    /** A random complete path in numpy/opt_einsum format: any two operands at each step. */
    static List<int[]> randomPath(Network n, Random rnd) {
        List<int[]> path = new ArrayList<>();
        for (int remaining = n.inputCount(); remaining > 1; remaining--) {
            int a = rnd.nextInt(remaining), b = rnd.nextInt(remaining - 1);
            if (b >= a) b++;
            path.add(new int[] {Math.min(a, b), Math.max(a, b)});
        }
        return path;
    }

    @Test
    void contractionsAlongRandomPathsAgree() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 500; trial++) {
            Network n = randomNetwork(rnd);
            List<int[]> path = randomPath(n, rnd);
            Plan plan = Plan.fromPath(n, path, "random", 0);
            List<Dense> fast = new ArrayList<>(), slow = new ArrayList<>();
            for (int[] legs : n.inputs()) {
                long[] shape = Arrays.stream(legs).mapToLong(l -> n.sizes()[l]).toArray();
                double[] d = data(rnd, shape);
                fast.add(nd4j.fromDoubles(d, shape, DType.FLOAT64));
                slow.add(reference.fromDoubles(d, shape, DType.FLOAT64));
            }
            List<double[]> before = fast.stream().map(nd4j::toDoubles).toList();
            String what = "trial " + trial + " " + n.equation() + " sizes " + Arrays.toString(n.sizes()) + " path "
                    + path.stream().map(Arrays::toString).toList();
            Dense expected = reference.contract(plan, slow);
            for (Backend b : List.of(nd4j, nd4jOnly)) { // native buffers with BLAS, and ND4J operations
                Dense r = b.contract(plan, fast);
                assertArrayEquals(expected.shape(), r.shape(), what);
                assertClose(reference.toDoubles(expected), b.toDoubles(r), what);
            }
            for (int k = 0; k < fast.size(); k++) assertArrayEquals(before.get(k), nd4j.toDoubles(fast.get(k)), "input mutated");
        }
    }

    /**
     * Steps large enough for BLAS, in float64 and float32, along random paths: operands used in
     * place through the transpose flags, batched products, gathers, diagonals and private legs.
     */
    @Test
    void blasStepsAgreeInBothTypes() {
        Random rnd = new Random(3);
        int blasSteps = 0, batched = 0, tested = 0;
        for (int trial = 0; trial < 300; trial++) {
            int legs = 3 + rnd.nextInt(4);
            long[] sizes = new long[legs];
            for (int l = 0; l < legs; l++) sizes[l] = 4 + rnd.nextInt(9);
            List<int[]> in = new ArrayList<>();
            boolean[] used = new boolean[legs];
            for (int k = 3 + rnd.nextInt(2); k > 0; k--) {
                int[] t = new int[3 + rnd.nextInt(2)];
                for (int r = 0; r < t.length; r++) used[t[r] = rnd.nextInt(legs)] = true;
                in.add(t);
            }
            List<Integer> outs = new ArrayList<>();
            for (int l = 0; l < legs; l++) if (used[l] && rnd.nextInt(3) == 0) outs.add(l);
            java.util.Collections.shuffle(outs, rnd);
            Network n = Network.of(in, outs.stream().mapToInt(Integer::intValue).toArray(), sizes);
            double dense = 1;
            for (int l = 0; l < legs; l++) if (used[l]) dense *= sizes[l];
            if (dense * n.inputCount() > 3e7) continue;
            tested++;
            List<int[]> path = randomPath(n, rnd);
            Plan plan = Plan.fromPath(n, path, "random", 0);
            for (Plan.Step s : plan.steps()) if (s.cost() >= 4096) blasSteps++;
            for (Plan.Step s : plan.steps()) if (s.cost() >= 4096 && s.batch().length > 0) batched++;
            for (DType type : new DType[] {DType.FLOAT32, DType.FLOAT64}) { // the ND4J backend's own (real) types
                List<Dense> fast = new ArrayList<>(), slow = new ArrayList<>(), magnitudes = new ArrayList<>();
                for (int[] t : n.inputs()) {
                    long[] dims = Arrays.stream(t).mapToLong(l -> n.sizes()[l]).toArray();
                    double[] d = data(rnd, dims);
                    if (type == DType.FLOAT32) for (int i = 0; i < d.length; i++) d[i] = (float) d[i];
                    fast.add(nd4j.fromDoubles(d, dims, type));
                    slow.add(reference.fromDoubles(d, dims, DType.FLOAT64));
                    magnitudes.add(reference.fromDoubles(Arrays.stream(d).map(Math::abs).toArray(), dims, DType.FLOAT64));
                }
                double[] expected = reference.toDoubles(reference.contract(plan, slow));
                double[] bound = reference.toDoubles(reference.contract(plan, magnitudes));
                String what = type + " trial " + trial + " " + n.equation() + " sizes " + Arrays.toString(sizes);
                for (Backend b : List.of(nd4j, nd4jOnly)) {
                    Dense r = b.contract(plan, fast);
                    assertEquals(type, r.dtype(), what);
                    double[] got = b.toDoubles(r);
                    if (type == DType.FLOAT64) {
                        assertClose(expected, got, what);
                    } else {
                        // float32: the usual bound, a small multiple of eps times the sum of |terms|.
                        for (int i = 0; i < got.length; i++) assertEquals(expected[i], got[i], 1e-5 * bound[i] + 1e-30, what + " entry " + i);
                    }
                }
            }
        }
        assertTrue(blasSteps > 50 && batched > 10, blasSteps + " steps large enough for BLAS, " + batched + " batched, " + tested + " networks");
    }

    /** Mid-sized legs: small plans whose steps go through BLAS on native buffers, with batches. */
    @Test
    void midSizedStepsThroughBlasAgree() {
        Random rnd = new Random(17);
        for (int trial = 0; trial < 30; trial++) {
            int legs = 3 + rnd.nextInt(3);
            long[] sizes = new long[legs];
            for (int l = 0; l < legs; l++) sizes[l] = 12 + rnd.nextInt(14);
            // a chain over legs 0..legs-1, with leg 0 also kept as a batch leg half the time
            List<int[]> in = new ArrayList<>();
            boolean batch = rnd.nextBoolean() && legs > 3;
            for (int k = 1; k + 1 < legs; k++) in.add(batch ? new int[] {0, k, k + 1} : new int[] {k, k + 1});
            if (!batch) in.add(new int[] {0, 1});
            int[] out = batch ? new int[] {0, 1, legs - 1} : new int[] {0, legs - 1};
            Network n = Network.of(in, out, sizes);
            Plan plan = new tn.plan.Planner().plan(n, "greedy", Double.POSITIVE_INFINITY);
            List<Dense> fast = new ArrayList<>(), slow = new ArrayList<>();
            for (int[] l : n.inputs()) {
                long[] shape = Arrays.stream(l).mapToLong(x -> n.sizes()[x]).toArray();
                double[] d = data(rnd, shape);
                fast.add(nd4j.fromDoubles(d, shape, DType.FLOAT64));
                slow.add(reference.fromDoubles(d, shape, DType.FLOAT64));
            }
            assertClose(reference.toDoubles(reference.contract(plan, slow)), nd4j.toDoubles(nd4j.contract(plan, fast)), n.equation());
            // a second run on the same inputs (they are read in place, never written)
            assertClose(reference.toDoubles(reference.contract(plan, slow)), nd4j.toDoubles(nd4j.contract(plan, fast)), n.equation());
        }
    }

    @Test
    void mixedPrecisionIsPromoted() {
        Network n = Network.of(List.of(new int[] {0, 1}, new int[] {1}), new int[] {0}, new long[] {2, 3});
        Plan plan = Plan.fromPath(n, List.of(new int[] {0, 1}), "x", 0);
        Dense a = nd4j.fromDoubles(new double[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3}, DType.FLOAT32);
        Dense v = nd4j.fromDoubles(new double[] {1, 1, 1}, new long[] {3}, DType.FLOAT64);
        Dense r = nd4j.contract(plan, List.of(a, v));
        assertEquals(DType.FLOAT64, r.dtype());
        assertArrayEquals(new double[] {6, 15}, nd4j.toDoubles(r), 0);
    }

    @Test
    void everyOtherOperationAgrees() {
        Random rnd = new Random(11);
        for (int trial = 0; trial < 200; trial++) {
            int rank = rnd.nextInt(5);
            long[] shape = new long[rank];
            for (int k = 0; k < rank; k++) shape[k] = 1 + rnd.nextInt(4);
            double[] d = data(rnd, shape);
            Dense x = nd4j.fromDoubles(d, shape, DType.FLOAT64), y = reference.fromDoubles(d, shape, DType.FLOAT64);
            String what = "trial " + trial + " shape " + Arrays.toString(shape);
            assertClose(d, nd4j.toDoubles(x), what + " round trip");
            for (Backend.Elementwise f : Backend.Elementwise.values()) {
                double p = f == Backend.Elementwise.POW ? 2 : 0;
                assertClose(reference.toDoubles(reference.map(y, f, p)), nd4j.toDoubles(nd4j.map(x, f, p)), what + " " + f);
            }
            int[] perm = permutation(rnd, rank);
            assertClose(reference.toDoubles(reference.permute(y, perm)), nd4j.toDoubles(nd4j.permute(x, perm)), what + " permute");
            int[] axes = subset(rnd, rank);
            if (axes.length > 0) {
                assertClose(reference.toDoubles(reference.softmax(y, axes)), nd4j.toDoubles(nd4j.softmax(x, axes)), what + " softmax " + Arrays.toString(axes));
                assertClose(reference.toDoubles(reference.layerNorm(y, axes, 1e-5)), nd4j.toDoubles(nd4j.layerNorm(x, axes, 1e-5)), what + " layernorm");
            }
            for (Backend.Reduction op : Backend.Reduction.values()) {
                Dense r = nd4j.reduce(x, axes, op);
                assertArrayEquals(reference.reduce(y, axes, op).shape(), r.shape(), what + " " + op + " shape");
                assertClose(reference.toDoubles(reference.reduce(y, axes, op)), nd4j.toDoubles(r), what + " " + op + " " + Arrays.toString(axes));
            }
            if (rank > 0) {
                int axis = rnd.nextInt(rank), copies = 1 + rnd.nextInt(2);
                Dense e = nd4j.expandDiagonal(x, axis, copies);
                assertArrayEquals(reference.expandDiagonal(y, axis, copies).shape(), e.shape(), what + " expandDiagonal shape");
                assertClose(reference.toDoubles(reference.expandDiagonal(y, axis, copies)), nd4j.toDoubles(e), what + " expandDiagonal");
                long[] flat = {reference.toDoubles(y).length};
                assertClose(d, nd4j.toDoubles(nd4j.reshape(x, flat)), what + " reshape");
            }
            Dense z = nd4j.fromDoubles(data(rnd, shape), shape, DType.FLOAT32);
            Dense zr = reference.fromDoubles(nd4j.toDoubles(z), shape, DType.FLOAT32);
            Dense lc = nd4j.linearCombination(List.of(x, z), new double[] {2, -0.5});
            assertEquals(DType.FLOAT64, lc.dtype());
            assertClose(reference.toDoubles(reference.linearCombination(List.of(y, zr), new double[] {2, -0.5})), nd4j.toDoubles(lc), what + " linear combination");
            assertClose(d, nd4j.toDoubles(x), what + " input unchanged");
        }
    }

    @Test
    void handComputedValues() {
        Dense v = nd4j.fromDoubles(new double[] {0, Math.log(2)}, new long[] {2}, DType.FLOAT64);
        assertArrayEquals(new double[] {1.0 / 3, 2.0 / 3}, nd4j.toDoubles(nd4j.softmax(v, new int[] {0})), 1e-15);
        Dense one = nd4j.fromDoubles(new double[] {1}, new long[0], DType.FLOAT64);
        assertEquals(0.8411919906082768, nd4j.toDoubles(nd4j.map(one, Backend.Elementwise.GELU, 0))[0], 1e-15);
        Dense w = nd4j.fromDoubles(new double[] {1, 2}, new long[] {2}, DType.FLOAT64);
        assertArrayEquals(new double[] {1, 0, 0, 2}, nd4j.toDoubles(nd4j.expandDiagonal(w, 0, 1)), 0);
    }

    private static int[] permutation(Random rnd, int n) {
        List<Integer> p = new ArrayList<>();
        for (int i = 0; i < n; i++) p.add(i);
        java.util.Collections.shuffle(p, rnd);
        return p.stream().mapToInt(Integer::intValue).toArray();
    }

    private static int[] subset(Random rnd, int n) {
        List<Integer> s = new ArrayList<>();
        for (int i = 0; i < n; i++) if (rnd.nextBoolean()) s.add(i);
        return s.stream().mapToInt(Integer::intValue).toArray();
    }
}
