package tn.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tn.diag.TnError;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;

/**
 * prime(x, legs...): the fix the accidental-hyperedge lint asks for. A 3-site MPS norm written
 * with prime() is the sum of squares of the state's entries (computed here from the state
 * itself, a different network); without legs every leg is primed; family members prime as b'[k].
 */
class PrimeTest {
    private static final Nd4jBackend ND4J = new Nd4jBackend();
    private static final String MPS = """
            leg p1 = 2, p2 = 2, p3 = 2, b1 = 3, b2 = 3
            A1 = random(p1, b1, seed=1)
            A2 = random(b1, p2, b2, seed=2)
            A3 = random(b2, p3, seed=3)
            psi = A1 A2 A3 -> [p1, p2, p3]
            """;

    @Test
    void aBraWrittenWithPrimeIsTheNorm() {
        Scripts s = Scripts.run(ND4J, DType.FLOAT64, MPS + "n = A1 A2 A3 prime(A1, b1) prime(A2, b1, b2) prime(A3, b2)\n");
        double[] state = s.values("psi");
        double squares = 0;
        for (double v : state) squares += v * v;
        assertEquals(squares, s.values("n")[0], 1e-12 * squares);
    }

    @Test
    void withoutLegsEveryLegIsPrimedAndFamilyMembersPrimeInside() {
        Scripts s = Scripts.run(ND4J, DType.FLOAT64, MPS + "leg b[3] = 2\nB = random(b[0], b[2], seed=4)\nP = prime(A2)\nQ = prime(B, b[2])\n");
        assertEquals(List.of("b1'", "p2'", "b2'"), s.tensor("P").legs());
        assertArrayEquals(s.values("A2"), s.values("P"), 0);
        assertEquals(List.of("b[0]", "b'[2]"), s.tensor("Q").legs());
    }

    @Test
    void aMissingLegOrAPrimedNameTakenIsALocatedError() {
        TnError none = assertThrows(TnError.class, () -> Scripts.run(ND4J, DType.FLOAT64, MPS + "x = prime(A1, p2)\n"));
        assertTrue(none.getMessage().contains("prime(): the tensor has no leg p2 (its legs: p1, b1)"), none.getMessage());
        TnError taken = assertThrows(TnError.class, () -> Scripts.run(ND4J, DType.FLOAT64, MPS + "leg p1' = 2\nC = random(p1, p1', seed=5)\nx = prime(C, p1)\n"));
        assertTrue(taken.getMessage().contains("already has a leg p1'"), taken.getMessage());
    }
}
