package tn.draw;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tn.net.BubbleFunction;
import tn.net.Net;

/**
 * Turns a network into a {@link Model}: the same walk as the planner's flattening (nested products
 * inlined with their inner legs renamed apart, relabels as leg identities, copy tensors merging the
 * legs they join), except that bubbles keep their contents in a scope of their own, reshapes and
 * sums used as factors become nodes, and nothing is evaluated.
 *
 * <p>Each merged leg (a class) becomes lines: with two ends, one line; with three or more, a dot
 * where they meet (a hyperedge, or a copy tensor); a leg summed alone ends in the ones-vector's
 * small dot; a leg that a reduction removes ends in a bar inside its bubble. A bubble's open legs
 * are ports: the line inside and the line outside are joined into one line across the border.
 */
final class ModelBuilder {
    private enum EndKind { NODE, FREE, REDUCED, PORT_IN, PORT_OUT }

    private record Endpoint(int leg, EndKind kind, Model.Node node, int axis, String label, int order, int port) {}

    /** A line before ports are joined: two terminals and the class it belongs to. */
    private record Segment(Terminal a, Terminal b, int cls, Model.Scope scope) {}

    private record Terminal(EndKind kind, Model.Node node, int axis, String label, int order, int port) {
        boolean isPort() { return kind == EndKind.PORT_IN || kind == EndKind.PORT_OUT; }

        boolean isNode() { return kind == EndKind.NODE; }
    }

    private final ShapeRule rule;
    /** A leg drawn as stacked copies of the tensors that carry it, not as lines (null: none). */
    private final String stacked;
    /** Which named intermediates are drawn as labelled boxes (null: none). */
    private final DrawOptions boxes;
    private Net root;
    private final Model model = new Model();
    private final List<String> legName = new ArrayList<>();
    private final List<Long> legSize = new ArrayList<>();
    private final List<Model.Scope> legScope = new ArrayList<>();
    private final tn.net.LegUnion legs = new tn.net.LegUnion();
    private final List<Endpoint> endpoints = new ArrayList<>();
    private int ports;

    ModelBuilder(ShapeRule rule) {
        this.rule = rule;
        this.stacked = null;
        this.boxes = null;
    }

    ModelBuilder(DrawOptions options) {
        this.rule = options.rule();
        this.stacked = options.stackedLeg();
        this.boxes = options;
    }

    /** The model of {@code root}, its open legs free and labelled with their names. */
    Model build(Net root) {
        return build(root, false);
    }

    /** ... {@code root} itself a labelled box when it is a named intermediate to box and {@code boxRoot}. */
    Model build(Net root, boolean boxRoot) {
        this.root = boxRoot ? null : root;
        int[] ids = new int[root.rank()];
        for (int k = 0; k < ids.length; k++) {
            ids[k] = newLeg(root.legs().get(k), root.size(k), model.root);
            endpoints.add(new Endpoint(ids[k], EndKind.FREE, null, -1, root.legs().get(k), k, -1));
        }
        add(root, ids, model.root);
        resolve();
        return model;
    }

    /** The names of {@code root}'s named intermediates (what boxes= can keep), in the order a walk meets them. */
    static java.util.Set<String> namedIntermediates(Net root) {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        java.util.ArrayDeque<Net> stack = new java.util.ArrayDeque<>();
        Map<Net, Boolean> seen = new java.util.IdentityHashMap<>();
        stack.push(root);
        while (!stack.isEmpty()) {
            Net n = stack.pop();
            if (n != root && !(n instanceof Net.Leaf) && !(n instanceof Net.Delta) && n.label() != null) out.add(n.label());
            List<Net> kids = n.children();
            for (int k = kids.size() - 1; k >= 0; k--) if (seen.put(kids.get(k), true) == null) stack.push(kids.get(k));
        }
        return out;
    }

    // ---- the walk -----------------------------------------------------------------------------

    private int newLeg(String name, long size, Model.Scope scope) {
        legName.add(name);
        legSize.add(size);
        legScope.add(scope);
        return legs.add();
    }

    private int find(int x) {
        return legs.find(x);
    }

    private void union(int a, int b) {
        legs.union(a, b);
    }

