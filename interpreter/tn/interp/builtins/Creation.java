package tn.interp.builtins;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import tn.ast.LegSpec;
import tn.exec.Backend;
import tn.exec.DType;
import tn.interp.Args;
import tn.interp.Builtin;
import tn.interp.Interpreter;
import tn.interp.Rng;
import tn.interp.Value;
import tn.net.Net;
import tn.net.Tensor;

/** Functions that make tensors: random and constant data, ranges, copy tensors and identities. */
public final class Creation {
    private Creation() {}

    public static List<Builtin> all() {
        return List.of(
            Builtin.of("random", "random(legs..., seed=, std=1, dtype=)",
                "normally distributed entries (mean 0), reproducible from the seed on every machine",
                a -> {
                    Spec t = spec(a);
                    double std = a.number("std", 1.0);
                    Rng rng = rng(a, Rng.longsForNormals(t.entries()));
                    return make(a, "random", t, (from, out, n) -> rng.normals(from, out, 0, n, std));
                }),
            Builtin.of("uniform", "uniform(legs..., low=0, high=1, seed=, dtype=)",
                "uniformly distributed entries in [low, high)",
                a -> {
                    Spec t = spec(a);
                    double low = a.number("low", 0), high = a.number("high", 1);
                    Rng rng = rng(a, t.entries());
                    return make(a, "uniform", t, (from, out, n) -> rng.uniforms(from, out, 0, n, low, high));
                }),
            Builtin.of("random_ids", "random_ids(n, high, seed=)",
                "n whole numbers uniform in 0 .. high - 1 as a tuple (random token ids for onehot), reproducible from the seed",
                Creation::randomIds),
            Builtin.of("zeros", "zeros(legs..., dtype=)", "all entries 0",
                a -> constant(a, "zeros", 0)),
            Builtin.of("ones", "ones(legs..., dtype=)", "all entries 1",
                a -> constant(a, "ones", 1)),
            Builtin.of("full", "full(legs..., value=, dtype=)", "all entries equal to value",
                a -> {
                    if (!a.has("value")) throw a.error("full() needs value=...");
                    return constant(a, "full", a.number("value", 0));
                }),
            Builtin.of("arange", "arange(legs..., start=0, step=1, dtype=)",
                "start, start + step, ... in row-major order over the legs",
                a -> {
                    double start = a.number("start", 0), step = a.number("step", 1);
                    return make(a, "arange", spec(a), (from, out, n) -> {
                        for (int i = 0; i < n; i++) out[i] = start + step * (from + i);
                    });
                }),
            Builtin.of("delta", "delta(legs...)",
                "the copy tensor: 1 where all its legs agree (never stored; it joins legs)",
                a -> delta(a, "delta", -1)),
            Builtin.of("eye", "eye(a, b)", "the identity matrix between two legs (a plain line in a diagram)",
                a -> delta(a, "eye", 2)),
            Builtin.of("diag", "diag(v, j)", "the diagonal matrix of a vector v[i], with legs i and j",
                Creation::diag));
    }

    /** The legs, shape and dtype of a tensor to create, checked against what can be allocated. */
    private record Spec(List<String> legs, long[] shape, DType dtype, int entries) {}

    private static Spec spec(Args a) {
        List<String> legs = legs(a, 0);
        DType dtype = a.dtype("dtype", a.interpreter().settings().dtype());
        long[] shape = shape(a, legs);
        int n = Allocation.check(a.interpreter(), a.span(), a.name() + "()", legs, shape, dtype);
        return new Spec(legs, shape, dtype, n);
    }

    /**
     * The stream of `seed=`, or else the script's stream at its current place (moved on past the
     * {@code longs} numbers the tensor takes, also while checking, so both passes agree).
     */
    private static Value randomIds(Args a) {
        a.expect(2, 2, "a count and the bound (ids 0 .. high - 1)");
        long n = whole(a, 0), high = whole(a, 1);
        if (n < 0 || n > 10_000_000) throw a.error(0, "random_ids() makes 0 to 10 million ids, not " + n);
        if (high < 1) throw a.error(1, "the bound must be at least 1 (ids are 0 .. high - 1), not " + high);
        long[] ids = new long[(int) n];
        rng(a, n).wholes(0, ids, high);
        List<Value> items = new java.util.ArrayList<>(ids.length);
        for (long id : ids) items.add(new Value.Num(id));
        return new Value.Tuple(items);
    }

