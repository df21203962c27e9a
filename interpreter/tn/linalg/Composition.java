package tn.linalg;

import tn.exec.Backend;

/**
 * Composition scores between attention heads (Elhage et al., "A Mathematical Framework for
 * Transformer Circuits"): ||W_A W_B||_F / (||W_A||_F ||W_B||_F), where W_A is an earlier head's OV
 * circuit and W_B a later head's QK circuit (Q-composition), its transpose (K) or its OV circuit
 * (V). Every circuit is a low-rank product X Y^T of [d_model, d_head] factors, so the norms are
 * taken through the d_head-sized middles: with X = Qx Rx and Y = Qy Ry, ||X Y^T|| = ||Rx Ry^T||.
 */
public final class Composition {
    private Composition() {}

    /** A residual-space circuit X Y^T ([d, d] from two [d, k] factors), kept factored. */
    public record LowRank(Matrix x, Matrix y) {
        public LowRank transpose() { return new LowRank(y, x); }
    }


    /**
     * ||A B|| / (||A|| ||B||) for every A in {@code earlier} and B in {@code later}: with A = Xa Ya^T
     * and B = Xb Yb^T and R factors of thin QRs (X = Qx Rx: Rx^T Rx = X^T X), A B = Qxa (Rxa Ya^T
     * Xb Ryb^T) Qyb^T and the outer Q's have orthonormal columns, so ||A B|| = ||Rxa Ya^T Xb Ryb^T||,
     * ||A|| = ||Rxa Rya^T||: only [k, d] x [d, k] products, all later heads at once in one
     * contraction per earlier head. The Q's are never formed; each distinct factor's R comes from
     * its Gram matrix (all of them in one batched contraction) by a Cholesky factorisation, or,
     * where the Gram matrix is singular (a factor of lower rank), from a QR.
     */
    public static double[][] scores(Contraction c, LowRank[] earlier, LowRank[] later) {
        Backend backend = c.evaluator().backend();
        double[][] out = new double[earlier.length][later.length];
        if (later.length == 0 || earlier.length == 0) return out;
        int d = later[0].x().rows(), k = later[0].x().cols();
        java.util.Map<Matrix, Matrix> r = rFactors(c, backend, earlier, later, d, k);
        int kr = r.values().iterator().next().rows();
        double[] nb = new double[later.length];
        double[] s = new double[later.length * d * kr];
        for (int j = 0; j < later.length; j++) {
            Matrix rx = r.get(later[j].x()), ry = r.get(later[j].y());
            nb[j] = rx.times(ry.transpose()).norm();
            Matrix sb = later[j].x().times(ry.transpose()); // Xb Ryb^T [d, k]
            System.arraycopy(sb.data(), 0, s, j * d * kr, d * kr);
        }
        var st = c.tensor(java.util.List.of("#later", "#d", "#k2"), new long[] {later.length, d, kr}, s, tn.exec.DType.FLOAT64);
        for (int a = 0; a < earlier.length; a++) {
            Matrix rx = r.get(earlier[a].x()), ry = r.get(earlier[a].y());
            double na = rx.times(ry.transpose()).norm();
            if (na == 0) continue;
            Matrix pa = rx.times(earlier[a].y().transpose()); // Rxa Ya^T [k, d]
            var pt = c.tensor(java.util.List.of("#k1", "#d"), new long[] {pa.rows(), d}, pa.data(), tn.exec.DType.FLOAT64);
            double[] m = backend.toDoubles(c.contract(java.util.List.of(pt, st), java.util.List.of("#later", "#k1", "#k2")).data());
            int block = pa.rows() * kr;
            for (int j = 0; j < later.length; j++) {
                if (nb[j] == 0) continue;
                double sq = 0;
                for (int q = 0; q < block; q++) sq += m[j * block + q] * m[j * block + q];
                out[a][j] = Math.sqrt(sq) / (na * nb[j]);
            }
        }
        return out;
    }

    /** The R factor [k, k] of every distinct factor matrix [d, k] of the circuits (by identity). */
    private static java.util.Map<Matrix, Matrix> rFactors(Contraction c, Backend backend, LowRank[] earlier, LowRank[] later, int d, int k) {
        java.util.Map<Matrix, Matrix> r = new java.util.IdentityHashMap<>();
        java.util.List<Matrix> distinct = new java.util.ArrayList<>();
        for (LowRank[] side : new LowRank[][] {earlier, later}) {
            for (LowRank lr : side) {
                for (Matrix m : new Matrix[] {lr.x(), lr.y()}) {
                    if (r.containsKey(m)) continue;
                    r.put(m, m);
                    distinct.add(m);
                }
            }
        }
        if (k > d) { // wider than tall: QR's R is [d, k]
            for (Matrix m : distinct) r.put(m, Factorizations.qr(backend, m).r());
            return r;
        }
        double[] all = new double[distinct.size() * d * k];
        for (int n = 0; n < distinct.size(); n++) System.arraycopy(distinct.get(n).data(), 0, all, n * d * k, d * k);
        var x = c.tensor(java.util.List.of("#n", "#d", "#i"), new long[] {distinct.size(), d, k}, all, tn.exec.DType.FLOAT64);
        var y = c.tensor(java.util.List.of("#n", "#d", "#j"), new long[] {distinct.size(), d, k}, all, tn.exec.DType.FLOAT64);
        double[] grams = backend.toDoubles(c.contract(java.util.List.of(x, y), java.util.List.of("#n", "#i", "#j")).data());
        for (int n = 0; n < distinct.size(); n++) {
            Matrix chol = cholesky(java.util.Arrays.copyOfRange(grams, n * k * k, (n + 1) * k * k), k);
            r.put(distinct.get(n), chol != null ? chol : Factorizations.qr(backend, distinct.get(n)).r());
        }
        return r;
    }

    /**
     * The upper triangular R with R^T R = g (g symmetric [k, k]), or null when g is not safely
     * positive definite (a pivot below k * 1e-12 of the largest diagonal entry: then R comes from
     * a QR, which is exact for factors of lower rank, where the Gram matrix loses half the digits).
     */
    static Matrix cholesky(double[] g, int k) {
        double largest = 0;
        for (int i = 0; i < k; i++) largest = Math.max(largest, g[i * k + i]);
        if (largest == 0) return null;
        double[] r = new double[k * k];
        for (int i = 0; i < k; i++) {
            double diag = g[i * k + i];
            for (int p = 0; p < i; p++) diag -= r[p * k + i] * r[p * k + i];
            if (!(diag > k * 1e-12 * largest)) return null;
            double rii = Math.sqrt(diag);
            r[i * k + i] = rii;
            for (int j = i + 1; j < k; j++) {
                double v = g[i * k + j];
                for (int p = 0; p < i; p++) v -= r[p * k + i] * r[p * k + j];
                r[i * k + j] = v / rii;
            }
        }
        return new Matrix(k, k, r);
    }
}
