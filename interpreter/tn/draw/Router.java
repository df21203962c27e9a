package tn.draw;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a laid-out {@link Model} into drawing elements: triangles turned towards their tip leg,
 * free legs pointing out of the drawing, parallel legs as separate curves, lines bent around
 * tensors in their way, every line trimmed to start on its tensor's outline, labels where they
 * overlap no shape and no other label, and bubble outlines around exactly their contents.
 */
final class Router {
    static final double FREE_LENGTH = 30;
    static final double CAP_LENGTH = 20;
    static final double PARALLEL_SPACING = 17;
    static final double DRAW_PAD = 12;
    static final double LABEL_BAND = 16;

    private static final Scene.Style LINE = Scene.Style.stroke(Glyphs.INK, 1);

    private final Model m;
    private final DrawOptions options;
    private final Ids ids;
    private final Map<Model.Node, List<Double>> used = new LinkedHashMap<>();
    private final Map<Model.Edge, Double> freeAngle = new LinkedHashMap<>();
    private final Map<Model.Edge, Double> loopAngle = new LinkedHashMap<>();
    private final List<Box> labelBoxes = new ArrayList<>();
    private final List<List<Vec>> polylines = new ArrayList<>();
    private final Map<Model.Wire, List<Scene.Element>> wireLabels = new LinkedHashMap<>();
    private final Map<Model.Edge, Scene.Element[]> caps = new LinkedHashMap<>();
    private final Map<Model.Node, String> dotIds = new LinkedHashMap<>();
    /** The centre of each node's connected part (free legs point away from it). */
    private final Map<Model.Node, Vec> centres = new LinkedHashMap<>();
    private boolean uniformDown;

    /** Directions free legs should take when they can, by label (a sum's terms agree on them). */
    private final Map<String, Double> preferred;

    Router(Model m, DrawOptions options, Ids ids, Map<String, Double> preferred) {
        this.m = m;
        this.options = options;
        this.ids = ids;
        this.preferred = preferred;
    }

