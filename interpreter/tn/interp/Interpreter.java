package tn.interp;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tn.ast.Expr;
import tn.ast.LegSpec;
import tn.ast.Stmt;
import tn.diag.Diagnostics;
import tn.diag.Source;
import tn.diag.Span;
import tn.diag.TnError;
import tn.exec.DType;
import tn.net.Evaluator;
import tn.net.Net;
import tn.net.Tensor;
import tn.syntax.NumpyHints;
import tn.syntax.TnParserFacade;

/**
 * Runs a tn program, statement by statement. The same interpreter serves two passes: checking
 * (the evaluator has no backend, tensors are signatures, errors are collected and the checker
 * moves on to the next statement) and running (numbers are computed; the first error stops).
 * Every statement that yields a tensor network is planned and contracted as one network.
 */
public final class Interpreter {
    private static final int MAX_CALL_DEPTH = 200;

    /** A script or imported module: its source, globals and legs. */
    public static final class Module {
        final Source source;
        final Path directory;
        final Map<String, Value> globals;
        final Legs legs;

        Module(Source source, Path directory) {
            this(source, directory, new LinkedHashMap<>(), new Legs(null));
        }

        private Module(Source source, Path directory, Map<String, Value> globals, Legs legs) {
            this.source = source;
            this.directory = directory;
            this.globals = globals;
            this.legs = legs;
        }

        /**
         * This module's names and legs, seen from another script and folder: a script the REPL
         * `:load`s runs in the session, but resolves its relative paths against its own folder.
         */
        public Module from(Source script, Path folder) {
            return new Module(script, folder, globals, legs);
        }

        public Source source() { return source; }

        public Map<String, Value> globals() { return globals; }
    }

    /** A module's state at one moment, to undo a failed REPL statement. */
    public static final class Snapshot {
        private final Module module;
        private final Map<String, Value> globals;
        private final Legs.Saved legs;
        private final Settings.Saved settings;
        private final String method;
        private final double memoryLimit;

        private Snapshot(Interpreter in, Module m) {
            module = m;
            globals = new LinkedHashMap<>(m.globals);
            legs = m.legs.save();
            settings = in.settings.save();
            method = in.evaluator.method();
            memoryLimit = in.evaluator.memoryLimitBytes();
        }
    }

    public Snapshot snapshot(Module m) {
        return new Snapshot(this, m);
    }

    public void restore(Snapshot s) {
        s.module.globals.clear();
        s.module.globals.putAll(s.globals);
        s.module.legs.restore(s.legs);
        settings.restore(s.settings);
        evaluator.setMethod(s.method);
        evaluator.setMemoryLimitBytes(s.memoryLimit);
    }

    /** The legs bound in a module, with their sizes, sorted by name. */
    public Map<String, Long> legsOf(Module m) {
        Map<String, Long> out = new java.util.TreeMap<>();
        m.legs.own().forEach((k, v) -> out.put(k, v.size()));
        m.legs.ownFamilies().forEach((k, f) -> out.put(k + "[" + f.count() + "]", f.size()));
        return out;
    }

    /**
     * A function call's locals and legs, and the values its running statements have made but not
     * stored anywhere yet (a call's result waiting for the rest of its expression): the evaluator
     * must not give back what they need (see held()).
     */
    private record Frame(Module module, Map<String, Value> locals, Legs legs, List<Value> pending) {
        Frame(Module module, Map<String, Value> locals, Legs legs) {
            this(module, locals, legs, new ArrayList<>());
        }
    }

    private static final class ReturnSignal extends RuntimeException {
        final Value value;

        ReturnSignal(Value value) {
            super(null, null, false, false);
            this.value = value;
        }
    }

    /** Thrown on use of a value whose error has been reported already. */
    static final class Poisoned extends RuntimeException {
        Poisoned() { super(null, null, false, false); }
    }

    private final Evaluator evaluator;
    private final PrintStream out;
    private final Settings settings;
    private final Map<Path, Module> imported = new HashMap<>();
    private final Deque<String> importing = new ArrayDeque<>();
    private final Deque<Frame> frames = new ArrayDeque<>();
    /** The arguments of the builtin calls running now, innermost first. */
    private final Deque<Args> calling = new ArrayDeque<>();
    /** While checking: files the script will have written by then (path -> array name -> signature). */
    private final Map<Path, Map<String, Tensor>> plannedWrites = new HashMap<>();

    private final Operators operators = new Operators(this);

