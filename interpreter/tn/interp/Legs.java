package tn.interp;

import java.util.HashMap;
import java.util.Map;
import tn.diag.Span;
import tn.diag.TnError;

/**
 * Leg names bound to sizes: what a creation function (`ones(i)`) or a split reads, and the check
 * of declared sizes.
 *
 * A leg is declared (`leg i = 4`) or inferred: bound where a value first gives it a size (a tensor
 * named `x[i]`, a model, a decomposition's bond). A declared size is a promise: a value with
 * another size for that leg is an error naming both places. An inferred size belongs to the value
 * that gave it: another value may bring the same name with another size (two models of different
 * shapes), which then becomes the size read here, while the values made before keep theirs; where
 * values with two sizes of one leg meet (a product, a sum), {@link Networks} reports both.
 * Each function call has its own table on top of the module's: legs first bound (or declared)
 * inside a call stay local to it.
 *
 * <p>A family (`leg b[n] = 4`) is n legs named {@code b[0]} .. {@code b[n-1]}, all of one size:
 * its members are looked up as ordinary declared legs (their binding is the family's), so every
 * check of leg sizes covers them. A primed family {@code b'} is b's twin, declared with b.
 */
final class Legs {
    /** A leg's size, where it was given, and whether a `leg` statement declared it. */
    record Binding(long size, Span where, boolean declared) {}

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
    /** In the module's table: where each leg first got each of its sizes, for messages. */
    private final Map<String, Map<Long, Span>> origins = new HashMap<>();

    Legs(Legs parent) {
        this.parent = parent;
    }

    Binding lookup(String name) {
        Binding b = bindings.get(name);
        if (b == null && parent != null) b = parent.lookup(name);
        if (b == null && name.endsWith("]")) {
            Family f = familyOfMember(name);
            if (f != null) return new Binding(f.size(), f.where(), true);
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

    /**
     * Binds a leg to the size a value gives it: checked against a declaration (a family's members
     * are declared), otherwise the latest size (the values made with an earlier one keep it).
     * {@code what} says where the size comes from.
     */
    void bind(String name, long size, Span where, String what) {
        Binding b = lookup(name);
        if (b == null && family(name) != null) {
            throw new TnError(where, name + " is " + family(name).declared() + ": name one of its legs, e.g. " + member(name, 0));
        }
        if (b != null && b.size() == size) return;
        if (b != null && !bindings.containsKey(name) && familyOfMember(name) != null) {
            Family f = familyOfMember(name);
            throw new TnError(where, "leg " + name + " has size " + size + (what.isEmpty() ? "" : " " + what)
                    + " but " + f.name() + " is " + f.declared() + "; give the tensor that size, or declare another family");
        }
        if (b != null && b.declared()) throw clash(name, size, where, what, b);
        bindings.put(name, new Binding(size, where, false));
        remember(name, size, where);
    }

    private void remember(String name, long size, Span where) {
        Legs root = this;
        while (root.parent != null) root = root.parent;
        root.origins.computeIfAbsent(name, k -> new HashMap<>()).putIfAbsent(size, where);
    }

    /** Where the leg first got this size (a declaration or a value), or null. */
    Span origin(String name, long size) {
        Legs root = this;
        while (root.parent != null) root = root.parent;
        Map<Long, Span> sizes = root.origins.get(name);
        return sizes == null ? null : sizes.get(size);
    }

    /**
     * A `leg` statement. It may repeat a declaration of this table with the same size, replace an
     * inferred size, or (in a function) hide the module's leg; a new size for a leg declared in
     * this table is an error unless {@code redeclare} (the REPL). Returns the binding replaced
     * by another size, or null.
     */
    Binding declare(String name, long size, Span where, boolean redeclare) {
        Binding own = bindings.get(name);
        if (own != null && own.declared() && own.size() == size) return null;
        if (own != null && own.declared() && !redeclare) throw clash(name, size, where, "here", own);
        Binding before = lookup(name);
        bindings.put(name, new Binding(size, where, true));
        remember(name, size, where);
        return before != null && before.size() != size ? before : null;
    }

    private static TnError clash(String name, long size, Span where, String what, Binding b) {
        String there = b.where() == null ? "" : " at " + b.where().line() + ":" + b.where().column()
                + (b.where().source() == where.source() ? "" : " of " + b.where().source().name());
        return new TnError(where, "leg " + name + " has size " + size + (what.isEmpty() ? "" : " " + what)
                + " but size " + b.size() + there);
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

    /** Copies bindings in, checking each against a declaration here; declared legs stay declared. */
    void importAll(Legs other, Span where) {
        for (Map.Entry<String, Binding> e : other.bindings.entrySet()) {
            Binding b = e.getValue();
            if (b.declared()) {
                Binding mine = lookup(e.getKey());
                if (mine != null && mine.declared() && mine.size() != b.size()) {
                    throw clash(e.getKey(), b.size(), where, "in the imported module", mine);
                }
                bindings.put(e.getKey(), new Binding(b.size(), where, true));
            } else {
                bind(e.getKey(), b.size(), where, "in the imported module");
            }
        }
        for (Family f : other.families.values()) declareFamily(f.name(), f.count(), f.size(), where);
    }
}
