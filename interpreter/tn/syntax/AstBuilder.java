package tn.syntax;

import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;
import tn.ast.Expr;
import tn.ast.LegSpec;
import tn.ast.Stmt;
import tn.diag.Source;
import tn.diag.Span;
import tn.diag.TnError;
import tn.syntax.gen.TnParser;
import tn.syntax.gen.TnParser.*;

/**
 * Builds tn's immutable AST from ANTLR's parse tree. The only class (with the facade) that sees
 * generated parser types; every node gets the span of the text it came from.
 */
final class AstBuilder {
    private final Source source;

    AstBuilder(Source source) {
        this.source = source;
    }

    List<Stmt> program(ProgramContext ctx) {
        List<Stmt> out = new ArrayList<>();
        for (StatementContext s : ctx.statement()) out.add(statement(s));
        return out;
    }

    /** The else part of an if: a block, another if (else if), or nothing. */
    private List<Stmt> otherwise(BlockContext block, IfTailContext tail) {
        if (block != null) return block(block);
        if (tail == null) return List.of();
        List<Stmt> inner = otherwise(tail.block().size() > 1 ? tail.block(1) : null, tail.ifTail());
        return List.of(new Stmt.If(span(tail), expr(tail.expr()), block(tail.block(0)), inner));
    }

    private List<Stmt> block(BlockContext ctx) {
        List<Stmt> out = new ArrayList<>();
        for (StatementContext s : ctx.statement()) out.add(statement(s));
        return out;
    }

    private Stmt statement(StatementContext ctx) {
        Span span = span(ctx);
        if (ctx instanceof LegStmtContext c) {
            List<Stmt.LegDecl.Binding> legs = new ArrayList<>();
            for (LegDeclContext d : c.legDecl()) {
                List<ExprContext> e = d.expr();
                Expr count = e.size() == 2 ? expr(e.get(0)) : null;
                legs.add(new Stmt.LegDecl.Binding(span(d), d.NAME().getText(), count, expr(e.get(e.size() - 1))));
            }
            return new Stmt.LegDecl(span, legs);
        }
        if (ctx instanceof SetStmtContext c) {
            return new Stmt.Set(span, c.NAME().getText(), span(c.NAME().getSymbol()), expr(c.expr()));
        }
        if (ctx instanceof ImportStmtContext c) {
            if (c.STRING() != null) return new Stmt.Import(span, unquote(c.STRING().getSymbol()), true);
            return new Stmt.Import(span, c.NAME().getText(), false);
        }
        if (ctx instanceof DefStmtContext c) {
            String name = callName(c.CALL().getText());
            List<Stmt.Def.Param> params = new ArrayList<>();
            for (ParamContext p : c.param()) {
                params.add(new Stmt.Def.Param(span(p), p.NAME().getText(), p.expr() == null ? null : expr(p.expr())));
            }
            List<Stmt> body;
            if (c.block() != null) {
                body = block(c.block());
            } else {
                Expr e = expr(c.expr());
                body = List.of(new Stmt.Return(e.span(), List.of(e)));
            }
            return new Stmt.Def(span, name, params, body);
        }
        if (ctx instanceof ReturnStmtContext c) {
            return new Stmt.Return(span, c.expr().stream().map(this::expr).toList());
        }
        if (ctx instanceof AssertStmtContext c) {
            return new Stmt.Assert(span, expr(c.expr()), c.STRING() == null ? null : unquote(c.STRING().getSymbol()));
        }
        if (ctx instanceof IndexedAssignStmtContext c) {
            Stmt.Assign.Target t = new Stmt.Assign.Target(span(c.NAME().getSymbol()), c.NAME().getText());
            return new Stmt.Assign(span, List.of(t), legSpecs(c.legSpecs()), expr(c.expr()));
        }
        if (ctx instanceof AssignStmtContext c) {
            List<Stmt.Assign.Target> targets = new ArrayList<>();
            for (TerminalNode n : c.NAME()) targets.add(new Stmt.Assign.Target(span(n.getSymbol()), n.getText()));
            return new Stmt.Assign(span, targets, null, expr(c.expr()));
        }
        if (ctx instanceof ExprStmtContext c) return new Stmt.ExprStmt(span, expr(c.expr()));
        if (ctx instanceof ForStmtContext c) {
            TerminalNode in = c.NAME(1);
            if (!in.getText().equals("in")) {
                throw new TnError(span(in.getSymbol()), "expected `in` after `for " + c.NAME(0).getText() + "`, e.g. for l in range(3) { ... }");
            }
            return new Stmt.For(span, c.NAME(0).getText(), span(c.NAME(0).getSymbol()), expr(c.expr()), block(c.block()));
        }
        if (ctx instanceof IfStmtContext c) {
            return new Stmt.If(span, expr(c.expr()), block(c.block(0)), otherwise(c.block().size() > 1 ? c.block(1) : null, c.ifTail()));
        }
        throw new IllegalStateException("unknown statement " + ctx.getClass().getSimpleName());
    }