    public Interpreter(Evaluator evaluator, PrintStream out, Settings settings) {
        this.evaluator = evaluator;
        this.out = out;
        this.settings = settings;
        evaluator.setWarnings(this::warn);
        evaluator.setHeld(this::held);
    }

    /**
     * The networks the script can still reach (every module's globals, the locals of the calls
     * running and the values their statements are still using, the arguments of the builtins
     * running): inside Evaluator.valuesOnly, their values and what they need are kept; any other
     * intermediate goes once it has been used.
     */
    private Iterable<Net> held() {
        List<Value> values = new ArrayList<>();
        for (Frame f : frames) {
            values.addAll(f.locals().values());
            values.addAll(f.pending());
        }
        for (Module m : imported.values()) values.addAll(m.globals.values());
        for (Args a : calling) values.addAll(a.valuesSoFar());
        return HeldValues.nets(values);
    }

    public boolean concrete() { return evaluator.concrete(); }

    public Evaluator evaluator() { return evaluator; }

    public Settings settings() { return settings; }

    public PrintStream out() { return out; }

    /**
     * Where images go besides files: a notebook shows diagrams and charts inline. {@code svg} is
     * null when the image is too large for one (then only {@code png} is offered); {@code png}
     * renders on demand.
     */
    public interface Display {
        void image(String title, byte[] svg, java.util.function.Supplier<byte[]> png);
    }

    /** The session's inline display (the Jupyter kernel sets one); null: images go to files only. */
    private Display display;

    public void setDisplay(Display display) { this.display = display; }

    public Display display() { return display; }

    /** Whether a `leg` statement may give a declared leg a new size (the REPL: no :reset needed). */
    private boolean redeclareLegs;

    public void setRedeclareLegs(boolean allowed) {
        redeclareLegs = allowed;
    }

    /** Binds a leg name to a size here (or checks it against its binding). */
    public void bindLeg(String name, long size, Span where) {
        legs().bind(name, size, where, "here");
    }

    /**
     * A leg's name with a prime added: {@code i'}, and for a member of a family the member of the
     * primed family ({@code b[3]} -> {@code b'[3]}), as the script writes it.
     */
    public static String primed(String leg) {
        int open = leg.lastIndexOf('[');
        if (open > 0 && leg.endsWith("]")) return leg.substring(0, open) + "'" + leg.substring(open);
        return leg + "'";
    }

    /** The size a leg name is bound to, or -1. */
    public long legSize(String name) {
        return legs().size(name);
    }

    /** The directory relative paths in the running script are resolved against. */
    public Path directory() {
        Path d = module().directory;
        return d != null ? d : Path.of(".");
    }

    /**
     * While checking, records that the script writes these arrays to a file, so that a later
     * load of it is checked against them instead of a file that does not exist yet.
     */
    public void planWrite(Path file, Map<String, Tensor> arrays) {
        plannedWrites.put(file.toAbsolutePath().normalize(), arrays);
    }

    /** The arrays a checked script will have written to this file, or null. */
    public Map<String, Tensor> plannedWrite(Path file) {
        return plannedWrites.get(file.toAbsolutePath().normalize());
    }

    /** Builds products with the notation's rules (for builtins such as einsum). */
    public Net productOf(List<Net> factors, List<LegSpec> output, Span span) {
        return networks().product(factors, 1.0, output, span);
    }

    public Module newModule(Source source, Path directory) {
        return new Module(source, directory);
    }

    // ---- programs ---------------------------------------------------------------------------

    /**
     * Runs (or checks) a whole program in a module. While checking, every statement's error is
     * collected and the statement's targets are poisoned; while running, the first error is thrown.
     */
    public void run(Module module, List<Stmt> program, Diagnostics diagnostics) {
        frames.push(new Frame(module, module.globals, module.legs));
        Diagnostics outer = checking;
        if (diagnostics != null) checking = diagnostics;
        try {
            for (Stmt s : program) {
                try {
                    execute(s);
                } catch (OutOfMemoryError e) {
                    throw outOfMemory(s, e);
                } catch (StackOverflowError e) {
                    // The nesting limit keeps scripts far from this; what is left (a deep recursion
                    // of user functions, a network grown one bubble per loop iteration and then
                    // walked whole) becomes an error of this statement, never a stack trace.
                    TnError error = tooDeep(s);
                    if (concrete() || diagnostics == null) throw error;
                    diagnostics.add(error);
                    poisonTargets(s);
                } catch (java.nio.file.InvalidPathException e) {
                    // A path from the script that the file system refuses (a NUL character): every
                    // builtin that takes a file name resolves it, so it is answered once, here.
                    TnError error = invalidPath(s, e);
                    if (concrete() || diagnostics == null) throw error;
                    diagnostics.add(error);
                    poisonTargets(s);
                } catch (TnError e) {
                    if (concrete() || diagnostics == null) throw e;
                    diagnostics.add(e);
                    poisonTargets(s);
                } catch (Poisoned | NeedsValue p) {
                    // An error reported already, or (checking) a number known only when running.
                    if (concrete()) throw new IllegalStateException("no value while running", p);
                    poisonTargets(s);
                }
            }
        } finally {
            frames.pop();
            checking = outer;
        }
    }

