package tn.syntax;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.antlr.v4.runtime.Token;
import tn.ast.Expr;
import tn.ast.Stmt;
import tn.diag.Span;
import tn.diag.TnError;

/**
 * The nesting limit of scripts. Every phase walks expressions and blocks recursively (the parser,
 * the AST builder, the interpreter, the network evaluator), so a script nested thousands of levels
 * deep would overflow the Java stack; it gets a located error instead. The parser counts its
 * levels as it goes ({@link NestingParser}); chains the parser reads in a loop but that nest in
 * the AST (`x[i][j]...`, `a / b / c ...`, `a or b or ...`) are measured here, without recursion.
 *
 * <p>{@link #MAX_LEVELS} is far beyond real scripts. At that depth the parser needs 500 to 700 KB
 * of stack and runs on a thread of its own ({@link TnParserFacade}); checking and running need at
 * most about 400 KB, measured, of the 1 MB default thread stack the command line and the REPL run
 * them on (see NestingTest). What overflows all the same becomes an error of its statement.
 */
public final class Nesting {
    /** The deepest nesting allowed (documented in docs/language.md). */
    public static final int MAX_LEVELS = 256;

    private Nesting() {}

    static String message() {
        return "nested too deeply (more than " + MAX_LEVELS + " levels of parentheses, calls, brackets, blocks or operators);"
                + " name the inner parts (t = ...) and use the names";
    }

    /** Thrown by the parser at the first token one level too deep. */
    static final class TooDeep extends RuntimeException {
        final transient Token token;

        TooDeep(Token token) {
            super(null, null, false, false);
            this.token = token;
        }
    }

    /** Fails with a located error at the first statement or expression deeper than the limit. */
    static void check(List<Stmt> program) {
        Deque<Object> nodes = new ArrayDeque<>();
        Deque<Integer> levels = new ArrayDeque<>();
        for (int k = program.size() - 1; k >= 0; k--) {
            nodes.push(program.get(k));
            levels.push(0);
        }
        while (!nodes.isEmpty()) {
            Object node = nodes.pop();
            int level = levels.pop();
            if (level > MAX_LEVELS) throw new TnError(spanOf(node), message());
            if (node instanceof Stmt s) {
                for (Expr e : expressionsOf(s)) { nodes.push(e); levels.push(level); }
                for (Stmt inner : bodyOf(s)) { nodes.push(inner); levels.push(level + 1); }
            } else {
                for (Expr e : childrenOf((Expr) node)) { nodes.push(e); levels.push(level + 1); }
            }
        }
    }

    private static Span spanOf(Object node) {
        return node instanceof Stmt s ? s.span() : ((Expr) node).span();
    }

    private static List<Expr> childrenOf(Expr e) {
        if (e instanceof Expr.Call c) return c.args().stream().map(Expr.Call.Arg::value).toList();
        if (e instanceof Expr.Member m) return List.of(m.target());
        if (e instanceof Expr.Relabel r) return List.of(r.target());
        if (e instanceof Expr.Subscript s) return List.of(s.target(), s.index());
        if (e instanceof Expr.Output o) return List.of(o.target());
        if (e instanceof Expr.Product p) return p.factors();
        if (e instanceof Expr.Sum s) return s.terms().stream().map(Expr.Sum.Term::value).toList();
        if (e instanceof Expr.Binary b) return List.of(b.left(), b.right());
        if (e instanceof Expr.Unary u) return List.of(u.operand());
        return List.of(); // numbers, strings, names, literal arrays, leg lists
    }

    private static List<Expr> expressionsOf(Stmt s) {
        if (s instanceof Stmt.LegDecl d) return d.legs().stream().flatMap(b -> java.util.stream.Stream.of(b.count(), b.size())).filter(x -> x != null).toList();
        if (s instanceof Stmt.Set x) return List.of(x.value());
        if (s instanceof Stmt.Def d) return d.params().stream().map(Stmt.Def.Param::defaultValue).filter(v -> v != null).toList();
        if (s instanceof Stmt.Return r) return r.values();
        if (s instanceof Stmt.Assert a) return List.of(a.condition());
        if (s instanceof Stmt.Assign a) return List.of(a.value());
        if (s instanceof Stmt.For f) return List.of(f.values());
        if (s instanceof Stmt.If i) return List.of(i.condition());
        if (s instanceof Stmt.ExprStmt x) return List.of(x.expr());
        return List.of(); // import
    }

    private static List<Stmt> bodyOf(Stmt s) {
        if (s instanceof Stmt.Def d) return d.body();
        if (s instanceof Stmt.For f) return f.body();
        if (s instanceof Stmt.If i) return concat(i.then(), i.otherwise());
        return List.of();
    }

    private static List<Stmt> concat(List<Stmt> a, List<Stmt> b) {
        List<Stmt> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
