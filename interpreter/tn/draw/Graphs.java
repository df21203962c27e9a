package tn.draw;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The small graph routines the layouts share: breadth-first distances (the grids of chains and
 * sandwiches are found by distances from their corners) and a union-find over an int array (the
 * connected parts of a drawing, the wires of a circuit).
 */
final class Graphs {
    private Graphs() {}

    /** Steps from {@code from} to every node it reaches, through {@code neighbours}. */
    static Map<Integer, Integer> distances(IntFunction<List<Integer>> neighbours, int from) {
        Map<Integer, Integer> d = new HashMap<>();
        ArrayDeque<Integer> q = new ArrayDeque<>();
        d.put(from, 0);
        q.add(from);
        while (!q.isEmpty()) {
            int u = q.poll();
            for (int v : neighbours.apply(u)) if (d.putIfAbsent(v, d.get(u) + 1) == null) q.add(v);
        }
        return d;
    }

    /** The representative of {@code x}'s class in {@code p} (each entry its parent), compressing the path. */
    static int find(int[] p, int x) {
        while (p[x] != x) x = p[x] = p[p[x]];
        return x;
    }

    /** Joins the classes of {@code a} and {@code b}; the smaller representative stays, so the result does not depend on the order. */
    static void union(int[] p, int a, int b) {
        int ra = find(p, a), rb = find(p, b);
        if (ra != rb) p[Math.max(ra, rb)] = Math.min(ra, rb);
    }
}