    /** The diagnostics of the program being checked (warnings go there), or null. */
    private Diagnostics checking;
    /** Resolves the members of leg families (b[k]) that expressions and leg lists name. */
    private final FamilyMembers families = new FamilyMembers(this);

    FamilyMembers families() { return families; }

    /** Where warnings go while running without a checking pass first (the REPL prints them); or null. */
    private java.util.function.Consumer<tn.diag.Diagnostic> warnings;

    public void setWarnings(java.util.function.Consumer<tn.diag.Diagnostic> sink) {
        warnings = sink;
    }

    /**
     * A warning at {@code span}: collected with the errors while checking (`tn check`, and the
     * checking pass of `tn run`), else given to the REPL's sink; a run after a check says nothing.
     */
    void warn(Span span, String message) {
        tn.diag.Diagnostic d = tn.diag.Diagnostic.warning(span, message);
        if (!concrete() && checking != null) checking.add(d);
        else if (concrete() && warnings != null) warnings.accept(d);
    }

    /** Runs one top-level statement in a module (the REPL); returns an expression's value or null. */
    public Value runStatement(Module module, Stmt s) {
        frames.push(new Frame(module, module.globals, module.legs));
        try {
            if (s instanceof Stmt.ExprStmt e) return eval(e.expr());
            execute(s);
            return null;
        } catch (OutOfMemoryError e) {
            throw outOfMemory(s, e);
        } catch (StackOverflowError e) {
            throw tooDeep(s);
        } catch (java.nio.file.InvalidPathException e) {
            throw invalidPath(s, e);
        } finally {
            frames.pop();
        }
    }

    /**
     * The memory guard refuses large intermediates before they run; this is the last line of
     * defence (e.g. many large tensors kept alive at once).
     */
    public static TnError outOfMemory(Stmt s, OutOfMemoryError e) {
        return new TnError(s.span(), "out of memory while running this statement (" + e.getMessage()
                + "); lower --memory-limit, or give the JVM more with TN_JAVA_OPTS=-Xmx...");
    }

    private static TnError invalidPath(Stmt s, java.nio.file.InvalidPathException e) {
        return new TnError(s.span(), "a file name in this statement is not a valid path (" + e.getReason() + ")");
    }

    private static TnError tooDeep(Stmt s) {
        return new TnError(s.span(), "this statement is nested too deeply to run (the Java stack overflowed): a recursion"
                + " of functions too deep, or a network grown thousands of levels deep (one bubble per loop iteration);"
                + " recurse less deeply, or detach(x) now and then to keep a computed tensor instead of its network");
    }

    private void poisonTargets(Stmt s) {
        if (s instanceof Stmt.Assign a) {
            for (Stmt.Assign.Target t : a.targets()) frame().locals().put(t.name(), new Value.Poison());
        } else if (s instanceof Stmt.Def d) {
            frame().locals().put(d.name(), new Value.Poison());
        } else if (s instanceof Stmt.For f) {
            // A loop or a branch stopped while checking (a value known only when running) may have
            // assigned any name in its body: what the names held before is no longer known.
            frame().locals().put(f.variable(), new Value.Poison());
            for (Stmt b : f.body()) poisonTargets(b);
        } else if (s instanceof Stmt.If i) {
            for (Stmt b : i.then()) poisonTargets(b);
            for (Stmt b : i.otherwise()) poisonTargets(b);
        }
    }

    private Frame frame() { return frames.peek(); }

    private Module module() { return frame().module(); }

    Legs legs() { return frame().legs(); }

    Networks networks() { return new Networks(legs()); }

    // ---- statements -------------------------------------------------------------------------

