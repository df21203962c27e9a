package tn.spark;

import java.io.Serializable;

/** A sum of slice results (float64 numbers in the output's row-major order), as tasks return it. */
final class Partial implements Serializable {
    private static final long serialVersionUID = 1L;

    final double[] values;
    final long[] shape;

    Partial(double[] values, long[] shape) {
        this.values = values;
        this.shape = shape;
    }

    /** The sum of two partial sums (a new one: Spark may reuse its inputs). */
    static Partial plus(Partial a, Partial b) {
        double[] v = a.values.clone();
        for (int i = 0; i < v.length; i++) v[i] += b.values[i];
        return new Partial(v, a.shape);
    }
}
