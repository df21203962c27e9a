package tn.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;
import tn.net.Tensor;
import tn.reference.ReferenceBackend;

/**
 * Hundreds of random networks written as tn scripts (random legs of sizes 1-4, 2-6 factors,
 * traces, hyperedges, batch legs, copy tensors, explicit and implicit outputs), each run through
 * the whole pipeline on ND4J and on the naive reference backend, in float64.
 */
class NetworkPropertyTest {
    private static final String[] LEGS = {"a", "b", "c", "d", "e", "f"};

    @Test
    void randomNetworksAgreeWithTheNaiveReference() {
        Nd4jBackend nd4j = new Nd4jBackend();
        ReferenceBackend reference = new ReferenceBackend();
        Random rnd = new Random(20261122);
        int checked = 0;
        for (int trial = 0; trial < 300; trial++) {
            String script = randomScript(rnd, trial);
            Scripts fast = Scripts.run(nd4j, DType.FLOAT64, script);
            Scripts slow = Scripts.run(reference, DType.FLOAT64, script);
            Tensor t = fast.tensor("R");
            assertEquals(slow.tensor("R").legs(), t.legs(), script);
            assertArrayEquals(slow.tensor("R").shape(), t.shape(), script);
            double[] x = fast.values("R"), y = slow.values("R");
            double scale = 1e-300;
            for (double v : y) scale = Math.max(scale, Math.abs(v));
            for (int i = 0; i < x.length; i++) {
                assertEquals(y[i], x[i], 1e-10 * scale, () -> "entry mismatch in\n" + script);
            }
            checked++;
        }
        assertEquals(300, checked);
    }

    /**
     * A random network as a script whose result is R: legs of sizes 1-4 shared by any number of
     * factors (contractions, hyperedges, batch legs when listed in the output, outer products).
     * Every third script instead uses legs of one size, so traces and copy tensors can join any
     * of them.
     */
    static String randomScript(Random rnd, int trial) {
        if (trial % 3 == 0) return sameSizeScript(rnd, trial);
        StringBuilder sb = new StringBuilder();
        int nLegs = 2 + rnd.nextInt(LEGS.length - 1);
        sb.append("leg ");
        for (int l = 0; l < nLegs; l++) sb.append(l > 0 ? ", " : "").append(LEGS[l]).append(" = ").append(1 + rnd.nextInt(4));
        sb.append('\n');
        int factors = 2 + rnd.nextInt(5);
        List<String> terms = new ArrayList<>();
        List<String> used = new ArrayList<>();
        for (int f = 0; f < factors; f++) {
            List<String> legs = distinct(rnd, nLegs, rnd.nextInt(4));
            String name = "T" + f;
            sb.append(name).append(" = random(").append(String.join(", ", legs))
              .append(legs.isEmpty() ? "" : ", ").append("seed=").append(trial * 10 + f).append(")\n");
            terms.add(name);
            used.addAll(legs);
        }
        sb.append("R = ").append(String.join(" ", terms));
        if (rnd.nextBoolean()) {
            List<String> present = new ArrayList<>(new java.util.LinkedHashSet<>(used));
            java.util.Collections.shuffle(present, rnd);
            sb.append(" -> [").append(String.join(", ", present.subList(0, rnd.nextInt(present.size() + 1)))).append("]");
        }
        return sb.append('\n').toString();
    }

    /** A network whose legs all have one size, so copy tensors and traces can join any of them. */
    private static String sameSizeScript(Random rnd, int trial) {
        StringBuilder sb = new StringBuilder();
        int size = 1 + rnd.nextInt(3);
        int nLegs = 2 + rnd.nextInt(4);
        sb.append("leg ");
        for (int l = 0; l < nLegs; l++) sb.append(l > 0 ? ", " : "").append(LEGS[l]).append(" = ").append(size);
        sb.append('\n');
        int factors = 2 + rnd.nextInt(5);
        List<String> terms = new ArrayList<>();
        List<String> used = new ArrayList<>();
        for (int f = 0; f < factors; f++) {
            if (rnd.nextInt(3) == 0) {
                List<String> legs = distinct(rnd, nLegs, 2 + rnd.nextInt(2));
                terms.add("delta(" + String.join(", ", legs) + ")");
                used.addAll(legs);
                continue;
            }
            List<String> created = distinct(rnd, nLegs, 1 + rnd.nextInt(3));
            int rank = created.size();
            String name = "T" + f;
            sb.append(name).append(" = random(").append(String.join(", ", created))
              .append(", seed=").append(trial * 10 + f).append(")\n");
            List<String> relabel = new ArrayList<>();
            for (int k = 0; k < rank; k++) relabel.add(LEGS[rnd.nextInt(nLegs)]); // repeats = traces
            terms.add(name + "[" + String.join(", ", relabel) + "]");
            used.addAll(relabel);
        }
        sb.append("R = ").append(String.join(" ", terms));
        if (rnd.nextBoolean()) {
            List<String> present = new ArrayList<>(new java.util.LinkedHashSet<>(used));
            java.util.Collections.shuffle(present, rnd);
            sb.append(" -> [").append(String.join(", ", present.subList(0, rnd.nextInt(present.size() + 1)))).append("]");
        }
        return sb.append('\n').toString();
    }

    private static List<String> distinct(Random rnd, int nLegs, int count) {
        List<String> all = new ArrayList<>(List.of(LEGS).subList(0, nLegs));
        java.util.Collections.shuffle(all, rnd);
        return new ArrayList<>(all.subList(0, Math.min(count, all.size())));
    }
}