    private void execute(Stmt stmt) {
        List<Value> pending = frame().pending();
        int before = pending.size();
        try {
            executeStatement(stmt);
        } finally {
            pending.subList(before, pending.size()).clear(); // the statement's values are stored or dropped by now
        }
    }

    /** A call's result, held until the statement that made it ends. */
    private Value pending(Value v) {
        if (v instanceof Value.TensorValue || v instanceof Value.Tuple || v instanceof Value.Record) frame().pending().add(v);
        return v;
    }

    private void executeStatement(Stmt stmt) {
        if (stmt instanceof Stmt.LegDecl d) {
            for (Stmt.LegDecl.Binding b : d.legs()) {
                double size = asNumber(eval(b.size()), b.size().span(), "a leg size");
                if (size != Math.rint(size) || size < 1) {
                    throw new TnError(b.size().span(), "a leg size must be a positive whole number, not " + Printer.number(size));
                }
                if (b.count() != null) {
                    double count = asNumber(eval(b.count()), b.count().span(), "the number of legs of a family");
                    if (count != Math.rint(count) || count < 1) {
                        throw new TnError(b.count().span(), "a family of legs needs a positive whole number of legs (leg "
                                + b.name() + "[n] = size), not " + Printer.number(count));
                    }
                    legs().declareFamily(b.name(), (long) count, (long) size, b.span());
                    continue;
                }
                Legs.Binding before = legs().declare(b.name(), (long) size, b.span(), redeclareLegs);
                if (before != null && before.declared() && redeclareLegs) {
                    out.println("leg " + b.name() + " is now " + (long) size + " (was " + before.size() + "): values made with "
                            + b.name() + " = " + before.size() + " keep that size, and an error names both sizes where they meet"
                            + " values made with the new one");
                }
            }
        } else if (stmt instanceof Stmt.Set s) {
            settings.apply(s, eval(s.value()), this);
        } else if (stmt instanceof Stmt.Import i) {
            importModule(i);
        } else if (stmt instanceof Stmt.Def d) {
            if (Builtins.get(d.name()) != null) {
                throw new TnError(d.span(), d.name() + " is a builtin function; choose another name");
            }
            frame().locals().put(d.name(), new Value.Function(d, module()));
        } else if (stmt instanceof Stmt.Return r) {
            if (frame().locals() == module().globals) throw new TnError(r.span(), "return outside a function");
            Value v = r.values().size() == 1 ? eval(r.values().get(0))
                    : new Value.Tuple(r.values().stream().map(this::eval).toList());
            throw new ReturnSignal(v);
        } else if (stmt instanceof Stmt.Assert a) {
            assertion(a);
        } else if (stmt instanceof Stmt.Assign a) {
            assign(a);
        } else if (stmt instanceof Stmt.For f) {
            loop(f);
        } else if (stmt instanceof Stmt.If i) {
            Value c = eval(i.condition());
            checkPoison(c);
            if (c instanceof Value.Unknown) throw new NeedsValue();
            if (!(c instanceof Value.Bool b)) throw new TnError(i.condition().span(), "if needs a true/false condition, not " + c.kind());
            for (Stmt s : b.value() ? i.then() : i.otherwise()) execute(s);
        } else if (stmt instanceof Stmt.ExprStmt e) {
            Value v = eval(e.expr());
            if (v instanceof Value.TensorValue t) evaluator.compute(t.net());
        }
    }

    /** `for x in values { ... }`: values is a tuple (range(n) makes one) or a list of legs. */
    private void loop(Stmt.For f) {
        Value values = eval(f.values());
        checkPoison(values);
        List<Value> items;
        if (values instanceof Value.Tuple t) items = t.items();
        else if (values instanceof Value.Legs l) items = l.names().stream().<Value>map(Value.Str::new).toList();
        else if (values instanceof Value.Unknown) throw new NeedsValue();
        else throw new TnError(f.values().span(), "for needs a tuple of values to go through (e.g. range(3)), not " + values.kind());
        if (isConstant(f.variable())) throw new TnError(f.variableSpan(), f.variable() + " is a constant; choose another name");
        for (Value v : items) {
            if (Thread.interrupted()) throw new Evaluator.Interrupted(f.span());
            frame().locals().put(f.variable(), v);
            for (Stmt s : f.body()) execute(s);
        }
    }

