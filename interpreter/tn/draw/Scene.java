package tn.draw;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A finished diagram as a display list: nested groups of circles, rectangles, polygons, paths and
 * text, in paint order, with absolute coordinates. {@link SvgWriter} writes it as SVG and
 * {@link PngRenderer} paints the same list on a Java2D {@code Graphics2D}.
 */
public final class Scene {
    /** Fill and stroke of a shape; {@code fill} or {@code stroke} null means none. */
    record Style(String fill, String stroke, double strokeWidth) {
        static Style fill(String colour) { return new Style(colour, null, 0); }

        static Style stroke(String colour, double width) { return new Style(null, colour, width); }
    }

    sealed interface Element permits Group, Circle, Rect, Polygon, Path, Text, VerticalText {}

    /** A {@code <g>}: an id, a class, data attributes and its children. */
    record Group(String id, String cls, Map<String, String> data, List<Element> children) implements Element {
        Group(String id, String cls) {
            this(id, cls, new LinkedHashMap<>(), new ArrayList<>());
        }

        Group add(Element e) {
            children.add(e);
            return this;
        }

        Group data(String key, String value) {
            data.put(key, value);
            return this;
        }
    }

    record Circle(Vec centre, double r, String cls, Style style) implements Element {}

    record Rect(Box box, double rx, String cls, Style style) implements Element {}

    record Polygon(List<Vec> points, String cls, Style style) implements Element {}

    /** A path: moves, lines and cubic curves; {@code data} holds attributes such as the ends' ids. */
    record Path(List<Seg> segments, String cls, Style style, Map<String, String> data) implements Element {}

    /** One path command: 'M' or 'L' (to p3), 'C' (controls p1, p2, to p3). */
    record Seg(char op, Vec p1, Vec p2, Vec p3) {
        static Seg move(Vec p) { return new Seg('M', null, null, p); }

        static Seg line(Vec p) { return new Seg('L', null, null, p); }

        static Seg curve(Vec c1, Vec c2, Vec p) { return new Seg('C', c1, c2, p); }
    }

    /** Text centred at x when anchor is "middle" (or starting/ending there), baseline at y. */
    record Text(Vec at, String text, double size, String anchor, boolean italic, String fill, String cls) implements Element {
        Box bounds() {
            double w = TextMetrics.width(text, size);
            double x0 = switch (anchor) {
                case "middle" -> at.x() - w / 2;
                case "end" -> at.x() - w;
                default -> at.x();
            };
            double top = at.y() - size * 0.93;
            return new Box(x0, top, x0 + w, top + TextMetrics.height(size));
        }
    }

    /** Text turned a quarter anticlockwise (read bottom to top), starting at {@code at} (its baseline's start). */
    record VerticalText(Vec at, String text, double size, String fill, String cls) implements Element {
        Box bounds() {
            double w = TextMetrics.width(text, size), h = TextMetrics.height(size);
            return new Box(at.x() - h * 0.93, at.y() - w, at.x() + h * 0.07, at.y());
        }
    }

    final String title;
    final List<Element> elements = new ArrayList<>();

    Scene(String title) {
        this.title = title;
    }

    /** The box around everything drawn. */
    Box bounds() {
        Box b = Box.EMPTY;
        for (Element e : elements) b = b.union(bounds(e));
        return b;
    }

    static Box bounds(Element e) {
        if (e instanceof Group g) {
            Box b = Box.EMPTY;
            for (Element c : g.children()) b = b.union(bounds(c));
            return b;
        }
        if (e instanceof Circle c) return Box.around(c.centre(), c.r(), c.r()).grow(c.style().strokeWidth() / 2);
        if (e instanceof Rect r) return r.box().grow(r.style().strokeWidth() / 2);
        if (e instanceof Polygon p) {
            Box b = Box.EMPTY;
            for (Vec v : p.points()) b = b.include(v);
            return b.grow(p.style().strokeWidth() / 2);
        }
        if (e instanceof Path p) {
            Box b = Box.EMPTY;
            for (Seg s : p.segments()) {
                b = b.include(s.p3());
                if (s.p1() != null) b = b.include(s.p1()).include(s.p2());
            }
            return b.grow(p.style().strokeWidth() / 2);
        }
        if (e instanceof VerticalText v) return v.bounds();
        return ((Text) e).bounds();
    }

    /** Moves everything by (dx, dy). */
    static Element translate(Element e, double dx, double dy) {
        Vec d = new Vec(dx, dy);
        if (e instanceof Group g) {
            List<Element> kids = new ArrayList<>();
            for (Element c : g.children()) kids.add(translate(c, dx, dy));
            return new Group(g.id(), g.cls(), g.data(), kids);
        }
        if (e instanceof Circle c) return new Circle(c.centre().plus(d), c.r(), c.cls(), c.style());
        if (e instanceof Rect r) return new Rect(r.box().translate(dx, dy), r.rx(), r.cls(), r.style());
        if (e instanceof Polygon p) return new Polygon(p.points().stream().map(v -> v.plus(d)).toList(), p.cls(), p.style());
        if (e instanceof Path p) {
            List<Seg> segs = new ArrayList<>();
            for (Seg s : p.segments()) {
                segs.add(new Seg(s.op(), s.p1() == null ? null : s.p1().plus(d), s.p2() == null ? null : s.p2().plus(d), s.p3().plus(d)));
            }
            return new Path(segs, p.cls(), p.style(), p.data());
        }
        if (e instanceof VerticalText v) return new VerticalText(v.at().plus(d), v.text(), v.size(), v.fill(), v.cls());
        Text t = (Text) e;
        return new Text(t.at().plus(d), t.text(), t.size(), t.anchor(), t.italic(), t.fill(), t.cls());
    }
}
