package tn.repl;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tn.ast.Stmt;
import tn.diag.Diagnostics;
import tn.diag.Source;
import tn.diag.TnError;
import tn.exec.Backend;
import tn.interp.Interpreter;
import tn.interp.Printer;
import tn.interp.Settings;
import tn.interp.Value;
import tn.interp.builtins.Inspect;
import tn.net.Evaluator;
import tn.net.Tensor;
import tn.plan.Planner;
import tn.syntax.TnParserFacade;

/**
 * The state of a REPL session: an interpreter and its module, and the inputs that succeeded (for
 * `:save`). Each input runs statement by statement; a statement that fails, is interrupted or
 * hits a bug in tn leaves the session exactly as it was before it, and the session goes on.
 * The REPL prints values and errors; the Jupyter kernel ({@code tn.kernel}) runs its cells in a
 * Session too, and receives them through an {@link Output}.
 */
public final class Session {
    /**
     * Where the values of expression statements and error messages go. The REPL prints them;
     * the kernel turns them into Jupyter messages (rich output, error replies).
     */
    public interface Output {
        /**
         * The value of the expression statement {@code text}: {@code plain} is how the REPL prints
         * it; {@code x} is the computed tensor of a tensor value (else null).
         */
        void value(String text, String plain, Value v, Tensor x);

        /** A located error message (`<in 3>:1:5: ...` with the source line and a caret), or a command's error. */
        void error(String message);
    }

    /** An input that ran, and the folder its relative paths were resolved against. */
    record Accepted(String text, Path folder) {}

    private final Backend backend;
    private final Planner planner;
    private final PrintStream out;
    private final PrintStream err;
    private final double memoryLimit;
    private final tn.exec.DType initialDtype;
    private final String initialMethod;
    private final Path folder = Path.of("").toAbsolutePath();
    private Interpreter interpreter;
    private Interpreter.Module module;
    private final List<Accepted> accepted = new ArrayList<>();
    private int inputs;
    /** Whether the statement that just ran showed a value (and so bound `_`). */
    private boolean shown;
    /** While `:time` repeats an input: values are computed but not shown. */
    private boolean quiet;
    private boolean hadError;
    /** The thread running a statement, to interrupt on Ctrl-C (null between statements). */
    private volatile Thread running;
    /** Set by Ctrl-C; unlike a thread's interrupt flag, no library code can clear it. */
    private volatile boolean cancelRequested;
    private Output output;
    /** How `:draw` shows a diagram in the terminal itself (none: it only writes the file). */
    private TerminalImages.Protocol images = TerminalImages.Protocol.NONE;
    /** Images shown inline (the kernel's); kept here because {@link #reset} makes a new interpreter. */
    private Interpreter.Display display;

    Session(Backend backend, Planner planner, PrintStream out, PrintStream err, double memoryLimit, Settings settings) {
        this(backend, planner, out, err, memoryLimit, settings, "auto");
    }

    public Session(Backend backend, Planner planner, PrintStream out, PrintStream err, double memoryLimit, Settings settings, String method) {
        this.initialMethod = method;
        this.output = new Output() {
            public void value(String text, String plain, Value v, Tensor x) { out.println(plain); }
            public void error(String message) { err.print(message.endsWith("\n") ? message : message + "\n"); }
        };
        this.backend = backend;
        this.planner = planner;
        this.out = out;
        this.err = err;
        this.memoryLimit = memoryLimit;
        this.initialDtype = settings.dtype();
        reset();
    }

    /** Forgets everything: a new interpreter and module with the session's starting settings. */
    void reset() {
        Settings settings = new Settings();
        settings.setDtype(initialDtype);
        Evaluator evaluator = new Evaluator(backend, planner, memoryLimit);
        evaluator.setMethod(initialMethod);
        interpreter = new Interpreter(evaluator, out, settings);
        interpreter.setRedeclareLegs(true); // `leg i = 4` after `leg i = 3` needs no :reset
        interpreter.setWarnings(d -> err.println(d.format())); // no checking pass here: warn as the statement runs
        interpreter.setDisplay(display);
        module = interpreter.newModule(new Source("<repl>", ""), folder);
        accepted.clear();
    }

