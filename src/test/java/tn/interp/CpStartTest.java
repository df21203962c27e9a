package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tn.diag.TnError;
import tn.exec.DType;

/**
 * cp() reaches the best fit on tensors that have one, from its default (HOSVD) start: noisy
 * tensors of exact CP rank, several sizes, ranks, noise levels and seeds. Random starts and
 * restarts are kept as options, and a start that stalls is rescued by restarts.
 *
 * <p>The bound. T = X + N with X a sum of {@code rank} rank-one terms and ||N|| = noise ||X||. X is
 * itself a candidate of the requested rank, so the best rank-{@code rank} approximation T* has
 * ||T - T*|| <= ||T - X|| = ||N||, i.e. best fit >= 1 - ||N|| / ||T|| (the "noise floor", computed
 * in the script from the actual N, so c = 1 in fit >= 1 - c ||N|| / ||T||). The optimum is in fact
 * a little better, since the rank-r model also fits part of the noise: about p / (2 n) of ||N|| in
 * relative terms, with p = rank * (sum of sizes) parameters and n entries (case 1: 1180 / 128000 =
 * 0.9% of the noise, 9e-5 in fit), far more than the stopping tolerance (1e-10 change of fit per
 * sweep) can leave unfitted. Without noise the optimum is the floor itself (fit 1), and what ALS
 * leaves when a sweep gains less than 1e-10 shows (1.3e-11 on the second case): hence a slack of
 * 1e-8 below the floor. A run that found the optimum passes, and one stuck in a local minimum (fits
 * 0.77 and 0.83 from random starts on the first two cases' tensors) fails by far.
 *
 * <p>tensorly 0.9.0's parafac (init="svd", tol=1e-10, n_iter_max=500) reaches the same fits on the
 * same tensors (to the 6 digits printed), in about the same number of sweeps:
 * src/test/resources/cp/tensorly_reference.py makes them with tn and lists its numbers.
 */
class CpStartTest {
    static Scripts run(String text) {
        return Scripts.run(DecompositionScriptTest.ND4J, DType.FLOAT64, text);
    }

    /** The script of one case: X of exact rank, T = X + noise ||X|| N / ||N||. */
    static String noisy(String sizes, int rank, double noise, int seed) {
        String[] n = sizes.split("x");
        String[] names = {"i", "j", "k", "l"};
        StringBuilder legs = new StringBuilder(), factors = new StringBuilder(), all = new StringBuilder(), outs = new StringBuilder();
        for (int q = 0; q < n.length; q++) {
            legs.append(names[q]).append(" = ").append(n[q]).append(", ");
            factors.append("random(").append(names[q]).append(", s, seed=").append(seed * 10 + q).append(") ");
            all.append(q > 0 ? ", " : "").append(names[q]);
            outs.append(", F").append(q);
        }
        return """
                set dtype = float64
                leg %ss = %d
                X = %s-> [%s]
                N = random(%s, seed=%d)
                T = X + %s * norm(X) / norm(N) * N
                floor = 1 - norm(T - X) / norm(T)
                """.formatted(legs, rank, factors, all, all, seed * 10 + 9, noise) + "w" + outs + ", fit, iters = cp(T, rank=" + rank + ", bond=r";
    }

    static double number(Scripts s, String name) {
        return DecompositionScriptTest.number(s, name);
    }

