package tn.draw;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code draw(x, ..., ellipsis=k)}: a long chain drawn with its first k and last k sites and,
 * between them, one ellipsis per row (three dots) standing for the sites left out. A chain is a
 * network whose tensors form a grid of r rows and L columns, every line joining neighbours in a
 * row or in a column: an MPS or an MPO (one row), a norm {@code <psi|psi>} (two), a sandwich
 * {@code <psi|H|psi>} (three). The columns are the sites; the same columns are left out of every
 * row, so the kept ones still line up. The bonds that led into the left-out sites now run into
 * the ellipsis of their row and out of it again, with their names; the open legs of the left-out
 * sites are left out with them. The bottom row's ellipsis says how many sites it stands for.
 *
 * <p>The abbreviated chain is placed here too, site by site on a grid ({@link Model#grid}): the
 * general layouts would not keep three rows in columns. A chain of at most 2k + 1 sites has
 * nothing worth leaving out and is drawn in full, as without the option; a network that is no chain
 * is an error, since leaving out "the middle" of it would mean nothing.
 */
final class Ellipsis {
    /** The gap between the glyphs of neighbouring rows. */
    static final double ROW_GAP = 62;

    private Ellipsis() {}

    /**
     * Leaves out the middle sites of chain {@code m}, keeping {@code keep} at each end, and sets
     * {@link Model#grid}; does nothing when the chain has at most 2 keep + 1 sites.
     * IllegalArgumentException, saying why, when {@code m} is no chain.
     */
    static void abbreviate(Model m, int keep) {
        int[][] at = grid(m);
        int columns = 0, rows = 0;
        for (int[] p : at) {
            rows = Math.max(rows, p[0] + 1);
            columns = Math.max(columns, p[1] + 1);
        }
        if (columns <= 2 * keep + 1) return;
        int cut = columns - 2 * keep; // sites left out, columns keep .. columns - keep - 1
        Model.Node[] dots = new Model.Node[rows];
        List<Model.Node> nodes = new ArrayList<>();
        for (Model.Node n : m.nodes) {
            int[] p = at[n.index];
            if (p[1] < keep || p[1] >= columns - keep) {
                nodes.add(n);
            } else if (dots[p[0]] == null) {
                Model.Node d = new Model.Node(-1, Model.Kind.ELLIPSIS, null, "ellipsis", Shape.ELLIPSIS, m.root);
                d.sites = cut;
                d.countShown = p[0] == rows - 1;
                dots[p[0]] = d;
                nodes.add(d);
            }
        }
        Map<Model.Node, int[]> place = new IdentityHashMap<>();
        for (Model.Node n : m.nodes) {
            int[] p = at[n.index];
            if (p[1] < keep) place.put(n, p);
            else if (p[1] >= columns - keep) place.put(n, new int[] {p[0], p[1] - cut + 1});
        }
        for (int r = 0; r < rows; r++) place.put(dots[r], new int[] {r, keep});
        // lines: those between two left-out sites go, those from a kept site to a left-out one end on the row's dots
        List<Model.Edge> edges = new ArrayList<>();
        Map<Model.Edge, Model.Edge> replaced = new IdentityHashMap<>();
        for (Model.Edge e : m.edges) {
            Model.Node a = e.a.node(), b = e.other();
            boolean aOut = !place.containsKey(a), bOut = b != null && !place.containsKey(b);
            if (!aOut && !bOut) {
                edges.add(e);
                continue;
            }
            if (b == null || aOut && bOut) {
                replaced.put(e, null);
                continue;
            }
            Model.Node d = dots[at[(aOut ? a : b).index][0]];
            d.legs.add(e.name);
            d.sizes.add(e.size);
            Model.OnNode end = new Model.OnNode(d, d.legs.size() - 1);
            Model.Edge n = aOut ? new Model.Edge(end, e.b, e.name, e.size, e.wire) : new Model.Edge(e.a, end, e.name, e.size, e.wire);
            edges.add(n);
            replaced.put(e, n);
        }
        m.edges.clear();
        m.edges.addAll(edges);
        for (Model.Wire w : m.wires) {
            List<Model.Edge> kept = new ArrayList<>();
            for (Model.Edge e : w.edges) {
                if (!replaced.containsKey(e)) kept.add(e);
                else if (replaced.get(e) != null) kept.add(replaced.get(e));
            }
            w.edges.clear();
            w.edges.addAll(kept);
        }
        m.wires.removeIf(w -> w.edges.isEmpty());
        m.nodes.clear();
        m.nodes.addAll(nodes);
        m.root.nodes.clear();
        m.root.nodes.addAll(nodes);
        for (int k = 0; k < nodes.size(); k++) nodes.get(k).index = k;
        m.grid = place;
    }

    /**
     * {row, column} per node index: the grid the chain's tensors form, row 0 and column 0 at the
     * corner written first, rows along the grid's shorter side. IllegalArgumentException when the
     * tensors form no grid.
     */
    static int[][] grid(Model m) {
        if (!m.root.children.isEmpty()) throw notAChain("it has bubbles");
        for (Model.Node n : m.nodes) {
            if (n.kind == Model.Kind.HUB) throw notAChain("a leg joins three or more tensors (a dot)");
            if (n.kind != Model.Kind.TENSOR) throw notAChain("it holds a part that is no tensor (" + n.kindText + ")");
        }
        int n = m.nodes.size();
        if (n < 2) return n == 0 ? new int[0][] : new int[][] {{0, 0}}; // one site: nothing to leave out
        List<List<Integer>> adj = new ArrayList<>();
        for (int k = 0; k < n; k++) adj.add(new ArrayList<>());
        for (Model.Edge e : m.edges) {
            Model.Node b = e.other();
            if (b == null || b == e.a.node()) continue;
            int x = e.a.node().index, y = b.index;
            if (!adj.get(x).contains(y)) {
                adj.get(x).add(y);
                adj.get(y).add(x);
            }
        }
        Map<Integer, Integer> from0 = Graphs.distances(adj::get, 0);
        if (from0.size() != n) throw notAChain("it is in several parts");
        List<Integer> corners = new ArrayList<>();
        for (int k = 0; k < n; k++) if (adj.get(k).size() <= 2) corners.add(k);
        int[][] at = new int[n][];
        int ends = (int) corners.stream().filter(k -> adj.get(k).size() == 1).count();
        if (ends == 2 && corners.size() == n) {
            // one row: a path from its end written first
            int c = corners.stream().filter(k -> adj.get(k).size() == 1).findFirst().get();
            Map<Integer, Integer> d = Graphs.distances(adj::get, c);
            for (int k = 0; k < n; k++) at[k] = new int[] {0, d.get(k)};
            return checked(m, adj, at, "its tensors are not joined one after the other in a row");
        }
        if (corners.size() != 4 || ends != 0) {
            throw notAChain("its tensors form no rows of sites: one row has two ends (tensors joined to one other), several rows"
                    + " a grid with four corners (joined to two others), and here " + count(ends, "end") + " and "
                    + count(corners.size() - ends, "corner") + " are found");
        }
        int c0 = corners.get(0);
        Map<Integer, Integer> d0 = Graphs.distances(adj::get, c0);
        int c1 = -1;
        for (int c : corners) if (c != c0 && (c1 < 0 || d0.get(c) < d0.get(c1))) c1 = c;
        Map<Integer, Integer> d1 = Graphs.distances(adj::get, c1);
        int w = d0.get(c1);
        for (int k = 0; k < n; k++) {
            int a = d0.get(k), b = d1.get(k);
            if ((a + w - b) % 2 != 0) throw notAChain("its tensors form no grid of rows and columns");
            at[k] = new int[] {(a + w - b) / 2, (a - w + b) / 2};
        }
        return checked(m, adj, at, "its tensors form no grid of rows and columns");
    }

    /** {@code at}, once every tensor has a place of its own and every line joins neighbouring places. */
    private static int[][] checked(Model m, List<List<Integer>> adj, int[][] at, String otherwise) {
        Map<Long, Integer> taken = new HashMap<>();
        for (int k = 0; k < at.length; k++) {
            if (at[k][0] < 0 || at[k][1] < 0 || taken.put((long) at[k][0] << 32 | at[k][1], k) != null) throw notAChain(otherwise);
        }
        for (int k = 0; k < at.length; k++) {
            for (int j : adj.get(k)) {
                if (Math.abs(at[k][0] - at[j][0]) + Math.abs(at[k][1] - at[j][1]) != 1) {
                    throw notAChain(otherwise + ": " + m.nodes.get(k).name + " and " + m.nodes.get(j).name + " are joined across it");
                }
            }
        }
        return at;
    }

    private static String count(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }

    static IllegalArgumentException notAChain(String why) {
        return new IllegalArgumentException("ellipsis= leaves out the middle sites of a chain (an MPS or MPO, <psi|psi>, <psi|H|psi>:"
                + " rows of tensors joined site to site), and this network is none: " + why + "; draw it without ellipsis=");
    }

    /** Positions (x, y) of the abbreviated chain's nodes, in the order given: its grid, columns and rows evenly spaced. */
    static double[][] place(List<Model.Node> nodes, Map<Model.Node, int[]> grid) {
        int columns = 0;
        double half = 0;
        for (Model.Node n : nodes) {
            columns = Math.max(columns, grid.get(n)[1] + 1);
            half = Math.max(half, n.hh + n.margin);
        }
        double[] hw = new double[columns];
        for (Model.Node n : nodes) hw[grid.get(n)[1]] = Math.max(hw[grid.get(n)[1]], n.hw + n.margin);
        double[] x = new double[columns];
        for (int c = 1; c < columns; c++) x[c] = x[c - 1] + hw[c - 1] + Layout.LAYER_GAP + hw[c];
        double[][] out = new double[nodes.size()][];
        for (int k = 0; k < nodes.size(); k++) {
            int[] p = grid.get(nodes.get(k));
            out[k] = new double[] {x[p[1]], p[0] * (2 * half + ROW_GAP)};
        }
        return out;
    }
}
