package tn.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;
import tn.interp.Settings;
import tn.interp.Value;
import tn.plan.Planner;

/**
 * `:time` as IPython's %timeit: statements as well as expressions, repeated quietly after a first
 * run that shows the value, the median/best/worst of the repetitions, the session left as the
 * first run left it, `-n N` for a fixed count, and clear errors.
 */
class TimeCommandTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream both = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private Session session() {
        Settings settings = new Settings();
        settings.setDtype(DType.FLOAT64);
        return new Session(new Nd4jBackend(), new Planner(), both, both, 1e9, settings);
    }

    private String output() {
        String s = bytes.toString(StandardCharsets.UTF_8);
        bytes.reset();
        return s;
    }

    @Test
    void anAssignmentIsTimedNTimesAndTheSessionKeepsTheFirstRunsEffect() {
        Session s = session();
        s.run("x = 1");
        output();
        Commands.execute(s, ":time -n 7 x = x + 1");
        String out = output();
        assertTrue(out.matches("time: [0-9.]+ (s|ms|us) median of 7 runs \\(best [0-9.]+ (s|ms|us), worst [0-9.]+ (s|ms|us)\\); first run [0-9.]+ (s|ms|us)\n"), out);
        assertEquals(2.0, ((Value.Num) s.module().globals().get("x")).value(), 0.0);
    }

    @Test
    void anExpressionShowsItsValueOnceAndIsRepeatedAtLeastThreeTimes() {
        Session s = session();
        s.run("leg i = 2\nv = ones(i)");
        output();
        Commands.execute(s, ":time v v");
        String out = output();
        assertEquals(1, out.split("= 2", -1).length - 1, out); // the value (2) shown once
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("median of ([0-9]+) runs").matcher(out);
        assertTrue(m.find(), out);
        assertTrue(Integer.parseInt(m.group(1)) >= 3, out);
    }

    @Test
    void badInputIsAClearError() {
        Session s = session();
        Commands.execute(s, ":time -n x A");
        assertEquals(":time -n needs a whole number of repetitions from 1 to 1000000, not x\n", output());
        Commands.execute(s, ":time");
        assertTrue(output().startsWith(":time needs an input to time"));
        Commands.execute(s, ":time y = nope");
        assertTrue(output().contains("unknown name nope"));
    }

    @Test
    void theReportReadsAsItsUnits() {
        assertEquals("time: 2.00 ms median of 3 runs (best 1.00 ms, worst 3.00 ms); first run 1.50 s",
                Commands.timeReport(1.5, List.of(0.003, 0.001, 0.002)));
        assertEquals("time: 3.00 s (one run; :time -n N repeats it N times)", Commands.timeReport(3.0, List.of()));
        assertEquals("250 us", tn.net.Units.duration(2.5e-4));
    }
}