    @ParameterizedTest(name = "{0}, rank {1}, noise {2}, seed {3}")
    @CsvSource({
        "40x40x40, 10, 0.01, 1",
        "40x40x40, 10, 0, 8",
        "20x30x25, 5, 0.05, 3",
        "12x10x14x9, 4, 0.001, 4",
        "50x50x50, 3, 0.1, 5",
        "30x8x20, 12, 0.01, 6",      // rank above a leg's size: that factor's extra columns are seeded
        "25x25x25, 15, 0.02, 7",     // tensorly's default 100 sweeps stop at fit 0.889 here
    })
    void theDefaultStartReachesTheNoiseFloor(String sizes, int rank, double noise, int seed) {
        int legs = sizes.split("x").length;
        String product = legs == 4 ? "w F0 F1 F2 F3 -> [i, j, k, l]" : "w F0 F1 F2 -> [i, j, k]";
        Scripts s = run(noisy(sizes, rank, noise, seed) + ")\ndirect = 1 - norm(T - " + product + ") / norm(T)\n");
        double fit = number(s, "fit"), floor = number(s, "floor"), iters = number(s, "iters");
        assertTrue(fit >= floor - 1e-8, "fit " + fit + " below the noise floor " + floor + " after " + iters + " sweeps");
        assertTrue(iters >= 1 && iters < 500, "sweeps: " + iters);
        assertEquals(number(s, "direct"), fit, 1e-12, "the fit reported is 1 - ||T - w F0 F1 ...|| / ||T||");
    }

    @Test
    void restartsRescueARandomStartThatStalls() {
        // An exact rank-6 tensor on which ALS from the random start of seed 0 stalls at fit 0.785
        // (200 sweeps), while the HOSVD start reaches 1 in 27.
        String t = """
                set dtype = float64
                leg i = 12, j = 12, k = 12, s = 6
                X = random(i, s, seed=103) random(j, s, seed=203) random(k, s, seed=303) -> [i, j, k]
                w, A, B, C, stalled, n1 = cp(X, rank=6, bond=r, init="random", max_iter=200)
                w, A, B, C, rescued, n2 = cp(X, rank=6, bond=r, init="random", max_iter=200, restarts=3)
                w, A, B, C, again, n3 = cp(X, rank=6, bond=r, init="random", max_iter=200, restarts=3)
                w, A, B, C, other, n4 = cp(X, rank=6, bond=r, init="random", max_iter=200, seed=1)
                """;
        Scripts s = run(t);
        double stalled = number(s, "stalled"), rescued = number(s, "rescued");
        assertTrue(stalled < 0.9, "the deliberately bad start stalls: " + stalled);
        assertEquals(200, number(s, "n1"), "it ran to max_iter");
        assertTrue(rescued > 1 - 1e-6, "restarts find the exact decomposition: " + rescued);
        assertTrue(number(s, "n2") < 200, "the kept run converged: " + number(s, "n2"));
        assertEquals(rescued, number(s, "again"), 0.0, "restarts are deterministic");
        assertEquals(s.values("w").length, 6);
        assertTrue(number(s, "other") != stalled, "seed= changes the random start");
    }

    @Test
    void badOptionsAreLocatedErrors() {
        String head = """
                leg i = 4, j = 5, k = 6
                T = random(i, j, k, seed=1)
                """;
        String[][] cases = {
            {"init=\"svd\"", "init= is \"hosvd\" (the default: the leading singular vectors of each unfolding) or \"random\" (seeded normal factors), not \"svd\""},
            {"restarts=-1", "restarts= is the number of extra runs from random starts: 0 or more, not -1"},
            {"restarts=1.5", "restarts must be a whole number, not 1.5"},
            {"tol=-1", "tol= is the change of fit between two sweeps below which cp() stops: a number in [0, 1), not -1"},
            {"max_iter=0", "max_iter= must be at least 1, not 0"},
            {"seed=3", "seed= has no effect here: the HOSVD start is not random (every leg is at least rank=3 long); use init=\"random\" or restarts= for random starts"},
            {"init=random", "init must be a string, not"},
            {"restart=2", "cp() has no parameter restart (did you mean restarts?)"},
        };
        for (String[] c : cases) {
            String line = "w, A, B, C, fit, iters = cp(T, rank=3, bond=r, " + c[0] + ")";
            TnError e = assertThrows(TnError.class, () -> run(head + line + "\n"), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
            String key = c[0].substring(0, c[0].indexOf('='));
            assertEquals(line.indexOf(key) + 1, e.span().column(), c[0] + ": the error points at the keyword");
            assertEquals(3, e.span().line(), c[0]);
        }
    }
}
