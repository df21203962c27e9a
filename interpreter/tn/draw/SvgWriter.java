package tn.draw;

import java.util.Map;

/**
 * Writes a {@link Scene} as an SVG document meant to be edited: one {@code <g>} per tensor, leg
 * and bubble with an id and a class, text as {@code <text>} (centred with text-anchor, so an
 * edited name stays centred), presentation attributes on every element (no stylesheet) and a
 * viewBox fitted to the drawing. Numbers have at most two decimals, written without the locale;
 * every string from the script is XML-escaped.
 */
public final class SvgWriter {
    private SvgWriter() {}

    /** Margin around the drawing, in pixels. */
    static final double MARGIN = 12;

    public static String write(Scene scene) {
        Box b = scene.bounds();
        if (b.isEmpty()) b = new Box(0, 0, 1, 1);
        b = b.grow(MARGIN);
        double x = Math.floor(b.x0()), y = Math.floor(b.y0());
        double w = Math.ceil(b.x1()) - x, h = Math.ceil(b.y1()) - y;
        StringBuilder sb = new StringBuilder();
        sb.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" viewBox=\"")
                .append(num(x)).append(' ').append(num(y)).append(' ').append(num(w)).append(' ').append(num(h))
                .append("\" width=\"").append(num(w)).append("\" height=\"").append(num(h))
                .append("\" font-family=\"").append(TextMetrics.FONT_FAMILY).append("\">\n");
        sb.append("  <title>").append(escape(scene.title)).append("</title>\n");
        sb.append("  <rect id=\"background\" x=\"").append(num(x)).append("\" y=\"").append(num(y))
                .append("\" width=\"").append(num(w)).append("\" height=\"").append(num(h)).append("\" fill=\"#ffffff\"/>\n");
        for (Scene.Element e : scene.elements) element(sb, e, 1);
        sb.append("</svg>\n");
        return sb.toString();
    }

    private static void element(StringBuilder sb, Scene.Element e, int depth) {
        String pad = "  ".repeat(depth);
        if (e instanceof Scene.Group g) {
            sb.append(pad).append("<g");
            if (g.id() != null) attr(sb, "id", g.id());
            if (g.cls() != null) attr(sb, "class", g.cls());
            for (Map.Entry<String, String> d : g.data().entrySet()) attr(sb, "data-" + d.getKey(), d.getValue());
            sb.append(">\n");
            for (Scene.Element c : g.children()) element(sb, c, depth + 1);
            sb.append(pad).append("</g>\n");
        } else if (e instanceof Scene.Circle c) {
            sb.append(pad).append("<circle");
            cls(sb, c.cls());
            attr(sb, "cx", num(c.centre().x()));
            attr(sb, "cy", num(c.centre().y()));
            attr(sb, "r", num(c.r()));
            style(sb, c.style());
            sb.append("/>\n");
        } else if (e instanceof Scene.Rect r) {
            sb.append(pad).append("<rect");
            cls(sb, r.cls());
            attr(sb, "x", num(r.box().x0()));
            attr(sb, "y", num(r.box().y0()));
            attr(sb, "width", num(r.box().width()));
            attr(sb, "height", num(r.box().height()));
            if (r.rx() > 0) {
                attr(sb, "rx", num(r.rx()));
                attr(sb, "ry", num(r.rx()));
            }
            style(sb, r.style());
            sb.append("/>\n");
        } else if (e instanceof Scene.Polygon p) {
            sb.append(pad).append("<polygon");
            cls(sb, p.cls());
            StringBuilder pts = new StringBuilder();
            for (Vec v : p.points()) {
                if (pts.length() > 0) pts.append(' ');
                pts.append(num(v.x())).append(',').append(num(v.y()));
            }
            attr(sb, "points", pts.toString());
            style(sb, p.style());
            sb.append("/>\n");
        } else if (e instanceof Scene.Path p) {
            sb.append(pad).append("<path");
            cls(sb, p.cls());
            attr(sb, "d", pathData(p));
            style(sb, p.style());
            if (p.style().stroke() != null) attr(sb, "stroke-linecap", "round");
            for (Map.Entry<String, String> d : p.data().entrySet()) attr(sb, "data-" + d.getKey(), d.getValue());
            sb.append("/>\n");
        } else if (e instanceof Scene.VerticalText v) {
            sb.append(pad).append("<text");
            cls(sb, v.cls());
            attr(sb, "x", num(v.at().x()));
            attr(sb, "y", num(v.at().y()));
            attr(sb, "font-size", num(v.size()));
            attr(sb, "transform", "rotate(-90 " + num(v.at().x()) + " " + num(v.at().y()) + ")");
            attr(sb, "fill", v.fill());
            sb.append('>').append(escape(v.text())).append("</text>\n");
        } else {
            Scene.Text t = (Scene.Text) e;
            sb.append(pad).append("<text");
            cls(sb, t.cls());
            attr(sb, "x", num(t.at().x()));
            attr(sb, "y", num(t.at().y()));
            attr(sb, "font-size", num(t.size()));
            if (!t.anchor().equals("start")) attr(sb, "text-anchor", t.anchor());
            if (t.italic()) attr(sb, "font-style", "italic");
            attr(sb, "fill", t.fill());
            sb.append('>').append(escape(t.text())).append("</text>\n");
        }
    }

    static String pathData(Scene.Path p) {
        StringBuilder d = new StringBuilder();
        for (Scene.Seg s : p.segments()) {
            if (d.length() > 0) d.append(' ');
            d.append(s.op());
            if (s.op() == 'C') d.append(pt(s.p1())).append(' ').append(pt(s.p2())).append(' ');
            d.append(pt(s.p3()));
        }
        return d.toString();
    }

    private static String pt(Vec v) {
        return num(v.x()) + "," + num(v.y());
    }

    private static void cls(StringBuilder sb, String cls) {
        if (cls != null) attr(sb, "class", cls);
    }

    private static void style(StringBuilder sb, Scene.Style s) {
        attr(sb, "fill", s.fill() == null ? "none" : s.fill());
        if (s.stroke() != null) {
            attr(sb, "stroke", s.stroke());
            attr(sb, "stroke-width", num(s.strokeWidth()));
        }
    }

    private static void attr(StringBuilder sb, String name, String value) {
        sb.append(' ').append(name).append("=\"").append(escape(value)).append('"');
    }

    /** A number with at most two decimals, '.' as the separator, no exponent, no "-0". */
    static String num(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) throw new IllegalArgumentException("not a finite coordinate: " + v);
        long r = Math.round(v * 100);
        if (r == 0) return "0";
        StringBuilder sb = new StringBuilder();
        if (r < 0) {
            sb.append('-');
            r = -r;
        }
        sb.append(r / 100);
        long f = r % 100;
        if (f != 0) {
            sb.append('.').append((char) ('0' + f / 10));
            if (f % 10 != 0) sb.append((char) ('0' + f % 10));
        }
        return sb.toString();
    }

    /** Escapes text for XML content and attribute values; characters XML cannot hold become U+FFFD. */
    public static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&apos;");
                default -> {
                    boolean ok = c == '\t' || c == '\n' || c == '\r' || (c >= 0x20 && c != 0xFFFE && c != 0xFFFF);
                    sb.append(ok ? c : '\uFFFD');
                }
            }
        }
        return sb.toString();
    }
}
