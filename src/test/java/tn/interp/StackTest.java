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
 * stack(tuple, leg): the items along a new first leg, in the first item's leg order, whatever
 * order the other items' legs are in; checked entry by entry against the items' own entries read
 * in a plain loop, and against pick (its inverse).
 */
class StackTest {
    static final Nd4jBackend ND4J = new Nd4jBackend();

    @Test
    void itemKIsTheSliceAtK() {
        Scripts s = Scripts.run(ND4J, DType.FLOAT64, """
                leg i = 2, j = 3
                a = random(i, j, seed=1)
                b = random(j, i, seed=2)
                c = 2 * a
                S = stack(tuple(a, b, c), n)
                b2 = b -> [i, j]
                p1 = pick(S, n=1) -> [i, j]
                """);
        assertEquals(List.of("n", "i", "j"), s.tensor("S").legs());
        double[] S = s.values("S");
        double[][] items = {s.values("a"), s.values("b2"), s.values("c")};
        assertEquals(18, S.length);
        for (int k = 0; k < 3; k++) for (int e = 0; e < 6; e++) assertEquals(items[k][e], S[k * 6 + e], "entry [" + k + ", " + e + "]");
        assertArrayEquals(s.values("b2"), s.values("p1"));
    }

    @Test
    void mixedDtypesArePromotedAndOneItemWorks() {
        Scripts s = Scripts.run(ND4J, DType.FLOAT32, """
                leg i = 3
                a = arange(i)
                b = arange(i, dtype=float64)
                S = stack(tuple(a, b), layer)
                T = stack(tuple(a), one)
                """);
        assertEquals(DType.FLOAT64, s.tensor("S").dtype());
        assertArrayEquals(new double[] {0, 1, 2, 0, 1, 2}, s.values("S"));
        assertArrayEquals(new double[] {0, 1, 2}, s.values("T"));
    }

    @Test
    void badInputIsALocatedError() {
        String[][] cases = {
            {"leg i = 2, j = 3\nS = stack(tuple(ones(i), ones(j)), n)", "item 1 has legs [j=3] but item 0 has [i=2]"},
            {"leg i = 2\nS = stack(tuple(ones(i), 3), n)", "item 1 is a number, not a tensor"},
            {"leg i = 2\nS = stack(tuple(), n)", "the tuple is empty"},
            {"leg i = 2\nS = stack(tuple(ones(i)), i)", "already have a leg i"},
            {"leg i = 2\nS = stack(ones(i), n)", "needs a tuple of tensors"},
        };
        for (String[] c : cases) {
            TnError e = assertThrows(TnError.class, () -> Scripts.run(ND4J, DType.FLOAT64, c[0]), c[0]);
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }
}
