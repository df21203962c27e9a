package tn.net;

import java.util.ArrayList;
import java.util.List;

/**
 * Leg ids joined by copy tensors: a union-find in which each class is represented by its
 * smallest id, so the result does not depend on the order of the unions. Used wherever a
 * network is flattened (for planning, and for drawing).
 */
public final class LegUnion {
    private final List<Integer> parent = new ArrayList<>();

    /** A new leg id, alone in its class. */
    public int add() {
        parent.add(parent.size());
        return parent.size() - 1;
    }

    public int size() { return parent.size(); }

    public int find(int x) {
        while (parent.get(x) != x) {
            parent.set(x, parent.get(parent.get(x)));
            x = parent.get(x);
        }
        return x;
    }

    public void union(int a, int b) {
        int ra = find(a), rb = find(b);
        if (ra != rb) parent.set(Math.max(ra, rb), Math.min(ra, rb));
    }
}
