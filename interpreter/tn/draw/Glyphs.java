package tn.draw;

import java.util.ArrayList;
import java.util.List;

/**
 * The size, outline and drawing of each node glyph (see docs/notation.md), and the styles of the
 * diagram: one place for every dimension and colour.
 */
final class Glyphs {
    private Glyphs() {}

    static final double NAME_SIZE = 14;
    static final double LABEL_SIZE = 11.5;
    static final double BUBBLE_LABEL_SIZE = 12;
    static final double BOX_SIZE = 13;
    static final double OPERATOR_SIZE = 22;
    static final double SCALAR_SIZE = 16;

    static final String INK = "#1f1f1f";
    static final String LABEL_INK = "#4d4d4d";
    static final String BUBBLE_INK = "#3d6299";
    static final String[] BUBBLE_FILL = {"#f1f5fb", "#e4ecf7", "#d7e3f3", "#cadaef"};
    static final String TENSOR_FILL = "#ffffff";
    static final String ISOMETRY_FILL = "#dbe7f6";
    static final String UNITARY_FILL = "#f6e7cc";
    static final String BOX_FILL = "#f3f3f3";
    /** The orthogonality centre of a canonical tensor train: the one core that is not an isometry. */
    static final String CENTRE_FILL = "#f6d2c8";
    static final double OUTLINE_WIDTH = 1.5;
    static final double DOT_RADIUS = 4.2;
    static final double RING_RADIUS = 12;
    static final double MIN_RADIUS = 15;
    static final double PILL_HEIGHT = 15;
    static final double SUM_PAD = 8;
    /** The corner radius of a box (a named block, a sum's terms): drawn and trimmed to alike. */
    static final double BOX_RADIUS = 8;
    static final String SUM_INK = "#8a8a8a";

    /** Line width of a leg: grows with the logarithm of its size. */
    static double lineWidth(long size) {
        return Math.min(4.2, 1.1 + 0.42 * Math.log(Math.max(1, size)));
    }

    /** Sets a node's half extents from its shape and name. */
    static void size(Model.Node n) {
        double w = n.name == null ? 0 : TextMetrics.width(n.name, NAME_SIZE);
        switch (n.shape) {
            case CIRCLE -> {
                double r = Math.max(MIN_RADIUS, w / 2 + 6);
                if (r > 21) {
                    n.hw = w / 2 + 12;
                    n.hh = PILL_HEIGHT;
                } else {
                    n.hw = n.hh = r;
                }
            }
            case SQUARE -> n.hw = n.hh = Math.max(MIN_RADIUS, w / 2 + 7);
            case TRIANGLE -> {
                double c = triangleHalfBase(n);
                double r = Math.max(1.2 * c, Math.hypot(0.8 * c, c));
                n.hw = n.hh = r;
            }
            case DOT -> n.hw = n.hh = DOT_RADIUS;
            case RING -> n.hw = n.hh = RING_RADIUS;
            case BOX -> {
                if (n.inner != null) {
                    n.hw = n.inner.width() / 2 + SUM_PAD;
                    n.hh = n.inner.height() / 2 + SUM_PAD;
                } else {
                    n.hw = TextMetrics.width(n.name == null ? "" : n.name, BOX_SIZE) / 2 + 10;
                    n.hh = 14;
                }
            }
            case BAR -> {
                n.hw = 3;
                n.hh = 13;
            }
            case ELLIPSIS -> {
                // the dots, and under them (in the same box, so nothing is drawn over it) how many sites they
                // stand for; as wide when another row says that, so the lines of every row stop alike
                double label = TextMetrics.width(ellipsisText(n), LABEL_SIZE);
                n.hw = Math.max(ELLIPSIS_DOT_GAP + ELLIPSIS_DOT_RADIUS + 6, label / 2 + 2);
                n.hh = n.countShown ? ELLIPSIS_LABEL_DROP + 4 : ELLIPSIS_DOT_RADIUS + 6;
            }
            case NONE -> n.hw = n.hh = 0.5;
        }
    }

    /** An ellipsis's dots: their radius and the distance between neighbouring dots. */
    static final double ELLIPSIS_DOT_RADIUS = 2.4, ELLIPSIS_DOT_GAP = 8;
    /** How far below the dots the baseline of an ellipsis's count sits. */
    static final double ELLIPSIS_LABEL_DROP = 18;

    /** What an ellipsis says under its dots: "94 sites". */
    static String ellipsisText(Model.Node n) {
        return n.sites + (n.sites == 1 ? " site" : " sites");
    }