    // ---- expressions ------------------------------------------------------------------------

    private Expr expr(ExprContext ctx) {
        return or(ctx.orExpr());
    }

    // The generated accessors ctx.x(i) scan the children and ctx.x() copies them: each list is
    // fetched once, so that a long chain is built in linear time.

    private Expr or(OrExprContext ctx) {
        List<AndExprContext> operands = ctx.andExpr();
        Expr e = and(operands.get(0));
        for (int i = 1; i < operands.size(); i++) {
            Expr r = and(operands.get(i));
            e = new Expr.Binary(e.span().to(r.span()), Expr.Op.OR, span(ctx.getChild(2 * i - 1)), e, r);
        }
        return e;
    }

    private Expr and(AndExprContext ctx) {
        List<NotExprContext> operands = ctx.notExpr();
        Expr e = not(operands.get(0));
        for (int i = 1; i < operands.size(); i++) {
            Expr r = not(operands.get(i));
            e = new Expr.Binary(e.span().to(r.span()), Expr.Op.AND, span(ctx.getChild(2 * i - 1)), e, r);
        }
        return e;
    }

    private Expr not(NotExprContext ctx) {
        if (ctx.notExpr() != null) return new Expr.Unary(span(ctx), Expr.UnaryOp.NOT, not(ctx.notExpr()));
        return comparison(ctx.comparison());
    }

    private Expr comparison(ComparisonContext ctx) {
        Expr left = sum(ctx.sum(0));
        if (ctx.op == null) return left;
        Expr right = sum(ctx.sum(1));
        Expr.Op op = switch (ctx.op.getText()) {
            case "<" -> Expr.Op.LT;
            case "<=" -> Expr.Op.LE;
            case ">" -> Expr.Op.GT;
            case ">=" -> Expr.Op.GE;
            case "==" -> Expr.Op.EQ;
            default -> Expr.Op.NE;
        };
        return new Expr.Binary(span(ctx), op, span(ctx.op), left, right);
    }

    private Expr sum(SumContext ctx) {
        List<ArrowContext> operands = ctx.arrow();
        Expr first = arrow(operands.get(0));
        if (operands.size() == 1) return first;
        List<Expr.Sum.Term> terms = new ArrayList<>(operands.size());
        terms.add(new Expr.Sum.Term(false, null, first));
        for (int i = 1; i < operands.size(); i++) {
            Token op = ctx.op.get(i - 1);
            terms.add(new Expr.Sum.Term(op.getText().equals("-"), span(op), arrow(operands.get(i))));
        }
        return new Expr.Sum(span(ctx), List.copyOf(terms));
    }

    private Expr arrow(ArrowContext ctx) {
        Expr e = elementwise(ctx.elementwise());
        if (ctx.getChildCount() == 1) return e;
        return new Expr.Output(span(ctx), e, legSpecs(ctx.legSpecs()));
    }