    /** The height of a drawing's free legs where they start (their mean), or NaN without free legs. */
    double freeLegHeight() {
        double sum = 0;
        int n = 0;
        for (Model.Edge e : m.edges) {
            if (e.b instanceof Model.Free && e.path != null) {
                sum += e.path.segments().get(0).p3().y();
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** The direction each free leg took, by its line. */
    Map<Model.Edge, Double> freeAngles() {
        return freeAngle;
    }

    /** The direction each free leg took, by its label. */
    Map<String, Double> freeDirections() {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Model.Edge e : m.edges) {
            if (e.b instanceof Model.Free f && freeAngle.containsKey(e)) out.putIfAbsent(f.label(), freeAngle.get(e));
        }
        return out;
    }

    /** Everything drawn, in paint order: bubbles, legs, tensors, scale factors. */
    List<Scene.Element> route() {
        assignIds();
        centres();
        uniformDown = uniformFreeLegs();
        orientTriangles();
        collectUsedDirections();
        chooseLoops();
        chooseFreeDirections();
        routeContracted();
        routeLoops();
        routeCaps();
        placeContractedLabels();
        outlineBubbles(m.root);
        routeFree();
        placeBubbleLabels();
        return assemble();
    }

    // ---- ids -------------------------------------------------------------------------------------

    private void assignIds() {
        for (Model.Scope s : m.scopes()) {
            if (s.isBubble()) s.id = ids.numbered("bubble-" + Ids.sanitize(s.function));
        }
        for (Model.Node n : m.nodes) {
            switch (n.kind) {
                case TENSOR -> n.id = ids.of("tensor", n.name);
                case SUM -> n.id = n.sum != null && n.sum.label() != null ? ids.of("tensor", n.sum.label()) : ids.numbered("sum");
                case FUSE -> n.id = ids.numbered("reshape");
                case LOOP -> n.id = ids.numbered("loop");
                case ELLIPSIS -> n.id = ids.numbered("ellipsis");
                default -> { }
            }
        }
        for (Model.Wire w : m.wires) {
            w.id = ids.of("leg", w.name);
            int k = 0;
            for (Model.Node h : w.hubs) {
                if (h.kind == Model.Kind.HUB) dotIds.put(h, ids.unique(w.id + "-dot" + (k++ == 0 ? "" : "-" + k)));
            }
        }
    }

    private void centres() {
        int[] part = new int[m.nodes.size()];
        for (int k = 0; k < part.length; k++) part[k] = k;
        for (Model.Edge e : m.edges) {
            Model.Node b = e.other();
            if (b != null) union(part, e.a.node().index, b.index);
        }
        Map<Integer, double[]> sums = new LinkedHashMap<>();
        for (Model.Node n : m.nodes) {
            double[] acc = sums.computeIfAbsent(find(part, n.index), k -> new double[3]);
            acc[0] += n.x;
            acc[1] += n.y;
            acc[2]++;
        }
        for (Model.Node n : m.nodes) {
            double[] acc = sums.get(find(part, n.index));
            centres.put(n, new Vec(acc[0] / acc[2], acc[1] / acc[2]));
        }
    }

    private static int find(int[] p, int x) {
        while (p[x] != x) x = p[x] = p[p[x]];
        return x;
    }

    private static void union(int[] p, int a, int b) {
        int ra = find(p, a), rb = find(p, b);
        if (ra != rb) p[Math.max(ra, rb)] = Math.min(ra, rb);
    }

    /**
     * An MPS-like row (three or more tensors on one line, most with one free leg): all free legs
     * go down, the way such chains are drawn in papers.
     */
    private boolean uniformFreeLegs() {
        List<Model.Node> tensors = m.nodes.stream().filter(n -> n.kind == Model.Kind.TENSOR).toList();
        if (tensors.size() < 3) return false;
        int withOne = 0;
        for (Model.Node n : tensors) {
            if (Math.abs(n.y - tensors.get(0).y) > 1) return false;
            if (freeEnds(n).size() == 1) withOne++;
        }
        return withOne >= Math.ceil(tensors.size() * 2 / 3.0);
    }

    private List<Model.Edge> freeEnds(Model.Node n) {
        List<Model.Edge> out = new ArrayList<>();
        for (Model.Edge e : m.edges) {
            if (e.a.node() == n && (e.b instanceof Model.Free || e.b instanceof Model.Cap)) out.add(e);
        }
        return out;
    }

    // ---- directions ------------------------------------------------------------------------------

    private void orientTriangles() {
        for (Model.Node n : m.nodes) {
            if (n.shape != Shape.TRIANGLE) continue;
            long[] sizes = n.sizes.stream().mapToLong(Long::longValue).toArray();
            int tip = sizes.length == 0 ? -1 : ShapeRule.tipLeg(n.kindText, sizes);
            Double angle = null;
            Vec away = Vec.ZERO;
            for (Model.Edge e : m.edges) {
                if (e.isLoop()) continue;
                Model.Node other = null;
                int axis = -1;
                if (e.a.node() == n && e.b instanceof Model.OnNode o) {
                    other = o.node();
                    axis = e.a.axis();
                } else if (e.b instanceof Model.OnNode o && o.node() == n) {
                    other = e.a.node();
                    axis = o.axis();
                }
                if (other == null) continue;
                Vec d = other.at().minus(n.at()).unit();
                if (axis == tip) angle = d.angle();
                else away = away.minus(d);
            }
            if (angle == null) {
                if (away.length() > 1e-6) angle = away.angle();
                else angle = n.at().minus(centres.get(n)).length() > 1 ? n.at().minus(centres.get(n)).angle() : 0.0;
            }
            double snapped = Math.round(angle / (Math.PI / 2)) * (Math.PI / 2);
            n.tipAngle = Math.abs(snapped - angle) < 0.35 ? snapped : angle;
        }
    }

    private List<Double> usedOf(Model.Node n) {
        return used.computeIfAbsent(n, k -> new ArrayList<>());
    }

    private void collectUsedDirections() {
        for (Model.Edge e : m.edges) {
            Model.Node b = e.other();
            if (b == null || b == e.a.node()) continue;
            usedOf(e.a.node()).add(b.at().minus(e.a.node().at()).angle());
            usedOf(b).add(e.a.node().at().minus(b.at()).angle());
        }
    }

    private void chooseLoops() {
        for (Model.Edge e : m.edges) {
            if (!e.isLoop()) continue;
            Model.Node n = e.a.node();
            double best = -Math.PI / 2, bestScore = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < 24; k++) {
                double a = -Math.PI / 2 + k * Math.PI / 12;
                double score = Math.min(gap(a, usedOf(n)), Math.PI * 0.75) + 0.2 * Math.cos(a + Math.PI / 2)
                        + 0.5 * outward(n, a);
                if (score > bestScore + 1e-9) {
                    bestScore = score;
                    best = a;
                }
            }
            loopAngle.put(e, best);
            usedOf(n).add(best - 0.45);
            usedOf(n).add(best + 0.45);
        }
    }

    private static double gap(double a, List<Double> dirs) {
        double g = Math.PI;
        for (double d : dirs) g = Math.min(g, angleBetween(a, d));
        return g;
    }

    static double angleBetween(double a, double b) {
        double d = Math.abs(a - b) % (2 * Math.PI);
        return d > Math.PI ? 2 * Math.PI - d : d;
    }

    private double outward(Model.Node n, double a) {
        Vec r = n.at().minus(centres.get(n));
        if (r.length() < 1) return 0;
        return Math.cos(a - r.angle());
    }

    /** Free legs and caps of every node, in output order, pointing where there is room. */
    private void chooseFreeDirections() {
        for (Model.Node n : m.nodes) {
            List<Model.Edge> ends = freeEnds(n);
            if (ends.isEmpty()) continue;
            ends.sort((x, y) -> Integer.compare(order(x), order(y)));
            List<Double> dirs = usedOf(n);
            boolean allPreferred = ends.stream().allMatch(e -> e.b instanceof Model.Free f && preferred.containsKey(f.label()));
            if (dirs.isEmpty() && n.shape != Shape.TRIANGLE && !allPreferred) {
                double[] canonical = preferredFirst(ends, canonical(ends.size()));
                for (int k = 0; k < ends.size(); k++) {
                    freeAngle.put(ends.get(k), canonical[k]);
                    dirs.add(canonical[k]);
                }
                continue;
            }
            int tipAxis = n.shape == Shape.TRIANGLE ? ShapeRule.tipLeg(n.kindText, n.sizes.stream().mapToLong(Long::longValue).toArray()) : -1;
            if (ends.size() <= 2) {
                double[] best = null;
                double bestScore = Double.NEGATIVE_INFINITY;
                int cands = 24;
                if (ends.size() == 1) {
                    for (int k = 0; k < cands; k++) {
                        double[] a = {angleOf(k)};
                        double s = score(n, ends, a, dirs, tipAxis);
                        if (s > bestScore + 1e-9) {
                            bestScore = s;
                            best = a;
                        }
                    }
                } else {
                    for (int k = 0; k < cands; k++) {
                        for (int j = 0; j < cands; j++) {
                            if (j == k) continue;
                            double[] a = {angleOf(k), angleOf(j)};
                            double s = score(n, ends, a, dirs, tipAxis);
                            if (s > bestScore + 1e-9) {
                                bestScore = s;
                                best = a;
                            }
                        }
                    }
                }
                for (int k = 0; k < ends.size(); k++) {
                    freeAngle.put(ends.get(k), best[k]);
                    dirs.add(best[k]);
                }
            } else {
                for (Model.Edge e : ends) {
                    double best = 0, bestScore = Double.NEGATIVE_INFINITY;
                    for (int k = 0; k < 24; k++) {
                        double[] a = {angleOf(k)};
                        double s = score(n, List.of(e), a, dirs, tipAxis);
                        if (s > bestScore + 1e-9) {
                            bestScore = s;
                            best = a[0];
                        }
                    }
                    freeAngle.put(e, best);
                    dirs.add(best);
                }
            }
        }
    }

    /** Candidate k of 24: right, then around; axis directions come first so they win ties. */
    private static double angleOf(int k) {
        double[] axes = {Math.PI, 0, Math.PI / 2, -Math.PI / 2};
        if (k < 4) return axes[k];
        int j = k - 4; // the 20 others, 15 degrees apart
        int[] steps = {1, 2, 4, 5, 7, 8, 10, 11, 13, 14, 16, 17, 19, 20, 22, 23, 3, 9, 15, 21};
        return normalize(steps[j] * Math.PI / 12);
    }

    private static double normalize(double a) {
        while (a > Math.PI) a -= 2 * Math.PI;
        while (a <= -Math.PI) a += 2 * Math.PI;
        return a;
    }

    /**
     * The directions {@code canonical} given to {@code ends}: each free leg with a preferred
     * direction (a sum's earlier term drew the same leg) takes the nearest one still free, in
     * order, the others the rest in order. (A tensor with a free leg and a cap in a bubble, as in
     * `R - ones(user) mean(R, user)`, pointed its movie leg left against the first term's right.)
     */
    private double[] preferredFirst(List<Model.Edge> ends, double[] canonical) {
        double[] out = new double[ends.size()];
        boolean[] taken = new boolean[canonical.length], set = new boolean[ends.size()];
        for (int k = 0; k < ends.size(); k++) {
            if (!(ends.get(k).b instanceof Model.Free f) || !preferred.containsKey(f.label())) continue;
            int best = -1;
            for (int j = 0; j < canonical.length; j++) {
                if (!taken[j] && (best < 0 || angleBetween(canonical[j], preferred.get(f.label())) < angleBetween(canonical[best], preferred.get(f.label())))) best = j;
            }
            taken[best] = true;
            set[k] = true;
            out[k] = canonical[best];
        }
        for (int k = 0, j = 0; k < ends.size(); k++) {
            if (set[k]) continue;
            while (taken[j]) j++;
            taken[j] = true;
            out[k] = canonical[j];
        }
        return out;
    }

    private static double[] canonical(int n) {
        return switch (n) {
            case 1 -> new double[] {0};
            case 2 -> new double[] {Math.PI, 0};
            case 3 -> new double[] {Math.PI, 0, Math.PI / 2};
            case 4 -> new double[] {Math.PI, 0, Math.PI / 2, -Math.PI / 2};
            default -> {
                double[] a = new double[n];
                for (int k = 0; k < n; k++) a[k] = normalize(Math.PI + k * 2 * Math.PI / n);
                yield a;
            }
        };
    }

    private static int order(Model.Edge e) {
        if (e.b instanceof Model.Free f) return f.order();
        return 1000;
    }

    private double score(Model.Node n, List<Model.Edge> ends, double[] angles, List<Double> dirs, int tipAxis) {
        double s = 0;
        List<Double> all = new ArrayList<>(dirs);
        for (int k = 0; k < angles.length; k++) {
            double a = angles[k];
            Model.Edge e = ends.get(k);
            double g = gap(a, all);
            s += 2.0 * Math.min(g, Math.PI / 2) / (Math.PI / 2);
            if (g < Math.PI / 4) s -= 3;
            s += 1.0 * outward(n, a);
            boolean axis = Math.abs(Math.sin(2 * a)) < 1e-9;
            if (axis) s += 0.4;
            if (uniformDown) s += 3.0 * Math.cos(a - Math.PI / 2);
            else s += 0.15 * Math.cos(a - Math.PI / 2);
            if (n.shape == Shape.TRIANGLE) {
                boolean isTip = e.a.axis() == tipAxis;
                if (isTip) s += 3 * Math.cos(a - n.tipAngle);
                else s -= 1.2 * Math.cos(a - n.tipAngle);
            }
            if (e.b instanceof Model.Free f && preferred.containsKey(f.label())) s += angleBetween(a, preferred.get(f.label())) < Math.PI / 4 ? 2.5 : 0;
            if (e.b instanceof Model.Free) {
                // leave the bubbles around the node by a short way
                Model.Scope outer = null;
                for (Model.Scope sc = n.scope; sc != null && sc.isBubble(); sc = sc.parent) outer = sc;
                if (outer != null) s -= 0.012 * exitDistance(n.at(), Vec.polar(a, 1), outer.area);
            }
            double len = e.b instanceof Model.Cap ? CAP_LENGTH : FREE_LENGTH;
            Vec p0 = Glyphs.boundary(n, a), p1 = p0.plus(Vec.polar(a, len + 14));
            for (Model.Node o : m.nodes) {
                if (o == n || o.kind == Model.Kind.JOINT) continue;
                if (Curves.segmentHitsBox(p0, p1, Glyphs.box(o).grow(6))) s -= 8;
            }
            for (Map.Entry<Model.Edge, Double> f : freeAngle.entrySet()) {
                Model.Node o = f.getKey().a.node();
                if (o == n) continue;
                Vec q0 = Glyphs.boundary(o, f.getValue()), q1 = q0.plus(Vec.polar(f.getValue(), FREE_LENGTH + 14));
                if (Curves.segmentsCross(p0, p1, q0, q1)) s -= 6;
            }
            all.add(a);
        }
        if (!dirs.isEmpty() && symmetric(dirs.get(0), dirs, angles)) s += 1.2;
        if (angles.length == 2) {
            // output order reads left to right (then top to bottom)
            Vec d0 = Vec.polar(angles[0], 1), d1 = Vec.polar(angles[1], 1);
            if (d0.x() < d1.x() - 1e-6 || (Math.abs(d0.x() - d1.x()) < 1e-6 && d0.y() < d1.y())) s += 0.3;
        }
        return s;
    }

    /** Whether the lines of a node, with these free legs added, are mirror images about the line at {@code axis}. */
    private static boolean symmetric(double axis, List<Double> dirs, double[] angles) {
        List<Double> all = new ArrayList<>(dirs);
        for (double a : angles) all.add(a);
        for (double a : all) {
            double mirror = 2 * axis - a;
            boolean found = false;
            for (double b : all) if (angleBetween(mirror, b) < 1e-6) found = true;
            if (!found) return false;
        }
        return true;
    }

    // ---- lines between nodes ---------------------------------------------------------------------

    private void routeContracted() {
        Map<String, List<Model.Edge>> bundles = new LinkedHashMap<>();
        for (Model.Edge e : m.edges) {
            Model.Node b = e.other();
            if (b == null || e.isLoop()) continue;
            Model.Node a = e.a.node();
            String key = Math.min(a.index, b.index) + ":" + Math.max(a.index, b.index);
            bundles.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
        }
        for (List<Model.Edge> bundle : bundles.values()) {
            int k = bundle.size();
            for (int j = 0; j < k; j++) {
                Model.Edge e = bundle.get(j);
                Model.Node a = e.a.node(), b = e.other();
                // a common orientation for the bundle, so the offsets fan out
                Model.Node first = a.index <= b.index ? a : b;
                double bow = (j - (k - 1) / 2.0) * PARALLEL_SPACING * (first == a ? 1 : -1);
                e.path = k == 1 ? clearPath(a, b) : connect(a, b, bow);
                polylines.add(Curves.sample(e.path));
            }
        }
    }

    /**
     * No bend for a straight line that is clear of other tensors, else the smallest bend that is,
     * else a line that turns aside where it leaves one end (a tensor beside a large box's corner:
     * a bend in the middle of a long line moves its ends too little to clear the corner).
     */
    private Scene.Path clearPath(Model.Node a, Model.Node b) {
        for (double bow : new double[] {0, 22, -22, 36, -36, 52, -52, 70, -70}) {
            Scene.Path p = connect(a, b, bow);
            if (clear(p, a, b, 4)) return p;
        }
        Scene.Path straight = connect(a, b, 0);
        if (clear(straight, a, b, -1)) return straight; // it only grazes a glyph: a turn would cost more than it saves
        for (double turn : new double[] {0.45, 0.8, 1.15}) {
            for (int end = 0; end < 2; end++) {
                for (int side = -1; side <= 1; side += 2) {
                    Scene.Path p = turned(a, b, end == 0, side * turn);
                    if (clear(p, a, b, 4)) return p;
                }
            }
        }
        return straight;
    }

    /** Whether a line from a to b keeps {@code margin} clear of every other tensor (a negative margin: goes no deeper into one). */
    private boolean clear(Scene.Path p, Model.Node a, Model.Node b, double margin) {
        List<Vec> pts = Curves.sample(p);
        for (Model.Node o : m.nodes) {
            if (o == a || o == b || o.kind == Model.Kind.JOINT) continue;
            Box box = Glyphs.box(o).grow(margin);
            for (int i = 0; i + 1 < pts.size(); i++) if (Curves.segmentHitsBox(pts.get(i), pts.get(i + 1), box)) return false;
        }
        return true;
    }

    /** The line from a to b leaving one end (a's, or b's) turned by {@code turn} radians from the straight line. */
    private Scene.Path turned(Model.Node a, Model.Node b, boolean atA, double turn) {
        double ang = b.at().minus(a.at()).angle();
        Vec p0 = Curves.bendFrom(a, ang), p3 = Curves.bendFrom(b, ang + Math.PI);
        double arm = Math.min(p3.distance(p0) / 2, 160);
        Vec c1 = atA ? p0.plus(Vec.polar(ang + turn, arm)) : Vec.lerp(p0, p3, 1.0 / 3);
        Vec c2 = atA ? Vec.lerp(p0, p3, 2.0 / 3) : p3.plus(Vec.polar(ang + Math.PI + turn, arm));
        return trimmed(new Vec[] {p0, c1, c2, p3}, a, b);
    }

    /** A cubic from inside a to inside b, trimmed to the two outlines. */
    private static Scene.Path trimmed(Vec[] curve, Model.Node a, Model.Node b) {
        double t0 = Curves.exit(curve, a, true), t1 = Curves.exit(curve, b, false);
        Vec[] sub = Curves.subCurve(curve, t0, t1);
        return new Scene.Path(List.of(Scene.Seg.move(sub[0]), Scene.Seg.curve(sub[1], sub[2], sub[3])), "line", LINE, new LinkedHashMap<>());
    }

    /** The line from a to b bent sideways by {@code bow}, trimmed to the two outlines. */
    private Scene.Path connect(Model.Node a, Model.Node b, double bow) {
        Vec p0 = a.at(), p3 = b.at();
        Map<String, String> data = new LinkedHashMap<>();
        if (Math.abs(bow) < 1e-9) {
            double ang = p3.minus(p0).angle();
            Vec s = Glyphs.boundary(a, ang), t = Glyphs.boundary(b, ang + Math.PI);
            return new Scene.Path(List.of(Scene.Seg.move(s), Scene.Seg.line(t)), "line", LINE, data);
        }
        // A large glyph (a sum's box, thousands of pixels wide) is bent from just inside its outline, not from its
        // centre: from there the bend would be spent inside it and parallel legs would leave it on top of each other.
        double ang = p3.minus(p0).angle();
        p0 = Curves.bendFrom(a, ang);
        p3 = Curves.bendFrom(b, ang + Math.PI);
        Vec n = p3.minus(p0).unit().normal().times(bow * 4.0 / 3.0);
        Vec c1 = Vec.lerp(p0, p3, 1.0 / 3).plus(n), c2 = Vec.lerp(p0, p3, 2.0 / 3).plus(n);
        return trimmed(new Vec[] {p0, c1, c2, p3}, a, b);
    }

    private void routeLoops() {
        for (Model.Edge e : m.edges) {
            if (!e.isLoop()) continue;
            Model.Node n = e.a.node();
            double a = loopAngle.get(e);
            double r = Math.max(n.hw, n.hh);
            Vec c = n.at();
            Vec c1 = c.plus(Vec.polar(a - 0.72, r + 62)), c2 = c.plus(Vec.polar(a + 0.72, r + 62));
            Vec[] curve = {c, c1, c2, c};
            double t0 = Curves.exit(curve, n, true), t1 = Curves.exit(curve, n, false);
            Vec[] sub = Curves.subCurve(curve, t0, t1);
            e.path = new Scene.Path(List.of(Scene.Seg.move(sub[0]), Scene.Seg.curve(sub[1], sub[2], sub[3])), "line", LINE,
                    new LinkedHashMap<>());
            polylines.add(Curves.sample(e.path));
        }
    }

    private void routeCaps() {
        for (Model.Edge e : m.edges) {
            if (!(e.b instanceof Model.Cap cap)) continue;
            Model.Node n = e.a.node();
            double a = freeAngle.get(e);
            Vec s = Glyphs.boundary(n, a), t = s.plus(Vec.polar(a, CAP_LENGTH));
            e.path = new Scene.Path(List.of(Scene.Seg.move(s), Scene.Seg.line(t)), "line", LINE, new LinkedHashMap<>());
            polylines.add(List.of(s, t));
            Scene.Element mark;
            if (cap.reduced()) {
                Vec q = Vec.polar(a, 1).normal().times(6);
                mark = new Scene.Path(List.of(Scene.Seg.move(t.minus(q)), Scene.Seg.line(t.plus(q))), "reduced",
                        Scene.Style.stroke(Glyphs.INK, 2.2), new LinkedHashMap<>());
            } else {
                mark = new Scene.Circle(t, 3.2, "ones", Scene.Style.fill(Glyphs.INK));
            }
            String label = cap.label() != null ? cap.label() : e.name;
            Scene.Text text = endLabel(t, a, labelText(label, e.size), 2);
            caps.put(e, new Scene.Element[] {mark, text});
        }
    }

    // ---- labels ----------------------------------------------------------------------------------

    private String labelText(String name, long size) {
        return options.sizes() ? name + "=" + size : name;
    }

    private Scene.Text text(Vec centre, String s, double size, String fill, String cls) {
        return new Scene.Text(new Vec(centre.x(), centre.y() + TextMetrics.baselineOffset(size)), s, size, "middle", true, fill, cls);
    }

    /** A label just beyond a line's end, in the line's direction. */
    private Scene.Text endLabel(Vec end, double angle, String s, double extra) {
        double w = TextMetrics.width(s, Glyphs.LABEL_SIZE), h = TextMetrics.height(Glyphs.LABEL_SIZE);
        Vec d = Vec.polar(angle, 1);
        double reach = Math.abs(d.x()) * w / 2 + Math.abs(d.y()) * h / 2 + 3 + extra;
        Scene.Text t = text(end.plus(d.times(reach)), s, Glyphs.LABEL_SIZE, Glyphs.LABEL_INK, "label");
        labelBoxes.add(t.bounds());
        return t;
    }

    private void placeContractedLabels() {
        for (Model.Wire w : m.wires) {
            List<Scene.Element> out = new ArrayList<>();
            boolean hasFree = w.edges.stream().anyMatch(e -> e.b instanceof Model.Free);
            boolean hasHub = w.hubs.stream().anyMatch(h -> h.kind == Model.Kind.HUB);
            String s = labelText(w.name, w.size);
            if (hasHub && !hasFree) {
                Model.Node hub = w.hubs.stream().filter(h -> h.kind == Model.Kind.HUB).findFirst().get();
                Scene.Text t = labelNear(hub, s);
                if (t != null) out.add(t);
            } else if (!hasFree && !hasHub) {
                for (Model.Edge e : w.edges) {
                    if (e.other() == null) continue;
                    Scene.Text t = labelAlong(e, s);
                    if (t != null) out.add(t);
                }
            }
            wireLabels.put(w, out);
        }
    }

    /** A label beside a line: the middle first, then further out, on the freer side. */
    private Scene.Text labelAlong(Model.Edge e, String s) {
        List<Vec> pts = Curves.sample(e.path);
        double w = TextMetrics.width(s, Glyphs.LABEL_SIZE), h = TextMetrics.height(Glyphs.LABEL_SIZE);
        double half = Glyphs.lineWidth(e.size) / 2;
        Scene.Text fallback = null;
        for (double extra : new double[] {0, 6, 14}) {
            for (double t : new double[] {0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78}) {
                Vec p = Curves.pointAt(pts, t), tan = Curves.tangentAt(pts, t);
                Vec nrm = tan.normal();
                // prefer above a horizontal line, right of a vertical one
                if (nrm.y() > 0.1 || (Math.abs(nrm.y()) <= 0.1 && nrm.x() < 0)) nrm = nrm.times(-1);
                for (Vec side : new Vec[] {nrm, nrm.times(-1)}) {
                    double reach = Math.abs(side.x()) * w / 2 + Math.abs(side.y()) * h / 2 + half + 3 + extra;
                    Scene.Text cand = text(p.plus(side.times(reach)), s, Glyphs.LABEL_SIZE, Glyphs.LABEL_INK, "label");
                    Box b = cand.bounds();
                    if (fallback == null) fallback = cand;
                    if (hitsShape(b) || hitsLabel(b)) continue;
                    if (hitsLine(b, pts) || (extra < 14 && hitsAnyLine(b))) continue;
                    labelBoxes.add(b);
                    return cand;
                }
            }
        }
        labelBoxes.add(fallback.bounds());
        return fallback;
    }

    /** A label beside a hub dot, in the widest gap between its lines. */
    private Scene.Text labelNear(Model.Node hub, String s) {
        double w = TextMetrics.width(s, Glyphs.LABEL_SIZE), h = TextMetrics.height(Glyphs.LABEL_SIZE);
        List<Double> dirs = new ArrayList<>();
        for (Model.Edge e : m.edges) {
            if (e.a.node() == hub && e.other() != null) dirs.add(e.other().at().minus(hub.at()).angle());
            else if (e.other() == hub) dirs.add(e.a.node().at().minus(hub.at()).angle());
            else if (e.a.node() == hub && freeAngle.containsKey(e)) dirs.add(freeAngle.get(e));
        }
        Scene.Text fallback = null;
        List<double[]> cands = new ArrayList<>();
        for (int k = 0; k < 16; k++) {
            double a = -Math.PI / 2 + k * Math.PI / 8;
            cands.add(new double[] {a, gap(a, dirs)});
        }
        cands.sort((x, y) -> Double.compare(y[1], x[1]));
        for (double extra : new double[] {0, 8}) {
            for (double[] c : cands) {
                Vec d = Vec.polar(c[0], 1);
                double reach = Math.abs(d.x()) * w / 2 + Math.abs(d.y()) * h / 2 + Glyphs.DOT_RADIUS + 3 + extra;
                Scene.Text cand = text(hub.at().plus(d.times(reach)), s, Glyphs.LABEL_SIZE, Glyphs.LABEL_INK, "label");
                Box b = cand.bounds();
                if (fallback == null) fallback = cand;
                if (hitsShape(b) || hitsLabel(b) || hitsAnyLine(b)) continue;
                labelBoxes.add(b);
                return cand;
            }
        }
        labelBoxes.add(fallback.bounds());
        return fallback;
    }

    private boolean hitsShape(Box b) {
        for (Model.Node n : m.nodes) {
            if (n.kind == Model.Kind.JOINT) continue;
            if (Glyphs.box(n).grow(2).intersects(b)) return true;
        }
        return false;
    }

    private boolean hitsLabel(Box b) {
        for (Box o : labelBoxes) if (o.grow(1.5).intersects(b)) return true;
        return false;
    }

    private static boolean hitsLine(Box b, List<Vec> pts) {
        Box g = b.grow(1);
        for (int i = 0; i + 1 < pts.size(); i++) if (Curves.segmentHitsBox(pts.get(i), pts.get(i + 1), g)) return true;
        return false;
    }

    private boolean hitsAnyLine(Box b) {
        for (List<Vec> p : polylines) if (hitsLine(b, p)) return true;
        return false;
    }

    // ---- bubbles ---------------------------------------------------------------------------------

    /** Outlines inside out: around the scope's nodes, their caps and loops, inner labels and inner bubbles. */
    private Box outlineBubbles(Model.Scope s) {
        Box b = Box.EMPTY;
        for (Model.Node n : s.nodes) b = b.union(Glyphs.box(n));
        for (Model.Scope c : s.children) b = b.union(outlineBubbles(c));
        for (Model.Edge e : m.edges) {
            Model.Node a = e.a.node(), o = e.other();
            boolean inside = a.scope.within(s) && (o == null ? !(e.b instanceof Model.Free) : o.scope.within(s));
            if (!inside || e.path == null) continue;
            if (a.scope == s || (o != null && o.scope == s) || e.isLoop()) b = b.union(Scene.bounds(e.path));
            if (caps.containsKey(e)) for (Scene.Element x : caps.get(e)) b = b.union(Scene.bounds(x));
        }
        for (Model.Wire w : m.wires) {
            boolean inside = w.edges.stream().allMatch(e -> e.a.node().scope.within(s)
                    && (e.other() != null ? e.other().scope.within(s) : !(e.b instanceof Model.Free)));
            if (inside) for (Scene.Element t : wireLabels.get(w)) b = b.union(Scene.bounds(t));
        }
        if (!s.isBubble()) return b;
        // room for the scale factor written before the contents (see assembleLegsAndNodes)
        if (s.coefficient != 1 && !b.isEmpty()) b = new Box(b.x0() - Layout.coefficientWidth(s) - 12, b.y0(), b.x1(), b.y1());
        Box out = new Box(b.x0() - DRAW_PAD, b.y0() - DRAW_PAD - LABEL_BAND, b.x1() + DRAW_PAD, b.y1() + DRAW_PAD);
        double minW = TextMetrics.width(s.label, Glyphs.BUBBLE_LABEL_SIZE) + 18;
        if (out.width() < minW) out = new Box(out.centre().x() - minW / 2, out.y0(), out.centre().x() + minW / 2, out.y1());
        s.outline = out;
        return out;
    }

    private void placeBubbleLabels() {
        for (Model.Scope s : m.scopes()) {
            if (!s.isBubble()) continue;
            Box o = s.outline;
            double size = Glyphs.BUBBLE_LABEL_SIZE;
            double w = TextMetrics.width(s.label, size);
            Scene.Text chosen = null;
            Vec[] corners = {
                new Vec(o.x0() + 8, o.y0() + 5 + size * 0.93), new Vec(o.x1() - 8 - w, o.y0() + 5 + size * 0.93),
                new Vec(o.x0() + 8, o.y1() - 6), new Vec(o.x1() - 8 - w, o.y1() - 6)};
            for (Vec c : corners) {
                Scene.Text t = new Scene.Text(c, s.label, size, "start", false, Glyphs.BUBBLE_INK, "bubble-label");
                Box b = t.bounds();
                if (chosen == null) chosen = t;
                if (hitsShape(b) || hitsLabel(b) || hitsAnyLine(b)) continue;
                chosen = t;
                break;
            }
            s.labelText = chosen;
            labelBoxes.add(chosen.bounds());
        }
    }

    // ---- free legs -------------------------------------------------------------------------------

    private void routeFree() {
        Map<Model.Edge, Vec> capped = cappedIdentities();
        for (Model.Edge e : m.edges) {
            if (!(e.b instanceof Model.Free f)) continue;
            Model.Node n = e.a.node();
            double a = freeAngle.get(e);
            Vec d = Vec.polar(a, 1);
            Vec s = capped.containsKey(e) ? capped.get(e) : Glyphs.boundary(n, a);
            double reach = capped.containsKey(e) ? FREE_LENGTH : s.distance(n.at()) + FREE_LENGTH;
            for (Model.Scope sc = n.scope; sc != null && sc.isBubble(); sc = sc.parent) {
                reach = Math.max(reach, exitDistance(n.at(), d, sc.outline) + 16);
            }
            // not ending inside another glyph or bubble
            for (int k = 0; k < 20; k++) {
                Vec end = n.at().plus(d.times(reach));
                boolean blocked = false;
                for (Model.Node o : m.nodes) {
                    if (o != n && o.kind != Model.Kind.JOINT && Glyphs.box(o).grow(8).contains(end)) blocked = true;
                }
                for (Model.Scope sc : m.scopes()) {
                    if (sc.isBubble() && !n.scope.within(sc) && sc.outline.grow(6).contains(end)) blocked = true;
                }
                if (!blocked) break;
                reach += 12;
            }
            Vec end = capped.containsKey(e) ? s.plus(d.times(reach)) : n.at().plus(d.times(reach));
            e.path = new Scene.Path(List.of(Scene.Seg.move(s), Scene.Seg.line(end)), "line", LINE, new LinkedHashMap<>());
            polylines.add(List.of(s, end));
            Scene.Text label = endLabel(end, a, labelText(f.label(), e.size), 0);
            wireLabels.get(e.wire).add(label);
        }
    }

    /** The width of an identity drawn as a cap (its two legs side by side, joined by a half circle). */
    static final double CAP_WIDTH = 30;

    /**
     * An identity alone whose two open legs point nearly the same way (a sum's terms have f and g
     * both down, as in {@code W W[f -> g] - eye(f, g)}) is a cap: its legs side by side in their
     * mean direction, joined by a half circle, so each points away from the drawing like the other
     * terms' legs (splayed from one point, one of them turned back towards the drawing's middle).
     * Returns where each leg starts; the half circle goes with the legs' labels.
     */
    private Map<Model.Edge, Vec> cappedIdentities() {
        Map<Model.Edge, Vec> out = new LinkedHashMap<>();
        for (Model.Node n : m.nodes) {
            if (n.kind != Model.Kind.JOINT) continue;
            List<Model.Edge> ends = new ArrayList<>();
            boolean alone = true;
            for (Model.Edge e : m.edges) {
                if (e.a.node() == n && e.b instanceof Model.Free) ends.add(e);
                else if (e.a.node() == n || e.other() == n) alone = false;
            }
            if (!alone || ends.size() != 2 || ends.get(0).wire != ends.get(1).wire) continue;
            double a0 = freeAngle.get(ends.get(0)), a1 = freeAngle.get(ends.get(1));
            if (angleBetween(a0, a1) >= Math.PI / 2) continue;
            Vec u = Vec.polar(a0, 1).plus(Vec.polar(a1, 1)).unit(), side = u.normal();
            double mean = u.angle();
            // each leg keeps its side of the other
            double which = Vec.polar(a0, 1).minus(Vec.polar(a1, 1)).dot(side) >= 0 ? 1 : -1;
            Vec s0 = n.at().plus(side.times(which * CAP_WIDTH / 2)), s1 = n.at().minus(side.times(which * CAP_WIDTH / 2));
            for (Model.Edge e : ends) freeAngle.put(e, mean);
            out.put(ends.get(0), s0);
            out.put(ends.get(1), s1);
            // the half circle from s0 to s1, bulging against the legs (a cubic: control points 4/3 of the radius out)
            Vec back = u.times(-CAP_WIDTH / 2 * 4.0 / 3.0);
            Scene.Path arc = new Scene.Path(List.of(Scene.Seg.move(s0), Scene.Seg.curve(s0.plus(back), s1.plus(back), s1)), "line",
                    Scene.Style.stroke(Glyphs.INK, Glyphs.lineWidth(ends.get(0).size)), new LinkedHashMap<>());
            wireLabels.get(ends.get(0).wire).add(arc);
            polylines.add(Curves.sample(arc));
        }
        return out;
    }

    /** How far from p along d until the ray leaves box b. */
    private static double exitDistance(Vec p, Vec d, Box b) {
        double t = Double.POSITIVE_INFINITY;
        if (d.x() > 1e-9) t = Math.min(t, (b.x1() - p.x()) / d.x());
        if (d.x() < -1e-9) t = Math.min(t, (b.x0() - p.x()) / d.x());
        if (d.y() > 1e-9) t = Math.min(t, (b.y1() - p.y()) / d.y());
        if (d.y() < -1e-9) t = Math.min(t, (b.y0() - p.y()) / d.y());
        return Double.isInfinite(t) ? 0 : Math.max(0, t);
    }

    // ---- assembly --------------------------------------------------------------------------------

    /**
     * Everything drawn, each bubble a group holding what it contains (its outline and label, the
     * bubbles inside it, the legs that stay inside it, its tensors), so that moving a bubble in an
     * editor moves its contents. In each group the inner bubbles come before the legs, so a line
     * running into an inner bubble is painted over its fill.
     */
    private List<Scene.Element> assemble() {
        List<Scene.Element> out = new ArrayList<>();
        Map<Model.Scope, List<Scene.Element>> holds = new java.util.IdentityHashMap<>();
        holds.put(m.root, out);
        for (Model.Scope s : m.scopes()) {
            if (!s.isBubble()) continue;
            Scene.Group g = new Scene.Group(s.id, "bubble").data("function", s.function).data("label", s.label);
            List<String> inside = new ArrayList<>();
            for (Model.Node n : s.allNodes()) if (n.id != null) inside.add(n.id);
            g.data("contains", String.join(" ", inside));
            String fill = Glyphs.BUBBLE_FILL[Math.min(s.depth - 1, Glyphs.BUBBLE_FILL.length - 1)];
            g.add(new Scene.Rect(s.outline, 14, "outline", new Scene.Style(fill, Glyphs.BUBBLE_INK, 1.3)));
            g.add(s.labelText);
            holds.get(s.parent).add(g);
            holds.put(s, g.children());
        }
        assembleLegsAndNodes(holds);
        return out;
    }

    /** The innermost scope holding all of a wire's ends (a free end is at the top level). */
    private Model.Scope scopeOf(Model.Wire w) {
        Model.Scope common = null;
        for (Model.Edge e : w.edges) {
            List<Model.Scope> ends = new ArrayList<>();
            ends.add(e.a.node().scope);
            if (e.b instanceof Model.OnNode o) ends.add(o.node().scope);
            else if (e.b instanceof Model.Free) ends.add(m.root);
            for (Model.Scope s : ends) common = common == null ? s : commonScope(common, s);
        }
        return common == null ? m.root : common;
    }

    private static Model.Scope commonScope(Model.Scope a, Model.Scope b) {
        for (Model.Scope s = a; s != null; s = s.parent) if (b.within(s)) return s;
        return a;
    }

    private void assembleLegsAndNodes(Map<Model.Scope, List<Scene.Element>> holds) {
        List<Scene.Element> out = holds.get(m.root);
        for (Model.Wire w : m.wires) {
            boolean free = w.edges.stream().anyMatch(e -> e.b instanceof Model.Free);
            boolean hyper = w.hubs.stream().anyMatch(h -> h.kind == Model.Kind.HUB);
            String cls = "leg " + (hyper ? "hyperedge" : free ? "free" : "contracted");
            Scene.Group g = new Scene.Group(w.id, cls).data("name", w.name).data("size", Long.toString(w.size));
            double width = Glyphs.lineWidth(w.size);
            for (Model.Edge e : w.edges) {
                Scene.Path p = e.path;
                Map<String, String> data = new LinkedHashMap<>();
                String from = endId(e.a.node());
                String to = e.b instanceof Model.OnNode o ? endId(o.node())
                        : e.b instanceof Model.Free ? "free" : ((Model.Cap) e.b).reduced() ? "reduced" : "ones";
                if (!from.isEmpty()) data.put("from", from);
                if (!to.isEmpty()) data.put("to", to);
                g.add(new Scene.Path(p.segments(), "line", Scene.Style.stroke(Glyphs.INK, width), data));
                if (caps.containsKey(e)) g.add(caps.get(e)[0]);
            }
            for (Model.Node h : w.hubs) {
                if (h.kind == Model.Kind.HUB) {
                    Scene.Group dot = new Scene.Group(dotIds.get(h), "dot");
                    dot.add(new Scene.Circle(h.at(), Glyphs.DOT_RADIUS, "shape", Scene.Style.fill(Glyphs.INK)));
                    g.add(dot);
                }
            }
            for (Scene.Element t : wireLabels.get(w)) g.add(t);
            for (Model.Edge e : w.edges) if (caps.containsKey(e)) g.add(caps.get(e)[1]);
            holds.get(scopeOf(w)).add(g);
        }
        for (Model.Node n : m.nodes) {
            if (n.id == null) continue;
            String kind = n.kind == Model.Kind.SUM ? "sum" : n.kind == Model.Kind.FUSE ? "reshape" : n.kind == Model.Kind.LOOP ? "loop"
                    : n.kind == Model.Kind.ELLIPSIS ? "ellipsis" : "tensor";
            Scene.Group g = new Scene.Group(n.id, kind);
            if (n.name != null) g.data("name", n.name);
            g.data("kind", n.kindText).data("shape", n.shape.name().toLowerCase(java.util.Locale.ROOT));
            if (!n.legs.isEmpty()) g.data("legs", String.join(" ", n.legs));
            for (Scene.Element e : Glyphs.draw(n)) g.add(e);
            if (n.inner != null) {
                // a sum used as a factor: its terms, drawn inside its box
                List<Scene.Element> terms = sumTerms(n);
                Vec c = new Vec(Diagrams.bounds(terms).centre().x(), 0);
                Scene.Group inside = new Scene.Group(null, "terms");
                for (Scene.Element e : terms) inside.add(Scene.translate(e, n.x - c.x(), n.y - c.y()));
                g.add(inside);
            }
            holds.get(n.scope).add(g);
        }
        for (Model.Scope s : m.scopes()) {
            if (s.coefficient == 1) continue;
            Box content = s.isBubble() ? s.outline : contentBox();
            String text = Layout.coefficientText(s);
            double x = content.x0() - 8;
            if (!s.isBubble()) {
                // left of everything drawn so far, free legs' labels included
                for (Scene.Element e : out) x = Math.min(x, Scene.bounds(e).x0() - 8);
            }
            double y = content.centre().y() + TextMetrics.baselineOffset(Glyphs.SCALAR_SIZE);
            if (s.isBubble()) {
                double left = Double.POSITIVE_INFINITY;
                for (Model.Node n : s.allNodes()) left = Math.min(left, Glyphs.box(n).x0());
                x = left - 10;
                // off the line that leaves the bubble's leftmost tensor to the left, if one does
                double h = Glyphs.SCALAR_SIZE;
                double[] tries = {0, -h * 0.6, h * 0.6, -h, h, h * 1.4, -h * 1.4};
                Double clear = null;
                for (int pass = 0; pass < 2 && clear == null; pass++) { // clear of lines and labels, else of lines
                    for (double dy : tries) {
                        Box tb = new Scene.Text(new Vec(x, y + dy), text, Glyphs.SCALAR_SIZE, "end", false, Glyphs.INK, "value").bounds();
                        if (!hitsAnyLine(tb) && (pass == 1 || !hitsLabel(tb))) {
                            clear = y + dy;
                            break;
                        }
                    }
                }
                if (clear != null) y = clear;
            }
            Scene.Group g = new Scene.Group(ids.numbered("scalar"), "scalar").data("value", Numbers.format(s.coefficient));
            if (s.written != null) g.data("written", s.written);
            g.add(new Scene.Text(new Vec(x, y), text, Glyphs.SCALAR_SIZE, "end", false, Glyphs.INK, "value"));
            holds.get(s).add(g);
        }
    }

    /**
     * The terms of a sum drawn inside its box, their free legs pointing the way the box's own legs
     * leave it, when that drawing fits the box the layout made room for.
     */
    private List<Scene.Element> sumTerms(Model.Node n) {
        Map<String, Double> towards = new LinkedHashMap<>();
        for (Model.Edge e : m.edges) {
            if (e.isLoop()) continue;
            int axis;
            double angle;
            if (e.a.node() == n) {
                axis = e.a.axis();
                Model.Node o = e.other();
                if (o != null) angle = o.at().minus(n.at()).angle();
                else if (freeAngle.containsKey(e)) angle = freeAngle.get(e);
                else continue;
            } else if (e.b instanceof Model.OnNode o && o.node() == n) {
                axis = o.axis();
                angle = e.a.node().at().minus(n.at()).angle();
            } else {
                continue;
            }
            if (axis >= 0 && axis < n.legs.size()) towards.putIfAbsent(n.legs.get(axis), angle);
        }
        Box fitted = Diagrams.sumBox(n.sum, options, towards);
        if (fitted.width() <= n.inner.width() + 0.5 && fitted.height() <= n.inner.height() + 0.5) {
            return Diagrams.elements(n.sum, options, ids, towards);
        }
        return Diagrams.elements(n.sum, options, ids);
    }

    private Box contentBox() {
        Box b = Box.EMPTY;
        for (Model.Node n : m.nodes) b = b.union(Glyphs.box(n));
        for (Model.Scope s : m.root.children) b = b.union(s.outline);
        return b;
    }

    private String endId(Model.Node n) {
        if (n.id != null) return n.id;
        return dotIds.getOrDefault(n, "");
    }
}
