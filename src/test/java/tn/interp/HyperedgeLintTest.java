package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import tn.diag.Diagnostic;
import tn.diag.Diagnostics;

/** The warning for a leg on three or more factors among which a tensor repeats (a bra written like its ket). */
class HyperedgeLintTest {
    private static final String MPS = "leg p1 = 2, p2 = 2, b1 = 3\nA1 = random(p1, b1, seed=1)\nA2 = random(b1, p2, seed=2)\n";

    @Test
    void aRepeatedTensorOnAHyperedgeIsWarnedAtItsSecondCopy() {
        Diagnostics d = Scripts.check(MPS + "n = A1 A2 A1 A2\n");
        assertEquals(1, d.size(), d.format());
        Diagnostic w = d.all().get(0);
        assertTrue(w.warning());
        assertFalse(d.any(), "a warning is not an error");
        assertEquals(4, w.span().line());
        assertEquals(11, w.span().column());
        assertTrue(w.message().startsWith("leg b1 is on 4 factors and A1 is twice among them (so are A2)"), w.message());
        assertTrue(w.message().endsWith("give it its own legs: A1[b1 -> b1']"), w.message());
        assertTrue(w.format().contains(":4:11: warning: leg b1"), w.format());
    }

    @Test
    void primedCopiesOrdinaryHyperedgesAndPairsAreQuiet() {
        Diagnostics d = Scripts.check(MPS + "leg b1' = 3\nn = A1 A2 A1[b1 -> b1'] A2[b1 -> b1']\n"
                + "x = random(b1, seed=3)\ny = random(b1, seed=4)\nz = random(b1, seed=5)\nh = x y z\nsq = x x\n");
        assertEquals(0, d.size(), d.format());
    }
}
