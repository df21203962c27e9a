package tn.draw;

import java.awt.Shape;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.PathIterator;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** A diagram's SVG read back with javax.xml: its groups, glyph shapes, leg lines and labels. */
final class Svg {
    final Document doc;
    final Element root;
    /** Tensor-like groups (tensor, sum, reshape, loop) and dots, by id, with their outline. */
    final Map<String, Shape> shapes = new LinkedHashMap<>();
    final Map<String, Element> groups = new LinkedHashMap<>();
    final List<Line> lines = new ArrayList<>();
    final List<Label> labels = new ArrayList<>();
    final List<Bubble> bubbles = new ArrayList<>();

    /** A leg's line; {@code enclosing}: the tensor groups (a sum's box) it is drawn inside. */
    record Line(String leg, String from, String to, List<Point2D> points, Element term, List<String> enclosing) {
        Point2D start() { return points.get(0); }

        Point2D end() { return points.get(points.size() - 1); }
    }

    /** A text that is not a tensor's name; {@code enclosing}: the tensor groups it is drawn inside. */
    record Label(String cls, String text, Rectangle2D box, List<String> enclosing) {}

    /** For each shape: the tensor groups it is drawn inside (a sum's box holds its terms), outermost first. */
    final Map<String, List<String>> enclosing = new LinkedHashMap<>();

    record Bubble(String id, Rectangle2D outline, List<String> contains, List<String> enclosing) {}

