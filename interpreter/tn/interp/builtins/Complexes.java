package tn.interp.builtins;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import tn.diag.Span;
import tn.exec.ComplexBackend;
import tn.exec.DType;
import tn.exec.Dense;
import tn.interp.Args;
import tn.interp.Builtin;
import tn.interp.Interpreter;
import tn.interp.Value;
import tn.net.Net;
import tn.net.Tensor;

/**
 * Complex numbers: imaginary literals ({@code 2.5j}), {@code complex(re, im)}, the parts
 * {@code real} and {@code imag}, {@code conj}, {@code angle}, and the dagger {@code dag}
 * (conjugate, and every leg's prime flipped: i to i', i' to i). Each is computed when the script
 * runs and kept as a tensor (a leaf of later networks). docs/complex.md says what takes complex
 * tensors and what refuses them.
 */
public final class Complexes {
    private Complexes() {}

    public static List<Builtin> all() {
        return List.of(
            Builtin.of("complex", "complex(re, im)", "the complex tensor re + i im (numbers or tensors with the same legs; the dtype's complex type)",
                Complexes::complex),
            Builtin.of("real", "real(x)", "the real part of x (a real tensor)", a -> part(a, "real", (b, x) -> b.realPart(x), true)),
            Builtin.of("imag", "imag(x)", "the imaginary part of x (a real tensor; zeros for a real x)", a -> part(a, "imag", (b, x) -> b.imagPart(x), true)),
            Builtin.of("angle", "angle(x)", "the argument of each entry, atan2(imag, real) in (-pi, pi] (a real tensor)",
                a -> part(a, "angle", (b, x) -> b.angle(x), true)),
            Builtin.of("conj", "conj(x)", "the complex conjugate (x itself when real); <psi|psi> is conj(psi) psi", Complexes::conj),
            Builtin.of("dag", "dag(x)",
                "the dagger: x conjugated with every leg's prime flipped (i -> i', i' -> i; b[k] -> b'[k]), so <psi|H|psi> is"
                    + " dag(psi) H psi for an operator H[i', i] from i to i'",
                Complexes::dag));
    }

    /** The names of the builtins that take complex tensors (the others refuse them, see {@link tn.interp.ComplexArguments}). */
    public static final java.util.Set<String> NAMES = java.util.Set.of("complex", "real", "imag", "angle", "conj", "dag");

    /** The value of an imaginary literal: a scalar of the script dtype's complex type. */
    public static Value literal(Interpreter in, double value, Span span) {
        DType dtype = in.settings().dtype().complexType();
        Tensor t = in.concrete()
                ? Tensor.of(List.of(), backend(in).fromParts(new double[] {0}, new double[] {value}, new long[0], dtype))
                : Tensor.signature(List.of(), new long[0], dtype);
        return new Value.TensorValue(new Net.Leaf(t, "number", span));
    }

    private static ComplexBackend backend(Interpreter in) {
        return (ComplexBackend) in.evaluator().backend();
    }

    /** A tensor computed from x's value (or its signature, of {@code realResult}'s type, while checking). */
    private static Value part(Args a, String kind, BiFunction<ComplexBackend, Dense, Dense> f, boolean realResult) {
        a.expect(1, 1, "one tensor or number");
        Interpreter in = a.interpreter();
        Value v = a.value(0);
        if (v instanceof Value.Num n) {
            double x = n.value();
            return new Value.Num(switch (kind) {
                case "imag" -> 0;
                case "angle" -> Math.atan2(0, x);
                default -> x;
            });
        }
        Net x = a.tensor(0);
        DType out = realResult ? x.dtype().realPart() : x.dtype();
        Tensor t;
        if (in.concrete()) {
            Tensor value = in.evaluator().evaluate(x);
            t = Tensor.of(value.legs(), f.apply(backend(in), value.data()));
        } else {
            t = Tensor.signature(x.legs(), x.sizes(), out);
        }
        return new Value.TensorValue(new Net.Leaf(t, kind, a.span()));
    }

