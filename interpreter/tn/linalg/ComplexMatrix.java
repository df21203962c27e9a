package tn.linalg;

/**
 * A matrix that may be complex: its real part and its imaginary part (null for a real matrix),
 * planar as complex arrays are. The algorithms that work the same on real and complex matrices
 * (a tensor train's sweeps) use it, so a real matrix costs no more than before: products and
 * transposes of real ones are the real ones. Transposes are plain (no conjugation).
 */
public record ComplexMatrix(Matrix re, Matrix im) {

    public static ComplexMatrix of(int rows, int cols, double[] re, double[] im) {
        return new ComplexMatrix(new Matrix(rows, cols, re), im == null ? null : new Matrix(rows, cols, im));
    }

    public boolean isComplex() { return im != null; }

    public int rows() { return re.rows(); }

    public int cols() { return re.cols(); }

    /** The imaginary entries, row-major (null when real). */
    public double[] imData() { return im == null ? null : im.data(); }

    public ComplexMatrix transpose() {
        return new ComplexMatrix(re.transpose(), im == null ? null : im.transpose());
    }

    public ComplexMatrix leadingColumns(int k) {
        return new ComplexMatrix(re.leadingColumns(k), im == null ? null : im.leadingColumns(k));
    }

    /** The same entries as a matrix [rows, cols] (row-major order kept). */
    public ComplexMatrix reshape(int rows, int cols) {
        return of(rows, cols, re.data(), imData());
    }

    /** (a + bi)(c + di) = (ac - bd) + (ad + bc)i, by {@link Matrix#times}. */
    public ComplexMatrix times(ComplexMatrix o) {
        Matrix r = re.times(o.re);
        if (im == null && o.im == null) return new ComplexMatrix(r, null);
        double[] rd = r.data(), id = new double[rd.length];
        if (im != null && o.im != null) {
            double[] bd = im.times(o.im).data();
            for (int k = 0; k < rd.length; k++) rd[k] -= bd[k];
        }
        if (o.im != null) add(id, re.times(o.im).data());
        if (im != null) add(id, im.times(o.re).data());
        return new ComplexMatrix(r, new Matrix(r.rows(), r.cols(), id));
    }

    /** Column j times s[j]. */
    public ComplexMatrix scaleColumns(double[] s) {
        return new ComplexMatrix(scaled(re, s), im == null ? null : scaled(im, s));
    }

    private static Matrix scaled(Matrix m, double[] s) {
        Matrix r = Matrix.zeros(m.rows(), m.cols());
        for (int i = 0; i < m.rows(); i++) for (int j = 0; j < m.cols(); j++) r.set(i, j, m.get(i, j) * s[j]);
        return r;
    }

    private static void add(double[] into, double[] x) {
        for (int k = 0; k < into.length; k++) into[k] += x[k];
    }
}
