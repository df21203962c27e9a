package tn.repl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tn.ast.Expr;
import tn.ast.Stmt;
import tn.diag.Diagnostics;
import tn.diag.Source;
import tn.diag.TnError;
import tn.interp.Builtin;
import tn.interp.Builtins;
import tn.interp.Interpreter;
import tn.interp.Settings;
import tn.interp.Value;
import tn.io.AtomicWrite;
import tn.io.WriteFailure;
import tn.net.Evaluator;
import tn.net.Net;
import tn.net.Units;
import tn.plan.Plan;
import tn.plan.PlanReport;
import tn.syntax.TnParserFacade;

/** The REPL's `:commands`, each a name, a usage line, a summary and an action. */
public final class Commands {
    interface Action {
        /** Runs the command; returns false to end the session. */
        boolean run(Session s, String argument);
    }

    record Command(String name, String usage, String summary, Action action) {}

    static final List<Command> ALL = List.of(
        new Command(":help", ":help [topic]", "this list; :help NAME for a builtin or command, :help language", Commands::help),
        new Command(":legs", ":legs [X]", "the legs of tensor X (or every bound leg) with their sizes", Commands::legs),
        new Command(":who", ":who", "the names of the session with their legs and sizes (tensors) or kinds, then its functions", Commands::who),
        new Command(":plan", ":plan EXPR", "the contraction plan for EXPR: order, cost, largest intermediate", Commands::plan),
        new Command(":time", ":time [-n N] INPUT", "runs INPUT (an expression or statements), then again for about a second"
                + " (or N times), and reports the median, best and worst time of the repetitions and the first run's", Commands::time),
        new Command(":draw", ":draw EXPR [FILE]", "draws EXPR into FILE (.svg or .png), by default NAME.svg in the current directory (NAME from the expression: A B -> [i] gives A_B_i), and shows it in terminals that display images (kitty, Ghostty, iTerm2, WezTerm; TN_IMAGES=kitty|iterm|none overrides the guess)", Commands::draw),
        new Command(":load", ":load FILE", "runs a script into this session, as one unit: if a statement fails, nothing of it is kept; its relative paths are relative to its folder", Commands::load),
        new Command(":save", ":save FILE", "writes the statements that ran (inputs and :loaded scripts) as a script that reproduces the session", Commands::save),
        new Command(":reset", ":reset", "forgets every tensor, leg and setting", Commands::reset),
        new Command(":quit", ":quit", "ends the session (also :exit or Ctrl-D)", (s, a) -> false),
        new Command(":exit", ":exit", "ends the session", (s, a) -> false));

    private Commands() {}

    /** Runs a `:command line`; returns false when the session should end. */
    public static boolean execute(Session s, String line) {
        String trimmed = line.strip();
        int space = trimmed.indexOf(' ');
        String name = space < 0 ? trimmed : trimmed.substring(0, space);
        String argument = space < 0 ? "" : trimmed.substring(space + 1).strip();
        for (Command c : ALL) if (c.name().equals(name)) return c.action().run(s, argument);
        List<String> names = ALL.stream().map(Command::name).toList();
        s.error("unknown command " + name + " (commands: " + String.join(" ", names) + ")");
        return true;
    }

    private static boolean help(Session s, String topic) {
        if (topic.isEmpty()) {
            s.out().println(wrap("Type statements of the tn language (see :help language); an expression shows its value.", ""));
            String hang = " ".repeat(20);
            for (Command c : ALL) s.out().println(String.format(Locale.ROOT, "  %-17s ", c.usage()) + wrap(c.summary(), hang).substring(hang.length()));
            s.out().println("Builtins (:help NAME or NAME? for one):");
            s.out().println(wrap(String.join(" ", Builtins.names()), "  "));
            s.out().println(wrap("Tab completes names, legs, builtins, keyword arguments and commands. Ctrl-C cancels the input,"
                    + " or the running statement: it stops after the step in progress (a native matrix product cannot stop midway)"
                    + " and nothing it did is kept. A statement that fails leaves the session as it was before it; statements"
                    + " before it in the same input are kept. _ is the last value shown.", ""));
            return true;
        }
        if (topic.equals("language")) {
            s.out().println(String.join("\n",
                "leg i = 4, j = 3            declare legs (indices) with sizes",
                "A = random(i, j, seed=1)    make tensors over legs (zeros, ones, arange, load, delta, eye, ...)",
                "C = A B                     juxtaposition contracts shared legs; A[a, b] renames at use",
                "C = A B -> [k, i]           fix the legs kept; others are summed",
                "relu(W x), softmax(S, j)    bubbles: the inside is contracted first",
                "def f(x) = W x              functions; import linalg; print(...), show(...)",
                "The full reference is docs/language.md."));
            return true;
        }
        for (Command c : ALL) {
            if (c.name().equals(topic) || c.name().equals(":" + topic)) {
                s.out().println(c.usage() + "\n" + wrap(c.summary(), "  "));
                return true;
            }
        }
        Builtin b = Builtins.get(topic);
        if (b != null) {
            s.out().println(b.signature() + "\n" + wrap(b.summary(), "  "));
            return true;
        }
        s.error("no help on " + topic + " (try :help, :help language, or a builtin's name)");
        return true;
    }

