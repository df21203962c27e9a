package tn.draw;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.graphstream.graph.Graph;
import org.graphstream.graph.implementations.MultiGraph;
import org.graphstream.stream.GraphReplay;
import org.graphstream.ui.graphicGraph.GraphPosLengthUtils;
import org.graphstream.ui.layout.springbox.implementations.SpringBox;

/**
 * Places the nodes of a {@link Model}. Bubbles are laid out inside out: a bubble's contents first,
 * then the bubble as one big node of its parent, so a bubble always contains exactly its own
 * tensors. Each connected part of a scope is laid out either in layers (left to right, at most two
 * nodes per layer: chains, MPS, ladders, stacks of bubbles) or, when it has no such structure, by
 * GraphStream's SpringBox force-directed layout with a fixed seed; parts are then set side by side.
 * All positions are deterministic.
 */
final class Layout {
    /** How to lay out each connected part. */
    enum Mode { AUTO, LAYERED, FORCE }

    static final double LAYER_GAP = 62;
    static final double CROSS_GAP = 58;
    static final double PART_GAP = 50;
    static final double BUBBLE_PAD = 22;
    static final double BUBBLE_LABEL_BAND = 16;
    static final double SATELLITE_GAP = 44;

    private final Mode mode;
    private final long seed;

    Layout(Mode mode, long seed) {
        this.mode = mode;
        this.seed = seed;
    }

    /** One thing placed in a scope: a node of the scope or a bubble inside it. */
    private static final class Item {
        final Model.Node node;
        final Model.Scope scope;
        final int order;
        double x, y;
        int free;
        /** The widest label of its free legs (a free leg may point into the gap to the next part). */
        double freeLabel;
        boolean external;

        Item(Model.Node node, Model.Scope scope, int order) {
            this.node = node;
            this.scope = scope;
            this.order = order;
        }

        double hw() { return node != null ? node.hw + node.margin : scope.hw; }

        double hh() { return node != null ? node.hh + node.margin : scope.hh; }

        boolean isHub() { return node != null && node.kind == Model.Kind.HUB; }
    }

    void layout(Model m) {
        for (Model.Node n : m.nodes) Glyphs.size(n);
        for (Model.Edge e : m.edges) {
            if (e.isLoop() || e.b instanceof Model.Cap) e.a.node().margin = 26;
        }
        // the copies behind a stacked glyph stick out up and to the right
        for (Model.Node n : m.nodes) if (n.stacked) n.margin = Math.max(n.margin, Glyphs.STACK_COPIES * Glyphs.STACK_STEP);
        layoutScope(m, m.root);
        place(m.root, 0, 0);
    }

    private void place(Model.Scope s, double ox, double oy) {
        double x = ox + s.x, y = oy + s.y;
        s.area = Box.around(new Vec(x, y), s.hw, s.hh);
        for (Model.Node n : s.nodes) {
            n.x += x;
            n.y += y;
        }
        for (Model.Scope c : s.children) place(c, x, y);
    }

    // ---- one scope -------------------------------------------------------------------------------