    /**
     * An assert. While checking, a condition known without computing tensors (a string compared, a
     * count, a leg size: the argument checks of the stdlib's functions) is checked as when running;
     * one that depends on tensor values is skipped, and checking goes on after it.
     */
    private void assertion(Stmt.Assert a) {
        Value v;
        try {
            v = eval(a.condition());
        } catch (NeedsValue e) {
            if (concrete()) throw e;
            return;
        }
        checkPoison(v);
        if (v instanceof Value.Unknown) return;
        if (!(v instanceof Value.Bool b)) {
            throw new TnError(a.condition().span(), "assert needs a true/false condition, not " + v.kind());
        }
        if (!b.value()) {
            String why = a.message() != null ? a.message() : "assertion failed: " + a.condition().span().text();
            throw new TnError(a.condition().span(), why + (b.detail() != null ? " (" + b.detail() + ")" : ""));
        }
    }

    private void assign(Stmt.Assign a) {
        Value v;
        if (a.legs() != null) {
            v = new Value.TensorValue(output(a.value(), families.legSpecs(a.legs()), a.span()));
        } else {
            v = eval(a.value());
        }
        if (a.targets().size() == 1) {
            bind(a.targets().get(0), v);
            return;
        }
        checkPoison(v);
        if (!(v instanceof Value.Tuple t) || t.items().size() != a.targets().size()) {
            String what = a.targets().size() + " names on the left but the right side gives "
                    + (v instanceof Value.Tuple t2 ? t2.items().size() + " values" : v.kind());
            if (a.value() instanceof Expr.Call c && Builtins.get(c.callee()) != null) {
                what += " (" + c.callee() + ": " + Builtins.get(c.callee()).summary() + ")";
            }
            throw new TnError(a.value().span(), what);
        }
        for (int k = 0; k < t.items().size(); k++) bind(a.targets().get(k), t.items().get(k));
    }

    /** Dense results above this many entries of products much larger than their factors stay networks. */
    static final double LAZY_ENTRIES = 1 << 20;

    /**
     * A product whose dense result is large and much larger than its factors (a QK circuit over a
     * vocabulary, a tensor train): assigned as a network, evaluated (or factorised) where it is used.
     */
    static boolean isLargeFactoredNetwork(Net n) {
        if (!(n instanceof Net.Product p)) return false;
        double parts = 0;
        for (Net f : p.factors()) parts += f.denseSize();
        return n.denseSize() > LAZY_ENTRIES && n.denseSize() > 4 * parts;
    }

    private void bind(Stmt.Assign.Target target, Value v) {
        // A variable may hide a builtin function of the same name (rank = 3, tokens = ...), not a constant.
        if (isConstant(target.name())) throw new TnError(target.span(), target.name() + " is a constant; choose another name");
        if (v instanceof Value.TensorValue t) {
            t.net().nameIfAnonymous(target.name());
            if (!isLargeFactoredNetwork(t.net())) evaluator.compute(t.net());
        }
        frame().locals().put(target.name(), v);
    }

    // ---- imports ----------------------------------------------------------------------------

    private void importModule(Stmt.Import imp) {
        // The module's key first: an import already done (in a loop, say) reads nothing again.
        Imports.Located where = Imports.locate(imp, module().directory);
        Path key = where.key();
        Source source = imported.containsKey(key) ? null : Imports.source(imp, where, module().source.name());
        Path dir = where.file() == null ? null : where.file().toAbsolutePath().getParent();
        Module m = imported.get(key);
        if (m == null) {
            if (importing.contains(key.toString())) {
                throw new TnError(imp.span(), "circular import of " + imp.target());
            }
            importing.push(key.toString());
            try {
                Diagnostics diagnostics = new Diagnostics();
                List<tn.ast.Stmt> program = TnParserFacade.parse(source, diagnostics);
                if (program == null) throw new ImportError(imp.span(), diagnostics);
                m = new Module(source, dir);
                run(m, program, diagnostics);
                if (diagnostics.any()) throw new ImportError(imp.span(), diagnostics);
            } finally {
                importing.pop();
            }
            imported.put(key, m);
        }
        for (Map.Entry<String, Value> e : m.globals.entrySet()) frame().locals().put(e.getKey(), e.getValue());
        legs().importAll(m.legs, imp.span());
    }

    // ---- expressions ------------------------------------------------------------------------

