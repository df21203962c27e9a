package tn.reference;

import java.util.Arrays;
import java.util.List;
import tn.exec.Backend;
import tn.exec.DType;
import tn.exec.Dense;
import tn.plan.Network;
import tn.plan.Plan;

/**
 * A deliberately naive, plain-Java {@link Backend} for tests: every array is a double[] and
 * {@link #contract} ignores the plan and runs one big loop over every combination of leg values
 * (the definition of einsum). float32 results are rounded to float after each operation.
 * Slow, obviously correct, and sharing no code with the real backend or the planner.
 */
public final class ReferenceBackend implements Backend {

    /** A row-major array. */
    public record Array(double[] data, long[] shape, DType dtype) implements Dense {}

    private static Array arr(Dense d) { return (Array) d; }

    private static Array make(double[] data, long[] shape, DType dtype) {
        if (dtype == DType.FLOAT32) for (int i = 0; i < data.length; i++) data[i] = (float) data[i];
        return new Array(data, shape.clone(), dtype);
    }

    static int size(long[] shape) {
        long n = 1;
        for (long s : shape) n *= s;
        return (int) n;
    }

    static int[] strides(long[] shape) {
        int[] st = new int[shape.length];
        int s = 1;
        for (int k = shape.length - 1; k >= 0; k--) { st[k] = s; s *= shape[k]; }
        return st;
    }

    @Override public Dense fromDoubles(double[] data, long[] shape, DType dtype) {
        if (data.length != size(shape)) throw new IllegalArgumentException("data length " + data.length + " vs shape " + Arrays.toString(shape));
        return make(data.clone(), shape, dtype);
    }

    @Override public double[] toDoubles(Dense x) { return arr(x).data().clone(); }

    @Override public Dense cast(Dense x, DType dtype) { return make(arr(x).data().clone(), x.shape(), dtype); }

    @Override public Dense full(long[] shape, double value, DType dtype) {
        double[] d = new double[size(shape)];
        Arrays.fill(d, value);
        return make(d, shape, dtype);
    }

    @Override public Dense contract(Plan plan, List<Dense> operands) {
        Network n = plan.network();
        long[] sizes = n.sizes();
        int legs = sizes.length;
        DType dtype = operands.get(0).dtype();
        for (Dense d : operands) dtype = DType.promote(dtype, d.dtype());
        long[] outShape = new long[n.output().length];
        for (int k = 0; k < outShape.length; k++) outShape[k] = sizes[n.output()[k]];
        double[] out = new double[size(outShape)];
        int[] outStrides = strides(outShape);
        int[] value = new int[legs];
        // Only legs that some input carries are summed over (a network may number others).
        boolean[] present = new boolean[legs];
        for (int[] in : n.inputs()) for (int l : in) present[l] = true;
        long total = 1;
        for (int l = 0; l < legs; l++) if (present[l]) total *= sizes[l];
        for (long step = 0; step < total; step++) {
            double prod = 1;
            for (int t = 0; t < operands.size() && prod != 0; t++) {
                Array a = arr(operands.get(t));
                int[] in = n.inputs().get(t);
                int[] st = strides(a.shape());
                int off = 0;
                for (int k = 0; k < in.length; k++) off += value[in[k]] * st[k];
                prod *= a.data()[off];
            }
            int o = 0;
            for (int k = 0; k < outStrides.length; k++) o += value[n.output()[k]] * outStrides[k];
            out[o] += prod;
            for (int l = legs - 1; l >= 0; l--) { // odometer over the present legs' values
                if (!present[l]) continue;
                if (++value[l] < sizes[l]) break;
                value[l] = 0;
            }
        }
        return make(out, outShape, dtype);
    }

