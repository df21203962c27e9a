package tn.exec.nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;
import tn.exec.Backend;
import tn.exec.DType;
import tn.exec.Dense;
import tn.plan.Plan;

/**
 * The {@link Backend} on ND4J's native CPU backend (OpenBLAS). Every result is a fresh C-ordered
 * array; arguments are never mutated; mixed dtypes are promoted before ND4J sees them (ND4J
 * throws on float x double).
 */
public final class Nd4jBackend implements Backend {
    private final Nd4jContractor contractor;

    public Nd4jBackend() {
        this(true);
    }

    /** With {@code buffers} false every contraction goes through ND4J operations (for tests). */
    public Nd4jBackend(boolean buffers) {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        this.contractor = new Nd4jContractor(buffers);
    }

    static DataType type(DType d) {
        return d == DType.FLOAT64 ? DataType.DOUBLE : DataType.FLOAT;
    }

    private static INDArray arr(Dense d) { return ((NdDense) d).array(); }

    private static Dense wrap(INDArray a, DType d) {
        if (a.isView() || a.ordering() != 'c') a = a.dup('c');
        return new NdDense(a, d);
    }

    /** Written straight into native memory in the dtype ({@link #generate}): no float[] or double[] copy on the way. */
    @Override
    public Dense fromDoubles(double[] data, long[] shape, DType dtype) {
        long n = 1;
        for (long s : shape) n *= s;
        if (n != data.length) throw new IllegalArgumentException("data of length " + data.length + " for shape " + Arrays.toString(shape));
        if (shape.length == 0) return new NdDense(Nd4j.scalar(type(dtype), data[0]), dtype);
        if (n == 0) return new NdDense(Nd4j.create(type(dtype), shape), dtype);
        // Not cancellable: a copy is quick, and callers of fromDoubles do not expect to be interrupted.
        return NativeFill.make(shape.clone(), n, dtype, (from, out, count) -> System.arraycopy(data, (int) from, out, 0, count), false);
    }

    @Override
    public double[] toDoubles(Dense x) {
        INDArray a = arr(x);
        if (a.rank() == 0) return new double[] {a.getDouble(0)};
        if (a.length() == 0) return new double[0]; // an empty array has no buffer at all
        return a.dup('c').data().asDouble();
    }

    @Override
    public Dense cast(Dense x, DType dtype) {
        if (x.dtype() == dtype) return x;
        return new NdDense(arr(x).castTo(type(dtype)), dtype);
    }

    @Override
    public Dense full(long[] shape, double value, DType dtype) {
        if (shape.length == 0) return new NdDense(Nd4j.scalar(type(dtype), value), dtype);
        return new NdDense(Nd4j.valueArrayOf(shape, value, type(dtype)), dtype);
    }

    /** Straight into native memory, in parallel chunks ({@link NativeFill}); scalars and empty arrays are ND4J arrays. */
    @Override
    public Dense generate(long[] shape, DType dtype, Entries entries) {
        long n = 1;
        for (long s : shape) n = Math.multiplyExact(n, s);
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("an array of " + n + " entries is larger than tn's arrays can be");
        if (shape.length == 0) {
            double[] value = new double[1];
            entries.compute(0, value, 1);
            return new NdDense(Nd4j.scalar(type(dtype), value[0]), dtype);
        }
        if (n == 0) return new NdDense(Nd4j.create(type(dtype), shape), dtype);
        return NativeFill.make(shape.clone(), n, dtype, entries, true);
    }

    @Override
    public Dense contract(Plan plan, List<Dense> operands) {
        return contractor.contract(plan, operands);
    }

    @Override
    public Dense take(Dense x, int axis, long index) {
        INDArray a = arr(x);
        org.nd4j.linalg.indexing.INDArrayIndex[] idx = new org.nd4j.linalg.indexing.INDArrayIndex[a.rank()];
        for (int k = 0; k < idx.length; k++) {
            idx[k] = k == axis ? org.nd4j.linalg.indexing.NDArrayIndex.interval(index, index + 1)
                    : org.nd4j.linalg.indexing.NDArrayIndex.all();
        }
        long[] shape = a.shape().clone();
        shape[axis] = 1;
        return new NdDense(a.get(idx).dup('c').reshape('c', shape), x.dtype());
    }

