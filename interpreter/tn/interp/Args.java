package tn.interp;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tn.ast.Expr;
import tn.diag.Span;
import tn.diag.TnError;
import tn.exec.DType;
import tn.net.Net;

/**
 * The arguments of one builtin call, read the way the builtin needs them: some as leg names
 * (a bare name in a leg position is a leg, not a variable), some evaluated. Every accessor reports
 * mistakes at the argument's own span, and {@link #finish()} rejects unknown keywords.
 */
public final class Args {
    private final Interpreter interpreter;
    private final Expr.Call call;
    private final List<Expr.Call.Arg> positional = new ArrayList<>();
    private final Map<String, Expr.Call.Arg> keywords = new LinkedHashMap<>();
    private final Set<String> read = new HashSet<>();
    private final Map<Integer, Value> values = new java.util.HashMap<>();

    Args(Interpreter interpreter, Expr.Call call) {
        this.interpreter = interpreter;
        this.call = call;
        for (Expr.Call.Arg a : call.args()) {
            if (a.keyword() == null) {
                if (!keywords.isEmpty()) throw new TnError(a.span(), "a positional argument after keyword arguments");
                positional.add(a);
            } else if (keywords.put(a.keyword(), a) != null) {
                throw new TnError(a.span(), "keyword " + a.keyword() + " is given twice");
            }
        }
    }

    public Interpreter interpreter() { return interpreter; }

    public String name() { return call.callee(); }

    public Span span() { return call.span(); }

    public int count() { return positional.size(); }

    public Span span(int i) { return positional.get(i).span(); }

    public Expr expr(int i) { return positional.get(i).value(); }

    public TnError error(String message) { return new TnError(call.span(), message); }

    public TnError error(int i, String message) { return new TnError(span(i), message); }

    /** Requires between min and max positional arguments (max < 0: no upper bound). */
    public void expect(int min, int max, String what) {
        int n = positional.size();
        if (n < min || (max >= 0 && n > max)) {
            throw error(name() + "() takes " + what + ", not " + n + " argument" + (n == 1 ? "" : "s")
                    + " (" + signatureOf() + ")");
        }
    }

    private String signatureOf() {
        Builtin b = Builtins.get(name());
        return b == null ? name() + "(...)" : b.signature();
    }

    /** Argument i's value; an erroneous value (from an error reported already) stops the call silently. */
    public Value value(int i) {
        // Not computeIfAbsent: its two extra frames per nested call count against the stack (see tn.syntax.Nesting).
        Value v = values.get(i);
        if (v == null) {
            v = interpreter.eval(positional.get(i).value());
            values.put(i, v);
        }
        interpreter.checkPoison(v);
        ComplexArguments.check(name(), "argument " + (i + 1), v, span(i));
        return v;
    }

    /** The arguments evaluated so far (the interpreter keeps their values: see Interpreter.held). */
    java.util.Collection<Value> valuesSoFar() {
        return values.values();
    }

    public Net tensor(int i) {
        return interpreter.asTensor(value(i), span(i), "argument " + (i + 1) + " of " + name() + "()");
    }

    public double number(int i) {
        return interpreter.asNumber(value(i), span(i), "argument " + (i + 1) + " of " + name() + "()");
    }

    public String string(int i) {
        Value v = value(i);
        if (v instanceof Value.Str s) return s.value();
        interpreter.checkPoison(v);
        throw error(i, name() + "() expects a string here, not " + v.kind());
    }

    /** A positional argument read as a leg name: it must be written as a bare name. */
    public String leg(int i) {
        Expr e = positional.get(i).value();
        if (e instanceof Expr.Var v) {
            interpreter.families().checkNotFamily(v);
            return v.name();
        }
        String member = interpreter.families().member(e);
        if (member != null) return member;
        throw error(i, name() + "() expects a leg name here (a bare name such as i, or b[k] of a family)");
    }

