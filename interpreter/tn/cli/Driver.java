package tn.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import tn.ast.Stmt;
import tn.diag.Diagnostic;
import tn.diag.Diagnostics;
import tn.diag.Source;
import tn.diag.TnError;
import tn.exec.Backend;
import tn.exec.DType;
import tn.interp.Interpreter;
import tn.interp.ScriptArguments;
import tn.interp.Settings;
import tn.net.Evaluator;
import tn.plan.Planner;
import tn.syntax.TnParserFacade;

/**
 * Runs a script through tn's phases in order and stops after the first phase that reported
 * errors: parse, check (the whole script, with shapes only), run. Errors go to {@code err} as
 * diagnostics; the result is the process exit code (0 ok, 1 script error).
 */
public final class Driver {
    /** Options shared by the commands, and the script's arguments. */
    public record Options(DType dtype, String method, double memoryLimitBytes, ScriptArguments arguments) {
        public Options(DType dtype, String method, double memoryLimitBytes) {
            this(dtype, method, memoryLimitBytes, ScriptArguments.none());
        }

        public static Options defaults() {
            return new Options(DType.FLOAT32, "auto", defaultMemoryLimit());
        }
    }

    private final PrintStream out;
    private final PrintStream err;
    private final Planner planner = new Planner();

    private tn.net.SliceExecutor executor = tn.net.LocalSlices.INSTANCE;
    private double taskMemoryBytes = Double.POSITIVE_INFINITY;

    public Planner planner() { return planner; }

    /** Where sliced contractions run (`tn run --spark`), and the memory of one slice there. */
    public void setExecutor(tn.net.SliceExecutor executor, double taskMemoryBytes) {
        this.executor = executor;
        this.taskMemoryBytes = taskMemoryBytes;
    }

    public Driver(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /**
     * The default budget for the largest intermediate: half of what ND4J may allocate off-heap
     * (javacpp's limit, which defaults to the JVM's maximum heap), so one tensor never takes it all.
     */
    public static double defaultMemoryLimit() {
        String maxBytes = System.getProperty("org.bytedeco.javacpp.maxbytes");
        double limit = Runtime.getRuntime().maxMemory();
        if (maxBytes != null) {
            try {
                limit = MemorySize.parse(maxBytes);
            } catch (IllegalArgumentException ignored) {
                // javacpp will complain about its own property; keep the heap-based default
            }
        }
        return limit / 2;
    }

    /** Reads a script; null (and a message) when it cannot be read or is not UTF-8. */
    public Source read(Path file) {
        try {
            return tn.syntax.ParseAhead.read(file, file.toString());
        } catch (NoSuchFileException e) {
            err.println("error: " + file + ": no such file");
        } catch (IOException e) {
            err.println("error: cannot read " + file + ": " + e.getMessage());
        } catch (TnError e) {
            Diagnostics d = new Diagnostics();
            d.add(e);
            report(d);
        }
        return null;
    }

    /** A contraction of a script, the plan made for it, and the memory limit it was planned under. */
    public record Planned(tn.net.Net net, tn.plan.Plan plan, double memoryLimitBytes) {}

    /** Parses and checks; prints diagnostics; returns the program or null. */
    public List<Stmt> check(Source source, Path directory, Options options) {
        return check(source, directory, options, null);
    }

    /**
     * Checks a script and returns the plan of every contraction it makes, in order (null, after
     * printing the errors, when the script has errors). Nothing is computed.
     */
    public List<Planned> plans(Source source, Path directory, Options options) {
        List<Planned> plans = new java.util.ArrayList<>();
        return check(source, directory, options, (evaluator, net, plan) -> plans.add(new Planned(net, plan, evaluator.memoryLimitBytes()))) == null ? null : plans;
    }

    /** A plan listener that also sees the evaluator (its settings when the plan was made). */
    private interface Listener {
        void planned(Evaluator evaluator, tn.net.Net net, tn.plan.Plan plan);
    }

    private List<Stmt> check(Source source, Path directory, Options options, Listener listener) {
        Diagnostics diagnostics = new Diagnostics();
        List<Stmt> program = TnParserFacade.parse(source, diagnostics);
        if (program == null) {
            report(diagnostics);
            return null;
        }
        Interpreter checker = interpreter(null, options, new PrintStream(PrintStream.nullOutputStream()));
        if (listener != null) checker.evaluator().setListener((net, plan) -> listener.planned(checker.evaluator(), net, plan));
        try {
            checker.run(checker.newModule(source, directory), program, diagnostics);
        } catch (TnError e) {
            diagnostics.add(e);
        }
        for (String unread : options.arguments().unread(source.name(), program)) diagnostics.add(new Diagnostic(null, unread));
        if (diagnostics.any()) {
            report(diagnostics);
            return null;
        }
        if (diagnostics.size() > 0) report(diagnostics); // warnings only: the script goes on
        return program;
    }

    /** Checks, then runs with numbers on {@code backend}. Returns the exit code. */
    public int run(Source source, Path directory, Options options, Supplier<Backend> backend) {
        List<Stmt> program = check(source, directory, options);
        if (program == null) return 1;
        Interpreter runner = interpreter(backend.get(), options, out);
        try {
            runner.run(runner.newModule(source, directory), program, null);
        } catch (TnError e) {
            Diagnostics d = new Diagnostics();
            d.add(e);
            report(d);
            return 1;
        } finally {
            out.flush();
        }
        return 0;
    }

    private Interpreter interpreter(Backend backend, Options options, PrintStream stream) {
        Evaluator evaluator = new Evaluator(backend, planner, options.memoryLimitBytes());
        evaluator.setMethod(options.method());
        evaluator.setExecutor(executor);
        evaluator.setTaskMemoryBytes(taskMemoryBytes);
        evaluator.setProgress(message -> err.println("tn: " + message));
        Settings settings = new Settings();
        settings.setDtype(options.dtype());
        settings.setArguments(options.arguments());
        return new Interpreter(evaluator, stream, settings);
    }

    private void report(Diagnostics diagnostics) {
        out.flush();
        err.print(diagnostics.format());
        err.flush();
    }
}