    Svg(String text) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setExpandEntityReferences(false);
        DocumentBuilder b = f.newDocumentBuilder();
        doc = b.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        root = doc.getDocumentElement();
        walk(root, null, List.of());
    }

    private static boolean tensorLike(String cls) {
        return cls.equals("tensor") || cls.equals("ellipsis") || cls.equals("sum") || cls.equals("reshape") || cls.equals("loop") || cls.equals("block") || cls.equals("residual");
    }

    private void walk(Element e, Element term, List<String> outer) {
        String cls = e.getAttribute("class");
        if (e.getTagName().equals("g") && cls.equals("term")) term = e;
        if (e.getTagName().equals("g") && !e.getAttribute("id").isEmpty()) groups.put(e.getAttribute("id"), e);
        if (e.getTagName().equals("g") && (tensorLike(cls) || cls.equals("dot"))) {
            for (Element c : children(e)) {
                if (c.getAttribute("class").equals("shape")) {
                    shapes.put(e.getAttribute("id"), shape(c));
                    enclosing.put(e.getAttribute("id"), outer);
                }
            }
        }
        List<String> inside = outer;
        if (e.getTagName().equals("g") && tensorLike(cls)) {
            inside = new ArrayList<>(outer);
            inside.add(e.getAttribute("id"));
        }
        if (e.getTagName().equals("g") && cls.equals("bubble")) {
            Element rect = children(e).stream().filter(c -> c.getTagName().equals("rect")).findFirst().get();
            String contains = e.getAttribute("data-contains");
            bubbles.add(new Bubble(e.getAttribute("id"), rect(rect).getBounds2D(),
                    contains.isEmpty() ? List.of() : List.of(contains.split(" ")), outer));
        }
        if (e.getTagName().equals("path") && cls.equals("line")) {
            Element leg = (Element) e.getParentNode();
            lines.add(new Line(leg.getAttribute("id"), e.getAttribute("data-from"), e.getAttribute("data-to"), points(e.getAttribute("d")), term, outer));
        }
        if (e.getTagName().equals("text") && !cls.equals("name")) labels.add(new Label(cls, e.getTextContent(), textBox(e), outer));
        for (Element c : children(e)) walk(c, term, inside);
    }

    static List<Element> children(Element e) {
        List<Element> out = new ArrayList<>();
        NodeList kids = e.getChildNodes();
        for (int k = 0; k < kids.getLength(); k++) {
            if (kids.item(k).getNodeType() == Node.ELEMENT_NODE) out.add((Element) kids.item(k));
        }
        return out;
    }

    static double num(Element e, String attr) {
        return Double.parseDouble(e.getAttribute(attr));
    }

    static Shape shape(Element e) {
        return switch (e.getTagName()) {
            case "circle" -> {
                double cx = num(e, "cx"), cy = num(e, "cy"), r = num(e, "r");
                yield new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r);
            }
            case "rect" -> rect(e);
            case "polygon" -> {
                Path2D.Double p = new Path2D.Double();
                String[] pts = e.getAttribute("points").trim().split("\\s+");
                for (int k = 0; k < pts.length; k++) {
                    String[] xy = pts[k].split(",");
                    if (k == 0) p.moveTo(Double.parseDouble(xy[0]), Double.parseDouble(xy[1]));
                    else p.lineTo(Double.parseDouble(xy[0]), Double.parseDouble(xy[1]));
                }
                p.closePath();
                yield p;
            }
            default -> throw new IllegalArgumentException("not a shape: " + e.getTagName());
        };
    }

    static Shape rect(Element e) {
        double rx = e.hasAttribute("rx") ? num(e, "rx") : 0;
        return new RoundRectangle2D.Double(num(e, "x"), num(e, "y"), num(e, "width"), num(e, "height"), 2 * rx, 2 * rx);
    }

    private static final Pattern POINT = Pattern.compile("(-?[0-9.]+),(-?[0-9.]+)");

    /** The path's points (curves sampled): M, L and C commands with absolute coordinates. */
    static List<Point2D> points(String d) {
        List<Point2D> raw = new ArrayList<>();
        List<Character> ops = new ArrayList<>();
        for (String tok : d.trim().split("\\s+")) {
            char op = Character.isLetter(tok.charAt(0)) ? tok.charAt(0) : ' ';
            Matcher m = POINT.matcher(tok);
            if (!m.find()) throw new IllegalArgumentException("bad path token " + tok);
            raw.add(new Point2D.Double(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))));
            ops.add(op);
        }
        List<Point2D> out = new ArrayList<>();
        for (int k = 0; k < raw.size(); k++) {
            char op = ops.get(k);
            if (op == 'M' || op == 'L') out.add(raw.get(k));
            else if (op == 'C') {
                Point2D p0 = out.get(out.size() - 1), c1 = raw.get(k), c2 = raw.get(k + 1), p3 = raw.get(k + 2);
                for (int s = 1; s <= 24; s++) {
                    double t = s / 24.0, u = 1 - t;
                    out.add(new Point2D.Double(
                            u * u * u * p0.getX() + 3 * u * u * t * c1.getX() + 3 * u * t * t * c2.getX() + t * t * t * p3.getX(),
                            u * u * u * p0.getY() + 3 * u * u * t * c1.getY() + 3 * u * t * t * c2.getY() + t * t * t * p3.getY()));
                }
                k += 2;
            }
        }
        return out;
    }

    /** The box a text occupies, from the same width table the layout uses. */
    static Rectangle2D textBox(Element e) {
        double size = num(e, "font-size");
        String anchor = e.hasAttribute("text-anchor") ? e.getAttribute("text-anchor") : "start";
        double w = TextMetrics.width(e.getTextContent(), size);
        double x = num(e, "x"), y = num(e, "y");
        double x0 = anchor.equals("middle") ? x - w / 2 : anchor.equals("end") ? x - w : x;
        return new Rectangle2D.Double(x0, y - size * 0.93, w, TextMetrics.height(size));
    }

    /** Whether two shapes share area. */
    static boolean overlap(Shape a, Shape b) {
        Area x = new Area(a);
        x.intersect(new Area(b));
        return !x.isEmpty() && x.getBounds2D().getWidth() > 0.05 && x.getBounds2D().getHeight() > 0.05;
    }

    /** The distance from p to the shape's outline. */
    static double distanceToOutline(Shape s, Point2D p) {
        double best = Double.POSITIVE_INFINITY;
        double[] c = new double[6];
        double sx = 0, sy = 0, px = 0, py = 0;
        for (PathIterator it = s.getPathIterator(null, 0.02); !it.isDone(); it.next()) {
            int type = it.currentSegment(c);
            if (type == PathIterator.SEG_MOVETO) {
                sx = px = c[0];
                sy = py = c[1];
            } else if (type == PathIterator.SEG_LINETO) {
                best = Math.min(best, segmentDistance(p, px, py, c[0], c[1]));
                px = c[0];
                py = c[1];
            } else if (type == PathIterator.SEG_CLOSE) {
                best = Math.min(best, segmentDistance(p, px, py, sx, sy));
                px = sx;
                py = sy;
            }
        }
        return best;
    }

    private static double segmentDistance(Point2D p, double ax, double ay, double bx, double by) {
        double dx = bx - ax, dy = by - ay;
        double len2 = dx * dx + dy * dy;
        double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((p.getX() - ax) * dx + (p.getY() - ay) * dy) / len2));
        return Math.hypot(p.getX() - ax - t * dx, p.getY() - ay - t * dy);
    }
}