    private static double triangleHalfBase(Model.Node n) {
        double w = n.name == null ? 0 : TextMetrics.width(n.name, NAME_SIZE);
        return Math.max(19, w * 0.55 + 10);
    }

    /** The triangle's corners: base at -0.8c, tip at +1.2c along its tip direction. */
    static List<Vec> triangle(Model.Node n) {
        double c = triangleHalfBase(n);
        Vec t = Vec.polar(n.tipAngle, 1), q = t.normal();
        Vec o = n.at();
        return List.of(o.plus(t.times(-0.8 * c)).plus(q.times(-c)), o.plus(t.times(1.2 * c)), o.plus(t.times(-0.8 * c)).plus(q.times(c)));
    }

    private static boolean isPill(Model.Node n) {
        return n.shape == Shape.CIRCLE && n.hw != n.hh;
    }

    /** The outline as a polygon (circles as many-sided polygons), for intersections. */
    static List<Vec> outline(Model.Node n) {
        List<Vec> pts = new ArrayList<>();
        switch (n.shape) {
            case TRIANGLE -> pts.addAll(triangle(n));
            case SQUARE, BAR, ELLIPSIS -> {
                pts.add(new Vec(n.x - n.hw, n.y - n.hh));
                pts.add(new Vec(n.x + n.hw, n.y - n.hh));
                pts.add(new Vec(n.x + n.hw, n.y + n.hh));
                pts.add(new Vec(n.x - n.hw, n.y + n.hh));
            }
            case BOX -> roundRect(pts, n.at(), n.hw, n.hh, BOX_RADIUS);
            case CIRCLE -> {
                if (isPill(n)) roundRect(pts, n.at(), n.hw, n.hh, n.hh);
                else roundRect(pts, n.at(), n.hw, n.hh, n.hw);
            }
            default -> roundRect(pts, n.at(), n.hw, n.hh, n.hw);
        }
        return pts;
    }

    private static void roundRect(List<Vec> pts, Vec c, double hw, double hh, double r) {
        double[][] corners = {{hw - r, hh - r, 0}, {-(hw - r), hh - r, 0.5}, {-(hw - r), -(hh - r), 1}, {hw - r, -(hh - r), 1.5}};
        for (double[] k : corners) {
            for (int s = 0; s <= 12; s++) {
                double a = Math.PI * (k[2] + s / 24.0);
                pts.add(new Vec(c.x() + k[0] + r * Math.cos(a), c.y() + k[1] + r * Math.sin(a)));
            }
        }
    }

    /** Whether p is inside the node's outline. */
    static boolean inside(Model.Node n, Vec p) {
        if (n.shape == Shape.CIRCLE && !isPill(n) || n.shape == Shape.DOT || n.shape == Shape.RING || n.shape == Shape.NONE) {
            return p.distance(n.at()) < n.hw;
        }
        return insidePolygon(outline(n), p);
    }

    static boolean insidePolygon(List<Vec> poly, Vec p) {
        boolean in = false;
        for (int i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
            Vec a = poly.get(i), b = poly.get(j);
            if ((a.y() > p.y()) != (b.y() > p.y()) && p.x() < (b.x() - a.x()) * (p.y() - a.y()) / (b.y() - a.y()) + a.x()) in = !in;
        }
        return in;
    }

    /** The point where a ray from the node's centre in direction {@code angle} leaves its outline. */
    static Vec boundary(Model.Node n, double angle) {
        Vec d = Vec.polar(angle, 1);
        if (n.shape == Shape.CIRCLE && !isPill(n) || n.shape == Shape.DOT || n.shape == Shape.RING || n.shape == Shape.NONE) {
            return n.at().plus(d.times(n.hw));
        }
        List<Vec> poly = outline(n);
        double best = Double.POSITIVE_INFINITY;
        Vec o = n.at();
        for (int i = 0; i < poly.size(); i++) {
            Vec a = poly.get(i), b = poly.get((i + 1) % poly.size());
            Vec e = b.minus(a);
            double den = d.cross(e);
            if (Math.abs(den) < 1e-12) continue;
            Vec ao = a.minus(o);
            double t = ao.cross(e) / den;
            double u = ao.cross(d) / den;
            if (t >= 0 && u >= -1e-9 && u <= 1 + 1e-9 && t < best) best = t;
        }
        return Double.isInfinite(best) ? o : o.plus(d.times(best));
    }

