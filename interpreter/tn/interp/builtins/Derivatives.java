package tn.interp.builtins;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tn.diag.TnError;
import tn.interp.Args;
import tn.interp.Builtin;
import tn.interp.Value;
import tn.net.Derivative;
import tn.net.Net;
import tn.net.Substitution;

/**
 * {@code grad(expr, A)} and {@code jacobian(y, x)}: the derivative of a network with respect to one
 * of its tensors, as a network (tn.net.Derivative), through products, sums, bubbles and reshapes.
 * {@code jacobian(y, x, h=...)} is the central finite difference instead, kept as a check of the
 * exact derivative (and for the tests): 2 size(x) evaluations.
 */
public final class Derivatives {
    private Derivatives() {}

    public static List<Builtin> all() {
        return List.of(Builtin.of("grad", "grad(expr, A)",
            "the derivative of expr with respect to the tensor A, exact, as a network (through bubbles by the chain"
                + " rule; for a multilinear expr, expr with A removed); its legs are expr's legs then A's legs, primed"
                + " (i') where a name is on both",
            Derivatives::grad),
            Builtin.of("jacobian", "jacobian(y, x, h=...)",
                "dy/dx, exact (the network grad(y, x), computed): legs y's legs then x's (primed where a name is on"
                    + " both); with h=, central finite differences instead (a check: 2 size(x) evaluations)",
                Derivatives::jacobian));
    }

    private static Value jacobian(Args a) {
        a.expect(2, 2, "an expression and the tensor it depends on");
        if (!a.has("h")) return exact(a);
        Net y = a.tensor(0), x = a.tensor(1);
        double h = a.number("h", 1e-5);
        if (!(h > 0)) throw new TnError(a.keywordSpan("h"), "h= must be positive");
        List<String> names = primed(a, y, x);
        List<String> legs = new ArrayList<>(y.legs());
        legs.addAll(names);
        long[] shape = new long[legs.size()];
        for (int k = 0; k < y.rank(); k++) shape[k] = y.size(k);
        for (int k = 0; k < x.rank(); k++) shape[y.rank() + k] = x.size(k);
        long ySize = 1, xSize = 1;
        for (long s : y.sizes()) ySize *= s;
        for (long s : x.sizes()) xSize *= s;
        if ((double) ySize * xSize > 5e7) throw a.error("jacobian() of " + ySize + " x " + xSize + " entries is too large; take it of a slice");
        tn.interp.Interpreter in = a.interpreter();
        if (Substitution.of(y, x, new Net.Relabel(x, x.legs(), a.span())) == y) {
            throw a.error(1, a.expr(1).span().text() + " does not occur in this expression (jacobian() looks for that very tensor)");
        }
        if (!in.concrete()) return new Value.TensorValue(Bipartition.leaf(in, legs, shape, y.dtype(), null, "jacobian", a));
        var ev = in.evaluator();
        var backend = ev.backend();
        tn.net.Tensor x0 = ev.evaluate(x);
        double[] base = backend.toDoubles(x0.data());
        double[] jac = new double[(int) (ySize * xSize)];
        // y's entries in y's leg order, whatever order the evaluation gives.
        for (int j = 0; j < xSize; j++) {
            double[] plus = base.clone(), minus = base.clone();
            plus[j] += h;
            minus[j] -= h;
            double[] yp = valuesOf(in, y, x, x0, plus), ym = valuesOf(in, y, x, x0, minus);
            for (int i = 0; i < ySize; i++) jac[(int) (i * xSize + j)] = (yp[i] - ym[i]) / (2 * h);
        }
        return new Value.TensorValue(Bipartition.leaf(in, legs, shape, y.dtype(), jac, "jacobian", a));
    }

    private static double[] valuesOf(tn.interp.Interpreter in, Net y, Net x, tn.net.Tensor x0, double[] data) {
        var backend = in.evaluator().backend();
        Net leaf = new Net.Leaf(tn.net.Tensor.of(x0.legs(), backend.fromDoubles(data, x0.shape(), tn.exec.DType.FLOAT64)), "perturbed", x.span());
        Net changed = Substitution.of(y, x, leaf);
        return new tn.linalg.Contraction(in.evaluator(), x.span()).data(in.evaluator().evaluate(changed), y.legs());
    }

    private static List<String> primed(Args a, Net y, Net x) {
        Set<String> taken = new HashSet<>(y.legs());
        List<String> names = new ArrayList<>();
        for (int k = 0; k < x.rank(); k++) {
            String name = x.legs().get(k);
            while (taken.contains(name)) name = tn.interp.Interpreter.primed(name);
            taken.add(name);
            names.add(name);
            a.interpreter().bindLeg(name, x.size(k), a.span(1));
        }
        return names;
    }

