package tn.draw;

import java.awt.Shape;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.w3c.dom.Element;

/**
 * The drawing rules every diagram must keep, checked on its SVG: no two tensor shapes overlap; no
 * label overlaps a shape or another label; every leg line starts (and ends) on its tensor's
 * outline; parallel legs are distinct curves; each bubble contains exactly its tensors and
 * bubbles nest or stay apart; free legs point away from the centre of the drawing (of their
 * connected part, when a drawing has several, like an outer product).
 */
final class Quality {
    private Quality() {}

    static List<String> problems(Svg svg) {
        List<String> out = new ArrayList<>();
        List<Map.Entry<String, Shape>> shapes = new ArrayList<>(svg.shapes.entrySet());
        for (int i = 0; i < shapes.size(); i++) {
            for (int j = i + 1; j < shapes.size(); j++) {
                String a = shapes.get(i).getKey(), b = shapes.get(j).getKey();
                if (svg.enclosing.get(a).contains(b) || svg.enclosing.get(b).contains(a)) continue; // a sum's box holds its terms
                if (Svg.overlap(shapes.get(i).getValue(), shapes.get(j).getValue())) {
                    out.add("shapes overlap: " + shapes.get(i).getKey() + " and " + shapes.get(j).getKey());
                }
            }
        }
        for (Svg.Label l : svg.labels) {
            Rectangle2D box = shrink(l.box(), 0.3);
            for (Map.Entry<String, Shape> s : shapes) {
                if (l.enclosing().contains(s.getKey())) continue; // a label inside a sum's box
                if (Svg.overlap(box, s.getValue())) out.add("label '" + l.text() + "' overlaps " + s.getKey());
            }
        }
        for (int i = 0; i < svg.labels.size(); i++) {
            for (int j = i + 1; j < svg.labels.size(); j++) {
                Svg.Label a = svg.labels.get(i), b = svg.labels.get(j);
                if (shrink(a.box(), 0.3).intersects(shrink(b.box(), 0.3))) out.add("labels overlap: '" + a.text() + "' and '" + b.text() + "'");
            }
        }
        for (Svg.Line line : svg.lines) {
            Shape from = svg.shapes.get(line.from()), to = svg.shapes.get(line.to());
            if (!line.from().isEmpty() && from == null) out.add(line.leg() + ": starts at unknown " + line.from());
            if (from != null && Svg.distanceToOutline(from, line.start()) > 0.6) {
                out.add(line.leg() + ": does not start on the outline of " + line.from() + " (off by "
                        + Svg.distanceToOutline(from, line.start()) + ")");
            }
            if (to != null && Svg.distanceToOutline(to, line.end()) > 0.6) {
                out.add(line.leg() + ": does not end on the outline of " + line.to());
            }
        }
        for (int i = 0; i < svg.lines.size(); i++) {
            for (int j = i + 1; j < svg.lines.size(); j++) {
                Svg.Line a = svg.lines.get(i), b = svg.lines.get(j);
                if (a.from().isEmpty() || a.to().isEmpty() || a.from().equals(a.to())) continue;
                boolean same = (a.from().equals(b.from()) && a.to().equals(b.to())) || (a.from().equals(b.to()) && a.to().equals(b.from()));
                if (same && separation(a.points(), b.points()) < 5) out.add("parallel legs drawn on top of each other: " + a.leg() + ", " + b.leg());
            }
        }
        for (Svg.Bubble b : svg.bubbles) {
            Rectangle2D r = b.outline();
            for (Map.Entry<String, Shape> s : shapes) {
                Element g = svg.groups.get(s.getKey());
                if (g.getAttribute("class").equals("dot") || b.enclosing().contains(s.getKey())) continue;
                boolean listed = b.contains().contains(s.getKey())
                        || svg.enclosing.get(s.getKey()).stream().anyMatch(b.contains()::contains);
                Rectangle2D bounds = s.getValue().getBounds2D();
                if (listed && !r.contains(bounds)) out.add(b.id() + " does not contain its " + s.getKey());
                if (!listed && r.intersects(bounds)) out.add(b.id() + " overlaps " + s.getKey() + ", which is not inside it");
            }
        }
        for (int i = 0; i < svg.bubbles.size(); i++) {
            for (int j = i + 1; j < svg.bubbles.size(); j++) {
                Rectangle2D a = svg.bubbles.get(i).outline(), b = svg.bubbles.get(j).outline();
                if (a.intersects(b) && !a.contains(b) && !b.contains(a)) {
                    out.add("bubbles cross: " + svg.bubbles.get(i).id() + " and " + svg.bubbles.get(j).id());
                }
            }
        }
        Map<String, String> part = parts(svg);
        for (Svg.Line line : svg.lines) {
            if (!line.to().equals("free")) continue;
            Point2D c = centre(svg, part, part.get(line.from()));
            double d0 = line.start().distance(c), d1 = line.end().distance(c);
            if (d1 <= d0 + 0.5) out.add(line.leg() + ": free leg points towards the centre");
        }
        return out;
    }

    private static Rectangle2D shrink(Rectangle2D r, double d) {
        return new Rectangle2D.Double(r.getX() + d, r.getY() + d, r.getWidth() - 2 * d, r.getHeight() - 2 * d);
    }

    /** The largest distance from a point of one line to the other line (0 when they coincide). */
    private static double separation(List<Point2D> a, List<Point2D> b) {
        double worst = 0;
        for (Point2D p : a) {
            double best = Double.POSITIVE_INFINITY;
            for (Point2D q : b) best = Math.min(best, p.distance(q));
            worst = Math.max(worst, best);
        }
        return worst;
    }

    /** Connected parts: each shape's id mapped to a representative shape id, joined through lines. */
    private static Map<String, String> parts(Svg svg) {
        Map<String, String> parent = new java.util.LinkedHashMap<>();
        for (String id : svg.shapes.keySet()) parent.put(id, id);
        for (Svg.Line l : svg.lines) {
            if (parent.containsKey(l.from()) && parent.containsKey(l.to())) parent.put(root(parent, l.from()), root(parent, l.to()));
        }
        Map<String, String> out = new java.util.HashMap<>();
        for (String id : parent.keySet()) out.put(id, root(parent, id));
        return out;
    }

    private static String root(Map<String, String> parent, String id) {
        while (!parent.get(id).equals(id)) id = parent.get(id);
        return id;
    }

    /** The centre of the shapes of one connected part. */
    private static Point2D centre(Svg svg, Map<String, String> part, String which) {
        double x = 0, y = 0;
        int n = 0;
        for (Map.Entry<String, Shape> s : svg.shapes.entrySet()) {
            if (which != null && !which.equals(part.get(s.getKey()))) continue;
            x += s.getValue().getBounds2D().getCenterX();
            y += s.getValue().getBounds2D().getCenterY();
            n++;
        }
        return n == 0 ? new Point2D.Double() : new Point2D.Double(x / n, y / n);
    }
}