    private void layoutScope(Model m, Model.Scope s) {
        for (Model.Scope c : s.children) layoutScope(m, c);
        List<Item> items = new ArrayList<>();
        Map<Model.Node, Item> direct = new LinkedHashMap<>();
        Map<Model.Scope, Item> bubbles = new LinkedHashMap<>();
        for (Model.Node n : s.nodes) {
            Item it = new Item(n, null, n.index);
            items.add(it);
            direct.put(n, it);
        }
        for (Model.Scope c : s.children) {
            int order = c.allNodes().stream().mapToInt(n -> n.index).min().orElse(Integer.MAX_VALUE);
            Item it = new Item(null, c, order);
            items.add(it);
            bubbles.put(c, it);
        }
        items.sort(Comparator.comparingInt(it -> it.order));
        List<int[]> edges = new ArrayList<>();
        Map<Item, Integer> index = new LinkedHashMap<>();
        for (int k = 0; k < items.size(); k++) index.put(items.get(k), k);
        for (Model.Edge e : m.edges) {
            Item a = itemOf(e.a.node(), s, direct, bubbles);
            Model.Node bn = e.other();
            Item b = bn == null ? null : itemOf(bn, s, direct, bubbles);
            if (bn == null) {
                if (a != null && e.b instanceof Model.Free f) {
                    a.free++;
                    a.freeLabel = Math.max(a.freeLabel, TextMetrics.width(f.label(), Glyphs.LABEL_SIZE));
                }
                continue;
            }
            if (a != null && b != null && a != b) edges.add(new int[] {index.get(a), index.get(b)});
            else if (a != null && b == null) a.external = true;
            else if (b != null && a == null) b.external = true;
        }
        // connected parts, in order of their first item
        int[] part = new int[items.size()];
        for (int k = 0; k < part.length; k++) part[k] = k;
        for (int[] e : edges) Graphs.union(part, e[0], e[1]);
        Map<Integer, List<Integer>> parts = new java.util.TreeMap<>();
        for (int k = 0; k < items.size(); k++) parts.computeIfAbsent(Graphs.find(part, k), r -> new ArrayList<>()).add(k);
        double cursor = 0, gap = 0;
        Box all = Box.EMPTY;
        for (List<Integer> members : parts.values()) {
            List<Item> group = members.stream().map(items::get).toList();
            List<int[]> local = new ArrayList<>();
            for (int[] e : edges) {
                int a = members.indexOf(e[0]), b = members.indexOf(e[1]);
                if (a >= 0 && b >= 0) local.add(new int[] {a, b});
            }
            boolean done = false;
            // an abbreviated chain goes on its grid whatever the mode: its columns must line up
            if (m.grid != null && s == m.root) done = placed(group, Ellipsis.place(group.stream().map(it -> it.node).toList(), m.grid));
            if (!done && mode != Mode.FORCE) {
                done = sandwich(group, local) || circuit(group, m.edges) || layered(group, local)
                        || s == m.root && parts.size() == 1 && chain(m, group);
            }
            if (!done) force(group, local);
            Box b = bounds(group);
            // room for free legs and their labels on both sides, should they point into the gap
            double room = freeRoom(group);
            double dx = (all.isEmpty() ? 0 : cursor + Math.max(PART_GAP, gap + room)) - b.x0();
            double dy = -b.centre().y();
            for (Item it : group) {
                it.x += dx;
                it.y += dy;
            }
            b = bounds(group);
            cursor = b.x1();
            all = all.union(b);
            gap = room;
        }
        // the scale factor in front, if any, goes to the left
        double coefficientRoom = s.coefficient != 1 ? coefficientWidth(s) + 8 : 0;
        Vec centre = all.isEmpty() ? Vec.ZERO : all.centre();
        double shiftX = -centre.x() + coefficientRoom / 2, shiftY = -centre.y();
        for (Item it : items) {
            it.x += shiftX;
            it.y += shiftY;
            if (it.node != null) {
                it.node.x = it.x;
                it.node.y = it.y;
            } else {
                it.scope.x = it.x;
                it.scope.y = it.y;
            }
        }
        flipBubbles(m, s, items, bubbles);
        double hw = (all.isEmpty() ? 0 : all.width() / 2) + coefficientRoom / 2;
        double hh = all.isEmpty() ? 0 : all.height() / 2;
        if (s.isBubble()) {
            s.hw = hw + BUBBLE_PAD;
            s.hh = hh + BUBBLE_PAD + BUBBLE_LABEL_BAND / 2;
        } else {
            s.hw = hw;
            s.hh = hh;
        }
    }

    static double coefficientWidth(Model.Scope s) {
        return TextMetrics.width(coefficientText(s), Glyphs.SCALAR_SIZE);
    }

    /** A scope's scale factor as written in front of it: as the script wrote it, else its value. */
    static String coefficientText(Model.Scope s) {
        return s.written != null ? s.written : coefficientText(s.coefficient);
    }

    /** How a scale factor is written in front of a diagram: "2", "−", "−0.5". */
    static String coefficientText(double c) {
        if (c == -1) return "\u2212";
        String s = Numbers.format(Math.abs(c));
        return (c < 0 ? "\u2212" : "") + s;
    }

