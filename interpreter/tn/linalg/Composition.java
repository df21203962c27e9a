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
        /** The triangular factors of thin QRs of x and y, which carry every norm. */
        Reduced reduce(Backend backend) {
            Factorizations.Qr qx = Factorizations.qr(backend, x), qy = Factorizations.qr(backend, y);
            return new Reduced(qx.r(), qy.r(), qx.q(), qy.q());
        }

        public LowRank transpose() { return new LowRank(y, x); }
    }

    record Reduced(Matrix rx, Matrix ry, Matrix qx, Matrix qy) {
        double norm() { return rx.times(ry.transpose()).norm(); }
    }

    /**
     * ||A B|| / (||A|| ||B||) for every A in {@code earlier} and B in {@code later}: with A = Xa Ya^T
     * and B = Xb Yb^T, A B = Qxa (Rxa Rya^T Qya^T)(Qxb Rxb Ryb^T) Qyb^T and the outer Q's have
     * orthonormal columns, so only the [k, d] x [d, k] middles are multiplied, all later heads at
     * once in one contraction per earlier head.
     */
    public static double[][] scores(Contraction c, LowRank[] earlier, LowRank[] later) {
        Backend backend = c.evaluator().backend();
        int d = later.length == 0 ? 0 : later[0].x().rows();
        double[][] out = new double[earlier.length][later.length];
        if (later.length == 0 || earlier.length == 0) return out;
        int k = Math.min(d, later[0].x().cols());
        double[] nb = new double[later.length];
        double[] s = new double[later.length * d * k];
        for (int j = 0; j < later.length; j++) {
            Reduced r = later[j].reduce(backend);
            nb[j] = r.norm();
            Matrix sb = r.qx().times(r.rx().times(r.ry().transpose()));
            for (int i = 0; i < d; i++) for (int q = 0; q < sb.cols(); q++) s[(j * d + i) * k + q] = sb.get(i, q);
        }
        var st = c.tensor(java.util.List.of("#later", "#d", "#k2"), new long[] {later.length, d, k}, s, tn.exec.DType.FLOAT64);
        for (int a = 0; a < earlier.length; a++) {
            Reduced r = earlier[a].reduce(backend);
            double na = r.norm();
            if (na == 0) continue;
            Matrix pa = r.rx().times(r.ry().transpose()).times(r.qy().transpose());
            var pt = c.tensor(java.util.List.of("#k1", "#d"), new long[] {pa.rows(), d}, pa.data(), tn.exec.DType.FLOAT64);
            double[] m = backend.toDoubles(c.contract(java.util.List.of(pt, st), java.util.List.of("#later", "#k1", "#k2")).data());
            int block = pa.rows() * k;
            for (int j = 0; j < later.length; j++) {
                if (nb[j] == 0) continue;
                double sq = 0;
                for (int q = 0; q < block; q++) sq += m[j * block + q] * m[j * block + q];
                out[a][j] = Math.sqrt(sq) / (na * nb[j]);
            }
        }
        return out;
    }
}
