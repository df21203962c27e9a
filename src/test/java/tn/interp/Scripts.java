package tn.interp;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import tn.ast.Stmt;
import tn.diag.Diagnostics;
import tn.diag.Source;
import tn.exec.Backend;
import tn.exec.DType;
import tn.net.Evaluator;
import tn.net.Tensor;
import tn.plan.Planner;
import tn.syntax.TnParserFacade;

/** Runs script text in-process on a chosen backend and gives access to its variables. */
final class Scripts {
    final Interpreter interpreter;
    final Interpreter.Module module;
    final ByteArrayOutputStream output = new ByteArrayOutputStream();

    private Scripts(Backend backend, DType dtype) {
        Evaluator evaluator = new Evaluator(backend, new Planner(), 8e9);
        Settings settings = new Settings();
        settings.setDtype(dtype);
        interpreter = new Interpreter(evaluator, new PrintStream(output, true, StandardCharsets.UTF_8), settings);
        module = interpreter.newModule(new Source("<test>", ""), Path.of("."));
    }

    /** Parses and runs {@code text}; throws the first error. */
    static Scripts run(Backend backend, DType dtype, String text) {
        return run(backend, dtype, text, (net, plan) -> {});
    }

    /** Runs {@code text}, telling {@code listener} of every plan made. */
    static Scripts run(Backend backend, DType dtype, String text, tn.net.Evaluator.PlanListener listener) {
        Scripts s = new Scripts(backend, dtype);
        s.interpreter.evaluator().setListener(listener);
        Diagnostics d = new Diagnostics();
        List<Stmt> program = TnParserFacade.parse(new Source("<test>", text), d);
        if (program == null) throw new AssertionError("syntax errors:\n" + d.format());
        s.interpreter.run(s.module, program, null);
        return s;
    }

    /** Checks {@code text} without a backend; returns the diagnostics. */
    static Diagnostics check(String text) {
        Scripts s = new Scripts(null, DType.FLOAT64);
        Diagnostics d = new Diagnostics();
        List<Stmt> program = TnParserFacade.parse(new Source("<test>", text), d);
        if (program != null) s.interpreter.run(s.module, program, d);
        return d;
    }

    Tensor tensor(String name) {
        Value v = module.globals().get(name);
        if (!(v instanceof Value.TensorValue t)) throw new AssertionError(name + " is " + v);
        return interpreter.evaluator().evaluate(t.net());
    }

    double[] values(String name) {
        return interpreter.evaluator().backend().toDoubles(tensor(name).data());
    }

    String printed() {
        return output.toString(StandardCharsets.UTF_8);
    }
}
