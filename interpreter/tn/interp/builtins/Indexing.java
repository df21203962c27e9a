package tn.interp.builtins;

import java.util.ArrayList;
import java.util.List;
import tn.diag.TnError;
import tn.exec.Backend;
import tn.exec.DType;
import tn.exec.Dense;
import tn.interp.Args;
import tn.interp.Builtin;
import tn.interp.Interpreter;
import tn.interp.Value;
import tn.net.Net;
import tn.net.Tensor;

/**
 * Entries chosen by index: pick a slice along a leg, stack slices along a new leg (pick's inverse),
 * one-hot matrices from index lists.
 */
public final class Indexing {
    private Indexing() {}

    public static List<Builtin> all() {
        return List.of(
            Builtin.of("pick", "pick(T, leg=index, ...)", "the slice of T with each named leg fixed at an index (the leg goes away)",
                Indexing::pick),
            Builtin.of("prime", "prime(x, leg, ...)",
                "x with the named legs (every leg when none is named) renamed with a prime: i -> i', b[3] -> b'[3];"
                    + " a second copy of a tensor that must not share the first's legs (a bra under a ket: A1 prime(A1, b1))",
                Indexing::prime),
            Builtin.of("stack", "stack(tuple, leg)",
                "the tensors of a tuple (all with the same legs and sizes) as one tensor with a new leg in front: item k is"
                    + " pick(stack(t, leg), leg=k) (per-layer activations as one [layer, ...] tensor); records with the same"
                    + " fields (caches of several prompts) as one record of their fields stacked",
                Indexing::stack),
            Builtin.of("onehot", "onehot(indices, rows, cols, size=)",
                "the matrix [rows, cols] with a 1 at (k, indices[k]) for each k (token ids -> one-hot rows); rows gets"
                    + " the number of indices as its size; cols is bound, or gets size=; an index of -1 gives a row of zeros",
                Indexing::onehot));
    }

    private static Value pick(Args a) {
        a.expect(1, 1, "a tensor and leg=index pairs");
        Net t = a.tensor(0);
        List<String> legs = a.keywordNames();
        if (legs.isEmpty()) throw a.error("pick() needs at least one leg=index, e.g. pick(W, layer=0)");
        Interpreter in = a.interpreter();
        List<String> kept = new ArrayList<>(t.legs());
        long[] index = new long[t.rank()];
        java.util.Arrays.fill(index, -1);
        for (String leg : legs) {
            int axis = t.legs().indexOf(leg);
            if (axis < 0) throw new TnError(a.keywordSpan(leg), "pick(): the tensor has no leg " + leg + " (its legs: " + String.join(", ", t.legs()) + ")");
            long k = a.integer(leg, 0);
            if (k < 0 || k >= t.size(axis)) {
                throw new TnError(a.keywordSpan(leg), "pick(): index " + k + " is outside leg " + leg + " (0 to " + (t.size(axis) - 1) + ")");
            }
            index[axis] = k;
            kept.remove(leg);
        }
        long[] shape = new long[kept.size()];
        for (int k = 0; k < shape.length; k++) shape[k] = t.sizeOf(kept.get(k));
        if (!in.concrete()) {
            Net slice = new Net.Leaf(Tensor.signature(kept, shape, t.dtype()), "slice", a.span(), picked(in, t, index, kept, a));
            name(slice, t, legs, a);
            return new Value.TensorValue(slice);
        }
        Tensor x = in.evaluator().evaluate(t);
        Backend b = in.evaluator().backend();
        Dense d = x.data();
        for (int axis = 0; axis < x.rank(); axis++) {
            int at = x.legs().indexOf(t.legs().get(axis));
            if (index[axis] >= 0) d = b.take(d, at, index[axis]);
        }
        // take keeps size-1 axes; the kept legs are in x's order.
        List<String> order = new ArrayList<>();
        for (String leg : x.legs()) if (kept.contains(leg)) order.add(leg);
        long[] orderShape = new long[order.size()];
        for (int k = 0; k < orderShape.length; k++) orderShape[k] = t.sizeOf(order.get(k));
        d = b.reshape(d, orderShape);
        Tensor r = Tensor.of(order, d);
        Net slice = new Net.Leaf(r, "slice", a.span(), picked(in, t, index, order, a));
        name(slice, t, legs, a);
        return new Value.TensorValue(slice);
    }

