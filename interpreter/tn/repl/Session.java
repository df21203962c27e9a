package tn.repl;

import java.io.PrintStream;
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
 * `:save`). Each input runs statement by statement; a statement that fails leaves the session
 * exactly as it was before it.
 */
final class Session {
    private final Backend backend;
    private final Planner planner;
    private final PrintStream out;
    private final PrintStream err;
    private final double memoryLimit;
    private final tn.exec.DType initialDtype;
    private final String initialMethod;
    private Interpreter interpreter;
    private Interpreter.Module module;
    private final List<String> accepted = new ArrayList<>();
    private int inputs;

    Session(Backend backend, Planner planner, PrintStream out, PrintStream err, double memoryLimit, Settings settings) {
        this(backend, planner, out, err, memoryLimit, settings, "auto");
    }

    Session(Backend backend, Planner planner, PrintStream out, PrintStream err, double memoryLimit, Settings settings, String method) {
        this.initialMethod = method;
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
        module = interpreter.newModule(new Source("<repl>", ""), Path.of("").toAbsolutePath());
        accepted.clear();
    }

    Interpreter interpreter() { return interpreter; }

    Interpreter.Module module() { return module; }

    Planner planner() { return planner; }

    PrintStream out() { return out; }

    PrintStream err() { return err; }

    List<String> accepted() { return accepted; }

    /** Parses a piece of input; prints syntax errors and returns null if there are any. */
    List<Stmt> parse(String text, String name) {
        Diagnostics d = new Diagnostics();
        List<Stmt> program = TnParserFacade.parse(new Source(name, text), d);
        if (program == null) err.print(d.format());
        return program;
    }

    /** Runs one input; shows the value of expression statements. Returns false on error. */
    boolean run(String text) {
        inputs++;
        List<Stmt> program = parse(text, "<in " + inputs + ">");
        if (program == null) return false;
        StringBuilder done = new StringBuilder();
        for (Stmt s : program) {
            Interpreter.Snapshot before = interpreter.snapshot(module);
            try {
                Value v = interpreter.runStatement(module, s);
                if (v != null) show(s, v);
                done.append(s.span().text()).append('\n');
            } catch (TnError e) {
                interpreter.restore(before);
                Diagnostics d = new Diagnostics();
                d.add(e);
                err.print(d.format());
                if (done.length() > 0) accepted.add(done.toString().stripTrailing());
                return false;
            }
        }
        if (done.length() > 0) accepted.add(done.toString().stripTrailing());
        return true;
    }

    private void show(Stmt s, Value v) {
        String text = s.span().text();
        if (v instanceof Value.TensorValue t) {
            Tensor x = interpreter.evaluator().evaluate(t.net());
            out.println(Inspect.describe(text, x, backend.toDoubles(x.data())));
        } else if (v instanceof Value.Num n) {
            out.println(Printer.number(n.value()));
        } else if (v instanceof Value.Bool b) {
            out.println(b.value() + (b.value() || b.detail() == null ? "" : " (" + b.detail() + ")"));
        } else if (v instanceof Value.Str str) {
            out.println("\"" + str.value() + "\"");
        } else if (v instanceof Value.Tuple tuple) {
            out.println("(" + tuple.items().size() + " values)");
        } else if (!(v instanceof Value.None)) {
            out.println(v.kind());
        }
    }

    int inputCount() { return inputs; }
}