    /** `a .* b .* c`, folded left to right (the product is associative and keeps every leg). */
    private Expr elementwise(ElementwiseContext ctx) {
        List<ProductContext> operands = ctx.product();
        Expr e = product(operands.get(0));
        for (int i = 1; i < operands.size(); i++) {
            Expr r = product(operands.get(i));
            e = new Expr.Binary(e.span().to(r.span()), Expr.Op.ELEMENTWISE, span(ctx.getChild(2 * i - 1)), e, r);
        }
        return e;
    }

    private Expr product(ProductContext ctx) {
        // Children alternate: unary, then (mulOp unary | postfix)*. Division binds to what is
        // on its left so far: `a b / 2` is (a b) / 2.
        List<Expr> factors = new ArrayList<>();
        List<Expr.Product.Star> stars = new ArrayList<>();
        Expr result = null;
        int n = ctx.getChildCount();
        for (int i = 0; i < n; i++) {
            var child = ctx.getChild(i);
            if (child instanceof MulOpContext op) {
                Expr right = unary((UnaryContext) ctx.getChild(++i));
                if (op.getText().equals("/")) {
                    Expr left = collapse(factors, stars, result);
                    result = new Expr.Binary(left.span().to(right.span()), Expr.Op.DIV, span(op), left, right);
                    factors = new ArrayList<>();
                    stars = new ArrayList<>();
                } else {
                    if (result != null) { factors.add(result); result = null; }
                    stars.add(new Expr.Product.Star(factors.size(), span(op)));
                    factors.add(right);
                }
            } else {
                if (result != null) { factors.add(result); result = null; }
                factors.add(child instanceof UnaryContext u ? unary(u) : juxtaposed((JuxtaposedContext) child));
            }
        }
        return collapse(factors, stars, result);
    }

    private static Expr collapse(List<Expr> factors, List<Expr.Product.Star> stars, Expr pending) {
        List<Expr> all = new ArrayList<>(factors);
        if (pending != null) all.add(pending);
        if (all.size() == 1) return all.get(0);
        return new Expr.Product(all.get(0).span().to(all.get(all.size() - 1).span()), List.copyOf(all), List.copyOf(stars));
    }

    private Expr unary(UnaryContext ctx) {
        if (ctx instanceof NegateContext c) {
            return new Expr.Unary(span(c), Expr.UnaryOp.NEG, unary(c.unary()));
        }
        PowerContext c = (PowerContext) ctx;
        Expr base = postfix(c.postfix());
        if (c.unary() == null) return base;
        Expr exp = unary(c.unary());
        return new Expr.Binary(span(c), Expr.Op.POW, span(c.getChild(1)), base, exp);
    }

    private Expr postfix(PostfixContext ctx) {
        return suffixes(primary(ctx.primary()), ctx.suffix());
    }

    private Expr juxtaposed(JuxtaposedContext ctx) {
        return suffixes(atom(ctx.atom()), ctx.suffix());
    }

    /** `e[legs]` and `e.name`, applied left to right (a loop: a long chain costs no recursion here). */
    private Expr suffixes(Expr e, List<SuffixContext> suffixes) {
        for (SuffixContext s : suffixes) {
            if (s instanceof MemberContext m) {
                Token name = m.NAME().getSymbol();
                e = new Expr.Member(e.span().to(span(name)), e, name.getText(), span(name));
            } else if (s instanceof SubscriptContext x) {
                e = new Expr.Subscript(e.span().to(span(x)), e, index(x.indexExpr()));
            } else {
                IndexContext x = (IndexContext) s;
                e = new Expr.Relabel(e.span().to(span(x)), e, legSpecs(x.legSpecs()));
            }
        }
        return e;
    }

    private Expr primary(PrimaryContext ctx) {
        if (ctx instanceof AtomicContext c) return atom(c.atom());
        if (ctx instanceof ArrayLiteralContext c) return array(c.array());
        if (ctx instanceof LegListContext c) return new Expr.LegList(span(ctx), c.NAME().stream().map(n -> n.getText()).toList());
        throw new IllegalStateException("unknown primary " + ctx.getClass().getSimpleName());
    }

