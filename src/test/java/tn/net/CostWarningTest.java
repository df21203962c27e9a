package tn.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.golden.Golden;

/**
 * A contraction whose plan means hours of work is warned about before anything runs, at the
 * expression, with its cost and a time at {@link Evaluator#RATE}; cheap ones are not.
 */
class CostWarningTest {
    @Test
    void anHoursLongContractionIsWarnedAboutWhenChecked(@TempDir Path dir) throws Exception {
        // (A B) x with A, B of 2e9 entries: 4e15 multiply-adds in A B (the tensors are never made).
        Path script = dir.resolve("ring.tn");
        Files.writeString(script, """
                set memory_limit = 1e15
                leg a = 2000000, b = 1000, c = 2000000
                A = random(a, b)
                B = random(b, c)
                show(A B)
                """);
        Golden.Result r = Golden.run("check", script.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().contains("ring.tn:5:6: warning: this contraction costs 4.00e+15 multiply-adds; at 10^11 a second"
                + " that is 11.1 hours or more"), r.err());
        assertTrue(r.err().contains("    show(A B)\n         ^^^"), r.err());
    }

    @Test
    void aCheapContractionIsNotWarnedAbout(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("small.tn");
        Files.writeString(script, "leg a = 300, b = 300\nA = random(a, b)\nshow(A A)\n");
        Golden.Result r = Golden.run("check", script.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertFalse(r.err().contains("warning"), r.err());
    }

    @Test
    void durationsReadAsTheirUnit() {
        assertEquals("90 minutes", Units.duration(5400));
        assertEquals("2.8 hours", Units.duration(1e4));
        assertEquals("12 days", Units.duration(1e6));
        assertEquals("317 years", Units.duration(1e10));
        assertEquals("1.65e+9 years", Units.duration(5.21e16));
    }
}
