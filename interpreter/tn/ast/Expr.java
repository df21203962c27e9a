package tn.ast;

import java.util.List;
import tn.diag.Span;

/** An expression of a tn script. Immutable; every node knows the span of source it came from. */
public sealed interface Expr {
    Span span();

    record Num(Span span, double value) implements Expr {}

    /** An imaginary literal, {@code 2.5j}: the number {@code value} times the imaginary unit. */
    record Imaginary(Span span, double value) implements Expr {}

    record Str(Span span, String value) implements Expr {}

    record Bool(Span span, boolean value) implements Expr {}

    /** A name: a variable, a function, or (where a builtin expects one) a leg. */
    record Var(Span span, String name) implements Expr {}

    /** `f(a, b, key=c)`. */
    record Call(Span span, String callee, Span calleeSpan, List<Arg> args) implements Expr {
        public record Arg(Span span, String keyword, Expr value) {}
    }

    /** A literal array `[[1, 2], [3, 4]]`, already checked to be rectangular; data row-major. */
    record ArrayLit(Span span, long[] shape, double[] data) implements Expr {}

    /** `[i, j]` standing alone: a list of leg names, as builtins take them (`svd(T, left=[i, j])`). */
    record LegList(Span span, List<String> names) implements Expr {}

    /** `m.W_Q`: a field of a record (a model, a configuration). */
    record Member(Span span, Expr target, String name, Span nameSpan) implements Expr {}

    /** `x[i, j]`: the legs of x renamed at the point of use (positionally, by name, split). */
    record Relabel(Span span, Expr target, List<LegSpec> legs) implements Expr {}

    /**
     * `b[k + 1]`: a member of a leg family, its index an expression. (`b[k]` and `b[0]` parse as
     * a {@link Relabel}, which the interpreter reads as a member when b names a family.)
     */
    record Subscript(Span span, Expr target, Expr index) implements Expr {}

    /** `e -> [i, k]`: fixes the legs kept (and their order); legs not listed are summed. */
    record Output(Span span, Expr target, List<LegSpec> legs) implements Expr {}

    /**
     * Juxtaposition or `*`: a tensor product in which shared leg names are contracted. {@code stars}
     * are the `*` written in it: a `*` may not contract (its right factor shares no leg with the
     * factors before it), since a numpy reader takes `x * y` for the elementwise product.
     */
    record Product(Span span, List<Expr> factors, List<Star> stars) implements Expr {
        public Product(Span span, List<Expr> factors) {
            this(span, factors, List.of());
        }

        /** A `*` at {@code span}, written before factor number {@code before}. */
        public record Star(int before, Span span) {}
    }

    /**
     * `a + b - c`: terms added or subtracted left to right. One flat node however many terms
     * there are, so a long sum costs no recursion anywhere.
     */
    record Sum(Span span, List<Term> terms) implements Expr {
        /** A term; {@code opSpan} is the + or - before it (null for the first term, never negated). */
        public record Term(boolean negated, Span opSpan, Expr value) {}
    }

    record Binary(Span span, Op op, Span opSpan, Expr left, Expr right) implements Expr {}

    record Unary(Span span, UnaryOp op, Expr operand) implements Expr {}

    enum Op {
        DIV("/"), POW("^"), ELEMENTWISE(".*"),
        LT("<"), LE("<="), GT(">"), GE(">="), EQ("=="), NE("!="), AND("and"), OR("or");

        public final String symbol;

        Op(String symbol) { this.symbol = symbol; }
    }

    enum UnaryOp { NEG, NOT }
}
