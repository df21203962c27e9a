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
 *
 * <p>A family (`leg b[n] = 4`) is n legs named {@code b[0]} .. {@code b[n-1]}, all of one size:
 * its members are looked up as ordinary legs (their binding is the family's), so every check of
 * leg sizes covers them. A primed family {@code b'} is b's twin, declared with b.
 */
final class Legs {
    record Binding(long size, Span where) {}

    /** A family of {@code count} legs of one size, declared at {@code where}. */
    record Family(String name, long count, long size, Span where) {
        String range() {
            return count == 1 ? name + "[0]" : name + "[0] to " + name + "[" + (count - 1) + "]";
        }

        /** "a family of 4 legs (b[0] to b[3]) of size 2 declared at 1:5", for messages. */
        String declared() {
            return "a family of " + count + " leg" + (count == 1 ? "" : "s") + " (" + range()
                    + ") of size " + size + (where == null ? "" : " declared at " + where.line() + ":" + where.column());
        }
    }

    private final Legs parent;
    private final Map<String, Binding> bindings = new HashMap<>();
    private final Map<String, Family> families = new HashMap<>();

    Legs(Legs parent) {
        this.parent = parent;
    }

    Binding lookup(String name) {
        Binding b = bindings.get(name);
        if (b == null && parent != null) b = parent.lookup(name);
        if (b == null && name.endsWith("]")) {
            Family f = familyOfMember(name);
            if (f != null) return new Binding(f.size(), f.where());
        }
        return b;
    }

    /** The family named {@code name} (a primed name finds its unprimed family's twin), or null. */
    Family family(String name) {
        Family f = families.get(name);
        if (f == null && parent != null) f = parent.family(name);
        if (f == null && name.endsWith("'")) {
            Family base = family(name.substring(0, name.length() - 1));
            if (base != null) f = new Family(name, base.count(), base.size(), base.where());
        }
        return f;
    }

    /** The name of member k of a family: {@code b[3]}, as written, printed and drawn. */
    static String member(String family, long k) {
        return family + "[" + k + "]";
    }

    /** The family a member name such as {@code b[3]} belongs to (when k is in its range), or null. */
    Family familyOfMember(String name) {
        int open = name.lastIndexOf('[');
        if (open <= 0 || !name.endsWith("]")) return null;
        Family f = family(name.substring(0, open));
        if (f == null) return null;
        try {
            long k = Long.parseLong(name.substring(open + 1, name.length() - 1));
            return k >= 0 && k < f.count() ? f : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Declares a family (again: only with the same count and size). */
    void declareFamily(String name, long count, long size, Span where) {
        Family before = family(name);
        if (before != null) {
            if (before.count() == count && before.size() == size) return;
            throw new TnError(where, "family " + name + " is declared here with " + count + " legs of size " + size
                    + " but " + name + " is already " + before.declared() + "; use another name for another family");
        }
        if (lookup(name) != null) {
            Binding b = lookup(name);
            throw new TnError(where, name + " is already a leg (size " + b.size() + (b.where() == null ? "" : " at "
                    + b.where().line() + ":" + b.where().column()) + "); a family needs a name of its own");
        }
        families.put(name, new Family(name, count, size, where));
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
            if (family(name) != null) {
                throw new TnError(where, name + " is " + family(name).declared() + ": name one of its legs, e.g. "
                        + member(name, 0));
            }
            bindings.put(name, new Binding(size, where));
            return;
        }
        if (b.size() != size && !bindings.containsKey(name) && familyOfMember(name) != null) {
            Family f = familyOfMember(name);
            throw new TnError(where, "leg " + name + " has size " + size + (what.isEmpty() ? "" : " " + what)
                    + " but " + f.name() + " is " + f.declared() + "; give the tensor that size, or declare another family");
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

    /** The families declared in this table itself (for import). */
    Map<String, Family> ownFamilies() {
        return families;
    }

    /** A copy of this table's own bindings. */
    record Saved(Map<String, Binding> bindings, Map<String, Family> families) {}

    Saved save() { return new Saved(new HashMap<>(bindings), new HashMap<>(families)); }

    void restore(Saved saved) {
        bindings.clear();
        bindings.putAll(saved.bindings());
        families.clear();
        families.putAll(saved.families());
    }

    /** Copies bindings in, checking each for a clash. */
    void importAll(Legs other, Span where) {
        for (Map.Entry<String, Binding> e : other.bindings.entrySet()) {
            bind(e.getKey(), e.getValue().size(), where, "in the imported module");
        }
        for (Family f : other.families.values()) declareFamily(f.name(), f.count(), f.size(), where);
    }
}