    private static boolean legs(Session s, String argument) {
        if (argument.isEmpty()) {
            Map<String, Long> legs = s.interpreter().legsOf(s.module());
            if (legs.isEmpty()) s.out().println("no legs yet (declare some: leg i = 4)");
            legs.forEach((k, v) -> s.out().println(k + " = " + v));
            return true;
        }
        Value v = s.module().globals().get(argument);
        if (!(v instanceof Value.TensorValue t)) {
            s.error(argument + (v == null ? " is not defined" : " is " + v.kind() + ", not a tensor"));
            return true;
        }
        Net n = t.net();
        List<String> parts = new ArrayList<>();
        for (int k = 0; k < n.rank(); k++) parts.add(n.legs().get(k) + "=" + n.size(k));
        s.out().println(argument + ": [" + String.join(", ", parts) + "] " + n.dtype());
        return true;
    }

    /** Lines of at most {@value #WIDTH} characters, each starting with {@code indent}, broken between words. */
    static String wrap(String text, String indent) {
        StringBuilder out = new StringBuilder(), line = new StringBuilder(indent);
        for (String word : text.split(" +")) {
            if (line.length() > indent.length() && line.length() + 1 + word.length() > WIDTH) {
                out.append(line).append('\n');
                line.setLength(0);
                line.append(indent);
            }
            if (line.length() > indent.length()) line.append(' ');
            line.append(word);
        }
        return out.append(line).toString();
    }

    static final int WIDTH = 80;

    /**
     * `svd?` (a name and a question mark, alone on a line) asks for `:help svd`, as in IPython;
     * returns that command, or null for any other line.
     */
    public static String helpQuery(String line) {
        String t = line.strip();
        return t.matches("[A-Za-z_][A-Za-z_0-9']*\\?") ? ":help " + t.substring(0, t.length() - 1) : null;
    }

    /** `:who`: every name with what it holds, tensors by their signature; functions on one line. */
    private static boolean who(Session s, String argument) {
        List<String> functions = new ArrayList<>();
        int shown = 0;
        for (Map.Entry<String, Value> e : s.module().globals().entrySet()) {
            Value v = e.getValue();
            if (v instanceof Value.Function) {
                functions.add(e.getKey());
                continue;
            }
            shown++;
            if (v instanceof Value.TensorValue t) {
                s.out().println(e.getKey() + ": " + tn.interp.Printer.signature(t.net().legs(), t.net().sizes(), t.net().dtype().label()));
            } else {
                s.out().println(e.getKey() + ": " + v.kind());
            }
        }
        if (!functions.isEmpty()) s.out().println("functions: " + String.join(", ", functions));
        else if (shown == 0) s.out().println("no names yet (assign one: x = random(i, seed=1))");
        return true;
    }

    /** Parses "EXPR" as one expression statement; prints errors and returns null if it is not one. */
    private static Expr expression(Session s, String text, String command) {
        if (text.isEmpty()) {
            s.error(command + " needs an expression, e.g. " + command + " A B");
            return null;
        }
        List<Stmt> program = s.parse(text, "<" + command.substring(1) + ">");
        if (program == null) return null;
        if (program.size() != 1 || !(program.get(0) instanceof Stmt.ExprStmt e)) {
            s.error(command + " takes one expression, not a statement");
            return null;
        }
        return e.expr();
    }