    /**
     * The exact Jacobian: the derivative network, computed now when running (so a result too large
     * to hold is refused here, with what to do, rather than wherever it is first used).
     */
    private static Value exact(Args a) {
        Net y = a.tensor(0), x = a.tensor(1);
        tn.interp.Interpreter in = a.interpreter();
        double entries = y.denseSize() * x.denseSize();
        double bytes = entries * y.dtype().bytes();
        if (bytes > in.evaluator().memoryLimitBytes()) {
            throw a.error("the Jacobian has " + tn.net.Units.count(entries) + " entries ("
                    + (long) y.denseSize() + " x " + (long) x.denseSize() + "), " + tn.net.Units.bytes(bytes) + ", over the memory limit of "
                    + tn.net.Units.bytes(in.evaluator().memoryLimitBytes()) + "; take it of a slice of y (pick(y, leg=k)), or"
                    + " contract y with a direction first (grad(v y -> [], x) is one row of it, at the cost of one evaluation), or raise the limit (--memory-limit or `set memory_limit = ...`)");
        }
        Value g = grad(a);
        if (in.concrete()) in.evaluator().evaluate(((Value.TensorValue) g).net());
        return g;
    }

    private static Value grad(Args a) {
        a.expect(2, 2, "an expression and the tensor to differentiate by");
        Value by = a.value(1);
        if (by instanceof Value.Tuple || by instanceof Value.Record) return gradients(a, by);
        Net y = a.tensor(0), x = a.tensor(1);
        List<String> names = primed(a, y, x);
        Net g;
        try {
            g = Derivative.of(y, x, names, a.span());
        } catch (Derivative.Unsupported e) {
            throw a.error(0, e.getMessage());
        }
        if (g == null) {
            throw a.error(1, a.expr(1).span().text() + " does not occur in this expression (grad() looks for that very tensor;"
                    + " a relabelled or recomputed copy is a different tensor)");
        }
        return new Value.TensorValue(g);
    }

    /**
     * {@code grad(loss, params)} for a tuple or record of tensors: the gradients in one backward
     * pass (every node's adjoint built once and shared), as a tuple or a record of the same names.
     * A record's fields that are not tensors (a model's sizes and switches) are passed over, as are
     * tensor fields the expression does not read; a tuple must hold tensors the expression reads
     * (its positions matter).
     */
    private static Value gradients(Args a, Value by) {
        Net y = a.tensor(0);
        List<String> keys = new ArrayList<>();
        List<Net> xs = new ArrayList<>();
        if (by instanceof Value.Tuple t) {
            for (int k = 0; k < t.items().size(); k++) {
                if (!(t.items().get(k) instanceof Value.TensorValue tv)) {
                    throw a.error(1, "grad() by a tuple needs tensors, but item " + k + " is " + t.items().get(k).kind());
                }
                keys.add(Integer.toString(k));
                xs.add(tv.net());
            }
        } else {
            for (var e : ((Value.Record) by).fields().entrySet()) {
                if (e.getValue() instanceof Value.TensorValue tv) {
                    keys.add(e.getKey());
                    xs.add(tv.net());
                }
            }
        }
        if (xs.isEmpty()) throw a.error(1, "grad() needs tensors to differentiate by, and " + a.expr(1).span().text() + " holds none");
        List<List<String>> names = new ArrayList<>();
        for (Net x : xs) names.add(primed(a, y, x));
        // Reverse mode shares one backward pass; a tensor smaller than y is cheaper forward, on its own.
        List<Net> reverse = new ArrayList<>();
        List<List<String>> reverseNames = new ArrayList<>();
        for (int k = 0; k < xs.size(); k++) {
            if (y.denseSize() < xs.get(k).denseSize()) {
                reverse.add(xs.get(k));
                reverseNames.add(names.get(k));
            }
        }
        List<Net> shared;
        try {
            shared = reverse.isEmpty() ? List.of() : Derivative.reverseAll(y, reverse, reverseNames, a.span());
        } catch (Derivative.Unsupported e) {
            throw a.error(0, e.getMessage());
        }
        List<Value> out = new ArrayList<>();
        java.util.Map<String, Value> fields = new java.util.LinkedHashMap<>();
        int r = 0;
        for (int k = 0; k < xs.size(); k++) {
            Net g;
            try {
                g = y.denseSize() < xs.get(k).denseSize() ? shared.get(r++) : Derivative.of(y, xs.get(k), names.get(k), a.span());
            } catch (Derivative.Unsupported e) {
                throw a.error(0, e.getMessage());
            }
            if (g == null && by instanceof Value.Tuple) {
                throw a.error(1, "item " + k + " of " + a.expr(1).span().text() + " does not occur in this expression (grad() looks for that very tensor;"
                        + " a relabelled or recomputed copy is a different tensor)");
            }
            if (g == null) continue;
            out.add(new Value.TensorValue(g));
            fields.put(keys.get(k), new Value.TensorValue(g));
        }
        if (by instanceof Value.Tuple) return new Value.Tuple(out);
        if (fields.isEmpty()) throw a.error(1, "none of the tensors of " + a.expr(1).span().text() + " occurs in this expression");
        return new Value.Record("record", fields);
    }
}
