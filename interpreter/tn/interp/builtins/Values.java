package tn.interp.builtins;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tn.diag.TnError;
import tn.interp.Args;
import tn.interp.Builtin;
import tn.interp.Value;

/** Plain values: ranges and tuples for loops, and records (a model's named fields). */
public final class Values {
    private Values() {}

    public static List<Builtin> all() {
        return List.of(
            Builtin.of("range", "range(n) | range(start, stop)", "the whole numbers start, ..., stop - 1 as a tuple (for loops)",
                Values::range),
            Builtin.of("len", "len(tuple)", "the number of items of a tuple (fields of a record, entries of a vector)", a -> {
                a.expect(1, 1, "a tuple");
                Value v = a.value(0);
                if (v instanceof Value.Tuple t) return new Value.Num(t.items().size());
                if (v instanceof Value.Record r) return new Value.Num(r.fields().size());
                if (v instanceof Value.TensorValue t && t.net().rank() == 1) return new Value.Num(t.net().size(0));
                throw a.error(0, "len() needs a tuple or a record, not " + v.kind());
            }),
            Builtin.of("item", "item(tuple, k)", "item k of a tuple, counting from 0", a -> {
                a.expect(2, 2, "a tuple and an index");
                List<Value> items = tuple(a, 0);
                double k = a.number(1);
                if (k != Math.rint(k) || k < 0 || k >= items.size()) {
                    throw a.error(1, "index " + tn.interp.Printer.number(k) + " is outside the tuple (0 to " + (items.size() - 1) + ")");
                }
                return items.get((int) k);
            }),
            Builtin.of("append", "append(tuple, value)", "a new tuple with value added at the end (the tuple () is written tuple())",
                a -> {
                    a.expect(2, 2, "a tuple and a value");
                    return new Value.Tuple(Appended.of(tuple(a, 0), a.value(1)));
                }),
            Builtin.of("network", "network(tensors)",
                "the tensors of a tuple (built in a loop) side by side as one network: shared leg names are contracted, as in A B C",
                Values::network),
            Builtin.of("tuple", "tuple(values...)", "the values as a tuple (tuple() is the empty one)", a -> {
                List<Value> items = new ArrayList<>();
                for (int i = 0; i < a.count(); i++) items.add(a.value(i));
                return new Value.Tuple(items);
            }),
            Builtin.of("with", "with(record, name=value, ...) | with(x, key, value)",
                "a copy of the record with fields set (added or replaced); with a key (a field's name as a string, or a"
                    + " tuple's position), a copy of the record or tuple with that one replaced",
                Values::with),
            Builtin.of("keys", "keys(x)",
                "a record's field names (strings, in order) or a tuple's positions 0 .. len - 1: for k in keys(x) { get(x, k) }",
                a -> {
                    a.expect(1, 1, "a record or a tuple");
                    Value v = a.value(0);
                    List<Value> out = new ArrayList<>();
                    if (v instanceof Value.Record r) for (String k : r.fields().keySet()) out.add(new Value.Str(k));
                    else if (v instanceof Value.Tuple t) for (int k = 0; k < t.items().size(); k++) out.add(new Value.Num(k));
                    else throw a.error(0, "keys() needs a record or a tuple, not " + v.kind());
                    return new Value.Tuple(out);
                }),
            Builtin.of("get", "get(x, key)", "the field of a record named key (a string), or item key of a tuple",
                a -> {
                    a.expect(2, 2, "a record or a tuple, and a key");
                    Value v = a.value(0);
                    if (v instanceof Value.Record r) return r.fields().get(fieldName(a, r));
                    if (v instanceof Value.Tuple t) return t.items().get(position(a, t));
                    throw a.error(0, "get() needs a record or a tuple, not " + v.kind());
                }),
            Builtin.of("record", "record(name=value, ...)", "a record of named values (read them as r.name)", a -> {
                a.expect(0, 0, "name=value pairs");
                Map<String, Value> fields = new LinkedHashMap<>();
                for (String k : a.keywordNames()) fields.put(k, a.keyword(k));
                return new Value.Record("record", fields);
            }));
    }

