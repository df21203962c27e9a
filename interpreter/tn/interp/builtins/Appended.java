package tn.interp.builtins;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The items of a tuple made by append(): a prefix of a shared, grow-only array. Appending to the
 * newest tuple of a chain adds to the array in place, so `ts = append(ts, x)` in a loop of n
 * steps costs O(n), not O(n^2); appending to an older tuple (whose prefix is no longer the whole
 * array) copies it first. Every tuple sees only its own prefix, so tuples stay immutable values.
 */
final class Appended extends AbstractList<Object> implements RandomAccess {
    private final ArrayList<Object> shared;
    private final int length;

    private Appended(ArrayList<Object> shared, int length) {
        this.shared = shared;
        this.length = length;
    }

    /** The items of {@code items} followed by {@code value}. */
    @SuppressWarnings("unchecked")
    static <T> List<T> of(List<T> items, T value) {
        if (items instanceof Appended a) {
            synchronized (a.shared) {
                if (a.shared.size() == a.length) {
                    a.shared.add(value);
                    return (List<T>) new Appended(a.shared, a.length + 1);
                }
            }
        }
        ArrayList<Object> copy = new ArrayList<>(Math.max(16, items.size() * 2));
        copy.addAll(items);
        copy.add(value);
        return (List<T>) new Appended(copy, copy.size());
    }

    @Override
    public Object get(int index) {
        if (index < 0 || index >= length) throw new IndexOutOfBoundsException(index);
        return shared.get(index);
    }

    @Override
    public int size() {
        return length;
    }
}