    private Model.Node node(Model.Kind kind, String name, String kindText, Shape shape, Model.Scope scope) {
        Model.Node n = new Model.Node(model.nodes.size(), kind, name, kindText, shape, scope);
        model.nodes.add(n);
        scope.nodes.add(n);
        return n;
    }

    private void attach(Model.Node n, int[] ids, List<String> names, long[] sizes) {
        for (int k = 0; k < ids.length; k++) {
            n.legs.add(names.get(k));
            n.sizes.add(sizes[k]);
            endpoints.add(new Endpoint(ids[k], EndKind.NODE, n, k, null, -1, -1));
        }
    }

    private void add(Net net, int[] ids, Model.Scope scope) {
        if (net != root && !(net instanceof Net.Leaf) && !(net instanceof Net.Delta) && boxes != null && boxes.boxes(net.label())) {
            // a named intermediate kept as the author named it: a labelled box with its legs
            Model.Node n = node(Model.Kind.TENSOR, net.label(), "intermediate", Shape.BOX, scope);
            attach(n, ids, net.legs(), net.sizes());
        } else if (net instanceof Net.Leaf leaf) {
            String name = leaf.label() != null ? leaf.label()
                    : leaf.kind().equals("scalar") && leaf.span() != null ? leaf.span().text() : leaf.kind();
            Model.Node n = node(Model.Kind.TENSOR, name, leaf.kind(), rule.tensor(leaf.label(), leaf.kind(), leaf.sizes()), scope);
            attach(n, ids, leaf.legs(), leaf.sizes());
        } else if (net instanceof Net.Delta) {
            for (int k = 1; k < ids.length; k++) union(ids[0], ids[k]);
        } else if (net instanceof Net.Relabel r) {
            add(r.inner(), ids, scope);
        } else if (net instanceof Net.Product p) {
            Map<String, Integer> names = new LinkedHashMap<>();
            for (int k = 0; k < ids.length; k++) names.put(p.legs().get(k), ids[k]);
            for (Net f : p.factors()) {
                int[] fids = new int[f.rank()];
                for (int k = 0; k < fids.length; k++) {
                    final long size = f.size(k);
                    fids[k] = names.computeIfAbsent(f.legs().get(k), name -> newLeg(name, size, scope));
                }
                add(f, fids, scope);
            }
            scope.coefficient *= p.coefficient();
            if (p.coefficient() != 1) scope.written = ++scope.factors == 1 ? WrittenScalar.of(p) : null;
        } else if (net instanceof Net.Bubble b) {
            Model.Scope child = new Model.Scope(scope, b.function().label(), bubbleLabel(b));
            Net inner = b.inner();
            int[] innerIds = new int[inner.rank()];
            for (int k = 0; k < innerIds.length; k++) {
                String name = inner.legs().get(k);
                innerIds[k] = newLeg(name, inner.size(k), child);
                int out = b.legs().indexOf(name);
                if (out >= 0) {
                    int port = ports++;
                    endpoints.add(new Endpoint(innerIds[k], EndKind.PORT_IN, null, -1, name, -1, port));
                    endpoints.add(new Endpoint(ids[out], EndKind.PORT_OUT, null, -1, name, -1, port));
                } else {
                    endpoints.add(new Endpoint(innerIds[k], EndKind.REDUCED, null, -1, name, -1, -1));
                }
            }
            add(inner, innerIds, child);
        } else if (net instanceof Net.Reshape r) {
            reshape(r, ids, scope);
        } else if (net instanceof Net.Sum s) {
            String name = s.label() != null ? s.label() : sumText(s);
            Model.Node n = node(Model.Kind.SUM, name, "sum", Shape.BOX, scope);
            n.sum = s;
            attach(n, ids, s.legs(), s.sizes());
        }
    }