    /** Shows `:draw`'s diagrams in the terminal with this protocol (an interactive terminal that supports one). */
    public void setImages(TerminalImages.Protocol images) { this.images = images; }

    public TerminalImages.Protocol images() { return images; }

    /** Sends values and errors to {@code output} instead of printing them. */
    public void setOutput(Output output) { this.output = output; }

    /** Shows diagrams and charts inline through {@code display} (also after `:reset`). */
    public void setDisplay(Interpreter.Display display) {
        this.display = display;
        interpreter.setDisplay(display);
    }

    public Interpreter interpreter() { return interpreter; }

    public Interpreter.Module module() { return module; }

    Planner planner() { return planner; }

    PrintStream out() { return out; }

    PrintStream err() { return err; }

    /** The folder relative paths typed in the session are resolved against. */
    Path folder() { return folder; }

    List<Accepted> accepted() { return accepted; }

    /** Whether any input or command has failed (a piped session then exits with 1). */
    boolean hadError() { return hadError; }

    /** Prints an error message (of a command) and remembers that the session had an error. */
    void error(String message) {
        hadError = true;
        output.error(message);
    }

    /** Prints a located error and remembers that the session had an error. */
    void error(TnError e) {
        hadError = true;
        Diagnostics d = new Diagnostics();
        d.add(e);
        output.error(d.format());
    }

    /** Prints parse errors (or other collected diagnostics). */
    void error(Diagnostics d) {
        hadError = true;
        output.error(d.format());
    }

    /** Parses a piece of input; prints syntax errors and returns null if there are any. */
    List<Stmt> parse(String text, String name) {
        Diagnostics d = new Diagnostics();
        List<Stmt> program = TnParserFacade.parse(new Source(name, text), d);
        if (program == null) error(d);
        return program;
    }

    /**
     * Ctrl-C while a statement runs: the statement is cancelled. It stops at its next step; a
     * step in native code (one large GEMM, a factorisation) cannot stop midway, so the
     * cancellation takes effect when that step ends. Either way nothing the statement did to the
     * session is kept. Safe to call from any thread.
     */
    public void cancel() {
        Thread t = running;
        if (t == null) return;
        cancelRequested = true;
        t.interrupt();
    }

    /** Whether a statement is running (Ctrl-C then cancels it rather than the input line). */
    public boolean busy() { return running != null; }

    /** Runs one input; shows the value of expression statements. Returns false on error. */
    boolean run(String text) {
        return run(text, "<in " + (inputs + 1) + ">");
    }

    /** Runs one input named {@code name} in messages (the kernel's `<cell 3>`). Returns false on error. */
    public boolean run(String text, String name) {
        inputs++;
        List<Stmt> program = parse(text, name);
        if (program == null) return false;
        StringBuilder done = new StringBuilder();
        boolean ok = true;
        for (Stmt s : program) {
            if (!runStatement(module, s, true)) {
                ok = false;
                break;
            }
            // `:save` keeps `_` meaningful: a shown value is saved as the assignment the session made.
            done.append(shown ? "_ = " : "").append(s.span().text()).append('\n');
        }
        if (done.length() > 0) accepted.add(new Accepted(done.toString().stripTrailing(), folder));
        return ok;
    }

    /**
     * Runs an input again (`:time`'s repetitions): values computed but not shown, nothing added to
     * the history `:save` writes. Returns false on error (then reported as for any input).
     */
    boolean repeat(String text) {
        List<Stmt> program = parse(text, "<in " + inputs + ">");
        if (program == null) return false;
        quiet = true;
        try {
            for (Stmt s : program) if (!runStatement(module, s, true)) return false;
            return true;
        } finally {
            quiet = false;
        }
    }