    /**
     * The slice of t at {@code index} (-1: a kept leg) as a network: t contracted with a one-hot
     * vector on each picked leg, its output the legs {@code order}. Made when a derivative asks
     * (grad through a slice of a layer-stacked weight), never to evaluate the slice.
     */
    private static java.util.function.Supplier<Net> picked(Interpreter in, Net t, long[] index, List<String> order, Args a) {
        tn.diag.Span span = a.span();
        return () -> {
            List<Net> factors = new ArrayList<>(List.of(t));
            for (int axis = 0; axis < index.length; axis++) {
                if (index[axis] < 0) continue;
                String leg = t.legs().get(axis);
                long n = t.size(axis);
                Tensor e;
                if (in.concrete()) {
                    double[] unit = new double[Math.toIntExact(n)];
                    unit[(int) index[axis]] = 1;
                    e = Tensor.of(List.of(leg), in.evaluator().backend().fromDoubles(unit, new long[] {n}, t.dtype()));
                } else {
                    e = Tensor.signature(List.of(leg), new long[] {n}, t.dtype());
                }
                factors.add(new Net.Leaf(e, "onehot", span));
            }
            long[] sizes = new long[order.size()];
            for (int k = 0; k < sizes.length; k++) sizes[k] = t.sizeOf(order.get(k));
            return new Net.Product(factors, order, sizes, t.dtype(), 1.0, span);
        };
    }

    private static Value prime(Args a) {
        if (a.count() < 1) throw a.error("prime() needs a tensor, then the legs to prime (none: every leg), e.g. prime(A, b1)");
        Net x = a.tensor(0);
        List<String> legs = a.count() == 1 ? x.legs() : a.legs(1);
        List<String> names = new ArrayList<>(x.legs());
        for (int k = 0; k < legs.size(); k++) {
            String leg = legs.get(k);
            int at = x.legs().indexOf(leg);
            if (at < 0) throw a.error(k + 1, "prime(): the tensor has no leg " + leg + " (its legs: " + String.join(", ", x.legs()) + ")");
            if (!names.get(at).equals(leg)) throw a.error(k + 1, "prime(): leg " + leg + " is named twice");
            String p = tn.interp.Interpreter.primed(leg);
            if (x.legs().contains(p)) {
                throw a.error(k + 1, "prime(): the tensor already has a leg " + p + "; rename it first, e.g. x[" + leg + " -> " + leg + "2]");
            }
            names.set(at, p);
        }
        for (int k = 0; k < names.size(); k++) if (!names.get(k).equals(x.legs().get(k))) a.interpreter().bindLeg(names.get(k), x.size(k), a.span());
        return new Value.TensorValue(new Net.Relabel(x, names, a.span()));
    }

    private static Value stack(Args a) {
        a.expect(2, 2, "a tuple of tensors and a new leg");
        Value v = a.value(0);
        if (!(v instanceof Value.Tuple t)) throw a.error(0, "stack() needs a tuple of tensors, not " + v.kind());
        if (t.items().isEmpty()) throw a.error(0, "stack() needs at least one tensor (the tuple is empty)");
        String leg = a.leg(1);
        if (t.items().get(0) instanceof Value.Record r) return stackRecords(a, t.items(), r, leg);
        List<Net> items = new ArrayList<>();
        for (int k = 0; k < t.items().size(); k++) {
            if (!(t.items().get(k) instanceof Value.TensorValue tv)) {
                throw a.error(0, "stack(): item " + k + " is " + t.items().get(k).kind() + ", not a tensor");
            }
            items.add(tv.net());
        }
        return stackNets(a, items, leg, "");
    }

    /** The entries of {@code parts} (each of {@code each} entries, row-major) one after another. */
    private static Backend.Entries stacked(Backend b, List<Dense> parts, long each) {
        return (from, out, n) -> {
            int done = 0;
            while (done < n) {
                long p = from + done;
                int k = (int) (p / each);
                long at = p % each;
                int len = (int) Math.min(n - done, each - at);
                double[] part = done == 0 ? out : new double[len];
                b.copyDoubles(parts.get(k), at, part, len);
                if (part != out) System.arraycopy(part, 0, out, done, len);
                done += len;
            }
        };
    }