    private static Item itemOf(Model.Node n, Model.Scope s, Map<Model.Node, Item> direct, Map<Model.Scope, Item> bubbles) {
        if (n.scope == s) return direct.get(n);
        for (Model.Scope t = n.scope; t != null; t = t.parent) {
            if (t.parent == s) return bubbles.get(t);
        }
        return null;
    }

    /** How far a part's free legs reach with their labels (0 without free legs). */
    private static double freeRoom(List<Item> group) {
        double label = group.stream().mapToDouble(it -> it.freeLabel).max().orElse(0);
        return label > 0 ? Router.FREE_LENGTH + label + 10 : 0;
    }

    private static Box bounds(List<Item> group) {
        Box b = Box.EMPTY;
        for (Item it : group) b = b.union(Box.around(new Vec(it.x, it.y), it.hw(), it.hh()));
        return b;
    }

    // ---- layered ---------------------------------------------------------------------------------

    /** A doubled grid (a PEPS norm) placed by {@link Sandwich}: true when it was one. */
    private static boolean sandwich(List<Item> items, List<int[]> edges) {
        return placed(items, Sandwich.place(items.stream().map(it -> it.node).toList(), edges));
    }

    /**
     * A long chain (a 100-site {@code <psi|H|psi>}: rows of tensors joined site to site) that the
     * layered layout gave up on, on its grid as {@link Ellipsis} places it, rather than forced into
     * a tangle: true when the whole model was one.
     */
    private static boolean chain(Model m, List<Item> items) {
        if (items.size() != m.nodes.size() || items.stream().anyMatch(it -> it.node == null)) return false;
        int[][] at;
        try {
            at = Ellipsis.grid(m);
        } catch (IllegalArgumentException notAChain) {
            return false;
        }
        Map<Model.Node, int[]> grid = new java.util.IdentityHashMap<>();
        for (Model.Node n : m.nodes) grid.put(n, at[n.index]);
        return placed(items, Ellipsis.place(items.stream().map(it -> it.node).toList(), grid));
    }

    /** A circuit placed by {@link Circuit}: true when it was one. */
    private static boolean circuit(List<Item> items, List<Model.Edge> edges) {
        if (items.stream().anyMatch(it -> it.node == null)) return false;
        return placed(items, Circuit.place(items.stream().map(it -> it.node).toList(), edges));
    }

    /** Puts each item at its position in {@code at}; false (and nothing moved) when {@code at} is null. */
    private static boolean placed(List<Item> items, double[][] at) {
        if (at == null) return false;
        for (int k = 0; k < items.size(); k++) {
            items.get(k).x = at[k][0];
            items.get(k).y = at[k][1];
        }
        return true;
    }