    /**
     * Runs a whole script into the session as one unit (`:load`): if any statement fails, the
     * session goes back to how it was before the first. Relative paths in the script are
     * resolved against its own folder. Returns false on error.
     */
    boolean runScript(Source script, List<Stmt> program, Path scriptFolder) {
        Interpreter.Module within = module.from(script, scriptFolder);
        Interpreter.Snapshot before = interpreter.snapshot(module);
        for (Stmt s : program) {
            if (!runStatement(within, s, false)) {
                interpreter.restore(before);
                return false;
            }
        }
        accepted.add(new Accepted(script.text().stripTrailing(), scriptFolder));
        return true;
    }

    /**
     * Runs one statement, showing its value when asked. Whatever goes wrong (an error in the
     * input, Ctrl-C, a bug in tn, memory running out), the session is put back as it was before
     * the statement, the reason is printed, and false is returned.
     */
    private boolean runStatement(Interpreter.Module in, Stmt s, boolean show) {
        shown = false;
        Interpreter.Snapshot before = interpreter.snapshot(module);
        Thread.interrupted(); // a Ctrl-C from before this statement is spent
        cancelRequested = false;
        running = Thread.currentThread();
        Throwable failure = null;
        Value v = null;
        Tensor shown = null;
        try {
            v = interpreter.runStatement(in, s);
            if (show && v instanceof Value.TensorValue t) shown = interpreter.evaluator().evaluate(t.net());
        } catch (Throwable t) {
            failure = t;
        } finally {
            running = null;
        }
        boolean interrupted = Thread.interrupted() | cancelRequested | failure instanceof Evaluator.Interrupted;
        if (failure == null && !interrupted) {
            try {
                if (show && v != null && !quiet) show(s, v, shown);
                return true;
            } catch (Throwable t) {
                failure = t;
            }
        }
        interpreter.restore(before);
        if (interrupted) {
            error(new TnError(s.span(), "interrupted: the statement is cancelled and the session is as it was before it"));
        } else if (failure instanceof TnError e) {
            error(e);
        } else if (failure instanceof OutOfMemoryError e) {
            error(Interpreter.outOfMemory(s, e));
        } else {
            internalError(failure);
        }
        return false;
    }

    /**
     * A bug in tn (an exception that is not an error of the input): one line saying so, with the
     * exception's message and the file its full trace was written to; never a long trace here.
     */
    void internalError(Throwable t) {
        hadError = true;
        String trace = "";
        try {
            StringWriter w = new StringWriter();
            t.printStackTrace(new PrintWriter(w));
            Path file = Files.createTempFile("tn-internal-error-", ".txt");
            Files.writeString(file, w.toString(), StandardCharsets.UTF_8);
            trace = "; its trace is in " + file;
        } catch (IOException | RuntimeException | Error e) {
            // the one-line report still says what happened
        }
        output.error("internal error in tn (a bug, not a mistake in your input): " + t
                + trace + "; the session is as it was before this statement");
    }

    private void show(Stmt s, Value v, Tensor x) {
        String plain = plain(s.span().text(), v, x);
        if (plain == null) return;
        output.value(s.span().text(), plain, v, x);
        module.globals().put("_", v); // the last value shown, as in Python's REPL
        shown = true;
    }

    /** How the REPL prints a shown value (null: nothing to show). */
    private String plain(String text, Value v, Tensor x) {
        if (v instanceof Value.TensorValue) return Inspect.describe(text, x, Inspect.data(interpreter, x));
        if (v instanceof Value.Num n) return Printer.number(n.value());
        if (v instanceof Value.Bool b) return b.value() + (b.value() || b.detail() == null ? "" : " (" + b.detail() + ")");
        if (v instanceof Value.Str str) return "\"" + str.value() + "\"";
        if (v instanceof Value.Tuple tuple) return "(" + tuple.items().size() + " values)";
        if (!(v instanceof Value.None)) return v.kind();
        return null;
    }

    int inputCount() { return inputs; }
}