    @Override public Dense take(Dense x, int axis, long index) {
        Array a = arr(x);
        long[] shape = a.shape().clone();
        shape[axis] = 1;
        int[] st = strides(a.shape());
        double[] out = new double[size(shape)];
        int[] idx = new int[shape.length];
        for (int i = 0; i < out.length; i++) {
            int off = 0;
            for (int k = 0; k < idx.length; k++) off += (k == axis ? (int) index : idx[k]) * st[k];
            out[i] = a.data()[off];
            for (int k = shape.length - 1; k >= 0; k--) {
                if (++idx[k] < shape[k]) break;
                idx[k] = 0;
            }
        }
        return new Array(out, shape, a.dtype());
    }

    @Override public Dense permute(Dense x, int[] perm) {
        Array a = arr(x);
        long[] shape = new long[perm.length];
        for (int k = 0; k < perm.length; k++) shape[k] = a.shape()[perm[k]];
        double[] out = new double[a.data().length];
        int[] inSt = strides(a.shape());
        int[] idx = new int[perm.length];
        for (int i = 0; i < out.length; i++) {
            int off = 0;
            for (int k = 0; k < perm.length; k++) off += idx[k] * inSt[perm[k]];
            out[i] = a.data()[off];
            for (int k = perm.length - 1; k >= 0; k--) {
                if (++idx[k] < shape[k]) break;
                idx[k] = 0;
            }
        }
        return new Array(out, shape, a.dtype());
    }

    @Override public Dense reshape(Dense x, long[] shape) {
        if (size(shape) != size(x.shape())) throw new IllegalArgumentException("reshape size");
        return new Array(arr(x).data().clone(), shape.clone(), x.dtype());
    }

    @Override public Dense expandDiagonal(Dense x, int axis, int copies) {
        Array a = arr(x);
        long[] shape = new long[a.shape().length + copies];
        for (int k = 0, j = 0; k < a.shape().length; k++) {
            shape[j++] = a.shape()[k];
            if (k == axis) for (int c = 0; c < copies; c++) shape[j++] = a.shape()[k];
        }
        double[] out = new double[size(shape)];
        int[] inSt = strides(a.shape());
        int[] idx = new int[shape.length];
        for (int i = 0; i < out.length; i++) {
            boolean diagonal = true;
            for (int c = 1; c <= copies; c++) diagonal &= idx[axis + c] == idx[axis];
            if (diagonal) {
                int off = 0;
                for (int k = 0, j = 0; k < a.shape().length; k++) {
                    off += idx[j] * inSt[k];
                    j += k == axis ? copies + 1 : 1;
                }
                out[i] = a.data()[off];
            }
            for (int k = shape.length - 1; k >= 0; k--) {
                if (++idx[k] < shape[k]) break;
                idx[k] = 0;
            }
        }
        return new Array(out, shape, a.dtype());
    }

    @Override public Dense linearCombination(List<Dense> terms, double[] coefficients) {
        DType dtype = terms.get(0).dtype();
        for (Dense t : terms) dtype = DType.promote(dtype, t.dtype());
        double[] out = new double[size(terms.get(0).shape())];
        for (int t = 0; t < terms.size(); t++) {
            double[] d = arr(terms.get(t)).data();
            for (int i = 0; i < out.length; i++) out[i] += coefficients[t] * d[i];
        }
        return make(out, terms.get(0).shape(), dtype);
    }

