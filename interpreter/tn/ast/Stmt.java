package tn.ast;

import java.util.List;
import tn.diag.Span;

/** A statement of a tn script. Immutable; every node knows the span of source it came from. */
public sealed interface Stmt {
    Span span();

    /**
     * `leg i = 4, j = 3`: binds leg names to sizes. `leg b[n] = 4` declares a family of n legs
     * b[0] .. b[n-1] of size 4 ({@code count} is null for a single leg).
     */
    record LegDecl(Span span, List<Binding> legs) implements Stmt {
        public record Binding(Span span, String name, Expr count, Expr size) {}
    }

    /** `set dtype = float64`: a setting of the interpreter. */
    record Set(Span span, String name, Span nameSpan, Expr value) implements Stmt {}

    /** `import mps` (a module of the standard library) or `import "lib/util.tn"` (a path). */
    record Import(Span span, String target, boolean isPath) implements Stmt {}

    /** `def f(x, y=2) = expr` or `def f(x) { ... }`. An expression body is a single return. */
    record Def(Span span, String name, List<Param> params, List<Stmt> body) implements Stmt {
        public record Param(Span span, String name, Expr defaultValue) {}
    }

    /** `return a` or `return a, b` (a tuple). */
    record Return(Span span, List<Expr> values) implements Stmt {}

    /** `assert cond` or `assert cond, "message"`. */
    record Assert(Span span, Expr condition, String message) implements Stmt {}

    /**
     * `x = e`, `u, s, v = e` (tuple unpacking), or `C[i,k] = e` (the leg list fixes the result's
     * legs, as `e -> [i, k]` does).
     */
    record Assign(Span span, List<Target> targets, List<LegSpec> legs, Expr value) implements Stmt {
        public record Target(Span span, String name) {}
    }

    /** An expression on its own line (a call like `print(x)`; the REPL shows its value). */
    /** `for x in values { ... }`: the body once per value (a tuple's items, or range(n)). */
    record For(Span span, String variable, Span variableSpan, Expr values, List<Stmt> body) implements Stmt {}

    /** `if c { ... } else { ... }`; {@code otherwise} is empty without else. */
    record If(Span span, Expr condition, List<Stmt> then, List<Stmt> otherwise) implements Stmt {}

    record ExprStmt(Span span, Expr expr) implements Stmt {}
}