    private static long whole(Args a, int i) {
        double d = a.number(i);
        if (d != Math.rint(d) || Math.abs(d) > 1e15) throw a.error(i, a.name() + "() needs a whole number here, not " + tn.interp.Printer.number(d));
        return (long) d;
    }

    private static Rng rng(Args a, long longs) {
        return a.has("seed") ? new Rng(a.integer("seed", 0)) : a.interpreter().settings().drawFromScript(longs);
    }

    /** A tensor whose entries are computed by position, straight into the backend's memory. */
    private static Value make(Args a, String kind, Spec t, Backend.Entries entries) {
        Interpreter in = a.interpreter();
        Tensor tensor;
        if (in.concrete()) {
            try {
                tensor = Tensor.of(t.legs(), in.evaluator().backend().generate(t.shape(), t.dtype(), entries));
            } catch (CancellationException e) {
                throw a.error("interrupted");
            }
        } else {
            tensor = Tensor.signature(t.legs(), t.shape(), t.dtype());
        }
        return new Value.TensorValue(new Net.Leaf(tensor, kind, a.span()));
    }

    /** A tensor with every entry {@code value} (the backend fills its memory; no copy). */
    private static Value constant(Args a, String kind, double value) {
        Spec t = spec(a);
        Interpreter in = a.interpreter();
        Tensor tensor = in.concrete()
                ? Tensor.of(t.legs(), in.evaluator().backend().full(t.shape(), value, t.dtype()))
                : Tensor.signature(t.legs(), t.shape(), t.dtype());
        return new Value.TensorValue(new Net.Leaf(tensor, kind, a.span()));
    }

    /** The leg-name arguments from {@code from} on, each bound to a size and not repeated. */
    static List<String> legs(Args a, int from) {
        List<String> legs = a.legs(from);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < legs.size(); i++) {
            if (!seen.add(legs.get(i))) throw a.error(from + i, "leg " + legs.get(i) + " is repeated");
        }
        return legs;
    }

    private static long[] shape(Args a, List<String> legs) {
        long[] shape = new long[legs.size()];
        for (int i = 0; i < shape.length; i++) {
            long s = a.interpreter().legSize(legs.get(i));
            if (s < 0) {
                throw a.error(i, "leg " + legs.get(i) + " has no size yet; declare it first, e.g. leg " + legs.get(i) + " = 4");
            }
            shape[i] = s;
        }
        return shape;
    }

    private static Value delta(Args a, String kind, int arity) {
        if (arity > 0) a.expect(arity, arity, arity + " leg names");
        else a.expect(1, -1, "one or more leg names");
        List<String> legs = legs(a, 0);
        long[] shape = shape(a, legs);
        for (int i = 1; i < shape.length; i++) {
            if (shape[i] != shape[0]) {
                throw a.error(i, kind + "() joins legs of one size, but " + legs.get(0) + " is " + shape[0]
                        + " and " + legs.get(i) + " is " + shape[i]);
            }
        }
        DType dtype = a.dtype("dtype", a.interpreter().settings().dtype());
        Net.Delta d = new Net.Delta(legs, shape[0], dtype, a.span());
        return new Value.TensorValue(d);
    }

    private static Value diag(Args a) {
        a.expect(2, 2, "a vector and a leg name");
        Net v = a.tensor(0);
        if (v.rank() != 1) throw a.error(0, "diag() needs a vector (one leg), not legs " + v.legs());
        String i = v.legs().get(0);
        String j = a.leg(1);
        if (j.equals(i)) throw a.error(1, "the new leg must differ from the vector's leg " + i);
        a.interpreter().bindLeg(j, v.size(0), a.span(1));
        Net delta = new Net.Delta(List.of(i, j), v.size(0), v.dtype(), a.span());
        List<LegSpec> out = List.of(new LegSpec.Name(a.span(), i), new LegSpec.Name(a.span(1), j));
        return new Value.TensorValue(a.interpreter().productOf(List.of(v, delta), out, a.span()));
    }
}