    @Override
    public Dense permute(Dense x, int[] perm) {
        return new NdDense(arr(x).permute(perm).dup('c'), x.dtype());
    }

    @Override
    public Dense reshape(Dense x, long[] shape) {
        INDArray a = arr(x);
        // A C-ordered array that is not a view is reshaped in place of a copy: nothing in tn writes
        // into an array after it is made, so sharing the buffer is safe.
        boolean contiguous = a.ordering() == 'c' && a.offset() == 0 && a.data().length() == a.length()
                && org.nd4j.linalg.api.shape.Shape.hasDefaultStridesForShape(a);
        if (!contiguous || a.rank() == 0) a = a.dup('c');
        if (shape.length == 0) return new NdDense(Nd4j.scalar(a.dataType(), a.getDouble(0)), x.dtype());
        return new NdDense(a.reshape('c', shape), x.dtype());
    }

    @Override
    public Dense expandDiagonal(Dense x, int axis, int copies) {
        INDArray a = arr(x);
        long[] in = a.shape();
        long[] shape = new long[in.length + copies];
        for (int k = 0, j = 0; k < in.length; k++) {
            shape[j++] = in[k];
            if (k == axis) for (int c = 0; c < copies; c++) shape[j++] = in[k];
        }
        INDArray out = Nd4j.zeros(a.dataType(), shape);
        // Write x through a strided view of out's diagonal: the copies' strides add to axis's.
        long[] strides = out.stride();
        long[] viewStrides = new long[in.length];
        for (int k = 0, j = 0; k < in.length; k++) {
            long s = strides[j];
            if (k == axis) for (int c = 1; c <= copies; c++) s += strides[j + c];
            viewStrides[k] = s;
            j += k == axis ? copies + 1 : 1;
        }
        INDArray view = Nd4j.create(out.data(), in, viewStrides, 0, 'c');
        view.assign(a);
        return new NdDense(out, x.dtype());
    }

    @Override
    public Dense linearCombination(List<Dense> terms, double[] coefficients) {
        DType d = terms.get(0).dtype();
        for (Dense t : terms) d = DType.promote(d, t.dtype());
        INDArray acc = null;
        for (int k = 0; k < terms.size(); k++) {
            INDArray t = arr(terms.get(k));
            if (t.dataType() != type(d)) t = t.castTo(type(d));
            INDArray scaled = t.mul(coefficients[k]);
            acc = acc == null ? scaled : acc.addi(scaled);
        }
        return wrap(acc, d);
    }

    @Override
    public Dense map(Dense x, Elementwise fn, double p) {
        INDArray a = arr(x);
        INDArray out = switch (fn) {
            case RELU -> Transforms.relu(a, true);
            case GELU -> gelu(a);
            case TANH -> Transforms.tanh(a, true);
            case SIGMOID -> Transforms.sigmoid(a, true);
            case EXP -> Transforms.exp(a, true);
            case LOG -> Transforms.log(a, true);
            case SQRT -> Transforms.sqrt(a, true);
            case ABS -> Transforms.abs(a, true);
            case POW -> Transforms.pow(a, p, true);
            case NEG -> a.neg();
        };
        return wrap(out, x.dtype());
    }