    public Value eval(Expr e) {
        if (e instanceof Expr.Num n) return new Value.Num(n.value());
        if (e instanceof Expr.Imaginary i) return tn.interp.builtins.Complexes.literal(this, i.value(), i.span());
        if (e instanceof Expr.Str s) return new Value.Str(s.value());
        if (e instanceof Expr.Bool b) return new Value.Bool(b.value());
        if (e instanceof Expr.Var v) return variable(v);
        if (e instanceof Expr.Call c) return call(c);
        if (e instanceof Expr.ArrayLit a) return literal(a);
        if (e instanceof Expr.LegList l) return new Value.Legs(l.names());
        if (e instanceof Expr.Member m) return member(m);
        if (e instanceof Expr.Relabel r) {
            String member = families.member(r);
            if (member != null) throw FamilyMembers.notATensor(member, r.span());
            Net target = asTensor(eval(r.target()), r.target().span(), "x in x[...]");
            return new Value.TensorValue(networks().relabel(target, families.legSpecs(r.legs()), r.span()));
        }
        if (e instanceof Expr.Subscript s) {
            String member = families.member(s);
            throw FamilyMembers.notATensor(member, s.span());
        }
        if (e instanceof Expr.Output o) return new Value.TensorValue(output(o.target(), families.legSpecs(o.legs()), o.span()));
        if (e instanceof Expr.Product p) return product(p, null, p.span());
        if (e instanceof Expr.Sum s) return operators.sum(s);
        if (e instanceof Expr.Binary b) return operators.binary(b);
        return operators.unary((Expr.Unary) e);
    }

    private Value variable(Expr.Var v) {
        Value value = lookupVariable(v.name());
        if (value != null) return value;
        Builtin b = Builtins.get(v.name());
        if (b != null) return new Value.BuiltinFunction(b);
        Value constant = constant(v.name());
        if (constant != null) return constant;
        if (legs().family(v.name()) != null) {
            throw new TnError(v.span(), v.name() + " is " + legs().family(v.name()).declared() + ", not a tensor: name one of its legs, e.g. "
                    + Legs.member(v.name(), 0));
        }
        if (legs().lookup(v.name()) != null) {
            throw new TnError(v.span(), v.name() + " is a leg, not a tensor (a leg becomes a tensor through a creation function, e.g. ones("
                    + v.name() + "))");
        }
        List<String> known = new ArrayList<>(visibleNames());
        String hint = Suggest.closest(v.name(), known);
        throw new TnError(v.span(), "unknown name " + v.name() + (hint != null ? " (did you mean " + hint + "?)" : ""));
    }

    private Value member(Expr.Member m) {
        Value target = eval(m.target());
        checkPoison(target);
        if (!(target instanceof Value.Record r)) {
            String hint = null;
            if (target instanceof Value.TensorValue t && t.net().legs().stream().noneMatch(Networks::anonymous)) {
                String text = m.target().span().text();
                hint = NumpyHints.field(m.name(), text.length() <= 40 ? text : "x", t.net().legs(), Networks.legList(t.net()));
            }
            throw new TnError(m.nameSpan(), "." + m.name() + ": only records (models, results) have fields, not " + target.kind()
                    + (hint != null ? "; " + hint : ""));
        }
        Value v = r.fields().get(m.name());
        if (v == null) {
            String hint = Suggest.closest(m.name(), new ArrayList<>(r.fields().keySet()));
            throw new TnError(m.nameSpan(), r.type() + " has no field " + m.name()
                    + (hint != null ? " (did you mean " + hint + "?)" : " (its fields: " + String.join(", ", r.fields().keySet()) + ")"));
        }
        return v;
    }

    /** The value of a variable visible here, or null (builtins and constants are not variables). */
    public Value lookup(String name) {
        return lookupVariable(name);
    }

    Value lookupVariable(String name) {
        Frame f = frame();
        Value v = f.locals().get(name);
        if (v == null && f.locals() != f.module().globals) v = f.module().globals.get(name);
        return v;
    }

    private List<String> visibleNames() {
        List<String> names = new ArrayList<>(frame().locals().keySet());
        names.addAll(frame().module().globals.keySet());
        names.addAll(Builtins.names());
        return names;
    }

    private static boolean isConstant(String name) {
        return constant(name) != null;
    }

    private static Value constant(String name) {
        DType d = DType.parse(name);
        if (d != null) return new Value.DTypeValue(d);
        return switch (name) {
            case "pi" -> new Value.Num(Math.PI);
            case "e" -> new Value.Num(Math.E);
            default -> null;
        };
    }

