package tn.interp;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import tn.net.Net;

/** The tensor networks inside values: a tensor's, and those of tuples' items and records' fields, at any depth. */
final class HeldValues {
    private HeldValues() {}

    static List<Net> nets(Iterable<Value> values) {
        List<Net> out = new ArrayList<>();
        Deque<Value> todo = new ArrayDeque<>();
        for (Value v : values) todo.push(v);
        while (!todo.isEmpty()) {
            Value v = todo.pop();
            if (v instanceof Value.TensorValue t) out.add(t.net());
            else if (v instanceof Value.Tuple t) t.items().forEach(todo::push);
            else if (v instanceof Value.Record r) r.fields().values().forEach(todo::push);
        }
        return out;
    }
}
