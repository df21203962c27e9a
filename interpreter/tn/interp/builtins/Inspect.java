package tn.interp.builtins;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import tn.exec.Backend;
import tn.exec.DType;
import tn.exec.Dense;
import tn.interp.Args;
import tn.interp.Builtin;
import tn.interp.Interpreter;
import tn.interp.Printer;
import tn.interp.Value;
import tn.io.Entries;
import tn.net.Net;
import tn.net.Tensor;

/** Looking at values: print, show, and close (the comparison behind `assert close(a, b)`). */
public final class Inspect {
    private Inspect() {}

    public static List<Builtin> all() {
        return List.of(
            Builtin.of("print", "print(values...)", "prints values separated by spaces (tensors as a preview)",
                Inspect::print),
            Builtin.of("show", "show(x, ...)", "prints each tensor's legs, sizes, dtype and a compact preview",
                Inspect::show),
            Builtin.of("close", "close(a, b, rtol=, atol=)",
                "true when |a - b| <= atol + rtol |b| everywhere (legs matched by name); "
                    + "defaults rtol=1e-4, atol=1e-6 in float32 and rtol=1e-9, atol=1e-12 in float64",
                Inspect::close));
    }

    private static Value print(Args a) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < a.count(); i++) {
            Value v = a.value(i);
            a.interpreter().checkPoison(v);
            if (v instanceof Value.TensorValue t) {
                Tensor x = a.interpreter().evaluator().evaluate(t.net());
                if (!a.interpreter().concrete()) continue;
                String p = preview(data(a.interpreter(), x), x);
                parts.add(x.rank() >= 2 && i > 0 ? "\n" + p : p);
            } else {
                parts.add(text(v));
            }
        }
        if (a.interpreter().concrete()) {
            StringBuilder line = new StringBuilder();
            for (String p : parts) {
                if (line.length() > 0 && !p.startsWith("\n")) line.append(' ');
                line.append(p);
            }
            a.interpreter().out().println(line);
        }
        return new Value.None();
    }

    static String text(Value v) {
        if (v instanceof Value.Str s) return s.value();
        if (v instanceof Value.Num n) return Printer.number(n.value());
        if (v instanceof Value.Bool b) return String.valueOf(b.value());
        if (v instanceof Value.DTypeValue d) return d.dtype().label();
        if (v instanceof Value.Legs l) return "[" + String.join(", ", l.names()) + "]";
        if (v instanceof Value.Record r) {
            List<String> parts = new ArrayList<>();
            for (var e : r.fields().entrySet()) {
                Value f = e.getValue();
                parts.add(e.getKey() + "=" + (f instanceof Value.TensorValue t
                        ? Printer.signature(t.net().legs(), t.net().sizes(), t.net().dtype().label()) : text(f)));
            }
            return r.type() + "(" + String.join(", ", parts) + ")";
        }
        if (v instanceof Value.Tuple t) return "(" + String.join(", ", t.items().stream().map(Inspect::text).toList()) + ")";
        if (v instanceof Value.Function f) return "<function " + f.def().name() + ">";
        if (v instanceof Value.BuiltinFunction b) return "<builtin " + b.builtin().name() + ">";
        return v.kind();
    }

    private static Value show(Args a) {
        a.expect(1, -1, "one or more tensors");
        for (int i = 0; i < a.count(); i++) {
            Net n = a.tensor(i);
            Tensor x = a.interpreter().evaluator().evaluate(n);
            if (!a.interpreter().concrete()) continue;
            a.interpreter().out().println(describe(a.expr(i).span().text(), x, data(a.interpreter(), x)));
        }
        return new Value.None();
    }

    /** `name: [i=2, j=3] float32` and the preview below it (a scalar on one line). */
    public static String describe(String name, Tensor x, Entries data) {
        String header = name + ": " + Printer.signature(x.legs(), x.shape(), x.dtype().label());
        if (x.rank() == 0) return header + " = " + preview(data, x);
        return header + "\n" + preview(data, x);
    }

    /** The preview of x's entries ({@link #data}: interleaved real and imaginary parts when x is complex). */
    static String preview(Entries data, Tensor x) {
        return x.dtype().isComplex() ? Printer.previewComplex(data, x.shape()) : Printer.preview(data, x.shape());
    }

    /** A computed tensor's entries, read in bounded chunks (a large tensor is never copied whole). */
    public static Entries data(Interpreter in, Tensor x) {
        tn.exec.Backend backend = in.evaluator().backend();
        if (x.data() instanceof tn.exec.ComplexDense c) {
            // Interleaved, entry k's parts at 2k and 2k + 1 (numpy's layout), read a run of each part at a time.
            return (from, into, count) -> {
                long first = from / 2, last = (from + count - 1) / 2;
                int n = (int) (last - first + 1);
                double[] re = new double[n], im = new double[n];
                backend.copyDoubles(c.re(), first, re, n);
                backend.copyDoubles(c.im(), first, im, n);
                for (int k = 0; k < count; k++) {
                    long at = from + k;
                    into[k] = (at % 2 == 0 ? re : im)[(int) (at / 2 - first)];
                }
            };
        }
        return (from, into, count) -> backend.copyDoubles(x.data(), from, into, count);
    }

    private static Value close(Args a) {
        a.expect(2, 2, "two tensors");
        Net left = a.tensor(0), right = a.tensor(1);
        if (!new HashSet<>(left.legs()).equals(new HashSet<>(right.legs()))) {
            throw a.error("close() compares tensors with the same legs, not " + left.legs() + " and " + right.legs());
        }
        for (int k = 0; k < left.rank(); k++) {
            if (right.sizeOf(left.legs().get(k)) != left.size(k)) {
                throw a.error("close(): leg " + left.legs().get(k) + " has size " + left.size(k) + " on the left but "
                        + right.sizeOf(left.legs().get(k)) + " on the right");
            }
        }
        Interpreter in = a.interpreter();
        boolean f64 = DType.promote(left.dtype(), right.dtype()).isDouble();
        double rtol = a.number("rtol", f64 ? 1e-9 : 1e-4);
        double atol = a.number("atol", f64 ? 1e-12 : 1e-6);
        Tensor x = in.evaluator().evaluate(left), y = in.evaluator().evaluate(right);
        if (!in.concrete()) return new Value.Unknown();
        Backend backend = in.evaluator().backend();
        int[] perm = new int[y.rank()];
        for (int k = 0; k < perm.length; k++) perm[k] = y.legs().indexOf(x.legs().get(k));
        Dense yd = perm.length == 0 ? y.data() : backend.permute(y.data(), perm);
        // Complex entries compare by the modulus of their difference (numpy's isclose), their parts read apart.
        tn.exec.ComplexBackend c = (tn.exec.ComplexBackend) backend;
        double[] xs = backend.toDoubles(c.realPart(x.data())), ys = backend.toDoubles(c.realPart(yd));
        boolean complex = x.dtype().isComplex() || y.dtype().isComplex();
        double[] xi = complex ? backend.toDoubles(c.imagPart(x.data())) : null, yi = complex ? backend.toDoubles(c.imagPart(yd)) : null;
        double worst = 0;
        int worstAt = -1;
        for (int i = 0; i < xs.length; i++) {
            double excess = complex
                    ? Math.hypot(xs[i] - ys[i], xi[i] - yi[i]) - (atol + rtol * Math.hypot(ys[i], yi[i]))
                    : Math.abs(xs[i] - ys[i]) - (atol + rtol * Math.abs(ys[i]));
            if (Double.isNaN(excess)) excess = Double.POSITIVE_INFINITY;
            if (excess > worst || (worstAt < 0 && excess > 0)) {
                worst = excess;
                worstAt = i;
            }
        }
        if (worstAt < 0) return new Value.Bool(true);
        if (complex) {
            int w = worstAt;
            return new Value.Bool(false, "largest difference " + Printer.number(Math.hypot(xs[w] - ys[w], xi[w] - yi[w])) + " at entry " + w + ": "
                    + Printer.number(xs[w]) + (xi[w] < 0 ? "-" : "+") + Printer.number(Math.abs(xi[w])) + "j vs " + Printer.number(ys[w])
                    + (yi[w] < 0 ? "-" : "+") + Printer.number(Math.abs(yi[w])) + "j, rtol=" + Printer.number(rtol) + ", atol=" + Printer.number(atol));
        }
        return new Value.Bool(false, "largest difference " + Printer.number(Math.abs(xs[worstAt] - ys[worstAt]))
                + " at entry " + worstAt + ": " + Printer.number(xs[worstAt]) + " vs " + Printer.number(ys[worstAt])
                + ", rtol=" + Printer.number(rtol) + ", atol=" + Printer.number(atol));
    }
}