    /** Grouped or split legs: a bar per group; legs that only pass through stay plain lines. */
    private void reshape(Net.Reshape r, int[] ids, Model.Scope scope) {
        Net inner = r.inner();
        int[] perm = r.permutation();
        int[] innerIds = new int[inner.rank()];
        for (int k = 0; k < innerIds.length; k++) innerIds[k] = newLeg(inner.legs().get(k), inner.size(k), scope);
        int nIn = perm.length, nOut = r.rank();
        int i = 0, o = 0;
        while (i < nIn || o < nOut) {
            int pi = i, po = o;
            long in = 1, out = 1;
            if (i < nIn) in = inner.size(perm[i++]);
            if (o < nOut) out = r.size(o++);
            while (in != out && (i < nIn || o < nOut)) {
                if ((in < out && i < nIn) || o >= nOut) in *= inner.size(perm[i++]);
                else out *= r.size(o++);
            }
            if (i - pi == 1 && o - po == 1) {
                union(innerIds[perm[pi]], ids[po]);
                continue;
            }
            Model.Node bar = node(Model.Kind.FUSE, null, "reshape", Shape.BAR, scope);
            List<String> names = new ArrayList<>();
            List<Long> sizes = new ArrayList<>();
            List<Integer> legs = new ArrayList<>();
            for (int k = pi; k < i; k++) {
                names.add(inner.legs().get(perm[k]));
                sizes.add(inner.size(perm[k]));
                legs.add(innerIds[perm[k]]);
            }
            for (int k = po; k < o; k++) {
                names.add(r.legs().get(k));
                sizes.add(r.size(k));
                legs.add(ids[k]);
            }
            attach(bar, legs.stream().mapToInt(Integer::intValue).toArray(), names,
                    sizes.stream().mapToLong(Long::longValue).toArray());
        }
        add(inner, innerIds, scope);
    }

    private static String bubbleLabel(Net.Bubble b) {
        BubbleFunction f = b.function();
        if (f == BubbleFunction.POW) return "^" + Numbers.format(b.parameter());
        if (b.over().isEmpty()) return f.label();
        return f.label() + "[" + String.join(", ", b.over()) + "]";
    }

    private static String sumText(Net.Sum s) {
        String text = s.span() != null ? s.span().text().replaceAll("\\s+", " ").strip() : "";
        return !text.isEmpty() && text.length() <= 18 ? text : "\u03a3";
    }

    // ---- from classes of legs to lines ---------------------------------------------------------

    private void resolve() {
        Map<Integer, List<Endpoint>> classes = new TreeMap<>();
        for (int leg = 0; leg < legs.size(); leg++) classes.computeIfAbsent(find(leg), k -> new ArrayList<>());
        for (Endpoint e : endpoints) classes.get(find(e.leg())).add(e);
        List<Segment> segments = new ArrayList<>();
        List<Integer> classReps = new ArrayList<>(classes.keySet());
        Map<Integer, Integer> classIndex = new LinkedHashMap<>();
        for (int k = 0; k < classReps.size(); k++) classIndex.put(classReps.get(k), k);
        for (int rep : classReps) {
            int cls = classIndex.get(rep);
            Model.Scope scope = legScope.get(rep);
            List<Terminal> ts = new ArrayList<>();
            for (Endpoint e : classes.get(rep)) ts.add(new Terminal(e.kind(), e.node(), e.axis(), e.label(), e.order(), e.port()));
            if (ts.isEmpty()) {
                // A closed loop is the trace of an identity, its size; of size 1 it is the number 1
                // (the seed of a gradient of a scalar), drawn as nothing.
                if (legSize.get(rep) != 1) node(Model.Kind.LOOP, null, "identity", Shape.RING, scope);
                continue;
            }
            if (legName.get(rep).equals(stacked)) {
                // no line: each tensor on it is drawn as a stack (a bubble's port has the same name
                // inside and outside, so both halves of a line through a border are dropped)
                for (Terminal t : ts) if (t.isNode()) t.node().stacked = true;
                continue;
            }
            if (ts.size() == 1 && ts.get(0).isNode()) {
                // summed alone: contracted with the all-ones vector (a copy tensor with one leg)
                ts.add(new Terminal(EndKind.REDUCED, null, -1, null, -2, -1));
            }
            boolean through = ts.stream().anyMatch(t -> t.isNode() || t.isPort());
            if (ts.size() == 2 && through) {
                // a line (through a bubble's border when one end is a port; joined up later)
                Terminal a = ts.get(0).isNode() || ts.get(0).isPort() ? ts.get(0) : ts.get(1);
                Terminal b = a == ts.get(0) ? ts.get(1) : ts.get(0);
                segments.add(new Segment(a, b, cls, scope));
                continue;
            }
            boolean joint = ts.size() == 2;
            Model.Node hub = joint ? node(Model.Kind.JOINT, null, "identity", Shape.NONE, scope)
                    : node(Model.Kind.HUB, null, "delta", Shape.DOT, scope);
            Terminal h = new Terminal(EndKind.NODE, hub, -1, null, -1, -1);
            for (Terminal t : ts) segments.add(new Segment(h, t, cls, scope));
        }
        joinPorts(segments, classReps);
    }