    private Expr atom(AtomContext ctx) {
        Span span = span(ctx);
        if (ctx instanceof NumberContext c) return new Expr.Num(span, Double.parseDouble(c.getText()));
        if (ctx instanceof ImaginaryContext c) {
            String t = c.getText();
            return new Expr.Imaginary(span, Double.parseDouble(t.substring(0, t.length() - 1)));
        }
        if (ctx instanceof StringContext c) return new Expr.Str(span, unquote(c.STRING().getSymbol()));
        if (ctx instanceof BoolContext c) return new Expr.Bool(span, c.getText().equals("true"));
        if (ctx instanceof NameContext c) return new Expr.Var(span, c.getText());
        if (ctx instanceof ParenContext c) return expr(c.expr());
        if (ctx instanceof CallContext c) return call(span, c.CALL().getSymbol(), c.arg());
        throw new IllegalStateException("unknown atom " + ctx.getClass().getSimpleName());
    }

    /** A call from its CALL token (the name with its '(') and arguments. */
    private Expr call(Span span, Token callToken, List<ArgContext> arguments) {
        List<Expr.Call.Arg> args = new ArrayList<>();
        for (ArgContext a : arguments) {
            args.add(new Expr.Call.Arg(span(a), a.NAME() == null ? null : a.NAME().getText(), expr(a.expr())));
        }
        Span calleeSpan = new Span(source, callToken.getStartIndex(), callToken.getStopIndex()); // without '('
        return new Expr.Call(span, callName(callToken.getText()), calleeSpan, args);
    }