    /**
     * Layers left to right with at most two items per layer, every line within a layer or between
     * neighbouring layers. A leaf tensor hanging from a copy dot (a vector on a delta) sits above
     * the dot. Among the layerings that fit, the one with the fewest slanted lines wins (then the
     * one that starts earliest in the script). Returns false when no layering fits.
     */
    private boolean layered(List<Item> items, List<int[]> edges) {
        int n = items.size();
        if (n == 1) {
            items.get(0).x = 0;
            items.get(0).y = 0;
            return true;
        }
        List<List<Integer>> adj = adjacency(n, edges);
        // satellites: leaves without free legs hanging from a hub
        int[] satelliteOf = new int[n];
        Arrays.fill(satelliteOf, -1);
        for (int k = 0; k < n; k++) {
            Item it = items.get(k);
            if (adj.get(k).size() != 1 || it.free > 0 || it.isHub() || it.external) continue;
            int hub = adj.get(k).get(0);
            if (items.get(hub).isHub() && (adj.get(hub).size() >= 2 || items.get(hub).free > 0)) satelliteOf[k] = hub;
        }
        List<Integer> core = new ArrayList<>();
        for (int k = 0; k < n; k++) if (satelliteOf[k] < 0) core.add(k);
        if (core.isEmpty()) return false;
        List<int[]> coreEdges = new ArrayList<>();
        for (int[] e : edges) if (satelliteOf[e[0]] < 0 && satelliteOf[e[1]] < 0) coreEdges.add(e);

        int[] bestLayer = null;
        int[][] bestOrder = null;
        double bestScore = Double.POSITIVE_INFINITY;
        List<int[]> starts = new ArrayList<>();
        for (int k : core) starts.add(new int[] {k});
        for (int[] e : coreEdges) starts.add(e[0] < e[1] ? e : new int[] {e[1], e[0]});
        for (int[] start : starts) {
            int[] layer = bfs(n, core, coreEdges, start);
            if (layer == null) continue;
            int layers = Arrays.stream(layer).max().getAsInt() + 1;
            int[] width = new int[layers];
            for (int k : core) width[layer[k]]++;
            boolean ok = Arrays.stream(width).allMatch(w -> w <= 2);
            for (int[] e : coreEdges) if (Math.abs(layer[e[0]] - layer[e[1]]) > 1) ok = false;
            if (!ok) continue;
            int[][] order = order(items, core, coreEdges, layer, layers);
            double score = slanted(order, layer, coreEdges, width) * 100.0;
            for (int k : core) {
                if (items.get(k).external && layer[k] != 0 && layer[k] != layers - 1) score += 5;
            }
            score += start.length * 0.5 + items.get(start[0]).order * 1e-3;
            if (score < bestScore) {
                bestScore = score;
                bestLayer = layer;
                bestOrder = order;
            }
        }
        if (bestLayer == null) return false;
        if (mode == Mode.AUTO && core.size() > 2 && bestScore >= 100 * Math.max(2, core.size() / 2.0)) return false;
        // coordinates: layers left to right
        double x = 0;
        for (int l = 0; l < bestOrder.length; l++) {
            double half = 0;
            for (int k : bestOrder[l]) half = Math.max(half, items.get(k).hw());
            if (l > 0) {
                double prev = 0;
                for (int k : bestOrder[l - 1]) prev = Math.max(prev, items.get(k).hw());
                x += prev + LAYER_GAP + half;
            }
            int[] members = bestOrder[l];
            if (members.length == 1) {
                items.get(members[0]).x = x;
                items.get(members[0]).y = 0;
            } else {
                Item top = items.get(members[0]), bottom = items.get(members[1]);
                top.x = x;
                bottom.x = x;
                top.y = -(CROSS_GAP / 2 + top.hh());
                bottom.y = CROSS_GAP / 2 + bottom.hh();
            }
        }
        // satellites around their hub: above and below when the hub is on a line of layers,
        // else a star (left, right, below, above)
        Map<Integer, List<Integer>> around = new java.util.TreeMap<>();
        for (int k = 0; k < n; k++) if (satelliteOf[k] >= 0) around.computeIfAbsent(satelliteOf[k], h -> new ArrayList<>()).add(k);
        for (Map.Entry<Integer, List<Integer>> e : around.entrySet()) {
            Item h = items.get(e.getKey());
            boolean inLine = core.size() > 1;
            double[] dirs = inLine
                    ? (h.y <= 0 ? new double[] {-Math.PI / 2, Math.PI / 2, -Math.PI / 4, -3 * Math.PI / 4, Math.PI / 4, 3 * Math.PI / 4}
                                : new double[] {Math.PI / 2, -Math.PI / 2, Math.PI / 4, 3 * Math.PI / 4, -Math.PI / 4, -3 * Math.PI / 4})
                    : e.getValue().size() == 1 ? new double[] {-Math.PI / 2}
                    : new double[] {Math.PI, 0, Math.PI / 2, -Math.PI / 2, 3 * Math.PI / 4, Math.PI / 4, -Math.PI / 4, -3 * Math.PI / 4};
            List<Integer> sats = e.getValue();
            for (int j = 0; j < sats.size(); j++) {
                Item it = items.get(sats.get(j));
                double a = dirs[j % dirs.length];
                double reach = (j / dirs.length + 1) * SATELLITE_GAP
                        + Math.abs(Math.cos(a)) * (h.hw() + it.hw()) + Math.abs(Math.sin(a)) * (h.hh() + it.hh());
                it.x = h.x + Math.cos(a) * reach;
                it.y = h.y + Math.sin(a) * reach;
            }
        }
        return true;
    }