    private Value literal(Expr.ArrayLit a) {
        List<String> legs = new ArrayList<>();
        for (int k = 0; k < a.shape().length; k++) legs.add("#" + k);
        Tensor t = concrete()
                ? Tensor.of(legs, evaluator.backend().fromDoubles(a.data(), a.shape(), settings.dtype()))
                : Tensor.signature(legs, a.shape(), settings.dtype());
        return new Value.TensorValue(new Net.Leaf(t, "literal", a.span()));
    }

    /** `e -> [legs]` (or `C[legs] = e`): a product with an explicit output list. */
    private Net output(Expr target, List<LegSpec> legs, Span span) {
        if (target instanceof Expr.Product p) {
            return asTensor(product(p, legs, span), span, "the left of ->");
        }
        Value v = factor(target);
        Net n = asTensor(v, target.span(), "the left of ->");
        return networks().product(List.of(n), 1.0, legs, span);
    }

    /** A factor of a product: like eval, but a relabel keeps repeated legs for the product. */
    private Value factor(Expr f) {
        if (f instanceof Expr.Relabel r && families.member(r) == null) {
            Net target = asTensor(eval(r.target()), r.target().span(), "x in x[...]");
            return new Value.TensorValue(networks().relabelFactor(target, families.legSpecs(r.legs()), r.span()));
        }
        return eval(f);
    }

    private Value product(Expr.Product p, List<LegSpec> output, Span span) {
        double coefficient = 1;
        List<Net> factors = new ArrayList<>();
        boolean unknownScalar = false;
        List<Span> written = new ArrayList<>();
        int star = 0;
        for (int k = 0; k < p.factors().size(); k++) {
            Expr f = p.factors().get(k);
            Value v = factor(f);
            if (star < p.stars().size() && p.stars().get(star).before() == k) {
                if (v instanceof Value.TensorValue t) {
                    Span left = p.factors().get(0).span().to(p.factors().get(k - 1).span());
                    networks().checkStar(factors, t.net(), p.stars().get(star).span(), left, f.span());
                }
                star++;
            }
            checkPoison(v);
            if (v instanceof Value.Num n) {
                coefficient *= n.value();
            } else if (v instanceof Value.Unknown) {
                unknownScalar = true;
            } else if (v instanceof Value.TensorValue t) {
                factors.add(t.net());
                written.add(f.span());
            } else {
                throw new TnError(f.span(), "cannot multiply " + v.kind());
            }
        }
        if (factors.isEmpty()) {
            if (output != null && !output.isEmpty()) throw new TnError(span, "numbers have no legs to list");
            return unknownScalar ? new Value.Unknown() : new Value.Num(coefficient);
        }
        Net product = networks().product(factors, coefficient, output, span);
        Networks.Hyperedge h = Networks.repeatedTensorHyperedge(factors, written);
        if (h != null) warn(h.where(), h.message());
        return new Value.TensorValue(product);
    }

    // ---- calls ------------------------------------------------------------------------------

    private Value call(Expr.Call c) {
        Value callee = lookupVariable(c.callee());
        if (callee instanceof Value.Poison) throw new Poisoned();
        if (callee instanceof Value.Function f) return pending(callUser(f, c));
        if (callee != null) {
            throw new TnError(c.calleeSpan(), c.callee() + " is " + callee.kind() + ", not a function"
                    + (Builtins.get(c.callee()) != null ? " (the variable hides the builtin " + c.callee() + "(); rename the variable to call it)" : ""));
        }
        Builtin b = Builtins.get(c.callee());
        if (b == null) {
            List<String> names = new ArrayList<>(Builtins.names());
            names.addAll(frame().module().globals.keySet());
            String numpy = NumpyHints.function(c.callee());
            if (numpy != null) throw new TnError(c.calleeSpan(), "unknown function " + c.callee() + ": " + numpy);
            String hint = Suggest.closest(c.callee(), names);
            throw new TnError(c.calleeSpan(), "unknown function " + c.callee() + (hint != null ? " (did you mean " + hint + "?)" : ""));
        }
        Args args = new Args(this, c);
        calling.push(args);
        try {
            Value v = b.call(args);
            args.finish();
            return pending(v);
        } finally {
            calling.pop();
        }
    }