    /** GPT-2's GELU: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
    private static INDArray gelu(INDArray x) {
        INDArray inner = x.mul(x).muli(x).muli(0.044715).addi(x).muli(Math.sqrt(2 / Math.PI));
        return Transforms.tanh(inner, false).addi(1).muli(x).muli(0.5);
    }

    @Override
    public Dense reduce(Dense x, int[] axes, Reduction op) {
        return new NdDense(reduceAxes(arr(x), axes, op), x.dtype());
    }

    /**
     * Reduces the given axes away. The reduced axes are moved last and the array is viewed as a
     * matrix [kept, reduced], reduced along its rows, and reshaped to the kept axes: one code
     * path for every rank, which avoids ND4J's special cases for size-1 and vector shapes.
     */
    static INDArray reduceAxes(INDArray a, int[] axes, Reduction op) {
        int rank = a.rank();
        List<Integer> kept = new ArrayList<>();
        for (int k = 0; k < rank; k++) if (Nd4jContractor.indexOf(axes, k) < 0) kept.add(k);
        int[] perm = new int[rank];
        int j = 0;
        for (int k : kept) perm[j++] = k;
        for (int k : axes) perm[j++] = k;
        long group = 1;
        for (int k : axes) group *= a.size(k);
        long rows = a.length() / Math.max(1, group);
        INDArray m = Nd4jContractor.permute(a, perm).reshape('c', new long[] {rows, group});
        INDArray r = switch (op) {
            case SUM -> m.sum(1);
            case MEAN -> m.mean(1);
            case MAX -> m.max(1);
            case MIN -> m.min(1);
            case NORM -> m.norm2(1);
        };
        long[] shape = kept.stream().mapToLong(a::size).toArray();
        if (shape.length == 0) return Nd4j.scalar(a.dataType(), r.getDouble(0));
        return r.reshape('c', shape).dup('c');
    }

    /**
     * Moves the given axes last and flattens to [rest, group]: softmax and layer norm then work
     * row by row; the result is put back in the original layout.
     */
    private interface RowOp { INDArray apply(INDArray rows); }

    private Dense byRows(Dense x, int[] axes, RowOp op) {
        INDArray a = arr(x);
        int rank = a.rank();
        List<Integer> rest = new ArrayList<>();
        for (int k = 0; k < rank; k++) if (Nd4jContractor.indexOf(axes, k) < 0) rest.add(k);
        int[] perm = new int[rank];
        int j = 0;
        for (int k : rest) perm[j++] = k;
        for (int k : axes) perm[j++] = k;
        INDArray moved = Nd4jContractor.permute(a, perm);
        long group = 1;
        for (int k : axes) group *= a.size(k);
        long rows = a.length() / Math.max(1, group);
        INDArray result = op.apply(moved.reshape('c', new long[] {rows, group}).dup('c'));
        INDArray back = result.reshape('c', moved.shape());
        int[] inverse = new int[rank];
        for (int k = 0; k < rank; k++) inverse[perm[k]] = k;
        return wrap(Nd4jContractor.permute(back, inverse), x.dtype());
    }

    @Override
    public Dense softmax(Dense x, int[] axes) {
        return byRows(x, axes, m -> {
            INDArray shifted = m.subColumnVector(m.max(1).reshape('c', new long[] {m.rows(), 1}));
            INDArray e = Transforms.exp(shifted, false);
            return e.diviColumnVector(e.sum(1).reshape('c', new long[] {m.rows(), 1}));
        });
    }

    @Override
    public Dense layerNorm(Dense x, int[] axes, double eps) {
        return byRows(x, axes, m -> {
            INDArray centred = m.subColumnVector(m.mean(1).reshape('c', new long[] {m.rows(), 1}));
            INDArray var = centred.mul(centred).mean(1).reshape('c', new long[] {m.rows(), 1});
            return centred.diviColumnVector(Transforms.sqrt(var.addi(eps), false));
        });
    }

    // ---- matrix factorisations ----------------------------------------------------------------

    @Override
    public Dense[] svd(Dense matrix) {
        INDArray m = arr(matrix);
        boolean wide = m.rows() < m.columns();
        // Factorised tall (M^T = V S U^T for wide M). Very tall matrices go through a QR first
        // (M = Q R, R = Ur S V^T, U = Q Ur), which keeps gesvd's full square U small.
        INDArray a = wide ? m.transpose().dup('c') : m;
        INDArray[] usv;
        if (a.rows() > 3 * a.columns() / 2) {
            INDArray[] qr = geqrf(a);
            usv = gesvd(qr[1]);
            usv[0] = qr[0].mmul(usv[0]);
        } else {
            usv = gesvd(a);
        }
        INDArray u = usv[0], s = usv[1], v = usv[2];
        if (wide) {
            INDArray t = u;
            u = v;
            v = t;
        }
        return new Dense[] {wrap(u, DType.FLOAT64), wrap(s, DType.FLOAT64), wrap(v, DType.FLOAT64)};
    }

