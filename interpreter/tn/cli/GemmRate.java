package tn.cli;

import java.util.List;
import tn.exec.Backend;
import tn.exec.DType;
import tn.exec.Dense;
import tn.plan.Network;
import tn.plan.Plan;

/**
 * Measures the multiply-adds a second of a matrix product on this machine's backend (ND4J, all
 * the cores this process may use): the rate `tn plan --slices` assumes for one executor. Best of
 * a few 1024 x 1024 products after one warm-up, about a second in all.
 */
public final class GemmRate {
    private GemmRate() {}

    public static final int N = 1024;

    public static double measure(Backend backend, DType dtype) {
        java.util.Random r = new java.util.Random(1);
        double[] a = new double[N * N], b = new double[N * N];
        for (int i = 0; i < a.length; i++) { a[i] = r.nextGaussian(); b[i] = r.nextGaussian(); }
        long[] shape = {N, N};
        Dense x = backend.fromDoubles(a, shape, dtype), y = backend.fromDoubles(b, shape, dtype);
        Network n = Network.of(List.of(new int[] {0, 1}, new int[] {1, 2}), new int[] {0, 2}, new long[] {N, N, N});
        Plan plan = Plan.fromPath(n, List.of(new int[] {0, 1}), "gemm", 0);
        backend.contract(plan, List.of(x, y));
        double best = Double.POSITIVE_INFINITY;
        for (int k = 0; k < 4; k++) {
            long t = System.nanoTime();
            backend.contract(plan, List.of(x, y));
            best = Math.min(best, (System.nanoTime() - t) / 1e9);
        }
        return (double) N * N * N / best;
    }
}
