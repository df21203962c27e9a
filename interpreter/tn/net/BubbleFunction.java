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
    NORM(Kind.REDUCE, null, Reduction.NORM),
    // Derivatives of the elementwise functions, made by Derivative (not written by users; drawn as f').
    STEP(Kind.ELEMENTWISE, Elementwise.STEP, null, "relu'"),
    SIGN(Kind.ELEMENTWISE, Elementwise.SIGN, null, "abs'"),
    GELU_GRAD(Kind.ELEMENTWISE, Elementwise.GELU_GRAD, null, "gelu'"),
    TANH_GRAD(Kind.ELEMENTWISE, Elementwise.TANH_GRAD, null, "tanh'"),
    SIGMOID_GRAD(Kind.ELEMENTWISE, Elementwise.SIGMOID_GRAD, null, "sigmoid'");

    public enum Kind { ELEMENTWISE, NORMALISE, REDUCE }

    public final Kind kind;
    public final Elementwise elementwise;
    public final Reduction reduction;
    private final String label;

    BubbleFunction(Kind kind, Elementwise elementwise, Reduction reduction) {
        this(kind, elementwise, reduction, null);
    }

    BubbleFunction(Kind kind, Elementwise elementwise, Reduction reduction, String label) {
        this.kind = kind;
        this.elementwise = elementwise;
        this.reduction = reduction;
        this.label = label != null ? label : name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The name users write (`relu`, `softmax`, ...), or for a derivative the function primed (`relu'`). */
    public String label() { return label; }

    /** The dtype of the result: real for abs and norm of a complex tensor (magnitudes), else the input's. */
    tn.exec.DType outputType(tn.exec.DType inner) {
        return this == ABS || this == NORM ? inner.realPart() : inner;
    }

    /** Whether this function means something on complex numbers (the others are refused, docs/complex.md). */
    public boolean takesComplex() {
        return this == EXP || this == ABS || this == NORM || this == SUM || this == MEAN || this == POW;
    }

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