    /** The box around the glyph. */
    static Box box(Model.Node n) {
        if (n.shape == Shape.TRIANGLE) {
            Box b = Box.EMPTY;
            for (Vec v : triangle(n)) b = b.include(v);
            return b;
        }
        return Box.around(n.at(), n.hw, n.hh);
    }

    /** How far each copy behind a stacked glyph is offset (right and up), and how many there are. */
    static final double STACK_STEP = 4;
    static final int STACK_COPIES = 2;

    /** The glyph's drawing: its shape and its name; a stacked glyph its copies behind it first. */
    static List<Scene.Element> draw(Model.Node n) {
        List<Scene.Element> out = new ArrayList<>();
        if (n.stacked) {
            for (int k = STACK_COPIES; k >= 1; k--) {
                for (Scene.Element e : shape(n)) out.add(Scene.translate(restyle(e, "stack"), k * STACK_STEP, -k * STACK_STEP));
            }
        }
        out.addAll(shape(n));
        if (n.name != null && (n.kind == Model.Kind.TENSOR || (n.kind == Model.Kind.SUM && n.inner == null))) {
            double size = n.shape == Shape.BOX ? BOX_SIZE : NAME_SIZE;
            Vec c = nameCentre(n);
            out.add(new Scene.Text(new Vec(c.x(), c.y() + TextMetrics.baselineOffset(size)), n.name, size, "middle", false, INK, "name"));
        }
        return out;
    }

    /** A copy of a shape element with another class (the copies behind a stack are not its outline). */
    private static Scene.Element restyle(Scene.Element e, String cls) {
        if (e instanceof Scene.Circle c) return new Scene.Circle(c.centre(), c.r(), cls, c.style());
        if (e instanceof Scene.Rect r) return new Scene.Rect(r.box(), r.rx(), cls, r.style());
        if (e instanceof Scene.Polygon p) return new Scene.Polygon(p.points(), cls, p.style());
        return e;
    }

    private static List<Scene.Element> shape(Model.Node n) {
        List<Scene.Element> out = new ArrayList<>();
        Scene.Style outline = new Scene.Style(fill(n), INK, OUTLINE_WIDTH);
        switch (n.shape) {
            case CIRCLE -> {
                if (isPill(n)) out.add(new Scene.Rect(box(n), n.hh, "shape", outline));
                else out.add(new Scene.Circle(n.at(), n.hw, "shape", outline));
            }
            case SQUARE -> out.add(new Scene.Rect(box(n), 0, "shape", outline));
            case TRIANGLE -> out.add(new Scene.Polygon(triangle(n), "shape", outline));
            case BOX -> out.add(new Scene.Rect(box(n), BOX_RADIUS, "shape",
                    n.inner != null ? new Scene.Style("#fbfbfb", SUM_INK, 1.2) : outline));
            case BAR -> out.add(new Scene.Rect(box(n), 1, "shape", Scene.Style.fill(INK)));
            case DOT -> out.add(new Scene.Circle(n.at(), n.hw, "dot", Scene.Style.fill(INK)));
            case RING -> out.add(new Scene.Circle(n.at(), n.hw, "shape", Scene.Style.stroke(INK, 1.6)));
            case ELLIPSIS -> {
                // the box itself is not drawn: it is the area kept clear for the dots and their count
                out.add(new Scene.Rect(box(n), 0, "shape", new Scene.Style(null, null, 0)));
                for (int k = -1; k <= 1; k++) {
                    out.add(new Scene.Circle(n.at().plus(new Vec(k * ELLIPSIS_DOT_GAP, 0)), ELLIPSIS_DOT_RADIUS, "dot", Scene.Style.fill(INK)));
                }
                if (n.countShown) {
                    out.add(new Scene.Text(new Vec(n.x, n.y + ELLIPSIS_LABEL_DROP), ellipsisText(n), LABEL_SIZE, "middle", false, LABEL_INK, "count"));
                }
            }
            case NONE -> { }
        }
        return out;
    }

    /** Where the name sits: the centre, or for a triangle a little towards its base. */
    static Vec nameCentre(Model.Node n) {
        if (n.shape != Shape.TRIANGLE) return n.at();
        double c = triangleHalfBase(n);
        return n.at().plus(Vec.polar(n.tipAngle, -0.12 * c));
    }

    private static String fill(Model.Node n) {
        if (ShapeRule.CENTRE.equals(n.kindText)) return CENTRE_FILL;
        return switch (n.shape) {
            case TRIANGLE -> ISOMETRY_FILL;
            case SQUARE -> UNITARY_FILL;
            case BOX -> BOX_FILL;
            default -> TENSOR_FILL;
        };
    }
}
