package tn.linalg;

import java.util.ArrayList;
import java.util.List;
import tn.exec.DType;
import tn.net.Tensor;

/**
 * Tucker decomposition T ~ G x_1 U_1 x_2 U_2 ... with orthonormal factor matrices U_n [leg_n,
 * core_n]: HOSVD (each U_n from the leading left singular vectors of T unfolded along leg n) and
 * HOOI (alternating: each U_n from T projected on all the other factors, until the core's norm
 * stops growing). The core is T contracted with every factor, a network.
 */
public final class Tucker {
    private Tucker() {}

    public record Result(Tensor core, List<Matrix> factors, double error, int iterations) {}

    /**
     * @param coreLegs the names of the core's legs, one per leg of t
     * @param ranks the core's size along each leg (at most that leg's size)
     * @param hooi false for HOSVD only
     */
    public static Result decompose(Contraction c, Tensor t, List<String> coreLegs, int[] ranks, boolean hooi, double tol, int maxIter) {
        int n = t.rank();
        List<Matrix> u = new ArrayList<>();
        for (int m = 0; m < n; m++) u.add(leading(c, c.unfold(t, List.of(t.legs().get(m))), ranks[m]));
        Tensor core = core(c, t, u, coreLegs);
        int it = 0;
        if (hooi) {
            double previous = c.norm(core);
            while (it < maxIter) {
                it++;
                for (int m = 0; m < n; m++) {
                    List<Tensor> factors = new ArrayList<>();
                    factors.add(t);
                    List<String> out = new ArrayList<>();
                    out.add(t.legs().get(m));
                    for (int o = 0; o < n; o++) {
                        if (o == m) continue;
                        factors.add(c.tensor(u.get(o), t.legs().get(o), coreLegs.get(o), DType.FLOAT64));
                        out.add(coreLegs.get(o));
                    }
                    Tensor y = c.contract(factors, out);
                    u.set(m, leading(c, c.unfold(y, List.of(t.legs().get(m))), ranks[m]));
                }
                core = core(c, t, u, coreLegs);
                double norm = c.norm(core);
                boolean done = Math.abs(norm - previous) <= tol * Math.max(norm, 1e-300);
                previous = norm;
                if (done) break;
            }
        }
        return new Result(core, u, error(c, t, core, u, coreLegs), it);
    }

    /** The leading {@code r} left singular vectors. */
    private static Matrix leading(Contraction c, Matrix m, int r) {
        return Factorizations.svd(c.evaluator().backend(), m).u().leadingColumns(r);
    }

    private static Tensor core(Contraction c, Tensor t, List<Matrix> u, List<String> coreLegs) {
        List<Tensor> factors = new ArrayList<>();
        factors.add(t);
        for (int m = 0; m < u.size(); m++) factors.add(c.tensor(u.get(m), t.legs().get(m), coreLegs.get(m), DType.FLOAT64));
        return c.contract(factors, coreLegs);
    }

    /** ||T - G x U_1 ... x U_n|| / ||T||, with the reconstruction contracted as a network. */
    public static double error(Contraction c, Tensor t, Tensor core, List<Matrix> u, List<String> coreLegs) {
        List<Tensor> factors = new ArrayList<>();
        factors.add(core);
        for (int m = 0; m < u.size(); m++) factors.add(c.tensor(u.get(m), t.legs().get(m), coreLegs.get(m), DType.FLOAT64));
        double normT = c.norm(t);
        return normT == 0 ? 0 : c.distance(t, c.contract(factors, t.legs())) / normT;
    }
}
