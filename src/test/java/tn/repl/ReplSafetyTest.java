package tn.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.exec.Backend;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;
import tn.interp.Settings;
import tn.interp.Value;
import tn.plan.Planner;

/**
 * The REPL keeps its session whatever a statement does: a bug in tn (any throwable), memory
 * running out, Ctrl-C during a step that cannot stop midway. A piped session with any error
 * exits with 1; :save writes exactly what ran.
 */
class ReplSafetyTest {
    @TempDir Path tmp;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream both = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    /** What the next contract() call of the backend does before (or instead of) contracting. */
    private final AtomicReference<Runnable> beforeContract = new AtomicReference<>();

    /** The ND4J backend, with a hook in contract() through which tests make it fail or stall. */
    private Backend backend() {
        Backend real = new Nd4jBackend();
        return (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, (p, m, args) -> {
            if (m.getName().equals("contract")) {
                Runnable hook = beforeContract.get();
                if (hook != null) hook.run();
            }
            try {
                return m.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    private Session session() {
        Settings settings = new Settings();
        settings.setDtype(DType.FLOAT64);
        return new Session(backend(), new Planner(), both, both, 1e9, settings);
    }

    private String output() {
        String s = bytes.toString(StandardCharsets.UTF_8);
        bytes.reset();
        return s;
    }

    private static void throwing(Supplier<Throwable> t) throws Throwable {
        throw t.get();
    }

    @Test
    void anOverflowingStackIsAnErrorOfItsStatement() throws Exception {
        Session s = session();
        assertTrue(s.run("leg i = 3, j = 4\nA = ones(i, j)\nx = ones(j)"));
        Value before = s.module().globals().get("A");
        output();
        beforeContract.set(() -> {
            throw new StackOverflowError();
        });
        assertFalse(s.run("A = A x\nleg k = 2"));
        String out = output();
        assertTrue(out.startsWith("<in 2>:1:1: this statement is nested too deeply to run"), out);
        assertEquals(before, s.module().globals().get("A"));
        assertNull(s.interpreter().legsOf(s.module()).get("k"));
        beforeContract.set(null);
        assertTrue(s.run("y = A x"));
    }

    @Test
    void anInternalErrorIsOneLineAndLeavesTheSessionAsItWas() throws Exception {
        Session s = session();
        assertTrue(s.run("leg i = 3, j = 4\nA = ones(i, j)\nx = ones(j)"));
        Value before = s.module().globals().get("A");
        output();
        // (a StackOverflowError is not among them: the interpreter answers it as a statement
        // nested too deeply; anOverflowingStackIsAnErrorOfItsStatement checks that)
        for (Throwable bug : new Throwable[] {new NegativeArraySizeException("-2147483648"), new NoClassDefFoundError("tn/Missing"), new AssertionError("broken")}) {
            beforeContract.set(() -> {
                if (bug instanceof RuntimeException r) throw r;
                throw (Error) bug;
            });
            assertFalse(s.run("A = A x\nleg k = 2"));
            String out = output();
            assertEquals(1, out.lines().count(), out);
            assertTrue(out.startsWith("internal error in tn (a bug, not a mistake in your input): " + bug), out);
            assertTrue(out.contains("the session is as it was before this statement"), out);
            String trace = out.replaceAll("(?s).*its trace is in (\\S+);.*", "$1");
            assertTrue(Files.readString(Path.of(trace)).contains("at tn."), trace);
            Files.delete(Path.of(trace));
            assertEquals(before, s.module().globals().get("A"));
            assertNull(s.interpreter().legsOf(s.module()).get("k"));
        }
        beforeContract.set(null);
        assertTrue(s.run("y = A x"));
        assertTrue(s.module().globals().containsKey("y"));
    }

    @Test
    void runningOutOfMemoryIsALocatedErrorAndTheSessionGoesOn() {
        Session s = session();
        assertTrue(s.run("leg i = 3\nA = ones(i)"));
        output();
        beforeContract.set(() -> {
            throw new OutOfMemoryError("Java heap space");
        });
        assertFalse(s.run("B = A A[j]"));
        String out = output();
        assertTrue(out.startsWith("<in 2>:1:1: out of memory while running this statement (Java heap space)"), out);
        assertFalse(s.module().globals().containsKey("B"));
        beforeContract.set(null);
        assertTrue(s.run("B = A A[j]"));
    }

    @Test
    void aBugInACommandIsReportedAndTheSessionGoesOn() throws Exception {
        beforeContract.set(() -> {
            throw new IllegalStateException("planner bug");
        });
        Repl repl = new Repl(backend(), new Planner(), both, both, 1e9, new Settings());
        int code = repl.runPlain(new ByteArrayInputStream("leg i = 2\nA = ones(i)\n:time A A[j]\nprint(\"after\")\n".getBytes(StandardCharsets.UTF_8)));
        String out = output();
        assertTrue(out.contains("internal error in tn (a bug, not a mistake in your input): java.lang.IllegalStateException: planner bug"), out);
        assertTrue(out.endsWith("after\n"), out);
        assertEquals(1, code);
        Files.deleteIfExists(Path.of(out.replaceAll("(?s).*its trace is in (\\S+);.*", "$1")));
    }

    /**
     * Ctrl-C during a step that cannot stop midway (a native GEMM, simulated by a backend that
     * ignores interrupts for a while): the statement ends as cancelled when the step ends, and
     * nothing is bound.
     */
    @Test
    void anInterruptDuringAnUninterruptibleStepCancelsTheStatement() throws Exception {
        for (boolean libraryClearsTheFlag : new boolean[] {false, true}) {
            Session s = session();
            assertTrue(s.run("leg i = 3, j = 4\nA = ones(i, j)\nx = ones(j)"));
            output();
            CountDownLatch entered = new CountDownLatch(1);
            beforeContract.set(() -> {
                entered.countDown();
                long end = System.nanoTime() + 400_000_000L;
                while (System.nanoTime() < end) Thread.onSpinWait(); // deaf to interrupts, as native code is
                if (libraryClearsTheFlag) Thread.interrupted();
            });
            AtomicReference<Boolean> ok = new AtomicReference<>();
            Thread t = new Thread(() -> ok.set(s.run("y = A x")));
            t.start();
            assertTrue(entered.await(30, TimeUnit.SECONDS));
            if (libraryClearsTheFlag) s.cancel(); // Ctrl-C on a terminal
            else t.interrupt();
            t.join(30_000);
            beforeContract.set(null);
            assertEquals(Boolean.FALSE, ok.get());
            String out = output();
            assertTrue(out.startsWith("<in 2>:1:1: interrupted: the statement is cancelled and the session is as it was before it"), out);
            assertFalse(s.module().globals().containsKey("y"), "a cancelled statement binds nothing");
            assertTrue(s.run("y = A x"), output());
            assertTrue(s.module().globals().containsKey("y"));
        }
    }

    /** The same with the real backend: a large GEMM interrupted while it runs. */
    @Test
    void anInterruptDuringARealGemmBindsNothing() throws Exception {
        Session s = session();
        assertTrue(s.run("leg i = 1500, j = 1500, k = 1500\nA = random(i, j, seed=1)\nB = random(j, k, seed=2)"));
        output();
        CountDownLatch entered = new CountDownLatch(1);
        beforeContract.set(entered::countDown);
        AtomicReference<Boolean> ok = new AtomicReference<>();
        Thread t = new Thread(() -> ok.set(s.run("C = A B")));
        t.start();
        assertTrue(entered.await(60, TimeUnit.SECONDS));
        t.interrupt();
        t.join(60_000);
        beforeContract.set(null);
        String out = output();
        assertEquals(Boolean.FALSE, ok.get(), out);
        assertTrue(out.startsWith("<in 2>:1:5: interrupted") || out.startsWith("<in 2>:1:1: interrupted"), out);
        assertFalse(s.module().globals().containsKey("C"));
    }

    @Test
    void aPipedSessionWithAnyErrorExitsWithOne() {
        String[] failing = {"x = nope\n", ":frobnicate\n", ":load " + tmp.resolve("missing.tn") + "\n", ":draw\n", ":save\n"};
        for (String input : failing) {
            Repl repl = new Repl(backend(), new Planner(), both, both, 1e9, new Settings());
            assertEquals(1, repl.runPlain(new ByteArrayInputStream(("leg i = 2\n" + input).getBytes(StandardCharsets.UTF_8))), input);
        }
        Repl repl = new Repl(backend(), new Planner(), both, both, 1e9, new Settings());
        assertEquals(0, repl.runPlain(new ByteArrayInputStream("leg i = 2\n:legs\n".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void saveWritesExactlyWhatRan() throws Exception {
        Path bad = tmp.resolve("bad.tn");
        Files.writeString(bad, "leg p = 2\nkept_not = ones(p)\nboom = nope\n");
        Path saved = tmp.resolve("saved.tn");
        Session s = session();
        s.run("leg i = 2\na = ones(i); b = nope; c = a a");
        Commands.execute(s, ":load " + bad);
        Commands.execute(s, ":save " + saved);
        // a ran (and is kept), b failed, c never ran; nothing of bad.tn is kept or saved.
        assertEquals("# saved from a tn REPL session\nleg i = 2\na = ones(i)\n", Files.readString(saved));
        assertTrue(s.module().globals().containsKey("a"));
        assertFalse(s.module().globals().containsKey("kept_not"));
        assertNull(s.interpreter().legsOf(s.module()).get("p"));
        output();
        // An input with a path, run in the REPL's folder and saved elsewhere: the move is pointed out.
        s.run("print(\"w.npy\")");
        Commands.execute(s, ":save " + saved);
        assertTrue(output().endsWith("note: inputs with strings (file names?) ran in " + s.folder()
                + "; the saved script resolves relative paths against its own folder, " + tmp + "\n"));
    }
}