    /**
     * LAPACK's gesvd on a matrix with rows >= columns: {U [m, n], S [n], V [n, n]}. In ND4J
     * 1.0.0-M2.1 Nd4j.linalg().svd always fails, the "svd" custom op is wrong or fails from 16
     * columns on (and its Jacobi variant takes seconds for 300 x 300), and gesvd with thin U
     * crashes the JVM: so gesvd with the full U and V^T, allocated in Fortran order.
     */
    private static INDArray[] gesvd(INDArray a) {
        long m = a.rows(), n = a.columns();
        INDArray s = Nd4j.create(DataType.DOUBLE, n);
        INDArray u = Nd4j.create(DataType.DOUBLE, new long[] {m, m}, 'f');
        INDArray vt = Nd4j.create(DataType.DOUBLE, new long[] {n, n}, 'f');
        Nd4j.getBlasWrapper().lapack().gesvd(a.castTo(DataType.DOUBLE).dup('f'), s, u, vt);
        INDArray thinU = u.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.interval(0, n)).dup('c');
        return new INDArray[] {thinU, s, vt.transpose().dup('c')};
    }

    @Override
    public Dense[] qr(Dense matrix) {
        INDArray m = arr(matrix);
        if (m.rows() < m.columns()) {
            // Wide: factor the leading square block, then R = Q^T M (upper trapezoidal).
            INDArray q = geqrf(m.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(0, m.rows())))[0];
            return new Dense[] {wrap(q, DType.FLOAT64), wrap(q.transpose().mmul(m.castTo(DataType.DOUBLE)), DType.FLOAT64)};
        }
        INDArray[] qr = geqrf(m);
        return new Dense[] {wrap(qr[0], DType.FLOAT64), wrap(qr[1], DType.FLOAT64)};
    }

    /**
     * LAPACK's geqrf (with the explicit Q) on a matrix with rows >= columns: {Q [m, n], R [n, n]}.
     * Nd4j.linalg().qr crashes the JVM on a 1 x 1 matrix in 1.0.0-M2.1, so it is not used.
     */
    private static INDArray[] geqrf(INDArray m) {
        INDArray a = m.castTo(DataType.DOUBLE).dup('f');
        INDArray r = Nd4j.create(DataType.DOUBLE, new long[] {m.columns(), m.columns()}, 'f');
        Nd4j.getBlasWrapper().lapack().geqrf(a, r);
        return new INDArray[] {a.dup('c'), r.dup('c')};
    }

    @Override
    public Dense[] eigh(Dense matrix) {
        INDArray vectors = arr(matrix).dup('c');
        // Overwrites its argument with the eigenvectors (as columns); values ascending.
        INDArray values = org.nd4j.linalg.eigen.Eigen.symmetricGeneralizedEigenvalues(vectors, true);
        return new Dense[] {wrap(values, DType.FLOAT64), wrap(vectors, DType.FLOAT64)};
    }

    @Override
    public Dense[] eig(Dense matrix) {
        INDArray[] r = Nd4j.linalg().eig(arr(matrix).dup('c'));
        INDArray values = r[0], vectors = r[1];
        long n = values.rows();
        INDArray re = values.getColumn(0).dup('c'), im = values.getColumn(1).dup('c');
        INDArray vre = vectors.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.point(0)).dup('c').reshape('c', new long[] {n, n});
        INDArray vim = vectors.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.point(1)).dup('c').reshape('c', new long[] {n, n});
        return new Dense[] {wrap(re.reshape('c', new long[] {n}), DType.FLOAT64), wrap(im.reshape('c', new long[] {n}), DType.FLOAT64),
            wrap(vre, DType.FLOAT64), wrap(vim, DType.FLOAT64)};
    }
}