    private static List<List<Integer>> adjacency(int n, List<int[]> edges) {
        List<List<Integer>> adj = new ArrayList<>();
        for (int k = 0; k < n; k++) adj.add(new ArrayList<>());
        for (int[] e : edges) {
            if (!adj.get(e[0]).contains(e[1])) adj.get(e[0]).add(e[1]);
            if (!adj.get(e[1]).contains(e[0])) adj.get(e[1]).add(e[0]);
        }
        for (List<Integer> a : adj) a.sort(null);
        return adj;
    }

    private static int[] bfs(int n, List<Integer> core, List<int[]> edges, int[] start) {
        List<List<Integer>> adj = adjacency(n, edges);
        int[] layer = new int[n];
        Arrays.fill(layer, -1);
        Deque<Integer> queue = new ArrayDeque<>();
        for (int s : start) {
            layer[s] = 0;
            queue.add(s);
        }
        while (!queue.isEmpty()) {
            int k = queue.poll();
            for (int j : adj.get(k)) {
                if (layer[j] < 0) {
                    layer[j] = layer[k] + 1;
                    queue.add(j);
                }
            }
        }
        for (int k : core) if (layer[k] < 0) return null;
        for (int k = 0; k < n; k++) if (!core.contains(k)) layer[k] = 0;
        return layer;
    }

