package tn.interp;

import java.util.ArrayList;
import java.util.List;
import tn.ast.Expr;
import tn.diag.Span;
import tn.diag.TnError;
import tn.net.BubbleFunction;
import tn.net.Net;

/**
 * The operators of the language on values: + and - (numbers, or sums of networks, broadcast by
 * leg name), .* (elementwise), / (by numbers and scalar tensors), ^, comparisons, and, or, not, unary minus.
 */
final class Operators {
    private final Interpreter in;

    Operators(Interpreter in) {
        this.in = in;
    }

    Value binary(Expr.Binary b) {
        switch (b.op()) {
            case AND, OR -> {
                // While checking, a condition on tensor values is unknown: and/or/not keep it
                // unknown unless the known side decides (false and ?, true or ?), so a checked
                // assert neither fails nor passes on a value it does not have.
                Value lv = in.eval(b.left());
                boolean lUnknown = lv instanceof Value.Unknown;
                boolean l = in.asBool(lv, b.left().span());
                if (!lUnknown && b.op() == Expr.Op.AND && !l) return new Value.Bool(false);
                if (!lUnknown && b.op() == Expr.Op.OR && l) return new Value.Bool(true);
                Value rv = in.eval(b.right());
                if (rv instanceof Value.Unknown) return rv;
                boolean r = in.asBool(rv, b.right().span());
                if (lUnknown) return (b.op() == Expr.Op.AND) == r ? lv : new Value.Bool(r);
                return new Value.Bool(r);
            }
            default -> { }
        }
        Value l = in.eval(b.left());
        Value r = in.eval(b.right());
        in.checkPoison(l);
        in.checkPoison(r);
        return switch (b.op()) {
            case DIV -> divide(b, l, r);
            case ELEMENTWISE -> elementwise(b, l, r);
            case POW -> power(b, l, r);
            default -> compare(b, l, r);
        };
    }

    /**
     * `a + b - c ...`, folded left to right: numbers add up as numbers until a tensor comes, then
     * every term joins one sum network, so a long sum is built in time linear in its number of
     * terms. A term lacking some of the sum's legs is repeated along them (numpy's broadcasting,
     * by leg name); {@link Networks#broadcastTerms} checks and does it.
     */
    Value sum(Expr.Sum s) {
        List<Expr.Sum.Term> terms = s.terms();
        List<Value> values = new ArrayList<>(terms.size());
        for (Expr.Sum.Term t : terms) values.add(in.eval(t.value()));
        for (Value v : values) in.checkPoison(v);
        Value first = values.get(0);
        if (first instanceof Value.Unknown) return first;
        double number = 0;
        List<Net> nets = null;
        double[] coefficients = null;
        List<Span> ops = null, sources = null;
        for (int k = 0; k < terms.size(); k++) {
            Value v = values.get(k);
            Expr.Sum.Term t = terms.get(k);
            double sign = t.negated() ? -1 : 1;
            if (v instanceof Value.Unknown) return v;
            if (nets == null && v instanceof Value.Num n) {
                number += sign * n.value();
                continue;
            }
            if (nets == null) {
                // The first tensor: the number so far (when there were terms before) becomes a scalar term.
                nets = new ArrayList<>(terms.size());
                ops = new ArrayList<>(terms.size());
                sources = new ArrayList<>(terms.size());
                coefficients = new double[terms.size() + 1];
                if (k > 0) {
                    Span numbers = terms.get(0).value().span().to(terms.get(k - 1).value().span());
                    nets.add(in.scalar(number, numbers));
                    ops.add(null);
                    sources.add(numbers);
                    coefficients[0] = 1;
                }
            }
            coefficients[nets.size()] = sign;
            nets.add(in.asTensorOrScalar(v, t.value().span()));
            ops.add(nets.size() == 1 ? null : t.opSpan());
            sources.add(t.value().span());
        }
        if (nets == null) return new Value.Num(number);
        double[] cs = java.util.Arrays.copyOf(coefficients, nets.size());
        List<Net> broadcast = in.networks().broadcastTerms(nets, cs, ops, sources);
        return new Value.TensorValue(in.networks().sum(broadcast, cs, s.span()));
    }

