package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * While checking (tn check, and the checking pass of tn run) an assert fires only on what is known
 * without tensor values: a condition on values is unknown, and not/and/or keep it unknown unless
 * the known side decides. `assert not close(A, B)` failed every check before (not unknown was
 * false), so scripts asserting that two tensors differ could not run.
 */
class CheckedAssertTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not close(A, B)                    | ok",
        "close(A, B)                        | ok",
        "not close(A, B) and 1 < 2          | ok",
        "1 < 2 and not close(A, B)          | ok",
        "not close(A, B) or 1 > 2           | ok",
        "not close(A, B) and 1 > 2          | fails",
        "1 > 2 and not close(A, B)          | fails",
        "close(A, B) or 1 < 2               | ok",
        "not (close(A, B) or 1 < 2)         | fails",
        "not (1 > 2)                        | ok",
    })
    void conditionsOnValuesAreUnknownWhileChecking(String condition, String expected) {
        tn.diag.Diagnostics d = Scripts.check("leg i = 2\nA = random(i, seed=1)\nB = random(i, seed=2)\nassert " + condition + "\n");
        assertEquals(expected, d.any() ? "fails" : "ok", d.format());
    }

    /**
     * A branch or loop whose checking stops on a value known only when running (a condition on
     * tensor values) leaves every name its body assigns unknown: the checker used the value from
     * before the branch and refused `x.a` as "not a number" in a script that runs.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "if sum(W) > -100 { x = record(a=1) }",
        "if sum(W) < -100 { y = 1 } else { x = record(a=1) }",
        "for k in range(2) { if sum(W) > -100 { x = record(a=k) } }",
    })
    void namesAssignedWhereCheckingStoppedAreUnknownAfterwards(String block) {
        String body = block.replace("{ ", "{\n").replace(" }", "\n}");
        tn.diag.Diagnostics d = Scripts.check("leg i = 3\nW = random(i, seed=1)\nx = 0\n" + body + "\nprint(x.a)\n");
        assertEquals("ok", d.any() ? d.format() : "ok");
    }
}
