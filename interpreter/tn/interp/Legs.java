package tn.interp;

import java.util.HashMap;
import java.util.Map;
import tn.diag.Span;
import tn.diag.TnError;

/**
 * Leg names bound to sizes. A leg is bound where it is declared (`leg i = 4`) or first used on a
 * tensor of known shape; a later use with another size is an error that names both places.
 * Each function call has its own table on top of the module's: legs first bound inside a call
 * stay local to it.
 */
final class Legs {
    record Binding(long size, Span where) {}

    private final Legs parent;
    private final Map<String, Binding> bindings = new HashMap<>();

    Legs(Legs parent) {
        this.parent = parent;
    }

    Binding lookup(String name) {
        Binding b = bindings.get(name);
        if (b == null && parent != null) return parent.lookup(name);
        return b;
    }

    /** The size of a bound leg, or -1. */
    long size(String name) {
        Binding b = lookup(name);
        return b == null ? -1 : b.size();
    }

    /** Binds a leg (or checks it against its binding). {@code what} says where the size comes from. */
    void bind(String name, long size, Span where, String what) {
        Binding b = lookup(name);
        if (b == null) {
            bindings.put(name, new Binding(size, where));
            return;
        }
        if (b.size() != size) {
            String there = b.where() == null ? "" : " at " + b.where().line() + ":" + b.where().column()
                    + (b.where().source() == where.source() ? "" : " of " + b.where().source().name());
            throw new TnError(where, "leg " + name + " has size " + size + (what.isEmpty() ? "" : " " + what)
                    + " but size " + b.size() + there);
        }
    }

    /** Replaces a declaration (a `leg` statement may re-declare at top level only if equal). */
    void declare(String name, long size, Span where) {
        bind(name, size, where, "here");
    }

    /** The bindings made in this table itself (for import). */
    Map<String, Binding> own() {
        return bindings;
    }

    /** A copy of this table's own bindings. */
    record Saved(Map<String, Binding> bindings) {}

    Saved save() { return new Saved(new HashMap<>(bindings)); }

    void restore(Saved saved) {
        bindings.clear();
        bindings.putAll(saved.bindings());
    }

    /** Copies bindings in, checking each for a clash. */
    void importAll(Legs other, Span where) {
        for (Map.Entry<String, Binding> e : other.bindings.entrySet()) {
            bind(e.getKey(), e.getValue().size(), where, "in the imported module");
        }
    }
}
