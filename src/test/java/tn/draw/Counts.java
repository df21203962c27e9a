package tn.draw;

import java.awt.Shape;
import java.awt.geom.Line2D;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The measured quality of one diagram, read from its SVG: glyphs overlapping glyphs, labels
 * overlapping glyphs or labels, lines passing through a glyph they do not join, open legs of a sum's
 * terms pointing another way than in the sum's earlier terms, and line crossings.
 * {@link Quality} says what is wrong in words; this counts, so the counts can be bounded per example
 * and reported before and after a change to the layout.
 */
record Counts(int glyphOverlaps, int labelOverlaps, int throughGlyph, int misalignedSumLegs, int crossings) {
    /** How deep a line must go into a glyph to pass through it (ends that touch an outline do not). */
    static final double DEPTH = 1.0;

    static Counts of(Svg svg) {
        List<Map.Entry<String, Shape>> shapes = new ArrayList<>(svg.shapes.entrySet());
        int glyphs = 0;
        for (int i = 0; i < shapes.size(); i++) {
            for (int j = i + 1; j < shapes.size(); j++) {
                String a = shapes.get(i).getKey(), b = shapes.get(j).getKey();
                if (svg.enclosing.get(a).contains(b) || svg.enclosing.get(b).contains(a)) continue; // a sum's box holds its terms
                if (Svg.overlap(shapes.get(i).getValue(), shapes.get(j).getValue())) glyphs++;
            }
        }
        int labels = 0;
        for (int i = 0; i < svg.labels.size(); i++) {
            Svg.Label l = svg.labels.get(i);
            Rectangle2D box = shrink(l.box(), 0.3);
            for (Map.Entry<String, Shape> s : shapes) {
                if (!l.enclosing().contains(s.getKey()) && Svg.overlap(box, s.getValue())) labels++;
            }
            for (int j = i + 1; j < svg.labels.size(); j++) {
                if (box.intersects(shrink(svg.labels.get(j).box(), 0.3))) labels++;
            }
        }
        int through = 0;
        for (Svg.Line line : svg.lines) {
            for (Map.Entry<String, Shape> s : shapes) {
                String id = s.getKey();
                if (id.equals(line.from()) || id.equals(line.to()) || line.enclosing().contains(id)) continue;
                if (passesThrough(line.points(), s.getValue())) through++;
            }
        }
        return new Counts(glyphs, labels, through, misaligned(svg), crossings(svg.lines));
    }

    /**
     * Open legs of a sum's terms that point another way than the same leg in an earlier term of
     * that sum (more than 60 degrees apart), counted once per term and leg.
     */
    static int misaligned(Svg svg) {
        Map<org.w3c.dom.Node, Map<String, List<Point2D>>> sums = new java.util.IdentityHashMap<>();
        Map<org.w3c.dom.Node, Map<String, List<org.w3c.dom.Node>>> terms = new java.util.IdentityHashMap<>();
        int n = 0;
        for (Svg.Line line : svg.lines) {
            if (!line.to().equals("free") || line.term() == null) continue;
            org.w3c.dom.Node sum = line.term().getParentNode();
            String name = svg.groups.get(line.leg()).getAttribute("data-name");
            Point2D d = new Point2D.Double(line.end().getX() - line.start().getX(), line.end().getY() - line.start().getY());
            double len = d.distance(0, 0);
            if (len == 0) continue;
            Point2D u = new Point2D.Double(d.getX() / len, d.getY() / len);
            List<Point2D> seen = sums.computeIfAbsent(sum, k -> new java.util.LinkedHashMap<>()).computeIfAbsent(name, k -> new ArrayList<>());
            List<org.w3c.dom.Node> from = terms.computeIfAbsent(sum, k -> new java.util.LinkedHashMap<>()).computeIfAbsent(name, k -> new ArrayList<>());
            if (!seen.isEmpty() && !from.contains(line.term())) {
                Point2D first = seen.get(0);
                if (first.getX() * u.getX() + first.getY() * u.getY() < 0.5) n++;
            }
            seen.add(u);
            from.add(line.term());
        }
        return n;
    }