    private Value callUser(Value.Function f, Expr.Call c) {
        List<Stmt.Def.Param> params = f.def().params();
        Map<String, Value> locals = new LinkedHashMap<>();
        int positional = 0;
        for (Expr.Call.Arg a : c.args()) {
            if (a.keyword() == null) {
                if (positional >= params.size()) {
                    throw new TnError(a.span(), f.def().name() + "() takes " + params.size() + " argument"
                            + (params.size() == 1 ? "" : "s") + ", not " + c.args().size());
                }
                locals.put(params.get(positional++).name(), eval(a.value()));
            } else {
                if (params.stream().noneMatch(p -> p.name().equals(a.keyword()))) {
                    throw new TnError(a.span(), f.def().name() + "() has no parameter " + a.keyword());
                }
                if (locals.containsKey(a.keyword())) throw new TnError(a.span(), "argument " + a.keyword() + " is given twice");
                locals.put(a.keyword(), eval(a.value()));
            }
        }
        if (frames.size() > MAX_CALL_DEPTH) throw new TnError(c.span(), "calls nested too deeply (more than " + MAX_CALL_DEPTH + "): is " + f.def().name() + " recursive?");
        Frame frame = new Frame(f.module(), locals, new Legs(f.module().legs));
        frames.push(frame);
        try {
            for (Stmt.Def.Param p : params) {
                if (!locals.containsKey(p.name())) {
                    if (p.defaultValue() == null) {
                        throw new TnError(c.span(), f.def().name() + "() is missing argument " + p.name());
                    }
                    locals.put(p.name(), eval(p.defaultValue()));
                }
            }
            for (Stmt s : f.def().body()) execute(s);
            return new Value.None();
        } catch (ReturnSignal r) {
            return r.value;
        } catch (TnError e) {
            if (e instanceof Evaluator.Interrupted) throw e;
            if (e.span() != null && e.span().source() != c.span().source()) {
                throw new TnError(c.span(), "in " + f.def().name() + "(): " + e.getMessage() + " (at " + e.span().where() + ")");
            }
            throw e;
        } finally {
            frames.pop();
        }
    }

    // ---- conversions ------------------------------------------------------------------------

    public void checkPoison(Value v) {
        if (v instanceof Value.Poison) throw new Poisoned();
    }

    public Net asTensor(Value v, Span where, String what) {
        checkPoison(v);
        if (v instanceof Value.TensorValue t) return t.net();
        throw new TnError(where, what + " must be a tensor, not " + v.kind());
    }

    Net asTensorOrScalar(Value v, Span where) {
        if (v instanceof Value.Num n) return scalar(n.value(), where);
        return asTensor(v, where, "an operand of + or -");
    }

    /** A rank-0 tensor holding a number. */
    public Net scalar(double value, Span where) {
        Tensor t = concrete()
                ? Tensor.of(List.of(), evaluator.backend().fromDoubles(new double[] {value}, new long[0], settings.dtype()))
                : Tensor.signature(List.of(), new long[0], settings.dtype());
        return new Net.Leaf(t, "scalar", where);
    }

    /** A number: a number value, or a scalar tensor's value (known only when running). */
    public double asNumber(Value v, Span where, String what) {
        checkPoison(v);
        if (v instanceof Value.Num n) return n.value();
        if (v instanceof Value.TensorValue t && t.net().rank() == 0) {
            if (t.net().dtype().isComplex()) {
                throw new TnError(where, what + " must be a real number, not a complex scalar; take real(x), imag(x) or abs(x) first");
            }
            if (!concrete()) throw new NeedsValue();
            Tensor x = evaluator.evaluate(t.net());
            return evaluator.backend().toDoubles(x.data())[0];
        }
        if (v instanceof Value.Unknown) throw new NeedsValue();
        if (v instanceof Value.TensorValue t) {
            throw new TnError(where, what + " must be a number, not a tensor with legs " + Networks.legList(t.net()));
        }
        throw new TnError(where, what + " must be a number, not " + v.kind());
    }

    boolean asBool(Value v, Span where) {
        checkPoison(v);
        if (v instanceof Value.Bool b) return b.value();
        if (v instanceof Value.Unknown) return true;
        throw new TnError(where, "expected true or false, not " + v.kind());
    }

    /**
     * While checking, a number that depends on tensor values is unknown; statements that need it
     * are checked as far as possible and then skipped, without an error.
     */
    public static final class NeedsValue extends RuntimeException {
        public NeedsValue() { super(null, null, false, false); }
    }

    /** The names of the standard library's modules. */
    public static List<String> stdlibModules() {
        return Stdlib.modules();
    }

    /** A standard library module's text, or null when there is no such module. */
    public static String stdlibText(String module) {
        return Stdlib.read(module);
    }
}