    /** Joins the lines inside and outside each bubble port; groups lines into wires. */
    private void joinPorts(List<Segment> segments, List<Integer> classReps) {
        Map<Integer, List<Integer>> byPort = new LinkedHashMap<>();
        for (int s = 0; s < segments.size(); s++) {
            for (Terminal t : List.of(segments.get(s).a(), segments.get(s).b())) {
                if (t.isPort()) byPort.computeIfAbsent(t.port(), k -> new ArrayList<>()).add(s);
            }
        }
        // Classes joined through ports form one wire (one leg group in the SVG).
        int[] wireOf = new int[classReps.size()];
        for (int k = 0; k < wireOf.length; k++) wireOf[k] = k;
        for (List<Integer> pair : byPort.values()) {
            if (pair.size() == 2) Graphs.union(wireOf, segments.get(pair.get(0)).cls(), segments.get(pair.get(1)).cls());
        }
        Map<Integer, Model.Wire> wires = new TreeMap<>();
        for (int cls = 0; cls < classReps.size(); cls++) {
            int w = Graphs.find(wireOf, cls);
            int rep = classReps.get(cls);
            Model.Wire existing = wires.get(w);
            int depth = legScope.get(rep).depth;
            if (existing == null || depth < existing.depth) {
                Model.Wire wire = new Model.Wire(legName.get(rep), legSize.get(rep), depth);
                wires.put(w, wire);
            }
        }
        boolean[] used = new boolean[segments.size()];
        for (int s = 0; s < segments.size(); s++) {
            if (used[s]) continue;
            Segment seg = segments.get(s);
            if (seg.a().isPort() && seg.b().isPort()) continue; // reached from a chain's end
            // Walk from the segment's non-port end through ports to the chain's other end.
            Terminal start = seg.a().isPort() ? seg.b() : seg.a();
            Terminal end = seg.a().isPort() ? seg.a() : seg.b();
            used[s] = true;
            int current = s;
            Model.Scope innermost = seg.scope();
            while (end.isPort()) {
                List<Integer> pair = byPort.get(end.port());
                int next = pair.get(0) == current ? pair.get(1) : pair.get(0);
                used[next] = true;
                Segment n = segments.get(next);
                if (n.scope().depth > innermost.depth) innermost = n.scope();
                end = n.a().isPort() && n.a().port() == end.port() ? n.b() : n.a();
                current = next;
            }
            Model.Wire wire = wires.get(Graphs.find(wireOf, seg.cls()));
            if (!start.isNode() && !end.isNode()) {
                // no tensor on this line (an identity through a bubble): its ends meet at a joint
                Model.Node joint = node(Model.Kind.JOINT, null, "identity", Shape.NONE, innermost);
                Terminal j = new Terminal(EndKind.NODE, joint, -1, null, -1, -1);
                edge(j, start, wire);
                edge(j, end, wire);
                continue;
            }
            if (!start.isNode() || (end.isNode() && start.node().index > end.node().index)) {
                Terminal t = start;
                start = end;
                end = t;
            }
            edge(start, end, wire);
        }
        for (Model.Wire w : wires.values()) if (!w.edges.isEmpty()) model.wires.add(w);
    }

    private void edge(Terminal start, Terminal end, Model.Wire wire) {
        Model.OnNode a = new Model.OnNode(start.node(), start.axis());
        Model.End b = switch (end.kind()) {
            case NODE -> new Model.OnNode(end.node(), end.axis());
            case FREE -> new Model.Free(end.label(), end.order());
            default -> new Model.Cap(end.order() != -2, end.label());
        };
        Model.Edge edge = new Model.Edge(a, b, wire.name, wire.size, wire);
        wire.edges.add(edge);
        model.edges.add(edge);
        for (Terminal t : List.of(start, end)) {
            if (t.isNode() && isHub(t) && !wire.hubs.contains(t.node())) wire.hubs.add(t.node());
        }
    }

    private static boolean isHub(Terminal t) {
        return t.node().kind == Model.Kind.HUB || t.node().kind == Model.Kind.JOINT;
    }
}
