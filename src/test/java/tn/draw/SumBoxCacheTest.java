package tn.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tn.diag.Diagnostics;
import tn.diag.Source;

/**
 * A drawing measures each sum inside it once ({@link Diagrams#sumBox}, kept while one scene is
 * drawn): the SVG is byte for byte the one drawn measuring every sum again at every level.
 */
class SumBoxCacheTest {
    @Test
    void measuringEachSumOnceDrawsTheSameBytes() {
        // sums inside products inside sums, three deep, with legs asked to point several ways
        String script = """
                leg i = 2, j = 2, k = 2, a = 2
                A = random(i, a, seed=1)
                B = random(a, j, seed=2)
                C = random(j, k, seed=3)
                S = A B + A B + 2 * A B
                T = S C + A B C
                U = (T + T) random(k, seed=4) + S random(j, seed=5)
                """;
        Diagnostics d = new Diagnostics();
        ScriptDiagrams.Result r = ScriptDiagrams.check(new Source("t.tn", script), Path.of("."), d);
        assertNotNull(r, d.format());
        for (String name : new String[] {"S", "T", "U"}) {
            ScriptDiagrams.Named t = r.tensors().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
            Scene uncached = new Scene(name);
            uncached.elements.addAll(Diagrams.elements(t.net(), DrawOptions.defaults(), new Ids()));
            assertEquals(SvgWriter.write(uncached), Diagrams.svg(t.net(), name, DrawOptions.defaults()), name);
        }
    }
}