    private static boolean plan(Session s, String text) {
        Expr expr = expression(s, text, ":plan");
        if (expr == null) return true;
        // A shape-only pass over the session's values: plans are made, nothing is computed.
        List<Plan> plans = new ArrayList<>();
        Evaluator shapes = new Evaluator(null, s.planner(), s.interpreter().evaluator().memoryLimitBytes());
        shapes.setMethod(s.interpreter().evaluator().method());
        shapes.setListener((net, plan) -> plans.add(plan));
        Settings settings = new Settings();
        settings.setDtype(s.interpreter().settings().dtype());
        Interpreter checker = new Interpreter(shapes, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), settings);
        Interpreter.Snapshot before = checker.snapshot(s.module());
        try {
            Value v = checker.runStatement(s.module(), new Stmt.ExprStmt(expr.span(), expr));
            if (v instanceof Value.TensorValue t) shapes.evaluate(t.net());
        } catch (TnError e) {
            s.error(e);
            return true;
        } catch (RuntimeException e) {
            if (!(e instanceof Interpreter.NeedsValue)) throw e;
        } finally {
            checker.restore(before);
        }
        if (plans.isEmpty()) {
            s.out().println("nothing to contract: the value is computed already or has no contraction");
        }
        for (Plan p : plans) s.out().println(PlanReport.format(p));
        return true;
    }

    private static boolean draw(Session s, String argument) {
        String text = argument.strip();
        String file = null;
        int space = text.lastIndexOf(' ');
        if (space > 0) {
            String last = text.substring(space + 1);
            String lower = last.toLowerCase(Locale.ROOT);
            if (lower.endsWith(".svg") || lower.endsWith(".png")) {
                file = last;
                text = text.substring(0, space).strip();
            }
        }
        Expr expr = expression(s, text, ":draw");
        if (expr == null) return true;
        Interpreter.Snapshot before = s.interpreter().snapshot(s.module());
        Net net;
        try {
            // Building the expression's network computes nothing; drawing needs only its structure.
            Value v = s.interpreter().runStatement(s.module(), new Stmt.ExprStmt(expr.span(), expr));
            if (!(v instanceof Value.TensorValue t)) {
                s.error(":draw needs a tensor expression, not " + (v == null ? "nothing" : v.kind()));
                return true;
            }
            net = t.net();
        } catch (TnError e) {
            s.error(e);
            return true;
        } finally {
            s.interpreter().restore(before);
        }
        if (file == null) file = defaultFileName(text) + ".svg";
        String title = net.label() != null ? net.label() : text;
        byte[] png = null;
        try {
            Path path = Path.of(file);
            if (file.toLowerCase(Locale.ROOT).endsWith(".png")) {
                png = tn.draw.Diagrams.png(net, title, tn.draw.DrawOptions.defaults());
                AtomicWrite.write(path, png);
            } else {
                AtomicWrite.writeString(path, tn.draw.Diagrams.svg(net, title, tn.draw.DrawOptions.defaults()));
            }
        } catch (IOException e) {
            s.error("cannot write " + file + ": " + WriteFailure.reason(e));
            return true;
        }
        if (s.images() != TerminalImages.Protocol.NONE) {
            // The terminal shows images: the diagram here as well as in the file.
            if (png == null) png = tn.draw.Diagrams.png(net, title, tn.draw.DrawOptions.defaults());
            s.out().println(TerminalImages.escape(s.images(), png));
        }
        s.out().println("drew " + file);
        return true;
    }

    /** A file name from an expression: its names joined by underscores (`A B -> [i]` gives A_B_i). */
    static String defaultFileName(String expr) {
        String name = expr.replaceAll("[^\\p{L}\\p{N}_]+", "_").replaceAll("^_+|_+$", "");
        if (name.isEmpty()) name = "diagram";
        return name.length() > 60 ? name.substring(0, 60) : name;
    }

    /** Repetitions of `:time` stop after this many seconds in all (at least {@link #MIN_RUNS}, at most {@link #MAX_RUNS}). */
    private static final double TIME_BUDGET = 1.0;
    private static final int MIN_RUNS = 3, MAX_RUNS = 1000;

    /**
     * `:time [-n N] INPUT`, like IPython's %timeit: the first run (which plans, and shows the value)
     * is reported on its own; then INPUT runs again, quietly, N times or for about a second, and the
     * median, best and worst of those runs are reported. A first run over two seconds is not repeated
     * unless -n asks.
     */
    private static boolean time(Session s, String text) {
        String input = text.strip();
        int fixed = -1;
        java.util.regex.Matcher n = java.util.regex.Pattern.compile("^-n\\s+(\\S+)\\s*(.*)$", java.util.regex.Pattern.DOTALL).matcher(input);
        if (n.matches()) {
            try {
                fixed = Integer.parseInt(n.group(1));
            } catch (NumberFormatException e) {
                fixed = 0;
            }
            if (fixed < 1 || fixed > 1_000_000) {
                s.error(":time -n needs a whole number of repetitions from 1 to 1000000, not " + n.group(1));
                return true;
            }
            input = n.group(2).strip();
        }
        if (input.isEmpty()) {
            s.error(":time needs an input to time, e.g. :time A B or :time -n 10 y = A B");
            return true;
        }
        long start = System.nanoTime();
        if (!s.run(input)) return true;
        double first = (System.nanoTime() - start) / 1e9;
        List<Double> runs = new ArrayList<>();
        double spent = 0;
        int wanted = fixed > 0 ? fixed : first > 2 * TIME_BUDGET ? 0 : MAX_RUNS;
        // The session keeps what the first run did: `:time x = x + 1` adds 1 once, however often it is timed.
        Interpreter.Snapshot afterFirst = s.interpreter().snapshot(s.module());
        try {
            while (runs.size() < wanted && (fixed > 0 || runs.size() < MIN_RUNS || spent < TIME_BUDGET)) {
                long t0 = System.nanoTime();
                if (!s.repeat(input)) return true;
                double t = (System.nanoTime() - t0) / 1e9;
                runs.add(t);
                spent += t;
            }
        } finally {
            s.interpreter().restore(afterFirst);
        }
        s.out().println(timeReport(first, runs));
        return true;
    }

    /** "time: 1.20 ms median of 25 runs (best 1.10 ms, worst 1.80 ms); first run 4.32 ms". */
    static String timeReport(double first, List<Double> runs) {
        if (runs.isEmpty()) return "time: " + Units.duration(first) + " (one run; :time -n N repeats it N times)";
        List<Double> sorted = new ArrayList<>(runs);
        java.util.Collections.sort(sorted);
        int k = sorted.size();
        double median = k % 2 == 1 ? sorted.get(k / 2) : (sorted.get(k / 2 - 1) + sorted.get(k / 2)) / 2;
        return "time: " + Units.duration(median) + " median of " + k + " run" + (k == 1 ? "" : "s") + " (best " + Units.duration(sorted.get(0))
                + ", worst " + Units.duration(sorted.get(k - 1)) + "); first run " + Units.duration(first);
    }


    private static boolean load(Session s, String file) {
        if (file.isEmpty()) {
            s.error(":load needs a file name");
            return true;
        }
        Path path = s.folder().resolve(file).normalize();
        Source script;
        try {
            script = Source.read(path, file);
        } catch (IOException e) {
            s.error("cannot read " + file + (e instanceof java.nio.file.NoSuchFileException ? ": no such file" : ": " + e.getMessage()));
            return true;
        } catch (TnError e) {
            Diagnostics notUtf8 = new Diagnostics();
            notUtf8.add(e);
            s.error(notUtf8);
            return true;
        }
        Diagnostics d = new Diagnostics();
        List<Stmt> program = TnParserFacade.parse(script, d);
        if (program == null) {
            s.error(d);
            return true;
        }
        // One unit: a failure anywhere leaves the session as it was before the :load.
        if (s.runScript(script, program, path.getParent())) s.out().println("loaded " + file);
        else s.err().println("nothing from " + file + " is kept (a :load runs as a whole or not at all)");
        return true;
    }

    private static boolean save(Session s, String file) {
        if (file.isEmpty()) {
            s.error(":save needs a file name");
            return true;
        }
        Path target = s.folder().resolve(file).normalize();
        StringBuilder script = new StringBuilder("# saved from a tn REPL session\n");
        List<Path> elsewhere = new ArrayList<>();
        for (Session.Accepted input : s.accepted()) {
            script.append(input.text()).append('\n');
            // Paths are in strings; an input with none reads and writes no file.
            if (input.text().contains("\"") && !input.folder().equals(target.getParent()) && !elsewhere.contains(input.folder())) {
                elsewhere.add(input.folder());
            }
        }
        try {
            AtomicWrite.writeString(target, script.toString());
        } catch (IOException e) {
            s.error("cannot write " + file + ": " + WriteFailure.reason(e));
            return true;
        }
        s.out().println("saved " + s.accepted().size() + " input" + (s.accepted().size() == 1 ? "" : "s") + " to " + file);
        for (Path p : elsewhere) {
            s.out().println("note: inputs with strings (file names?) ran in " + p
                    + "; the saved script resolves relative paths against its own folder, " + target.getParent());
        }
        return true;
    }

    private static boolean reset(Session s, String argument) {
        s.reset();
        s.out().println("session reset");
        return true;
    }
}