    /**
     * Records with the same fields (caches of several prompts): one record whose tensor fields are
     * stacked along the new leg; a field that is not a tensor must be the same in every record.
     */
    private static Value stackRecords(Args a, List<Value> records, Value.Record first, String leg) {
        java.util.Map<String, Value> out = new java.util.LinkedHashMap<>();
        for (int k = 1; k < records.size(); k++) {
            if (!(records.get(k) instanceof Value.Record r) || !r.fields().keySet().equals(first.fields().keySet())) {
                throw a.error(0, "stack(): item " + k + " is " + records.get(k).kind() + (records.get(k) instanceof Value.Record r2
                        ? " with fields " + r2.fields().keySet() : "") + " but item 0 is a record with fields " + first.fields().keySet()
                        + "; stack records with the same fields");
            }
        }
        for (String f : first.fields().keySet()) {
            Value v0 = first.fields().get(f);
            if (v0 instanceof Value.TensorValue) {
                List<Net> items = new ArrayList<>();
                for (int k = 0; k < records.size(); k++) {
                    Value v = ((Value.Record) records.get(k)).fields().get(f);
                    if (!(v instanceof Value.TensorValue tv)) throw a.error(0, "stack(): field " + f + " of item " + k + " is " + v.kind() + ", not a tensor as in item 0");
                    items.add(tv.net());
                }
                out.put(f, stackNets(a, items, leg, "field " + f + ": "));
                continue;
            }
            for (int k = 1; k < records.size(); k++) {
                if (!((Value.Record) records.get(k)).fields().get(f).equals(v0)) {
                    throw a.error(0, "stack(): field " + f + " is not a tensor and differs between item 0 and item " + k + "; only tensor fields are stacked");
                }
            }
            out.put(f, v0);
        }
        return new Value.Record(first.type(), out);
    }

    /** The tensors as one tensor with the new leg in front; {@code what} prefixes the errors (a record's field). */
    private static Value stackNets(Args a, List<Net> items, String leg, String what) {
        Interpreter in = a.interpreter();
        Net first = items.get(0);
        if (first.legs().contains(leg)) throw a.error(1, "stack(): " + what + "the tensors already have a leg " + leg + "; name the new leg differently");
        DType dtype = first.dtype();
        for (int k = 1; k < items.size(); k++) {
            Net x = items.get(k);
            boolean same = x.rank() == first.rank() && new java.util.HashSet<>(x.legs()).equals(new java.util.HashSet<>(first.legs()));
            for (int i = 0; same && i < first.rank(); i++) same = x.sizeOf(first.legs().get(i)) == first.size(i);
            if (!same) {
                throw a.error(0, "stack(): " + what + "item " + k + " has legs " + describe(x) + " but item 0 has " + describe(first)
                        + "; every item needs the same legs and sizes");
            }
            dtype = DType.promote(dtype, x.dtype());
        }
        List<String> legs = new ArrayList<>();
        legs.add(leg);
        legs.addAll(first.legs());
        long[] shape = new long[legs.size()];
        shape[0] = items.size();
        for (int i = 0; i < first.rank(); i++) shape[i + 1] = first.size(i);
        Allocation.check(in, a.span(), "stack()", legs, shape, dtype);
        in.bindLeg(leg, items.size(), a.span(1));
        if (!in.concrete()) return new Value.TensorValue(new Net.Leaf(Tensor.signature(legs, shape, dtype), "stack", a.span()));
        Backend b = in.evaluator().backend();
        // Each item's entries in item 0's leg order, then item after item.
        List<Dense> parts = new ArrayList<>();
        for (Net item : items) {
            Tensor x = in.evaluator().evaluate(item);
            int[] perm = new int[x.rank()];
            for (int i = 0; i < perm.length; i++) perm[i] = x.legs().indexOf(first.legs().get(i));
            parts.add(b.permute(x.data(), perm));
        }
        long per = 1;
        for (int i = 1; i < shape.length; i++) per *= shape[i];
        Dense d;
        try {
            if (dtype.isComplex()) {
                // The real and the imaginary parts stacked apart (a complex array is a pair of real ones).
                tn.exec.ComplexBackend c = (tn.exec.ComplexBackend) b;
                DType type = dtype;
                List<Dense> re = parts.stream().map(x -> c.realPart(c.cast(x, type))).toList();
                List<Dense> im = parts.stream().map(x -> c.imagPart(c.cast(x, type))).toList();
                d = c.complex(b.generate(shape, dtype.realPart(), stacked(b, re, per)), b.generate(shape, dtype.realPart(), stacked(b, im, per)), dtype);
            } else {
                d = b.generate(shape, dtype, stacked(b, parts, per));
            }
        } catch (java.util.concurrent.CancellationException e) {
            throw a.error("interrupted");
        }
        return new Value.TensorValue(new Net.Leaf(Tensor.of(legs, d), "stack", a.span()));
    }

