package tn.linalg;

/**
 * A dense matrix of doubles, row-major: the working form of the decompositions, which move a
 * tensor's legs into rows and columns, factorise, and move them back.
 */
public record Matrix(int rows, int cols, double[] data) {

    public Matrix {
        if ((long) rows * cols != data.length) {
            throw new IllegalArgumentException(rows + " x " + cols + " matrix with " + data.length + " entries");
        }
    }

    public static Matrix zeros(int rows, int cols) {
        return new Matrix(rows, cols, new double[rows * cols]);
    }

    public double get(int i, int j) { return data[i * cols + j]; }

    public void set(int i, int j, double v) { data[i * cols + j] = v; }

    public Matrix transpose() {
        double[] t = new double[data.length];
        for (int i = 0; i < rows; i++) for (int j = 0; j < cols; j++) t[j * rows + i] = data[i * cols + j];
        return new Matrix(cols, rows, t);
    }

    /** M + M^T of a square matrix (a symmetric matrix). */
    public Matrix plusTranspose() {
        Matrix t = transpose();
        double[] d = data.clone();
        for (int i = 0; i < d.length; i++) d[i] += t.data[i];
        return new Matrix(rows, cols, d);
    }

    /** The first {@code k} columns. */
    public Matrix leadingColumns(int k) {
        double[] d = new double[rows * k];
        for (int i = 0; i < rows; i++) System.arraycopy(data, i * cols, d, i * k, k);
        return new Matrix(rows, k, d);
    }

    /** The first {@code k} rows. */
    public Matrix leadingRows(int k) {
        double[] d = new double[k * cols];
        System.arraycopy(data, 0, d, 0, k * cols);
        return new Matrix(k, cols, d);
    }

    /** this * other, by plain loops (for the small matrices of the algorithms' inner steps). */
    public Matrix times(Matrix other) {
        if (cols != other.rows) throw new IllegalArgumentException(rows + "x" + cols + " times " + other.rows + "x" + other.cols);
        double[] r = new double[rows * other.cols];
        for (int i = 0; i < rows; i++) {
            for (int l = 0; l < cols; l++) {
                double a = data[i * cols + l];
                if (a == 0) continue;
                int o = l * other.cols, ri = i * other.cols;
                for (int j = 0; j < other.cols; j++) r[ri + j] += a * other.data[o + j];
            }
        }
        return new Matrix(rows, other.cols, r);
    }

    /** The Frobenius norm. */
    public double norm() {
        return Vectors.norm(data);
    }
}
