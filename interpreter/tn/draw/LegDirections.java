package tn.draw;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which way things leave the tensors of a laid-out {@link Model}, before any line is drawn: each
 * triangle's tip, each self-loop, and each free leg and cap, scored against the lines already at the
 * tensor (room between them), the centre of its connected part (out of the drawing), the glyphs and
 * other free legs in the way, a triangle's tip, and the directions a sum's other terms gave the same
 * legs ({@code preferred}). {@link Router} then draws the lines these directions ask for.
 */
final class LegDirections {
    private final Model m;
    private final Map<Model.Node, List<Double>> used = new LinkedHashMap<>();
    private final Map<Model.Edge, Double> freeAngle = new LinkedHashMap<>();
    private final Map<Model.Edge, Double> loopAngle = new LinkedHashMap<>();
    /** The centre of each node's connected part (free legs point away from it). */
    private final Map<Model.Node, Vec> centres = new LinkedHashMap<>();
    private boolean uniformDown;

    /** Directions free legs should take when they can, by label (a sum's terms agree on them). */
    private final Map<String, Double> preferred;

    /** Whether a free leg keeps within {@link #ALIGNED} of its preferred direction wherever it can, not only leans towards it. */
    private final boolean aligning;

    private LegDirections(Model m, Map<String, Double> preferred, boolean aligning) {
        this.m = m;
        this.preferred = preferred;
        this.aligning = aligning;
    }

    /**
     * The directions of {@code m}: triangles turned (their {@code tipAngle} set), loops and free
     * legs and caps chosen; with {@code aligning}, every free leg that can points within
     * {@link #ALIGNED} of its {@code preferred} direction.
     */
    static LegDirections choose(Model m, Map<String, Double> preferred, boolean aligning) {
        LegDirections d = new LegDirections(m, preferred, aligning);
        d.centres();
        d.uniformDown = d.uniformFreeLegs();
        d.orientTriangles();
        d.collectUsedDirections();
        d.chooseLoops();
        d.chooseFreeDirections();
        return d;
    }

    /** The direction of each free leg and cap, by its line (the router may still change a capped identity's). */
    Map<Model.Edge, Double> freeAngles() {
        return freeAngle;
    }

    /** The direction of each self-loop, by its line. */
    Map<Model.Edge, Double> loopAngles() {
        return loopAngle;
    }