    /** Items of each layer, ordered top to bottom by their neighbours in the previous layer. */
    private static int[][] order(List<Item> items, List<Integer> core, List<int[]> edges, int[] layer, int layers) {
        List<List<Integer>> byLayer = new ArrayList<>();
        for (int l = 0; l < layers; l++) byLayer.add(new ArrayList<>());
        for (int k : core) byLayer.get(layer[k]).add(k);
        double[] pos = new double[items.size()];
        int[][] out = new int[layers][];
        for (int l = 0; l < layers; l++) {
            List<Integer> members = byLayer.get(l);
            if (l > 0) {
                Map<Integer, Double> bary = new LinkedHashMap<>();
                for (int k : members) {
                    double sum = 0;
                    int cnt = 0;
                    for (int[] e : edges) {
                        int other = e[0] == k ? e[1] : e[1] == k ? e[0] : -1;
                        if (other >= 0 && layer[other] == l - 1) {
                            sum += pos[other];
                            cnt++;
                        }
                    }
                    bary.put(k, cnt == 0 ? 0.5 : sum / cnt);
                }
                members.sort(Comparator.<Integer>comparingDouble(bary::get).thenComparingInt(k -> items.get(k).order));
            } else {
                members.sort(Comparator.comparingInt(k -> items.get(k).order));
            }
            for (int p = 0; p < members.size(); p++) pos[members.get(p)] = members.size() == 1 ? 0.5 : p;
            out[l] = members.stream().mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    /** How many lines would be drawn slanted (between neighbouring layers, at different heights). */
    private static int slanted(int[][] order, int[] layer, List<int[]> edges, int[] width) {
        double[] cross = new double[layer.length];
        for (int[] members : order) {
            if (members.length == 1) cross[members[0]] = 0;
            else {
                cross[members[0]] = -1;
                cross[members[1]] = 1;
            }
        }
        int count = 0;
        for (int[] e : edges) {
            if (layer[e[0]] != layer[e[1]] && cross[e[0]] != cross[e[1]]) count++;
        }
        return count;
    }

    // ---- force-directed --------------------------------------------------------------------------

    /** GraphStream's SpringBox (seeded), scaled to the glyph sizes, overlaps removed, major axis horizontal. */
    private void force(List<Item> items, List<int[]> edges) {
        int n = items.size();
        Graph g = new MultiGraph("tn-draw");
        for (int k = 0; k < n; k++) g.addNode("n" + k);
        for (int k = 0; k < edges.size(); k++) {
            int[] e = edges.get(k);
            if (e[0] != e[1]) g.addEdge("e" + k, "n" + e[0], "n" + e[1]);
        }
        SpringBox layout = new SpringBox(false, new Random(seed));
        layout.setQuality(1);
        GraphReplay replay = new GraphReplay("tn-draw-replay");
        replay.addSink(layout);
        layout.addAttributeSink(g);
        replay.replay(g);
        for (int step = 0; step < 3000 && layout.getStabilization() < 0.999; step++) layout.compute();
        double[][] raw = new double[n][];
        for (int k = 0; k < n; k++) raw[k] = GraphPosLengthUtils.nodePosition(g.getNode("n" + k));
        layout.removeAttributeSink(g);
        replay.removeSink(layout);
        // scale: the median line gets its ideal length
        List<Double> ratios = new ArrayList<>();
        for (int[] e : edges) {
            double len = Math.hypot(raw[e[0]][0] - raw[e[1]][0], raw[e[0]][1] - raw[e[1]][1]);
            Item a = items.get(e[0]), b = items.get(e[1]);
            double ideal = LAYER_GAP + Math.max(a.hw(), a.hh()) + Math.max(b.hw(), b.hh());
            if (len > 1e-9) ratios.add(ideal / len);
        }
        ratios.sort(null);
        double scale = ratios.isEmpty() ? 100 : ratios.get(ratios.size() / 2);
        for (int k = 0; k < n; k++) {
            items.get(k).x = raw[k][0] * scale;
            items.get(k).y = -raw[k][1] * scale;
        }
        separate(items);
        orient(items, edges);
        snap(items, true);
        snap(items, false);
        separate(items);
    }

    /** Items whose x (or y) almost agree get exactly the same one, so near-straight lines are straight. */
    private static void snap(List<Item> items, boolean xs) {
        List<Item> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparingDouble((Item it) -> xs ? it.x : it.y).thenComparingInt(it -> it.order));
        int start = 0;
        for (int k = 1; k <= sorted.size(); k++) {
            boolean close = k < sorted.size()
                    && (xs ? sorted.get(k).x - sorted.get(k - 1).x : sorted.get(k).y - sorted.get(k - 1).y) < 14;
            if (close) continue;
            double mean = 0;
            for (int j = start; j < k; j++) mean += xs ? sorted.get(j).x : sorted.get(j).y;
            mean /= k - start;
            for (int j = start; j < k; j++) {
                if (xs) sorted.get(j).x = mean;
                else sorted.get(j).y = mean;
            }
            start = k;
        }
    }

    /** Pushes apart items whose boxes (with a gap) overlap, until none do. */
    private static void separate(List<Item> items) {
        double gap = CROSS_GAP * 0.7;
        for (int round = 0; round < 500; round++) {
            boolean moved = false;
            for (int i = 0; i < items.size(); i++) {
                for (int j = i + 1; j < items.size(); j++) {
                    Item a = items.get(i), b = items.get(j);
                    double ox = a.hw() + b.hw() + gap - Math.abs(a.x - b.x);
                    double oy = a.hh() + b.hh() + gap - Math.abs(a.y - b.y);
                    if (ox <= 0 || oy <= 0) continue;
                    moved = true;
                    double dx = b.x - a.x, dy = b.y - a.y;
                    if (Math.abs(dx) < 1e-6 && Math.abs(dy) < 1e-6) dx = 1;
                    double len = Math.hypot(dx, dy);
                    double push = Math.min(ox, oy) / 2 + 0.5;
                    a.x -= dx / len * push;
                    a.y -= dy / len * push;
                    b.x += dx / len * push;
                    b.y += dy / len * push;
                }
            }
            if (!moved) return;
        }
    }

    /**
     * Rotates the part: when most lines share a direction up to right angles (grids), so that
     * they are horizontal and vertical; otherwise so the longest extent is horizontal. Then it is
     * made wider than tall, with its first item on the left.
     */
    private static void orient(List<Item> items, List<int[]> edges) {
        double mx = 0, my = 0;
        for (Item it : items) {
            mx += it.x;
            my += it.y;
        }
        mx /= items.size();
        my /= items.size();
        double sxx = 0, syy = 0, sxy = 0;
        for (Item it : items) {
            sxx += (it.x - mx) * (it.x - mx);
            syy += (it.y - my) * (it.y - my);
            sxy += (it.x - mx) * (it.y - my);
        }
        double angle = 0.5 * Math.atan2(2 * sxy, sxx - syy);
        double c4 = 0, s4 = 0;
        int count = 0;
        for (int[] e : edges) {
            Item a = items.get(e[0]), b = items.get(e[1]);
            if (a == b) continue;
            double t = Math.atan2(b.y - a.y, b.x - a.x);
            c4 += Math.cos(4 * t);
            s4 += Math.sin(4 * t);
            count++;
        }
        if (count >= 4 && Math.hypot(c4, s4) / count > 0.6) angle = Math.atan2(s4, c4) / 4;
        rotate(items, -angle, mx, my);
        Box b = bounds(items);
        if (b.height() > b.width() * 1.2) rotate(items, Math.PI / 2, 0, 0);
        Item first = items.get(0);
        if (first.x > 1e-6) for (Item it : items) it.x = -it.x;
        if (first.y > 1e-6) for (Item it : items) it.y = -it.y;
    }

    private static void rotate(List<Item> items, double angle, double cx, double cy) {
        double c = Math.cos(angle), s = Math.sin(angle);
        for (Item it : items) {
            double x = it.x - cx, y = it.y - cy;
            double rx = x * c - y * s, ry = x * s + y * c;
            // snap rounding noise so that aligned lines stay exactly aligned
            it.x = Math.rint(rx * 1e6) / 1e6;
            it.y = Math.rint(ry * 1e6) / 1e6;
        }
    }

    // ---- bubbles facing their neighbours ---------------------------------------------------------

    /** Mirrors each bubble's contents when that brings the lines leaving it closer to where they go. */
    private static void flipBubbles(Model m, Model.Scope s, List<Item> items, Map<Model.Scope, Item> bubbles) {
        for (Model.Scope c : s.children) {
            double best = Double.POSITIVE_INFINITY;
            int bestFlip = 0;
            for (int flip = 0; flip < 4; flip++) {
                if ((flip & 1) != 0 && c.coefficient != 1) continue;
                double cost = 0;
                for (Model.Edge e : m.edges) {
                    Model.Node a = e.a.node(), b = e.other();
                    if (b == null) continue;
                    boolean ain = a.scope.within(c), bin = b.scope.within(c);
                    if (ain == bin) continue;
                    Model.Node inner = ain ? a : b, outer = ain ? b : a;
                    if (!outer.scope.within(s)) continue;
                    Vec o = relative(outer, s);
                    Vec p = relative(inner, c);
                    double px = c.x + ((flip & 1) != 0 ? -p.x() : p.x());
                    double py = c.y + ((flip & 2) != 0 ? -p.y() : p.y());
                    cost += Math.hypot(px - o.x(), py - o.y());
                }
                if (cost < best - 1e-6) {
                    best = cost;
                    bestFlip = flip;
                }
            }
            if ((bestFlip & 1) != 0) mirror(c, true);
            if ((bestFlip & 2) != 0) mirror(c, false);
        }
    }

    /** A node's position relative to the origin of scope {@code s} (which contains it). */
    private static Vec relative(Model.Node n, Model.Scope s) {
        double x = n.x, y = n.y;
        for (Model.Scope t = n.scope; t != s; t = t.parent) {
            x += t.x;
            y += t.y;
        }
        return new Vec(x, y);
    }

    private static void mirror(Model.Scope c, boolean horizontal) {
        for (Model.Node n : c.nodes) {
            if (horizontal) n.x = -n.x;
            else n.y = -n.y;
        }
        for (Model.Scope k : c.children) {
            if (horizontal) k.x = -k.x;
            else k.y = -k.y;
            mirror(k, horizontal);
        }
    }
}
