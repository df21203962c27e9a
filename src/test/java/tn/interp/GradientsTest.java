package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;

/**
 * {@code grad(loss, params)} of a tuple or a record of tensors (a model's weights): every gradient
 * from one backward pass. Checked against central finite differences (jacobian(..., h=), which
 * takes no derivative), and by cost: the shared pass plans far fewer multiply-adds than one
 * gradient at a time.
 */
class GradientsTest {
    private static final String MODEL = """
            import transformer
            m = transformer(layers=2, heads=2, d_model=8, d_mlp=12, vocab=11, context=6, seed=3, std=0.4)
            ids = [3, 1, 4, 1, 5]
            target = onehot([1, 4, 1, 5, 9], pos, vocab, size=11)
            loss = -sum(target log(softmax(forward(m, ids), vocab)))
            """;

    private static void assertClose(double[] want, double[] got, double tolerance, String what) {
        assertEquals(want.length, got.length, what);
        for (int k = 0; k < want.length; k++) assertEquals(want[k], got[k], tolerance * Math.max(1, Math.abs(want[k])), what + " entry " + k);
    }

    @Test
    void aRecordsGradientsMatchFiniteDifferencesField() {
        Scripts s = Scripts.run(new Nd4jBackend(), DType.FLOAT64, MODEL + """
                g = grad(loss, m)
                names = keys(g)
                gQ = get(g, "W_Q")
                gin = get(g, "b_in")
                gln = get(g, "ln1_w")
                gE = get(g, "W_E")
                fQ = jacobian(loss, m.W_Q, h=1e-6)
                fin = jacobian(loss, m.b_in, h=1e-6)
                fln = jacobian(loss, m.ln1_w, h=1e-6)
                fE = jacobian(loss, m.W_E, h=1e-6)
                """);
        assertClose(s.values("fQ"), s.values("gQ"), 1e-7, "dloss/dW_Q");
        assertClose(s.values("fin"), s.values("gin"), 1e-7, "dloss/db_in");
        assertClose(s.values("fln"), s.values("gln"), 1e-7, "dloss/dln1_w");
        assertClose(s.values("fE"), s.values("gE"), 1e-7, "dloss/dW_E");
        // Only tensor fields, each named as in the model, in the model's order; sizes and switches pass over.
        Value.Tuple names = (Value.Tuple) s.module.globals().get("names");
        List<String> got = names.items().stream().map(v -> ((Value.Str) v).value()).toList();
        assertTrue(got.containsAll(List.of("W_E", "W_pos", "W_Q", "W_K", "W_V", "W_O", "W_in", "W_out", "W_U", "ln1_w", "lnf_b")), got.toString());
        assertTrue(!got.contains("n_layers") && !got.contains("d_model"), got.toString());
    }

    @Test
    void aTuplesGradientsEqualTheGradientsOneAtATime() {
        Scripts s = Scripts.run(new Nd4jBackend(), DType.FLOAT64, MODEL + """
                gs = grad(loss, tuple(m.W_K, m.W_U, m.b_O))
                a = item(gs, 0)
                b = item(gs, 1)
                c = item(gs, 2)
                a1 = grad(loss, m.W_K)
                b1 = grad(loss, m.W_U)
                c1 = grad(loss, m.b_O)
                """);
        assertClose(s.values("a1"), s.values("a"), 1e-12, "W_K");
        assertClose(s.values("b1"), s.values("b"), 1e-12, "W_U");
        assertClose(s.values("c1"), s.values("c"), 1e-12, "b_O");
    }

    @Test
    void allGradientsTogetherCostAboutOneBackwardPass() {
        String fields = "tuple(\"W_E\", \"W_pos\", \"W_Q\", \"W_K\", \"W_V\", \"W_O\", \"W_in\", \"W_out\", \"W_U\")";
        // The planner's costs of every gradient, taken together and one at a time (the forward values are shared).
        double[] shared = {0}, single = {0}, forward = {0};
        for (String which : List.of("shared", "single", "forward")) {
            double[] sum = {0};
            Scripts.run(new Nd4jBackend(), DType.FLOAT64, MODEL.replace("loss = ", "L0 = ") + switch (which) {
                case "shared" -> "loss = L0\nshow(loss)\ng = grad(loss, m)\nfor k in " + fields + " { x = detach(get(g, k)) }\n";
                case "single" -> "loss = L0\nshow(loss)\nfor k in " + fields + " { x = detach(grad(loss, get(m, k))) }\n";
                default -> "loss = L0\nshow(loss)\n";
            }, (net, plan) -> sum[0] += plan.cost());
            (which.equals("shared") ? shared : which.equals("single") ? single : forward)[0] = sum[0];
        }
        double backwardShared = shared[0] - forward[0], backwardSingle = single[0] - forward[0];
        assertTrue(backwardShared > 0 && backwardSingle > 0, shared[0] + " " + single[0] + " " + forward[0]);
        assertTrue(backwardShared < 0.4 * backwardSingle,
                "one pass for 9 gradients: " + backwardShared + " multiply-adds, against " + backwardSingle + " one at a time");
        assertTrue(backwardShared < 4 * forward[0], "the backward pass costs " + backwardShared / forward[0] + " forwards");
    }

    @Test
    void keysGetAndWithWorkOnRecordsAndTuples() {
        Scripts s = Scripts.run(new Nd4jBackend(), DType.FLOAT64, """
                r = record(a=1, b="x")
                t = tuple(10, 20, 30)
                r2 = with(r, "a", 5)
                r3 = with(r, "c", 7)
                t2 = with(t, 1, 99)
                ka = keys(r3)
                kt = keys(t)
                va = get(r2, "a") + get(t2, 1) + get(r3, "c")
                """);
        Map<String, Value> g = s.module.globals();
        assertEquals(5 + 99 + 7, ((Value.Num) g.get("va")).value(), 0);
        assertEquals(List.of("a", "b", "c"), ((Value.Tuple) g.get("ka")).items().stream().map(v -> ((Value.Str) v).value()).toList());
        assertEquals(3, ((Value.Tuple) g.get("kt")).items().size());
        assertEquals(1.0, ((Value.Num) ((Value.Record) g.get("r")).fields().get("a")).value(), 0); // unchanged
    }
}
