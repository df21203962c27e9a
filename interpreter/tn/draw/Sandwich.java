package tn.draw;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The layout of a doubled grid: a PEPS norm {@code <psi|psi>}, each ket tensor joined to its bra
 * copy (the same legs with primes added) by its physical leg, the kets forming an Lx x Ly grid
 * (Lx, Ly at least 2). Kets sit on a square grid, each bra behind its ket at the same offset, so
 * every physical leg points the same way (down and to the right, as a sandwich seen from above).
 * Anything else is left to the other layouts.
 */
final class Sandwich {
    static final double SPACING = 120;
    static final double BRA_DX = 48, BRA_DY = 40;

    private Sandwich() {}

    /** Positions (x, y) per node, in the order given, or null when the nodes are not a doubled grid. */
    static double[][] place(List<Model.Node> nodes, List<int[]> edges) {
        int n = nodes.size();
        if (n < 8 || n % 2 != 0) return null;
        Map<String, Integer> byKey = new HashMap<>();
        int[] partner = new int[n];
        Arrays.fill(partner, -1);
        boolean[] ket = new boolean[n];
        for (int k = 0; k < n; k++) {
            if (nodes.get(k) == null || nodes.get(k).kind != Model.Kind.TENSOR) return null;
        }
        // pairs: joined by a line, and the same legs once primes are removed
        List<List<Integer>> adj = new ArrayList<>();
        for (int k = 0; k < n; k++) adj.add(new ArrayList<>());
        for (int[] e : edges) {
            adj.get(e[0]).add(e[1]);
            adj.get(e[1]).add(e[0]);
        }
        for (int k = 0; k < n; k++) {
            if (partner[k] >= 0) continue;
            for (int j : adj.get(k)) {
                if (partner[j] >= 0 || j == k || !unprimed(nodes.get(k)).equals(unprimed(nodes.get(j)))) continue;
                partner[k] = j;
                partner[j] = k;
                ket[primes(nodes.get(k)) <= primes(nodes.get(j)) ? k : j] = true;
                break;
            }
            if (partner[k] < 0) return null;
        }
        // the kets' graph must be a grid
        List<Integer> kets = new ArrayList<>();
        for (int k = 0; k < n; k++) if (ket[k]) kets.add(k);
        Map<Integer, List<Integer>> g = new HashMap<>();
        for (int k : kets) g.put(k, new ArrayList<>());
        for (int[] e : edges) {
            if (ket[e[0]] && ket[e[1]] && e[0] != e[1] && !g.get(e[0]).contains(e[1])) {
                g.get(e[0]).add(e[1]);
                g.get(e[1]).add(e[0]);
            }
        }
        List<Integer> corners = new ArrayList<>();
        for (int k : kets) if (g.get(k).size() == 2) corners.add(k);
        if (corners.size() != 4) return null;
        int c0 = corners.get(0);
        Map<Integer, Integer> d0 = Graphs.distances(g::get, c0);
        if (d0.size() != kets.size()) return null;
        int c1 = -1;
        for (int c : corners) if (c != c0 && (c1 < 0 || d0.get(c) < d0.get(c1))) c1 = c;
        Map<Integer, Integer> d1 = Graphs.distances(g::get, c1);
        int w = d0.get(c1);
        double[][] out = new double[n][];
        Map<Long, Integer> taken = new HashMap<>();
        for (int k : kets) {
            int a = d0.get(k), b = d1.get(k);
            if ((a + w - b) % 2 != 0) return null;
            int col = (a + w - b) / 2, row = (a - w + b) / 2;
            if (col < 0 || row < 0 || taken.put((long) row << 32 | col, k) != null) return null;
            out[k] = new double[] {col * SPACING, row * SPACING};
            out[partner[k]] = new double[] {col * SPACING + BRA_DX, row * SPACING + BRA_DY};
        }
        for (int k : kets) {
            for (int j : g.get(k)) {
                if (Math.abs(out[k][0] - out[j][0]) + Math.abs(out[k][1] - out[j][1]) != SPACING) return null;
            }
        }
        return out;
    }

    private static List<String> unprimed(Model.Node n) {
        List<String> out = new ArrayList<>();
        for (String l : n.legs) out.add(l.replace("'", ""));
        java.util.Collections.sort(out);
        return out;
    }

    private static int primes(Model.Node n) {
        int c = 0;
        for (String l : n.legs) for (char ch : l.toCharArray()) if (ch == '\'') c++;
        return c;
    }
}