    private void centres() {
        int[] part = new int[m.nodes.size()];
        for (int k = 0; k < part.length; k++) part[k] = k;
        for (Model.Edge e : m.edges) {
            Model.Node b = e.other();
            if (b != null) Graphs.union(part, e.a.node().index, b.index);
        }
        Map<Integer, double[]> sums = new LinkedHashMap<>();
        for (Model.Node n : m.nodes) {
            double[] acc = sums.computeIfAbsent(Graphs.find(part, n.index), k -> new double[3]);
            acc[0] += n.x;
            acc[1] += n.y;
            acc[2]++;
        }
        for (Model.Node n : m.nodes) {
            double[] acc = sums.get(Graphs.find(part, n.index));
            centres.put(n, new Vec(acc[0] / acc[2], acc[1] / acc[2]));
        }
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

    // ---- triangles, loops, free legs -------------------------------------------------------------

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

    static double gap(double a, List<Double> dirs) {
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
                List<double[]> cands = new ArrayList<>();
                for (int k = 0; k < 24; k++) {
                    if (ends.size() == 1) cands.add(new double[] {angleOf(k)});
                    else for (int j = 0; j < 24; j++) if (j != k) cands.add(new double[] {angleOf(k), angleOf(j)});
                }
                double[] best = pick(n, ends, cands, dirs, tipAxis);
                for (int k = 0; k < ends.size(); k++) {
                    freeAngle.put(ends.get(k), best[k]);
                    dirs.add(best[k]);
                }
            } else {
                List<double[]> cands = new ArrayList<>();
                for (int k = 0; k < 24; k++) cands.add(new double[] {angleOf(k)});
                for (Model.Edge e : ends) {
                    double best = pick(n, List.of(e), cands, dirs, tipAxis)[0];
                    freeAngle.put(e, best);
                    dirs.add(best);
                }
            }
        }
    }

    /** How far a free leg may turn from the direction a sum's other terms gave it and still be drawn the same way. */
    static final double ALIGNED = Math.PI / 4;

    /**
     * The best-scored candidate directions for {@code ends}; but, when aligning, if those turn a
     * leg further than {@link #ALIGNED} from the direction a sum's other terms gave it, the
     * best-scored candidates that turn none so far and leave each leg {@link #room}, if there are
     * any. The score only leans towards that direction, and room between lines outweighs it: a
     * mask whose pos and key legs both pointed right in the first term turned key down (its right
     * taken by pos), and a dot with a line going right sent its free d_model leg up against the
     * first term's right.
     */
    private double[] pick(Model.Node n, List<Model.Edge> ends, List<double[]> cands, List<Double> dirs, int tipAxis) {
        double[] best = null, bestAligned = null;
        double bestScore = Double.NEGATIVE_INFINITY, bestAlignedScore = Double.NEGATIVE_INFINITY;
        for (double[] a : cands) {
            double s = score(n, ends, a, dirs, tipAxis);
            if (s > bestScore + 1e-9) {
                bestScore = s;
                best = a;
            }
            if (aligning && s > bestAlignedScore + 1e-9 && aligned(ends, a) && room(n, ends, a, dirs)) {
                bestAlignedScore = s;
                bestAligned = a;
            }
        }
        return !aligning || aligned(ends, best) || bestAligned == null ? best : bestAligned;
    }

    /** Whether each of these legs with a preferred direction points within {@link #ALIGNED} of it. */
    private boolean aligned(List<Model.Edge> ends, double[] angles) {
        for (int k = 0; k < angles.length; k++) {
            if (ends.get(k).b instanceof Model.Free f && preferred.containsKey(f.label())
                    && angleBetween(angles[k], preferred.get(f.label())) > ALIGNED + 1e-9) return false;
        }
        return true;
    }

    /** How close a free leg kept near its preferred direction may come to another line at its tensor. */
    static final double MIN_GAP = Math.PI / 6;

    /**
     * Whether legs in these directions are each at least {@link #MIN_GAP} from the tensor's other
     * lines and from each other, point away from the middle of the drawing, and neither they nor
     * their labels run into another glyph.
     */
    private boolean room(Model.Node n, List<Model.Edge> ends, double[] angles, List<Double> dirs) {
        List<Double> all = new ArrayList<>(dirs);
        for (int k = 0; k < angles.length; k++) {
            double a = angles[k];
            Model.Edge e = ends.get(k);
            if (gap(a, all) < MIN_GAP - 1e-9 || glyphsInTheWay(n, e, a) > 0) return false;
            // not back into the drawing (a chain's first tensor, its leg wanted the way the chain runs)
            Vec c = centres.get(n), p0 = Glyphs.boundary(n, a), p1 = p0.plus(Vec.polar(a, Router.FREE_LENGTH));
            if (p1.distance(c) <= p0.distance(c) + 0.5) return false;
            // the label just beyond the leg's end, as Router.endLabel puts it
            String text = e.b instanceof Model.Free f ? f.label() : e.name;
            double w = TextMetrics.width(text, Glyphs.LABEL_SIZE), h = TextMetrics.height(Glyphs.LABEL_SIZE);
            Vec d = Vec.polar(a, 1);
            double len = e.b instanceof Model.Cap ? Router.CAP_LENGTH : Router.FREE_LENGTH;
            Vec at = Glyphs.boundary(n, a).plus(d.times(len + Math.abs(d.x()) * w / 2 + Math.abs(d.y()) * h / 2 + 3));
            Box label = Box.around(at, w / 2, h / 2);
            for (Model.Node o : m.nodes) {
                if (o != n && o.kind != Model.Kind.JOINT && Glyphs.box(o).grow(2).intersects(label)) return false;
            }
            all.add(a);
        }
        return true;
    }

    /** How many other glyphs the leg from n towards {@code a} (and 14 px beyond its end) runs into. */
    private int glyphsInTheWay(Model.Node n, Model.Edge e, double a) {
        double len = e.b instanceof Model.Cap ? Router.CAP_LENGTH : Router.FREE_LENGTH;
        Vec p0 = Glyphs.boundary(n, a), p1 = p0.plus(Vec.polar(a, len + 14));
        int hits = 0;
        for (Model.Node o : m.nodes) {
            if (o == n || o.kind == Model.Kind.JOINT) continue;
            if (Curves.segmentHitsBox(p0, p1, Glyphs.box(o).grow(6))) hits++;
        }
        return hits;
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
                if (outer != null) s -= 0.012 * outer.area.exitDistance(n.at(), Vec.polar(a, 1));
            }
            s -= 8 * glyphsInTheWay(n, e, a);
            double len = e.b instanceof Model.Cap ? Router.CAP_LENGTH : Router.FREE_LENGTH;
            Vec p0 = Glyphs.boundary(n, a), p1 = p0.plus(Vec.polar(a, len + 14));
            for (Map.Entry<Model.Edge, Double> f : freeAngle.entrySet()) {
                Model.Node o = f.getKey().a.node();
                if (o == n) continue;
                Vec q0 = Glyphs.boundary(o, f.getValue()), q1 = q0.plus(Vec.polar(f.getValue(), Router.FREE_LENGTH + 14));
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
}