    /** All positional arguments from {@code from} on, as leg names. */
    public List<String> legs(int from) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < positional.size(); i++) out.add(leg(i));
        return out;
    }

    public boolean has(String keyword) {
        read.add(keyword);
        return keywords.containsKey(keyword);
    }

    public Span keywordSpan(String keyword) { return keywords.get(keyword).span(); }

    /** Every keyword given, in order (for builtins such as savez that take any names). */
    public List<String> keywordNames() {
        read.addAll(keywords.keySet());
        return new ArrayList<>(keywords.keySet());
    }

    /** The expression written for a keyword (null when not given), unevaluated. */
    public Expr keywordExpr(String keyword) {
        read.add(keyword);
        Expr.Call.Arg a = keywords.get(keyword);
        return a == null ? null : a.value();
    }

    /** A keyword's value (null when not given); an erroneous value stops the call silently, as value(i) does. */
    public Value keyword(String keyword) {
        read.add(keyword);
        Expr.Call.Arg a = keywords.get(keyword);
        if (a == null) return null;
        Value v = interpreter.eval(a.value());
        interpreter.checkPoison(v);
        ComplexArguments.check(name(), keyword + "=", v, a.span());
        return v;
    }

    public double number(String keyword, double otherwise) {
        Value v = keyword(keyword);
        if (v == null) return otherwise;
        return interpreter.asNumber(v, keywords.get(keyword).span(), keyword + "=");
    }

    public long integer(String keyword, long otherwise) {
        double d = number(keyword, otherwise);
        if (d != Math.rint(d)) throw new TnError(keywords.get(keyword).span(), keyword + " must be a whole number, not " + d);
        return (long) d;
    }

    public boolean bool(String keyword, boolean otherwise) {
        Value v = keyword(keyword);
        if (v == null) return otherwise;
        if (v instanceof Value.Bool b) return b.value();
        throw new TnError(keywords.get(keyword).span(), keyword + "= must be true or false, not " + v.kind());
    }

    public String string(String keyword, String otherwise) {
        Value v = keyword(keyword);
        if (v == null) return otherwise;
        if (v instanceof Value.Str s) return s.value();
        throw new TnError(keywords.get(keyword).span(), keyword + " must be a string, not " + v.kind());
    }

    /** A keyword whose value is a leg name, or a list of them written `[i, j]`. */
    public List<String> legsKeyword(String keyword) {
        read.add(keyword);
        Expr.Call.Arg a = keywords.get(keyword);
        if (a == null) return null;
        if (a.value() instanceof Expr.LegList l) return l.names();
        if (a.value() instanceof Expr.Var v) {
            if (interpreter.lookup(v.name()) instanceof Value.Legs l) return l.names();
            return List.of(v.name());
        }
        if (interpreter.eval(a.value()) instanceof Value.Legs l) return l.names();
        throw new TnError(a.span(), keyword + " must be a leg name or a list of legs, e.g. " + keyword + "=[i, j]");
    }

    public DType dtype(String keyword, DType otherwise) {
        Value v = keyword(keyword);
        if (v == null) return otherwise;
        if (v instanceof Value.DTypeValue d) return d.dtype();
        if (v instanceof Value.Str s && DType.parse(s.value()) != null) return DType.parse(s.value());
        throw new TnError(keywords.get(keyword).span(), keyword + " must be " + DType.NAMES);
    }

    /** Rejects keywords the builtin did not ask for. */
    public void finish() {
        for (Map.Entry<String, Expr.Call.Arg> e : keywords.entrySet()) {
            if (read.contains(e.getKey())) continue;
            List<String> known = new ArrayList<>(read);
            java.util.Collections.sort(known);
            String hint = Suggest.closest(e.getKey(), known);
            throw new TnError(e.getValue().span(), name() + "() has no parameter " + e.getKey()
                    + (hint != null ? " (did you mean " + hint + "?)"
                    : known.isEmpty() ? " (it takes no keywords)" : " (it takes: " + String.join(", ", known) + ")"));
        }
    }
}