    /** Whether the polyline goes more than {@link #DEPTH} into the shape anywhere. */
    static boolean passesThrough(List<Point2D> points, Shape shape) {
        Rectangle2D bounds = shape.getBounds2D();
        Rectangle2D inner = new Rectangle2D.Double(bounds.getX() + DEPTH, bounds.getY() + DEPTH,
                bounds.getWidth() - 2 * DEPTH, bounds.getHeight() - 2 * DEPTH);
        if (inner.getWidth() <= 0 || inner.getHeight() <= 0) return false;
        for (int k = 0; k + 1 < points.size(); k++) {
            Point2D a = points.get(k), b = points.get(k + 1);
            if (!new Line2D.Double(a, b).intersects(inner)) continue;
            int steps = Math.max(1, (int) Math.ceil(a.distance(b) / 0.5));
            for (int s = 0; s <= steps; s++) {
                double t = (double) s / steps;
                Point2D p = new Point2D.Double(a.getX() + t * (b.getX() - a.getX()), a.getY() + t * (b.getY() - a.getY()));
                if (shape.contains(p) && Svg.distanceToOutline(shape, p) > DEPTH) return true;
            }
        }
        return false;
    }

    /**
     * Points where two lines cross (away from their ends, so lines leaving one glyph or meeting at
     * a dot do not count), points within 2 px of each other counted once.
     */
    static int crossings(List<Svg.Line> lines) {
        int n = 0;
        for (int i = 0; i < lines.size(); i++) {
            for (int j = i + 1; j < lines.size(); j++) {
                List<Point2D> a = lines.get(i).points(), b = lines.get(j).points();
                if (!box(a).intersects(box(b)) && !box(a).contains(box(b)) && !box(b).contains(box(a))) continue;
                List<Point2D> found = new ArrayList<>();
                for (int p = 0; p + 1 < a.size(); p++) {
                    for (int q = 0; q + 1 < b.size(); q++) {
                        Point2D x = intersection(a.get(p), a.get(p + 1), b.get(q), b.get(q + 1));
                        if (x == null || nearEnd(x, a) || nearEnd(x, b)) continue;
                        if (found.stream().noneMatch(f -> f.distance(x) < 2)) found.add(x);
                    }
                }
                n += found.size();
            }
        }
        return n;
    }

    private static boolean nearEnd(Point2D x, List<Point2D> line) {
        return x.distance(line.get(0)) < 1.5 || x.distance(line.get(line.size() - 1)) < 1.5;
    }

    private static Rectangle2D box(List<Point2D> pts) {
        Rectangle2D r = new Rectangle2D.Double(pts.get(0).getX(), pts.get(0).getY(), 0, 0);
        for (Point2D p : pts) r.add(p);
        r.setRect(r.getX() - 0.5, r.getY() - 0.5, r.getWidth() + 1, r.getHeight() + 1);
        return r;
    }

    /** Where segments ab and cd cross, or null (parallel or apart). */
    private static Point2D intersection(Point2D a, Point2D b, Point2D c, Point2D d) {
        double rx = b.getX() - a.getX(), ry = b.getY() - a.getY(), sx = d.getX() - c.getX(), sy = d.getY() - c.getY();
        double den = rx * sy - ry * sx;
        if (Math.abs(den) < 1e-12) return null;
        double qx = c.getX() - a.getX(), qy = c.getY() - a.getY();
        double t = (qx * sy - qy * sx) / den, u = (qx * ry - qy * rx) / den;
        if (t < 0 || t > 1 || u < 0 || u > 1) return null;
        return new Point2D.Double(a.getX() + t * rx, a.getY() + t * ry);
    }

    private static Rectangle2D shrink(Rectangle2D r, double d) {
        return new Rectangle2D.Double(r.getX() + d, r.getY() + d, r.getWidth() - 2 * d, r.getHeight() - 2 * d);
    }

    String row() {
        return glyphOverlaps + " " + labelOverlaps + " " + throughGlyph + " " + misalignedSumLegs + " " + crossings;
    }
}
