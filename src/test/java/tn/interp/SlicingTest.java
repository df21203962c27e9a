package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;
import tn.plan.Network;
import tn.plan.Plan;

/**
 * Memory limits: networks run again under a limit below their largest intermediate (but above
 * their inputs and output, which cannot be sliced) give the same numbers (float64, 1e-10),
 * through orders that fit or through slicing, and no plan that runs exceeds the limit.
 */
class SlicingTest {
    /** A closed rows x cols lattice of random tensors with random bonds of size 2-3. */
    static String lattice(Random rnd, int rows, int cols, int seed) {
        StringBuilder legs = new StringBuilder("leg ");
        StringBuilder body = new StringBuilder();
        List<String> factors = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                if (c + 1 < cols) legs.append("h").append(r).append(c).append(" = ").append(2 + rnd.nextInt(2)).append(", ");
                if (r + 1 < rows) legs.append("v").append(r).append(c).append(" = ").append(2 + rnd.nextInt(2)).append(", ");
            }
        }
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                List<String> l = new ArrayList<>();
                if (c > 0) l.add("h" + r + (c - 1));
                if (c + 1 < cols) l.add("h" + r + c);
                if (r > 0) l.add("v" + (r - 1) + c);
                if (r + 1 < rows) l.add("v" + r + c);
                String name = "T" + r + c;
                body.append(name).append(" = random(").append(String.join(", ", l)).append(", seed=").append(seed * 100 + r * 10 + c).append(")\n");
                factors.add(name);
            }
        }
        return legs.substring(0, legs.length() - 2) + "\n" + body + "R = " + String.join(" ", factors) + "\n";
    }

    @Test
    void limitedRunsGiveTheSameNumbersAndStayUnderTheLimit() {
        Nd4jBackend backend = new Nd4jBackend();
        Random rnd = new Random(31);
        int sliced = 0, checked = 0;
        for (int trial = 0; trial < 160; trial++) {
            String script = trial % 4 != 3
                    ? lattice(rnd, 3 + rnd.nextInt(2), 4 + rnd.nextInt(2), trial)
                    : NetworkPropertyTest.randomScript(rnd, trial);
            List<Plan> plans = new ArrayList<>();
            Scripts free = Scripts.run(backend, DType.FLOAT64, script, (net, plan) -> plans.add(plan));
            Plan last = plans.get(plans.size() - 1);
            double floor = Math.max(largestInput(last.network()), outputSize(last.network()));
            double limit = Math.max(floor, Math.floor(last.largestIntermediate() / 2));
            if (limit >= last.largestIntermediate()) continue;
            List<Plan> limitedPlans = new ArrayList<>();
            Scripts limited = Scripts.run(backend, DType.FLOAT64, "set memory_limit = " + (long) (limit * 8) + "\n" + script,
                    (net, plan) -> limitedPlans.add(plan));
            for (Plan p : limitedPlans) {
                assertTrue(p.largestIntermediate() <= limit, "over the limit: " + script);
                if (p.slicedLegs().length > 0) sliced++;
            }
            double[] x = free.values("R"), y = limited.values("R");
            double scale = 1e-300;
            for (double v : x) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < x.length; i++) assertEquals(x[i], y[i], 1e-10 * scale, script);
            checked++;
        }
        assertTrue(sliced >= 30, "only " + sliced + " sliced runs of " + checked);
        assertTrue(checked >= 40, "only " + checked + " runs compared");
    }

    private static double largestInput(Network n) {
        double m = 0;
        for (int[] in : n.inputs()) {
            double s = 1;
            for (int l : in) s *= n.sizes()[l];
            m = Math.max(m, s);
        }
        return m;
    }

    private static double outputSize(Network n) {
        double s = 1;
        for (int l : n.output()) s *= n.sizes()[l];
        return s;
    }
}
