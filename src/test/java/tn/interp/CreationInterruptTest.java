package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import tn.diag.Diagnostics;
import tn.diag.Source;
import tn.diag.TnError;
import tn.exec.nd4j.Nd4jBackend;
import tn.net.Evaluator;
import tn.plan.Planner;
import tn.syntax.TnParserFacade;

/**
 * Ctrl-C in the REPL interrupts the thread running the statement: a large random tensor being
 * made stops within moments with the error "interrupted", and its name is not bound.
 */
class CreationInterruptTest {
    @Test
    void anInterruptStopsALargeRandomTensor() throws Exception {
        for (String call : new String[] {"random(a, b)", "random(a, b, seed=3, dtype=float64)"}) {
            Interpreter in = new Interpreter(new Evaluator(new Nd4jBackend(), new Planner(), 8e9),
                    new PrintStream(PrintStream.nullOutputStream()), new Settings());
            Interpreter.Module module = in.newModule(new Source("<test>", ""), Path.of("."));
            Diagnostics d = new Diagnostics();
            // 10^8 entries: seconds of work on one core, a good part of a second on eight.
            var program = TnParserFacade.parse(new Source("<test>", "leg a = 10000, b = 10000\nx = " + call + "\n"), d);
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    in.run(module, program, null);
                } catch (Throwable e) {
                    outcome.set(e);
                }
            });
            t.start();
            // Early, so that even a many-core machine is still making the tensor (an interrupt that
            // comes before the call is seen at its first chunk, with the same outcome).
            Thread.sleep(50);
            long interrupted = System.nanoTime();
            t.interrupt();
            t.join(20_000);
            double seconds = (System.nanoTime() - interrupted) / 1e9;
            assertFalse(t.isAlive());
            assertTrue(outcome.get() instanceof TnError, call + ": ended with " + outcome.get());
            assertEquals("interrupted", outcome.get().getMessage());
            assertEquals(2, ((TnError) outcome.get()).span().line(), "the error points at the call");
            assertTrue(seconds < 2.0, call + " stopped " + seconds + " s after the interrupt");
            assertFalse(module.globals().containsKey("x"), "nothing is bound");
        }
    }
}
