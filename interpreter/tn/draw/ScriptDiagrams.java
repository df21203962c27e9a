package tn.draw;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tn.ast.Stmt;
import tn.diag.Diagnostics;
import tn.diag.Source;
import tn.diag.TnError;
import tn.interp.Interpreter;
import tn.interp.ScriptArguments;
import tn.interp.Settings;
import tn.interp.Value;
import tn.net.Evaluator;
import tn.net.Net;
import tn.plan.Planner;
import tn.syntax.TnParserFacade;

/**
 * The networks a script names, found by running it in the checking pass: the interpreter with no
 * numeric backend, which computes legs and sizes only. Nothing is contracted and no backend (ND4J)
 * is loaded, so drawing a script whose tensors would need gigabytes takes milliseconds.
 */
public final class ScriptDiagrams {
    private ScriptDiagrams() {}

    /** A tensor the script assigned to a top-level name; {@code network} when it is not a plain tensor. */
    public record Named(String name, Net net, boolean network) {}

    /** The script's tensors and the marks of its draw() calls (isometries, unitaries). */
    public record Result(List<Named> tensors, Set<String> isometries, Set<String> unitaries,
            java.util.Map<String, List<String>> expand, java.util.Map<String, String> heads, java.util.Map<String, Set<String>> boxes,
            java.util.Map<String, Integer> ellipsis) {
        /**
         * The options to draw the network {@code name} with: {@code base} (the command line's),
         * with the blocks, the heads, the boxes and the ellipsis the script's draw(name, ...) gives where {@code base} leaves
         * them at their defaults.
         */
        public DrawOptions options(String name, DrawOptions base) {
            DrawOptions o = base;
            if (o.expand().isEmpty() && expand.containsKey(name)) o = o.withExpand(expand.get(name));
            if (o.heads().equals(DrawOptions.defaults().heads()) && heads.containsKey(name)) o = o.withHeads(heads.get(name));
            if (o.boxed().isEmpty() && boxes.containsKey(name)) o = o.withBoxed(boxes.get(name));
            if (o.ellipsis() == 0 && ellipsis.containsKey(name)) o = o.withEllipsis(ellipsis.get(name));
            return o;
        }
    }

    /** {@link #tensors}, and the marks the script's draw() calls give; null when the script has errors. */
    public static Result check(Source source, Path directory, Diagnostics diagnostics) {
        return check(source, directory, diagnostics, ScriptArguments.none());
    }

    /** {@link #check}, the script given these command-line arguments. */
    public static Result check(Source source, Path directory, Diagnostics diagnostics, ScriptArguments arguments) {
        Marks marks = Marks.empty();
        List<Named> tensors = Marks.collect(marks, () -> tensors(source, directory, diagnostics, arguments));
        return tensors == null ? null : new Result(tensors, marks.isometries, marks.unitaries, marks.expand, marks.heads, marks.boxes, marks.ellipsis);
    }

    /**
     * Parses and checks the script; returns every tensor assigned at its top level, in the order of
     * first assignment, or null when the script has errors (they are added to {@code diagnostics}).
     */
    public static List<Named> tensors(Source source, Path directory, Diagnostics diagnostics, ScriptArguments arguments) {
        List<Stmt> program = TnParserFacade.parse(source, diagnostics);
        if (program == null) return null;
        Evaluator evaluator = new Evaluator(null, new Planner(), Double.MAX_VALUE);
        Settings settings = new Settings();
        settings.setArguments(arguments);
        settings.setDrawing(true);
        Interpreter checker = new Interpreter(evaluator, new PrintStream(PrintStream.nullOutputStream()), settings);
        Interpreter.Module module = checker.newModule(source, directory);
        try {
            checker.run(module, program, diagnostics);
        } catch (TnError e) {
            diagnostics.add(e);
        }
        for (String unread : arguments.unread(source.name(), program)) diagnostics.add(new tn.diag.Diagnostic(null, unread));
        if (diagnostics.any()) return null;
        Set<String> names = new LinkedHashSet<>();
        for (Stmt s : program) {
            if (s instanceof Stmt.Assign a) for (Stmt.Assign.Target t : a.targets()) names.add(t.name());
        }
        List<Named> out = new ArrayList<>();
        for (String name : names) {
            Value v = module.globals().get(name);
            if (!(v instanceof Value.TensorValue t)) continue;
            Net net = t.net();
            if (net.label() != null && !net.label().equals(name)) continue; // an alias of another name
            out.add(new Named(name, net, !(net instanceof Net.Leaf)));
        }
        return out;
    }
}
