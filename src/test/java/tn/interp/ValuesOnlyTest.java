package tn.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;
import tn.net.ReleaseCheckingBackend;

/**
 * Inside detach(...) the evaluator gives each intermediate's memory back once nothing that may
 * still be evaluated reads it (tn.net.Liveness). Checked here: the numbers are bit for bit those
 * of the same network evaluated without detach; no released value is ever read again (the
 * backend refuses it, and the suite's tn.poison fills freed memory with NaNs); a forward's
 * intermediates are all given back; outside detach nothing is; and nothing is computed twice in
 * the stdlib's workflows (forward, run_with_cache, training), so the memory is not bought with time.
 */
class ValuesOnlyTest {
    private static final String[] UNARY = {"tanh(%s)", "relu(%s)", "gelu(%s)", "softmax(%s, i)", "layernorm(%s, i)", "(M%d (%s)[i -> i2] -> [i])"};
    private static final String[] BINARY = {"%s + %s", "%s - 0.5 * %s", "%s .* %s", "(((%s)[i -> i2] N -> [i]) + %s)"};

    /**
     * A random program of vectors over leg i: functions of one or two arguments whose bodies mix
     * locals (computed when assigned), expressions and numbers read from values (assert), reuse
     * their arguments (a network read by several parents, never assigned), call earlier
     * functions, and end in a result R built by main.
     */
    static String randomProgram(Random rnd) {
        StringBuilder sb = new StringBuilder("set dtype = float64\nleg i = 5, i2 = 5\n");
        for (int k = 0; k < 3; k++) sb.append("M").append(k).append(" = random(i, i2, seed=").append(10 + k).append(", std=0.5)\n");
        sb.append("N = random(i2, i, seed=20, std=0.5)\n");
        sb.append("v = random(i, seed=1)\nw = random(i, seed=2)\n");
        int functions = 2 + rnd.nextInt(3);
        for (int f = 0; f < functions; f++) {
            sb.append("def f").append(f).append("(a, b) {\n");
            List<String> names = new ArrayList<>(List.of("a", "b"));
            int lines = 1 + rnd.nextInt(4);
            for (int l = 0; l < lines; l++) {
                String e = expression(rnd, names, f, 2);
                if (rnd.nextInt(6) == 0) { // a number read from a value (handed to the caller, so never released)
                    sb.append("    assert sum(").append(e).append(", i) > -1e9\n");
                } else if (rnd.nextBoolean()) {
                    String local = "t" + l;
                    sb.append("    ").append(local).append(" = ").append(e).append('\n');
                    names.add(local);
                } else {
                    names.add("(" + e + ")"); // the same text again later: a network built twice, not shared
                }
            }
            sb.append("    return ").append(expression(rnd, names, f, 2)).append("\n}\n");
        }
        sb.append("def main(a, b) = f").append(functions - 1).append("(f").append(rnd.nextInt(functions)).append("(a, b), b)\n");
        return sb.toString();
    }

    private static String expression(Random rnd, List<String> names, int function, int depth) {
        String x = names.get(rnd.nextInt(names.size()));
        if (depth == 0 || rnd.nextInt(4) == 0) return x;
        int op = rnd.nextInt(10);
        if (op < 2 && function > 0) { // an earlier function, its arguments sharing names
            return "f" + rnd.nextInt(function) + "(" + expression(rnd, names, function, depth - 1) + ", " + x + ")";
        }
        if (op < 6) {
            String u = UNARY[rnd.nextInt(UNARY.length)];
            return u.startsWith("(M") ? String.format(u, rnd.nextInt(3), expression(rnd, names, function, depth - 1))
                    : String.format(u, expression(rnd, names, function, depth - 1));
        }
        String y = expression(rnd, names, function, depth - 1);
        return String.format(BINARY[rnd.nextInt(BINARY.length)], x, y);
    }

    @Test
    void randomProgramsUnderDetachGiveTheSameBitsAndNeverReadAReleasedValue() {
        Random rnd = new Random(20261208);
        int released = 0;
        for (int trial = 0; trial < 150; trial++) {
            String program = randomProgram(rnd);
            ReleaseCheckingBackend free = new ReleaseCheckingBackend(new Nd4jBackend());
            Scripts detached = Scripts.run(free, DType.FLOAT64, program + "R = detach(main(v, w))\n");
            ReleaseCheckingBackend kept = new ReleaseCheckingBackend(new Nd4jBackend());
            Scripts plain = Scripts.run(kept, DType.FLOAT64, program + "R = main(v, w)\n");
            assertArrayEquals(plain.values("R"), detached.values("R"), program);
            assertEquals(0, kept.releasedCount(), () -> "released outside detach:\n" + program);
            assertEquals(0, detached.interpreter.evaluator().recomputations(), program);
            released += free.releasedCount();
        }
        assertTrue(released > 1000, "only " + released + " intermediates were released early in 150 programs");
    }

    private static final String MODEL = """
            set dtype = float64
            import transformer
            m = transformer(layers=3, heads=2, d_model=8, d_mlp=12, vocab=11, context=8, seed=3, std=0.4)
            ids = [3, 1, 4, 1, 5, 9]
            """;

    @Test
    void aForwardUnderDetachGivesBackEveryIntermediate() {
        ReleaseCheckingBackend b = new ReleaseCheckingBackend(new Nd4jBackend());
        Scripts s = Scripts.run(b, DType.FLOAT64, MODEL + "before = 0\n");
        int atStart = b.unreleasedByEvaluator();
        s = runMore(s, "y = detach(forward(m, ids))\n");
        // What the evaluator made and did not give back: the logits alone. (The builtins' tensors
        // stay as long as the network holding them: the one-hot input, the causal masks, the
        // layers' weights, which are views of the model's.)
        int left = b.unreleasedByEvaluator() - atStart;
        Scripts plain = Scripts.run(new ReleaseCheckingBackend(new Nd4jBackend()), DType.FLOAT64, MODEL + "y = forward(m, ids)\n");
        assertArrayEquals(plain.values("y"), s.values("y"));
        assertTrue(b.releasedCount() > 80, "released " + b.releasedCount());
        assertEquals(1, left, left + " values the evaluator made in the forward were not released (" + b.releasedCount() + " were)");
        assertEquals(0, s.interpreter.evaluator().recomputations());
    }

    @Test
    void runWithCacheAndTrainingComputeNothingTwice() {
        ReleaseCheckingBackend b = new ReleaseCheckingBackend(new Nd4jBackend());
        Scripts s = Scripts.run(b, DType.FLOAT64, MODEL + """
                import train
                c = run_with_cache(m, ids)
                p = tuple(m.W_Q, m.W_out)
                def loss(p) = sum(pow(forward(with(with(m, "W_Q", item(p, 0)), "W_out", item(p, 1)), ids), 2), pos, vocab)
                for step in range(2) {
                    p = sgd_step(p, loss(p), lr=0.01)
                }
                q = detach(item(p, 0))
                """);
        assertTrue(b.releasedCount() > 0);
        assertEquals(0, s.interpreter.evaluator().recomputations());
    }

    private static Scripts runMore(Scripts s, String text) {
        tn.diag.Diagnostics d = new tn.diag.Diagnostics();
        List<tn.ast.Stmt> program = tn.syntax.TnParserFacade.parse(new tn.diag.Source("<test>", text), d);
        s.interpreter.run(s.module, program, null);
        return s;
    }
}
