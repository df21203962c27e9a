package tn.draw;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tn.diag.Diagnostics;
import tn.diag.Source;

/**
 * A conjugated tensor is drawn as the tensor it conjugates, marked: conj(psi) as psi*, dag(psi)
 * as psi\u2020, so <psi|H|psi> reads as the notation writes it (it drew a tensor named "conj").
 */
class ConjugateLabelTest {
    @Test
    void conjugatesAreDrawnAsTheirTensorMarked() {
        String script = "set dtype = complex128\nleg i = 3, i' = 3\n"
                + "psi = complex(random(i, seed=3, dtype=float64), random(i, seed=4, dtype=float64))\n"
                + "H = complex(random(i', i, seed=1, dtype=float64), random(i', i, seed=2, dtype=float64))\n"
                + "E = dag(psi) H psi\nn = conj(psi) psi\n";
        Diagnostics d = new Diagnostics();
        ScriptDiagrams.Result r = ScriptDiagrams.check(new Source("conj.tn", script), Path.of("."), d);
        assertNotNull(r, d.format());
        String e = null, n = null;
        for (ScriptDiagrams.Named t : r.tensors()) {
            if (t.name().equals("E")) e = Diagrams.svg(t.net(), "E", DrawOptions.defaults());
            if (t.name().equals("n")) n = Diagrams.svg(t.net(), "n", DrawOptions.defaults());
        }
        assertNotNull(e);
        assertNotNull(n);
        assertTrue(e.contains(">psi\u2020<") && e.contains(">psi<") && e.contains(">H<"), e);
        assertTrue(n.contains(">psi*<") && !n.contains(">conj<"), n);
    }
}
