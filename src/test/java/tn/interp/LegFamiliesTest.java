package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tn.diag.Diagnostics;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;
import tn.plan.Plan;

/**
 * Leg families (`leg b[n] = size`, members b[k] named by an index expression, primed twins b'[k])
 * and networks collected in a loop (`network(ts)`): one flat network, planned once.
 */
class LegFamiliesTest {
    static final Nd4jBackend ND4J = new Nd4jBackend();

    static Scripts run(String text) {
        return Scripts.run(ND4J, DType.FLOAT64, text);
    }

    @Test
    void membersAreLegsNamedWithTheirIndexAndPrimesCompose() {
        Scripts s = run("""
                L = 4
                leg b[L - 1] = 3, p[L] = 2
                k = 2
                A = random(b[k - 1], p[k], b[k], seed=1)
                B = A[b'[k - 1], p[k], b'[2]]
                C = A[b[1], p[k + 0], b'[k]]
                """);
        assertEquals(List.of("b[1]", "p[2]", "b[2]"), s.tensor("A").legs());
        assertEquals(List.of("b'[1]", "p[2]", "b'[2]"), s.tensor("B").legs());
        assertEquals(List.of("b[1]", "p[2]", "b'[2]"), s.tensor("C").legs());
        assertEquals(3, s.tensor("B").shape()[0]);
    }

    @Test
    void anIndexMayUseCallsAndFields() {
        Scripts s = run("""
                r = tuple(1, 2, 3)
                P = record(L=4)
                leg b[5] = 2
                A = random(b[len(r)], b[P.L - len(r) + 1], seed=1)
                B = A[b[len(r)] -> b[P.L]]
                """);
        assertEquals(List.of("b[3]", "b[2]"), s.tensor("A").legs());
        assertEquals(List.of("b[4]", "b[2]"), s.tensor("B").legs());
    }

    @Test
    void primingAMemberPrimesItsFamily() {
        assertEquals("b'[3]", Interpreter.primed("b[3]"));
        assertEquals("i'", Interpreter.primed("i"));
        Scripts s = run("""
                leg b[2] = 3
                M = random(b[0], b[1], seed=1)
                v = random(b[1], seed=2)
                g = grad(M v, M)
                """);
        assertTrue(s.tensor("g").legs().contains("b'[0]"), s.tensor("g").legs().toString());
    }

    @Test
    void aChainBuiltInALoopIsOneNetworkPlannedOnceAndEqualsTheNaiveProduct() {
        List<Plan> plans = new ArrayList<>();
        String script = """
                L = 7
                leg b[L + 1] = 3
                ts = tuple()
                for k in range(L) {
                    ts = append(ts, random(b[k], b[k + 1], seed=k + 1))
                }
                M = network(ts)
                """;
        Scripts s = Scripts.run(ND4J, DType.FLOAT64, script, (net, plan) -> plans.add(plan));
        assertEquals(List.of("b[0]", "b[7]"), s.tensor("M").legs());
        assertEquals(1, plans.stream().filter(p -> p.network().inputCount() == 7).count(), "one plan of all 7 factors");
        // The oracle: the matrices multiplied by a naive triple loop, left to right.
        double[][] acc = null;
        Value.Tuple ts = (Value.Tuple) s.module.globals().get("ts");
        for (Value v : ts.items()) {
            double[] m = ND4J.toDoubles(s.interpreter.evaluator().evaluate(((Value.TensorValue) v).net()).data());
            double[][] next = new double[3][3];
            for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) {
                if (acc == null) next[i][j] = m[3 * i + j];
                else for (int r = 0; r < 3; r++) next[i][j] += acc[i][r] * m[3 * r + j];
            }
            acc = next;
        }
        double[] got = s.values("M");
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) assertEquals(acc[i][j], got[3 * i + j], 1e-9 * (1 + Math.abs(acc[i][j])));
    }

    @Test
    void appendLeavesOlderTuplesAsTheyWere() {
        Scripts s = run("""
                t = append(append(tuple(), 1), 2)
                a = append(t, 3)
                b = append(t, 4)
                c = append(a, 5)
                print(len(t), len(a), len(b), len(c), item(a, 2), item(b, 2), item(c, 3))
                """);
        assertEquals("2 3 3 4 3 4 5\n", s.printed());
    }

    @Test
    void errorsInsideLoopsAreLocatedAtTheMember() {
        Diagnostics d = Scripts.check("""
                leg b[3] = 2
                for k in range(4) {
                    x = random(b[k], seed=k)
                }
                """);
        assertTrue(d.any());
        String text = d.format();
        assertTrue(text.contains("3:16") && text.contains("b[3] is out of range"), text);
    }

    /**
     * A member's index is arithmetic without brackets, so the parser decides `b[...]` with a few
     * tokens of lookahead: thousands of unclosed `b [ 0` (a fuzz finding, over 5 s of CPU when the
     * index was any expression) give a syntax error at once.
     */
    @Test
    void deeplyNestedUnclosedMembersFailToParseQuickly() {
        String text = "leg b[4] = 2\nx = random(" + "b [ 0 ".repeat(5000) + "] , sd = 1 ) y = x [ b ]\n";
        long start = System.nanoTime();
        Diagnostics d = new Diagnostics();
        tn.syntax.TnParserFacade.parse(new tn.diag.Source("<test>", text), d);
        assertTrue(d.any());
        assertTrue(System.nanoTime() - start < 3e9, "parsing took " + (System.nanoTime() - start) / 1e9 + " s");
    }
}