    /**
     * `network(ts)`: the product of a tuple's tensors by the rule of juxtaposition, one flat
     * network however many there are, so the planner orders all of them at once (a loop of
     * `psi = psi A` instead computes psi at every step: a sweep in the loop's order). Numbers in
     * the tuple scale the product.
     */
    private static Value network(Args a) {
        a.expect(1, 1, "a tuple of tensors");
        List<Value> items = tuple(a, 0);
        List<tn.net.Net> factors = new ArrayList<>(items.size());
        double coefficient = 1;
        for (int k = 0; k < items.size(); k++) {
            Value v = items.get(k);
            a.interpreter().checkPoison(v);
            if (v instanceof Value.TensorValue t) factors.add(t.net());
            else if (v instanceof Value.Num n) coefficient *= n.value();
            else throw a.error(0, "network() needs tensors, but item " + k + " is " + v.kind());
        }
        if (factors.isEmpty()) throw a.error(0, "network() needs at least one tensor (the tuple has none)");
        tn.net.Net p = a.interpreter().productOf(factors, null, a.span());
        if (coefficient != 1) p = new tn.net.Net.Product(List.of(p), p.legs(), p.sizes(), p.dtype(), coefficient, a.span());
        return new Value.TensorValue(p);
    }

    private static Value with(Args a) {
        Value v = a.value(0);
        if (a.count() == 3) {
            if (!a.keywordNames().isEmpty()) throw a.error("with() takes either a key and a value or name=value pairs, not both");
            if (v instanceof Value.Tuple t) {
                List<Value> items = new ArrayList<>(t.items());
                items.set(position(a, t), a.value(2));
                return new Value.Tuple(items);
            }
            if (!(v instanceof Value.Record r)) throw a.error(0, "with() needs a record or a tuple, not " + v.kind());
            Value key = a.value(1);
            if (!(key instanceof Value.Str name)) throw a.error(1, "a record's key is a field name (a string), not " + key.kind());
            Map<String, Value> fields = new LinkedHashMap<>(r.fields());
            fields.put(name.value(), a.value(2));
            return new Value.Record(r.type(), fields);
        }
        a.expect(1, 1, "a record and name=value pairs (or a record or tuple, a key and a value)");
        if (!(v instanceof Value.Record r)) throw a.error(0, "with() needs a record, not " + v.kind());
        Map<String, Value> fields = new LinkedHashMap<>(r.fields());
        for (String k : a.keywordNames()) fields.put(k, a.keyword(k));
        return new Value.Record(r.type(), fields);
    }

    /** Argument 1 as the name of one of r's fields. */
    private static String fieldName(Args a, Value.Record r) {
        Value key = a.value(1);
        if (!(key instanceof Value.Str name)) throw a.error(1, "a record's key is a field name (a string), not " + key.kind());
        if (!r.fields().containsKey(name.value())) {
            throw a.error(1, "the " + r.type() + " has no field \"" + name.value() + "\" (its fields: " + String.join(", ", r.fields().keySet()) + ")");
        }
        return name.value();
    }

    /** Argument 1 as a position in t. */
    private static int position(Args a, Value.Tuple t) {
        double k = a.number(1);
        if (k != Math.rint(k) || k < 0 || k >= t.items().size()) {
            throw a.error(1, "index " + tn.interp.Printer.number(k) + " is outside the tuple (0 to " + (t.items().size() - 1) + ")");
        }
        return (int) k;
    }

    private static List<Value> tuple(Args a, int i) {
        Value v = a.value(i);
        if (v instanceof Value.Tuple t) return t.items();
        throw a.error(i, a.name() + "() needs a tuple here, not " + v.kind());
    }

    private static Value range(Args a) {
        a.expect(1, 2, "a count, or a start and a stop");
        long start = 0, stop;
        if (a.count() == 1) {
            stop = whole(a, 0);
        } else {
            start = whole(a, 0);
            stop = whole(a, 1);
        }
        // stop - start overflows past 2^63 - 1 (range(-1, 9223372036854775807)) and turns negative.
        long count = stop - start;
        if (stop > start && (count < 0 || count > 1_000_000)) throw a.error("range() of more than a million numbers");
        List<Value> items = new ArrayList<>();
        for (long k = start; k < stop; k++) items.add(new Value.Num(k));
        return new Value.Tuple(items);
    }

    private static long whole(Args a, int i) {
        double d = a.number(i);
        if (d != Math.rint(d)) throw new TnError(a.span(i), "range() takes whole numbers, not " + tn.interp.Printer.number(d));
        return (long) d;
    }
}