    private static String describe(Net x) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < x.rank(); i++) sb.append(i > 0 ? ", " : "").append(x.legs().get(i)).append('=').append(x.size(i));
        return sb.append(']').toString();
    }

    /** A slice of a named tensor is named after it with the indices as superscripts (W_Q¹·⁰), for diagrams. */
    private static void name(Net slice, Net source, List<String> legs, Args a) {
        if (source.label() == null) return;
        StringBuilder sb = new StringBuilder(source.label());
        for (int k = 0; k < legs.size(); k++) {
            if (k > 0) sb.append('·');
            for (char c : Long.toString(a.integer(legs.get(k), 0)).toCharArray()) sb.append("⁰¹²³⁴⁵⁶⁷⁸⁹".charAt(c - '0'));
        }
        slice.nameIfAnonymous(sb.toString());
    }

    private static Value onehot(Args a) {
        a.expect(3, 3, "indices, a row leg and a column leg");
        Interpreter in = a.interpreter();
        // Drawing: indices held in a tensor have a known count but no values yet (see Settings.drawing).
        double[] ids = in.settings().drawing() && !in.concrete() && a.value(0) instanceof Value.TensorValue tv && tv.net().rank() == 1
                && !in.evaluator().evaluate(tv.net()).isConcrete() ? new double[(int) tv.net().size(0)] : indices(a);
        String rows = a.leg(1), cols = a.leg(2);
        long width;
        if (a.has("size")) {
            width = a.integer("size", 0);
            if (width < 1) throw new TnError(a.keywordSpan("size"), "size= must be at least 1, not " + width);
        } else {
            width = in.legSize(cols);
            if (width < 0) throw a.error(2, "leg " + cols + " has no size yet; declare it first or give size=");
        }
        if (ids.length == 0) throw a.error(0, "onehot() needs at least one index");
        in.bindLeg(cols, width, a.span(2));
        in.bindLeg(rows, ids.length, a.span(1));
        for (int k = 0; k < ids.length; k++) {
            double id = ids[k];
            if (id != -1 && (id != Math.rint(id) || id < 0 || id >= width)) {
                throw a.error(0, "index " + tn.interp.Printer.number(id) + " (item " + k + ") is outside leg " + cols + " (0 to " + (width - 1) + ")");
            }
        }
        DType dtype = in.settings().dtype();
        List<String> legs = List.of(rows, cols);
        long[] shape = {ids.length, width};
        Allocation.check(in, a.span(), "onehot()", legs, shape, dtype);
        if (!in.concrete()) return new Value.TensorValue(new Net.Leaf(Tensor.signature(legs, shape, dtype), "onehot", a.span()));
        // Row k is 1 at column ids[k] (a row of zeros for -1, e.g. the first position has no previous token).
        int[] columns = new int[ids.length];
        for (int k = 0; k < ids.length; k++) columns[k] = (int) ids[k];
        Dense d;
        try {
            d = in.evaluator().backend().oneHot(columns, width, dtype);
        } catch (java.util.concurrent.CancellationException e) {
            throw a.error("interrupted");
        }
        return new Value.TensorValue(new Net.Leaf(Tensor.of(legs, d), "onehot", a.span()));
    }

    /** A literal list [3, 1, 4] or a tuple of numbers. */
    static double[] indices(Args a) {
        tn.ast.Expr e = a.expr(0);
        if (e instanceof tn.ast.Expr.ArrayLit l) {
            if (l.shape().length != 1) throw a.error(0, "indices are a flat list such as [3, 1, 4]");
            return l.data();
        }
        Value v = a.value(0);
        if (v instanceof Value.Tuple t) {
            double[] d = new double[t.items().size()];
            for (int k = 0; k < d.length; k++) d[k] = a.interpreter().asNumber(t.items().get(k), a.span(0), "an index");
            return d;
        }
        if (v instanceof Value.TensorValue tv && tv.net().rank() == 1) {
            Tensor x = a.interpreter().evaluator().evaluate(tv.net());
            if (!x.isConcrete()) throw new tn.interp.Interpreter.NeedsValue();
            return a.interpreter().evaluator().backend().toDoubles(x.data());
        }
        throw a.error(0, "indices are a list such as [3, 1, 4], a tuple of numbers or a vector, not " + v.kind());
    }
}
