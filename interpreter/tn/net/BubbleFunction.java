package tn.net;

import java.util.ArrayList;
import java.util.List;
import tn.exec.Backend.Elementwise;
import tn.exec.Backend.Reduction;

/**
 * The functions a bubble can apply to the network inside it. Elementwise functions keep the
 * legs; softmax and layernorm normalise over the named legs and keep them; reductions remove the
 * named legs (all legs when none are named).
 */
public enum BubbleFunction {
    RELU(Kind.ELEMENTWISE, Elementwise.RELU, null),
    GELU(Kind.ELEMENTWISE, Elementwise.GELU, null),
    TANH(Kind.ELEMENTWISE, Elementwise.TANH, null),
    SIGMOID(Kind.ELEMENTWISE, Elementwise.SIGMOID, null),
    EXP(Kind.ELEMENTWISE, Elementwise.EXP, null),
    LOG(Kind.ELEMENTWISE, Elementwise.LOG, null),
    SQRT(Kind.ELEMENTWISE, Elementwise.SQRT, null),
    ABS(Kind.ELEMENTWISE, Elementwise.ABS, null),
    POW(Kind.ELEMENTWISE, Elementwise.POW, null),
    SOFTMAX(Kind.NORMALISE, null, null),
    LAYERNORM(Kind.NORMALISE, null, null),
    SUM(Kind.REDUCE, null, Reduction.SUM),
    MEAN(Kind.REDUCE, null, Reduction.MEAN),
    MAX(Kind.REDUCE, null, Reduction.MAX),
    MIN(Kind.REDUCE, null, Reduction.MIN),
    NORM(Kind.REDUCE, null, Reduction.NORM);

    public enum Kind { ELEMENTWISE, NORMALISE, REDUCE }

    public final Kind kind;
    public final Elementwise elementwise;
    public final Reduction reduction;

    BubbleFunction(Kind kind, Elementwise elementwise, Reduction reduction) {
        this.kind = kind;
        this.elementwise = elementwise;
        this.reduction = reduction;
    }

    /** The name users write (`relu`, `softmax`, ...). */
    public String label() { return name().toLowerCase(java.util.Locale.ROOT); }

    List<String> outputLegs(List<String> inner, List<String> over) {
        if (kind != Kind.REDUCE) return inner;
        if (over.isEmpty()) return List.of();
        List<String> out = new ArrayList<>(inner);
        out.removeAll(over);
        return out;
    }

    long[] outputSizes(Net inner, List<String> over) {
        if (kind != Kind.REDUCE) return inner.sizes();
        List<String> legs = outputLegs(inner.legs(), over);
        long[] s = new long[legs.size()];
        for (int k = 0; k < s.length; k++) s[k] = inner.sizeOf(legs.get(k));
        return s;
    }
}