    private Value divide(Expr.Binary b, Value l, Value r) {
        if (r instanceof Value.Num y) {
            if (l instanceof Value.Num x) return new Value.Num(x.value() / y.value());
            if (l instanceof Value.Unknown) return l;
            Net left = in.asTensor(l, b.left().span(), "the left of /");
            return new Value.TensorValue(in.networks().product(List.of(left), 1.0 / y.value(), null, b.span()));
        }
        if (r instanceof Value.Unknown) return r;
        Net denominator = in.asTensor(r, b.right().span(), "the right of /");
        if (denominator.rank() != 0) {
            throw new TnError(b.right().span(), "can only divide by a scalar, not a tensor with legs " + Networks.legList(denominator));
        }
        Net reciprocal = new Net.Bubble(BubbleFunction.POW, denominator, List.of(), -1, b.right().span());
        if (l instanceof Value.Num x) {
            return new Value.TensorValue(in.networks().product(List.of(reciprocal), x.value(), null, b.span()));
        }
        Net left = in.asTensor(l, b.left().span(), "the left of /");
        return new Value.TensorValue(in.networks().product(List.of(left, reciprocal), 1.0, null, b.span()));
    }

    /** `a .* b`: numbers multiply; tensors multiply entry by entry, every leg kept (a copy dot joins shared legs). */
    private Value elementwise(Expr.Binary b, Value l, Value r) {
        if (l instanceof Value.Num x && r instanceof Value.Num y) return new Value.Num(x.value() * y.value());
        double coefficient = 1;
        List<Net> factors = new ArrayList<>(2);
        for (Expr side : List.of(b.left(), b.right())) {
            Value v = side == b.left() ? l : r;
            if (v instanceof Value.Num n) coefficient *= n.value();
            else if (!(v instanceof Value.Unknown)) factors.add(in.asTensor(v, side.span(), "an operand of .*"));
        }
        // A number known only when running stands in as 1 while checking (as in a product).
        if (factors.isEmpty()) return new Value.Unknown();
        return new Value.TensorValue(in.networks().elementwise(factors, coefficient, b.span()));
    }

    private Value power(Expr.Binary b, Value l, Value r) {
        double p = in.asNumber(r, b.right().span(), "an exponent");
        if (l instanceof Value.Num x) return new Value.Num(Math.pow(x.value(), p));
        if (l instanceof Value.Unknown) return l;
        Net base = in.asTensor(l, b.left().span(), "the base of ^");
        if (base.dtype().isComplex() && p != Math.rint(p)) throw new TnError(b.right().span(), tn.interp.builtins.Complexes.fractionalPower(base, p));
        return new Value.TensorValue(new Net.Bubble(BubbleFunction.POW, base, List.of(), p, b.span()));
    }

    private Value compare(Expr.Binary b, Value l, Value r) {
        if (l instanceof Value.Unknown || r instanceof Value.Unknown) return new Value.Unknown();
        if (!in.concrete() && (l instanceof Value.TensorValue || r instanceof Value.TensorValue)) {
            in.asNumber(l, b.left().span(), "a comparison");
            in.asNumber(r, b.right().span(), "a comparison");
            return new Value.Unknown();
        }
        if ((b.op() == Expr.Op.EQ || b.op() == Expr.Op.NE) && l instanceof Value.Str x && r instanceof Value.Str y) {
            return new Value.Bool(x.value().equals(y.value()) == (b.op() == Expr.Op.EQ));
        }
        double x = in.asNumber(l, b.left().span(), "a comparison");
        double y = in.asNumber(r, b.right().span(), "a comparison");
        boolean result = switch (b.op()) {
            case LT -> x < y;
            case LE -> x <= y;
            case GT -> x > y;
            case GE -> x >= y;
            case EQ -> x == y;
            default -> x != y;
        };
        // The detail explains a false comparison (a failed assert, the REPL); formatting numbers is
        // slow next to comparing them, and loops compare often, so it is made only when shown.
        if (result) return new Value.Bool(true);
        java.util.function.Supplier<String> why = () -> Printer.number(x) + " " + b.op().symbol + " " + Printer.number(y) + " is false";
        return new Value.Bool(false, why);
    }

    Value unary(Expr.Unary u) {
        Value v = in.eval(u.operand());
        in.checkPoison(v);
        if (u.op() == Expr.UnaryOp.NOT) return v instanceof Value.Unknown ? v : new Value.Bool(!in.asBool(v, u.operand().span()));
        if (v instanceof Value.Num n) return new Value.Num(-n.value());
        if (v instanceof Value.Unknown) return v;
        Net n = in.asTensor(v, u.operand().span(), "the operand of -");
        return new Value.TensorValue(in.networks().product(List.of(n), -1.0, null, u.span()));
    }
}
