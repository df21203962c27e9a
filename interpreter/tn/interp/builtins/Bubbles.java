package tn.interp.builtins;

import java.util.ArrayList;
import java.util.List;
import tn.interp.Args;
import tn.interp.Builtin;
import tn.interp.Value;
import tn.net.BubbleFunction;
import tn.net.Net;

/**
 * Nonlinearities, drawn as bubbles: everything inside is contracted first, then the function is
 * applied elementwise (relu, gelu, ...) or over named legs (softmax, layernorm, sum, ...).
 */
public final class Bubbles {
    private Bubbles() {}

    public static List<Builtin> all() {
        List<Builtin> out = new ArrayList<>();
        out.add(elementwise(BubbleFunction.RELU, "max(x, 0)"));
        out.add(elementwise(BubbleFunction.GELU, "GELU, GPT-2's tanh approximation"));
        out.add(elementwise(BubbleFunction.TANH, "hyperbolic tangent"));
        out.add(elementwise(BubbleFunction.SIGMOID, "1 / (1 + exp(-x))"));
        out.add(elementwise(BubbleFunction.EXP, "e^x"));
        out.add(elementwise(BubbleFunction.LOG, "natural logarithm"));
        out.add(elementwise(BubbleFunction.SQRT, "square root"));
        out.add(elementwise(BubbleFunction.ABS, "absolute value"));
        out.add(Builtin.of("pow", "pow(x, p)", "x^p elementwise (also written x ^ p)", a -> {
            a.expect(2, 2, "a tensor and an exponent");
            Net x = a.tensor(0);
            double p = a.number(1);
            if (x.dtype().isComplex() && p != Math.rint(p)) throw a.error(1, Complexes.fractionalPower(x, p));
            return bubble(BubbleFunction.POW, x, List.of(), p, a);
        }));
        out.add(Builtin.of("softmax", "softmax(x, legs...)", "exp(x) normalised to sum 1 over the legs",
                a -> overLegs(a, BubbleFunction.SOFTMAX, true, 0)));
        out.add(Builtin.of("layernorm", "layernorm(x, legs..., eps=1e-5)",
                "(x - mean) / sqrt(var + eps) over the legs (no scale or shift)",
                a -> overLegs(a, BubbleFunction.LAYERNORM, true, a.number("eps", 1e-5))));
        out.add(reduction(BubbleFunction.SUM, "the sum over the legs (all legs when none are named)"));
        out.add(reduction(BubbleFunction.MEAN, "the mean over the legs (all legs when none are named)"));
        out.add(reduction(BubbleFunction.MAX, "the largest entry over the legs (all legs when none are named)"));
        out.add(reduction(BubbleFunction.MIN, "the smallest entry over the legs (all legs when none are named)"));
        out.add(reduction(BubbleFunction.NORM, "the 2-norm over the legs (Frobenius norm when none are named)"));
        return out;
    }

    private static Builtin elementwise(BubbleFunction f, String summary) {
        return Builtin.of(f.label(), f.label() + "(x)", summary + " (of a number: a number)", a -> {
            a.expect(1, 1, "one tensor or number");
            if (a.value(0) instanceof Value.Num n) return new Value.Num(ofNumber(f, n.value()));
            return bubble(f, a.tensor(0), List.of(), 0, a);
        });
    }

    /** An elementwise function of one number (float64), as the bubble computes it entrywise ({@link tn.exec.Pointwise}). */
    static double ofNumber(BubbleFunction f, double x) {
        if (f.kind != BubbleFunction.Kind.ELEMENTWISE) throw new IllegalArgumentException(f + " is not elementwise");
        return tn.exec.Pointwise.of(f.elementwise, x, 0);
    }

    private static Builtin reduction(BubbleFunction f, String summary) {
        return Builtin.of(f.label(), f.label() + "(x, legs...)", summary, a -> overLegs(a, f, false, 0));
    }

    private static Value overLegs(Args a, BubbleFunction f, boolean needLegs, double parameter) {
        a.expect(needLegs ? 2 : 1, -1, needLegs ? "a tensor and one or more leg names" : "a tensor and leg names");
        Net x = a.tensor(0);
        List<String> legs = Creation.legs(a, 1);
        for (int i = 0; i < legs.size(); i++) {
            if (!x.legs().contains(legs.get(i))) {
                throw a.error(i + 1, "the tensor has no leg " + legs.get(i) + " (its legs: " + String.join(", ", x.legs()) + ")");
            }
        }
        return bubble(f, x, legs, parameter, a);
    }

    private static Value bubble(BubbleFunction f, Net x, List<String> over, double parameter, Args a) {
        for (String leg : x.legs()) {
            if (leg.startsWith("#")) throw a.error(0, "this tensor's legs have no names yet; name them first, e.g. x[i, j]");
        }
        return new Value.TensorValue(new Net.Bubble(f, x, over, parameter, a.span()));
    }
}