    private Expr array(ArrayContext ctx) {
        List<Long> shape = new ArrayList<>();
        List<Double> data = new ArrayList<>();
        collect(ctx, 0, shape, data);
        long[] s = shape.stream().mapToLong(Long::longValue).toArray();
        return new Expr.ArrayLit(span(ctx), s, data.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Walks a nested literal, fixing the shape from the first element at each depth. */
    private void collect(ArrayContext ctx, int depth, List<Long> shape, List<Double> data) {
        List<ElementContext> elements = ctx.element();
        if (shape.size() == depth) {
            shape.add((long) elements.size()); // deeper sizes are fixed by the first row reaching them
        } else if (shape.get(depth) != elements.size()) {
            throw new TnError(span(ctx), "ragged array: this row has " + elements.size()
                    + (elements.size() == 1 ? " element" : " elements") + " but the first row at this depth has " + shape.get(depth));
        }
        for (ElementContext e : elements) {
            boolean nested = e.array() != null;
            boolean expectNested = shape.size() > depth + 1;
            if (nested) {
                if (!expectNested && e != elements.get(0) && shape.size() == depth + 1) {
                    throw new TnError(span(e), "ragged array: a row where a number was expected");
                }
                collect(e.array(), depth + 1, shape, data);
            } else {
                if (expectNested) throw new TnError(span(e), "ragged array: a number where a row was expected");
                double v = Double.parseDouble(e.NUMBER().getText());
                data.add(e.getChild(0).getText().equals("-") ? -v : v);
            }
        }
    }

    private List<LegSpec> legSpecs(LegSpecsContext ctx) {
        if (ctx == null) return List.of();
        List<LegSpec> out = new ArrayList<>();
        for (LegSpecContext s : ctx.legSpec()) out.add(legSpec(s));
        return out;
    }

    private LegSpec legSpec(LegSpecContext ctx) {
        Span span = span(ctx);
        if (ctx instanceof LegNameContext c) return new LegSpec.Name(span, c.NAME().getText());
        if (ctx instanceof LegRenameContext c) return new LegSpec.Rename(span, c.NAME(0).getText(), c.NAME(1).getText());
        if (ctx instanceof LegNumberContext c) return new LegSpec.Number(span, c.getText());
        if (ctx instanceof LegRenameMemberContext c) return new LegSpec.MemberRename(span, legRef(c.legRef(0)), legRef(c.legRef(1)));
        if (ctx instanceof LegMemberContext c) {
            return new LegSpec.Member(span, c.NAME().getText(), span(c.NAME().getSymbol()), index(c.indexExpr()));
        }
        LegGroupContext c = (LegGroupContext) ctx;
        List<TerminalNode> names = c.NAME();
        boolean named = c.getChild(1) != null && c.getChild(1).getText().equals("=");
        String name = named ? names.get(0).getText() : null;
        List<LegSpec.Name> parts = new ArrayList<>();
        for (int i = named ? 1 : 0; i < names.size(); i++) {
            parts.add(new LegSpec.Name(span(names.get(i).getSymbol()), names.get(i).getText()));
        }
        return new LegSpec.Group(span, name, parts);
    }

    private LegSpec legRef(LegRefContext c) {
        if (c.indexExpr() == null) return new LegSpec.Name(span(c), c.NAME().getText());
        return new LegSpec.Member(span(c), c.NAME().getText(), span(c.NAME().getSymbol()), index(c.indexExpr()));
    }

    /** A member's index: + and - of terms, * and / of atoms (left to right). */
    private Expr index(IndexExprContext ctx) {
        List<IndexTermContext> terms = ctx.indexTerm();
        Expr first = indexTerm(terms.get(0));
        if (terms.size() == 1) return first;
        List<Expr.Sum.Term> out = new ArrayList<>();
        out.add(new Expr.Sum.Term(false, null, first));
        for (int i = 1; i < terms.size(); i++) {
            Token op = ctx.op.get(i - 1);
            out.add(new Expr.Sum.Term(op.getText().equals("-"), span(op), indexTerm(terms.get(i))));
        }
        return new Expr.Sum(span(ctx), List.copyOf(out));
    }

    private Expr indexTerm(IndexTermContext ctx) {
        List<IndexAtomContext> atoms = ctx.indexAtom();
        Expr e = indexAtom(atoms.get(0));
        for (int i = 1; i < atoms.size(); i++) {
            Token op = ctx.op.get(i - 1);
            Expr r = indexAtom(atoms.get(i));
            e = op.getText().equals("/") ? new Expr.Binary(e.span().to(r.span()), Expr.Op.DIV, span(op), e, r)
                    : new Expr.Product(e.span().to(r.span()), List.of(e, r));
        }
        return e;
    }

    private Expr indexAtom(IndexAtomContext ctx) {
        Span span = span(ctx);
        if (ctx.head != null) {
            Token first = ctx.head;
            Expr e = new Expr.Var(span(first), first.getText());
            for (Token field : ctx.fields) e = new Expr.Member(e.span().to(span(field)), e, field.getText(), span(field));
            return e;
        }
        if (ctx.NUMBER() != null) return new Expr.Num(span, Double.parseDouble(ctx.NUMBER().getText()));
        if (ctx.CALL() != null) return call(span, ctx.CALL().getSymbol(), ctx.arg());
        if (ctx.indexExpr() != null) return index(ctx.indexExpr());
        return new Expr.Unary(span, Expr.UnaryOp.NEG, indexAtom(ctx.indexAtom()));
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static String callName(String callToken) {
        return callToken.substring(0, callToken.length() - 1);
    }

    private String unquote(Token t) {
        String s = t.getText();
        StringBuilder sb = new StringBuilder();
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() - 1) {
                char n = s.charAt(++i);
                switch (n) {
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case '\\' -> sb.append('\\');
                    case '"' -> sb.append('"');
                    default -> throw new TnError(new Span(source, t.getStartIndex() + i - 1, t.getStartIndex() + i + 1),
                            "unknown escape \\" + n + " (use \\n, \\t, \\\\ or \\\")");
                }
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    private Span span(ParserRuleContext ctx) {
        int start = ctx.start.getStartIndex();
        int stop = ctx.stop == null || ctx.stop.getType() == Token.EOF ? start : ctx.stop.getStopIndex() + 1;
        return new Span(source, start, Math.max(stop, start));
    }

    private Span span(org.antlr.v4.runtime.tree.ParseTree tree) {
        if (tree instanceof ParserRuleContext p) return span(p);
        return span(((TerminalNode) tree).getSymbol());
    }

    private Span span(Token t) {
        return new Span(source, t.getStartIndex(), t.getStopIndex() + 1);
    }
}