    private static Value complex(Args a) {
        a.expect(2, 2, "the real and the imaginary part");
        Interpreter in = a.interpreter();
        Value re = a.value(0), im = a.value(1);
        if (re instanceof Value.Num && im instanceof Value.Num) {
            DType dtype = in.settings().dtype().complexType();
            double x = ((Value.Num) re).value(), y = ((Value.Num) im).value();
            Tensor t = in.concrete()
                    ? Tensor.of(List.of(), backend(in).fromParts(new double[] {x}, new double[] {y}, new long[0], dtype))
                    : Tensor.signature(List.of(), new long[0], dtype);
            return new Value.TensorValue(new Net.Leaf(t, "number", a.span()));
        }
        Net r = a.tensor(0), i = a.tensor(1);
        for (int k = 0; k < 2; k++) {
            Net n = k == 0 ? r : i;
            if (n.dtype().isComplex()) throw a.error(k, "complex() takes real parts, not a " + n.dtype() + " tensor; take real() and imag() first (under a complex `set dtype`, create the parts with dtype=float32 or float64)");
        }
        if (!new java.util.HashSet<>(r.legs()).equals(new java.util.HashSet<>(i.legs()))) {
            throw a.error("complex(): the parts need the same legs, not " + r.legs() + " and " + i.legs());
        }
        for (String leg : r.legs()) {
            if (r.sizeOf(leg) != i.sizeOf(leg)) {
                throw a.error("complex(): leg " + leg + " has size " + r.sizeOf(leg) + " in the real part but " + i.sizeOf(leg) + " in the imaginary part");
            }
        }
        DType dtype = DType.promote(r.dtype(), i.dtype()).complexType();
        Tensor t;
        if (in.concrete()) {
            Tensor x = in.evaluator().evaluate(r), y = in.evaluator().evaluate(i);
            Dense yd = y.data();
            if (!x.legs().equals(y.legs())) {
                int[] perm = new int[x.rank()];
                for (int k = 0; k < perm.length; k++) perm[k] = y.legs().indexOf(x.legs().get(k));
                yd = backend(in).permute(yd, perm);
            }
            t = Tensor.of(x.legs(), backend(in).complex(x.data(), yd, dtype));
        } else {
            t = Tensor.signature(r.legs(), r.sizes(), dtype);
        }
        return new Value.TensorValue(new Net.Leaf(t, "complex", a.span()));
    }

    /** The conjugate; a real tensor (or number) is its own, the same network, so real scripts are unchanged by it. */
    private static Value conj(Args a) {
        return conjugate(a, "*");
    }

    /**
     * The complex conjugate, named in diagrams as the conjugated tensor marked ({@code psi*}, and
     * {@code psi†} for a dagger) when the argument has a name, as the notation marks conjugates.
     */
    private static Value conjugate(Args a, String mark) {
        a.expect(1, 1, "one tensor or number");
        Value v = a.value(0);
        if (v instanceof Value.Num) return v;
        Net x = a.tensor(0);
        if (!x.dtype().isComplex()) return v;
        Value c = part(a, "conj", (b, d) -> b.conj(d), false);
        String base = x.label() != null ? x.label() : a.expr(0) instanceof tn.ast.Expr.Var var ? var.name() : null;
        if (base != null) ((Value.TensorValue) c).net().nameIfAnonymous(base + mark);
        return c;
    }

    private static Value dag(Args a) {
        a.expect(1, 1, "one tensor");
        Net x = a.tensor(0);
        Net c = ((Value.TensorValue) conjugate(a, "\u2020")).net();
        List<String> names = new ArrayList<>();
        for (String leg : x.legs()) names.add(flipped(leg));
        for (int k = 0; k < names.size(); k++) a.interpreter().bindLeg(names.get(k), x.size(k), a.span());
        return new Value.TensorValue(new Net.Relabel(c, names, a.span()));
    }

    /** Why a complex tensor cannot be raised to a fractional power. */
    public static String fractionalPower(Net x, double p) {
        return "a complex tensor (" + x.dtype() + ") to the power " + tn.interp.Printer.number(p)
                + ": tn raises complex numbers to whole powers only (a fractional power needs a branch cut); take abs(x) first";
    }

    /** i -> i', i' -> i, b[3] -> b'[3], b'[3] -> b[3] (one prime at a time; an involution). */
    static String flipped(String leg) {
        int open = leg.lastIndexOf('[');
        String stem = open > 0 && leg.endsWith("]") ? leg.substring(0, open) : leg;
        String index = stem.length() == leg.length() ? "" : leg.substring(open);
        stem = stem.endsWith("'") ? stem.substring(0, stem.length() - 1) : stem + "'";
        return stem + index;
    }
}
