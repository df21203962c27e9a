package tn.draw;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a laid-out {@link Model} into drawing elements: free legs, caps and loops in the directions
 * {@link LegDirections} chose for them, parallel legs as separate curves, lines bent around
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
    /** Which way each free leg and cap, and each self-loop, leaves its tensor (set by {@link LegDirections}). */
    private Map<Model.Edge, Double> freeAngle = new LinkedHashMap<>();
    private Map<Model.Edge, Double> loopAngle = new LinkedHashMap<>();
    private final List<Box> labelBoxes = new ArrayList<>();
    private final List<List<Vec>> polylines = new ArrayList<>();
    private final Map<Model.Wire, List<Scene.Element>> wireLabels = new LinkedHashMap<>();
    private final Map<Model.Edge, Scene.Element[]> caps = new LinkedHashMap<>();
    private final Map<Model.Node, String> dotIds = new LinkedHashMap<>();

    /** Directions free legs should take when they can, by label (a sum's terms agree on them). */
    private final Map<String, Double> preferred;
    /** Whether free legs keep near their preferred directions wherever they can (see {@link LegDirections}). */
    private final boolean aligning;

    Router(Model m, DrawOptions options, Ids ids, Map<String, Double> preferred) {
        this(m, options, ids, preferred, true);
    }

    /**
     * {@code aligning} false: the preferred directions only weigh in the choice of each free leg's
     * direction, as in a trial routing of a sum's term whose directions show which way to mirror it.
     */
    Router(Model m, DrawOptions options, Ids ids, Map<String, Double> preferred, boolean aligning) {
        this.m = m;
        this.options = options;
        this.ids = ids;
        this.preferred = preferred;
        this.aligning = aligning;
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
        LegDirections directions = LegDirections.choose(m, preferred, aligning);
        freeAngle = directions.freeAngles();
        loopAngle = directions.loopAngles();
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
            cands.add(new double[] {a, LegDirections.gap(a, dirs)});
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
                reach = Math.max(reach, sc.outline.exitDistance(n.at(), d) + 16);
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
            if (LegDirections.angleBetween(a0, a1) >= Math.PI / 2) continue;
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