    @Override public Dense map(Dense x, Elementwise fn, double p) {
        double[] d = arr(x).data().clone();
        for (int i = 0; i < d.length; i++) {
            double v = d[i];
            d[i] = switch (fn) {
                case RELU -> Math.max(v, 0);
                case GELU -> 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v * v * v)));
                case TANH -> Math.tanh(v);
                case SIGMOID -> 1 / (1 + Math.exp(-v));
                case EXP -> Math.exp(v);
                case LOG -> Math.log(v);
                case SQRT -> Math.sqrt(v);
                case ABS -> Math.abs(v);
                case POW -> Math.pow(v, p);
                case NEG -> -v;
                // The derivatives, in the textbook forms (not Pointwise's): d/dv of the lines above.
                case STEP -> v > 0 ? 1 : 0;
                case SIGN -> Math.signum(v);
                case GELU_GRAD -> {
                    double c = Math.sqrt(2 / Math.PI), t = Math.tanh(c * (v + 0.044715 * v * v * v));
                    yield 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * c * (1 + 3 * 0.044715 * v * v);
                }
                case TANH_GRAD -> 1 - Math.tanh(v) * Math.tanh(v);
                case SIGMOID_GRAD -> (1 / (1 + Math.exp(-v))) * (1 - 1 / (1 + Math.exp(-v)));
            };
        }
        return make(d, x.shape(), x.dtype());
    }

    /** Calls back for each group of entries that a reduction over {@code axes} combines. */
    private interface Group { double apply(double[] values); }

    private Array overAxes(Array a, int[] axes, boolean keep, Group g, boolean elementwiseResult) {
        boolean[] reduced = new boolean[a.shape().length];
        for (int ax : axes) reduced[ax] = true;
        int groupSize = 1;
        for (int ax : axes) groupSize *= a.shape()[ax];
        long[] kept = java.util.stream.IntStream.range(0, a.shape().length).filter(k -> !reduced[k]).mapToLong(k -> a.shape()[k]).toArray();
        int[] st = strides(a.shape());
        int groups = size(kept);
        double[] out = elementwiseResult ? new double[a.data().length] : new double[groups];
        int[] keptIdx = new int[kept.length];
        for (int gi = 0; gi < groups; gi++) {
            int base = 0;
            for (int k = 0, j = 0; k < reduced.length; k++) if (!reduced[k]) base += keptIdx[j++] * st[k];
            int[] offs = new int[groupSize];
            int[] rIdx = new int[axes.length];
            for (int r = 0; r < groupSize; r++) {
                int off = base;
                for (int q = 0; q < axes.length; q++) off += rIdx[q] * st[axes[q]];
                offs[r] = off;
                for (int q = axes.length - 1; q >= 0; q--) {
                    if (++rIdx[q] < a.shape()[axes[q]]) break;
                    rIdx[q] = 0;
                }
            }
            double[] vals = new double[groupSize];
            for (int r = 0; r < groupSize; r++) vals[r] = a.data()[offs[r]];
            if (elementwiseResult) {
                double[] res = new double[groupSize];
                g.apply(vals);
                System.arraycopy(vals, 0, res, 0, groupSize);
                for (int r = 0; r < groupSize; r++) out[offs[r]] = res[r];
            } else {
                out[gi] = g.apply(vals);
            }
            for (int k = kept.length - 1; k >= 0; k--) {
                if (++keptIdx[k] < kept[k]) break;
                keptIdx[k] = 0;
            }
        }
        return make(out, elementwiseResult ? a.shape() : kept, a.dtype());
    }

    @Override public Dense reduce(Dense x, int[] axes, Reduction op) {
        return overAxes(arr(x), axes, false, v -> switch (op) {
            case SUM -> Arrays.stream(v).sum();
            case MEAN -> Arrays.stream(v).sum() / v.length;
            case MAX -> Arrays.stream(v).max().orElse(Double.NaN);
            case MIN -> Arrays.stream(v).min().orElse(Double.NaN);
            case NORM -> Math.sqrt(Arrays.stream(v).map(t -> t * t).sum());
        }, false);
    }

    @Override public Dense softmax(Dense x, int[] axes) {
        return overAxes(arr(x), axes, true, v -> {
            double max = Arrays.stream(v).max().orElse(0), sum = 0;
            for (int i = 0; i < v.length; i++) sum += (v[i] = Math.exp(v[i] - max));
            for (int i = 0; i < v.length; i++) v[i] /= sum;
            return 0;
        }, true);
    }

    @Override public Dense layerNorm(Dense x, int[] axes, double eps) {
        return overAxes(arr(x), axes, true, v -> {
            double mean = Arrays.stream(v).average().orElse(0), var = 0;
            for (double t : v) var += (t - mean) * (t - mean);
            var /= v.length;
            for (int i = 0; i < v.length; i++) v[i] = (v[i] - mean) / Math.sqrt(var + eps);
            return 0;
        }, true);
    }

    // ---- matrix factorisations: textbook algorithms (Jacobi rotations, Householder) --------------

    @Override public Dense[] svd(Dense matrix) {
        long[] sh = matrix.shape();
        int m = (int) sh[0], n = (int) sh[1];
        boolean wide = m < n;
        int rows = wide ? n : m, cols = wide ? m : n;
        double[][] a = new double[cols][rows]; // columns of the tall matrix
        double[] d = arr(matrix).data();
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
            if (wide) a[i][j] = d[i * n + j]; else a[j][i] = d[i * n + j];
        }
        double[][] v = identity(cols);
        // One-sided Jacobi (Hestenes): rotate column pairs until all are orthogonal.
        for (int sweep = 0; sweep < 100; sweep++) {
            boolean rotated = false;
            for (int p = 0; p < cols; p++) for (int q = p + 1; q < cols; q++) {
                double alpha = dot(a[p], a[p]), beta = dot(a[q], a[q]), gamma = dot(a[p], a[q]);
                if (Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta) || gamma == 0) continue;
                rotated = true;
                double zeta = (beta - alpha) / (2 * gamma);
                double t = Math.signum(zeta == 0 ? 1 : zeta) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
                double c = 1 / Math.sqrt(1 + t * t), s = c * t;
                rotate(a[p], a[q], c, s);
                rotate(v[p], v[q], c, s);
            }
            if (!rotated) break;
        }
        Integer[] order = new Integer[cols];
        double[] norms = new double[cols];
        for (int j = 0; j < cols; j++) { order[j] = j; norms[j] = Math.sqrt(dot(a[j], a[j])); }
        Arrays.sort(order, (x, y) -> Double.compare(norms[y], norms[x]));
        double[][] u = new double[cols][];
        double[] sv = new double[cols];
        double[][] vv = new double[cols][];
        for (int k = 0; k < cols; k++) {
            int j = order[k];
            sv[k] = norms[j];
            vv[k] = v[j];
            u[k] = new double[rows];
            if (norms[j] > 1e-300) for (int i = 0; i < rows; i++) u[k][i] = a[j][i] / norms[j];
        }
        completeOrthonormal(u, sv);
        double[][] left = wide ? vv : u, right = wide ? u : vv;
        return new Dense[] {columns(left, m), make(sv, new long[] {cols}, DType.FLOAT64), columns(right, n)};
    }

    @Override public Dense[] qr(Dense matrix) {
        long[] sh = matrix.shape();
        int m = (int) sh[0], n = (int) sh[1], k = Math.min(m, n);
        double[][] r = new double[m][n];
        double[] d = arr(matrix).data();
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) r[i][j] = d[i * n + j];
        double[][] q = new double[m][m];
        for (int i = 0; i < m; i++) q[i][i] = 1;
        for (int c = 0; c < k; c++) {
            // Householder reflection zeroing r[c+1.., c].
            double norm = 0;
            for (int i = c; i < m; i++) norm += r[i][c] * r[i][c];
            norm = Math.sqrt(norm);
            if (norm == 0) continue;
            double[] w = new double[m];
            double alpha = r[c][c] > 0 ? -norm : norm;
            for (int i = c; i < m; i++) w[i] = r[i][c];
            w[c] -= alpha;
            double ww = 0;
            for (int i = c; i < m; i++) ww += w[i] * w[i];
            if (ww == 0) continue;
            for (int j = 0; j < n; j++) {
                double f = 0;
                for (int i = c; i < m; i++) f += w[i] * r[i][j];
                f = 2 * f / ww;
                for (int i = c; i < m; i++) r[i][j] -= f * w[i];
            }
            for (int i = 0; i < m; i++) { // Q = Q H
                double f = 0;
                for (int l = c; l < m; l++) f += q[i][l] * w[l];
                f = 2 * f / ww;
                for (int l = c; l < m; l++) q[i][l] -= f * w[l];
            }
        }
        double[] qd = new double[m * k], rd = new double[k * n];
        for (int i = 0; i < m; i++) for (int j = 0; j < k; j++) qd[i * k + j] = q[i][j];
        for (int i = 0; i < k; i++) for (int j = i; j < n; j++) rd[i * n + j] = r[i][j];
        return new Dense[] {make(qd, new long[] {m, k}, DType.FLOAT64), make(rd, new long[] {k, n}, DType.FLOAT64)};
    }

    @Override public Dense[] eigh(Dense matrix) {
        int n = (int) matrix.shape()[0];
        double[][] a = new double[n][n];
        double[] d = arr(matrix).data();
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) a[i][j] = d[i * n + j];
        double[][] v = identity(n); // v[k] is eigenvector k
        // Cyclic Jacobi: annihilate off-diagonal entries one rotation at a time.
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) for (int q = p + 1; q < n; q++) off += a[p][q] * a[p][q];
            if (off < 1e-30) break;
            for (int p = 0; p < n; p++) for (int q = p + 1; q < n; q++) {
                if (a[p][q] == 0) continue;
                double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                double t = Math.signum(theta == 0 ? 1 : theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                double c = 1 / Math.sqrt(t * t + 1), s = t * c;
                for (int k = 0; k < n; k++) { // A = A J
                    double x = a[k][p], y = a[k][q];
                    a[k][p] = c * x - s * y;
                    a[k][q] = s * x + c * y;
                }
                for (int k = 0; k < n; k++) { // A = J^T A
                    double x = a[p][k], y = a[q][k];
                    a[p][k] = c * x - s * y;
                    a[q][k] = s * x + c * y;
                }
                rotate(v[p], v[q], c, s);
            }
        }
        Integer[] order = new Integer[n];
        for (int k = 0; k < n; k++) order[k] = k;
        double[][] aa = a;
        Arrays.sort(order, (x, y) -> Double.compare(aa[x][x], aa[y][y]));
        double[] values = new double[n];
        double[][] vecs = new double[n][];
        for (int k = 0; k < n; k++) { values[k] = a[order[k]][order[k]]; vecs[k] = v[order[k]]; }
        return new Dense[] {make(values, new long[] {n}, DType.FLOAT64), columns(vecs, n)};
    }

    @Override public Dense[] eig(Dense matrix) {
        throw new UnsupportedOperationException("the reference backend has no general eigen-solver");
    }

    private static double[][] identity(int n) {
        double[][] e = new double[n][n];
        for (int i = 0; i < n; i++) e[i][i] = 1;
        return e;
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * y[i];
        return s;
    }

    /** (x, y) <- (c x - s y, s x + c y). */
    private static void rotate(double[] x, double[] y, double c, double s) {
        for (int i = 0; i < x.length; i++) {
            double a = x[i], b = y[i];
            x[i] = c * a - s * b;
            y[i] = s * a + c * b;
        }
    }

    /** Fills the vectors of zero singular values with unit vectors orthogonal to the rest. */
    private static void completeOrthonormal(double[][] u, double[] s) {
        int rows = u[0].length;
        int basis = 0;
        for (int k = 0; k < u.length; k++) {
            if (s[k] > 1e-300) continue;
            while (true) {
                double[] e = new double[rows];
                e[basis++] = 1;
                for (int j = 0; j < u.length; j++) {
                    if (j == k || (s[j] <= 1e-300 && j > k)) continue;
                    double f = dot(e, u[j]);
                    for (int i = 0; i < rows; i++) e[i] -= f * u[j][i];
                }
                double norm = Math.sqrt(dot(e, e));
                if (norm > 1e-8) {
                    for (int i = 0; i < rows; i++) e[i] /= norm;
                    u[k] = e;
                    break;
                }
            }
        }
    }

    /** An [rows, vectors.length] matrix whose column k is vectors[k]. */
    private static Array columns(double[][] vectors, int rows) {
        int k = vectors.length;
        double[] d = new double[rows * k];
        for (int j = 0; j < k; j++) for (int i = 0; i < rows; i++) d[i * k + j] = vectors[j][i];
        return make(d, new long[] {rows, k}, DType.FLOAT64);
    }
}
