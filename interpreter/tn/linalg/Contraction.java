package tn.linalg;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tn.diag.Span;
import tn.exec.DType;
import tn.net.Evaluator;
import tn.net.Net;
import tn.net.Tensor;

/**
 * The contractions inside the decomposition algorithms (CP's MTTKRP, Tucker's projections, a
 * tensor train's sweeps), written as networks so that they are planned and run on the backend
 * like any contraction in a script: legs with equal names are summed unless kept in the output.
 */
public final class Contraction {
    private final Evaluator evaluator;
    private final Span span;

    public Contraction(Evaluator evaluator, Span span) {
        this.evaluator = evaluator;
        this.span = span;
    }

    public Evaluator evaluator() { return evaluator; }

    /** The product of the tensors, keeping {@code output} (in that order). */
    public Tensor contract(List<Tensor> factors, List<String> output) {
        Map<String, Long> sizes = new LinkedHashMap<>();
        DType dtype = factors.get(0).dtype();
        List<Net> nets = new ArrayList<>();
        for (Tensor t : factors) {
            for (int k = 0; k < t.rank(); k++) sizes.put(t.legs().get(k), t.shape()[k]);
            dtype = DType.promote(dtype, t.dtype());
            nets.add(new Net.Leaf(t, "operand", span));
        }
        long[] outSizes = new long[output.size()];
        for (int k = 0; k < outSizes.length; k++) outSizes[k] = sizes.get(output.get(k));
        return evaluator.evaluate(new Net.Product(nets, output, outSizes, dtype, 1.0, span));
    }

    /** A tensor from row-major doubles. */
    public Tensor tensor(List<String> legs, long[] shape, double[] data, DType dtype) {
        return Tensor.of(legs, evaluator.backend().fromDoubles(data, shape, dtype));
    }

    /** A matrix [rows leg, cols leg] as a tensor. */
    public Tensor tensor(Matrix m, String rowLeg, String colLeg, DType dtype) {
        return tensor(List.of(rowLeg, colLeg), new long[] {m.rows(), m.cols()}, m.data(), dtype);
    }

    /** The tensor's entries with its legs in the given order, row-major. */
    public double[] data(Tensor t, List<String> order) {
        int[] perm = new int[order.size()];
        boolean identity = true;
        for (int k = 0; k < perm.length; k++) {
            perm[k] = t.legs().indexOf(order.get(k));
            if (perm[k] < 0) throw new IllegalArgumentException("no leg " + order.get(k) + " in " + t.legs());
            identity &= perm[k] == k;
        }
        return evaluator.backend().toDoubles(identity ? t.data() : evaluator.backend().permute(t.data(), perm));
    }

    /** The tensor as a matrix with the {@code rows} legs first (row-major) and the rest as columns. */
    public Matrix unfold(Tensor t, List<String> rows) {
        List<String> order = new ArrayList<>(rows);
        for (String leg : t.legs()) if (!rows.contains(leg)) order.add(leg);
        long r = 1;
        for (String leg : rows) r *= t.shape()[t.legs().indexOf(leg)];
        return new Matrix((int) r, (int) (t.size() / r), data(t, order));
    }

    /** ||a - b|| for tensors with the same legs in the same order. */
    public double distance(Tensor a, Tensor b) {
        double[] x = evaluator.backend().toDoubles(a.data()), y = evaluator.backend().toDoubles(b.data());
        for (int i = 0; i < x.length; i++) x[i] -= y[i];
        return Vectors.norm(x);
    }

    /** The Frobenius norm. */
    public double norm(Tensor t) {
        return Vectors.norm(evaluator.backend().toDoubles(t.data()));
    }
}
