package tn.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tn.diag.Diagnostics;
import tn.diag.Source;

/**
 * An identity term whose legs point the way the sum's other terms point theirs (issue #19:
 * examples/superposition.tn's cosines, W W[f -> g] - 2 eye(f, g), f and g both down) is a cap, its
 * two legs side by side: splayed from one point, f turned back towards the drawing's middle.
 */
class IdentityCapTest {
    @Test
    void anIdentityTermKeepsItsLegsPointingAwayFromTheDrawing() throws Exception {
        String script = """
                leg h = 2, f = 5, g = 5
                W = random(h, f, seed=1)
                U = W .* broadcast(pow(norm(W, h), -1), W)
                c = (U U[f -> g] -> [f, g]) - 2 * eye(f, g)
                """;
        Diagnostics d = new Diagnostics();
        ScriptDiagrams.Result r = ScriptDiagrams.check(new Source("t.tn", script), Path.of("."), d);
        assertNotNull(r, d.format());
        ScriptDiagrams.Named c = r.tensors().stream().filter(t -> t.name().equals("c")).findFirst().orElseThrow();
        Svg svg = new Svg(Diagrams.svg(c.net(), c.name(), DrawOptions.defaults()));
        assertEquals(List.of(), Quality.problems(svg));
        assertEquals(new Counts(0, 0, 0, 0, 0), Counts.of(svg));
        // the identity's legs: side by side, both straight down like the first term's f and g
        List<Svg.Line> legs = svg.lines.stream().filter(l -> l.from().isEmpty() && l.to().equals("free")).toList();
        assertEquals(2, legs.size());
        for (Svg.Line l : legs) assertEquals(l.start().getX(), l.end().getX(), 1e-6, "a leg of the identity points straight down");
        assertEquals(30, legs.get(1).start().getX() - legs.get(0).start().getX(), 1e-6, "f left of g");
    }
}
