package tn.draw;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a {@link Scene} as a TikZ picture for LaTeX documents ({@code tn draw FILE -o fig.tex}):
 * the same display list as {@link SvgWriter}, so the same layout. Coordinates are the SVG's, in
 * units of 0.75 pt (one SVG pixel) with y pointing down ({@code x=0.75pt, y=-0.75pt}); lengths
 * (line widths, radii, font sizes) are written in pt. Each group of the SVG is a {@code scope}
 * with a comment naming its id and class, colours are defined once at the top (in order of first
 * use), numbers have at most two decimals: the same scene gives the same bytes. Needs
 * {@code \\usepackage{tikz}} (xcolor comes with it); text outside ASCII other than the few symbols
 * mapped here (superscript digits, minus, Greek capitals) needs a Unicode engine (LuaLaTeX, XeLaTeX).
 */
public final class TikzWriter {
    private TikzWriter() {}

    /** One SVG pixel in pt. */
    static final double PT = 0.75;

    public static String write(Scene scene) {
        Map<String, String> colours = new LinkedHashMap<>();
        StringBuilder body = new StringBuilder();
        for (Scene.Element e : scene.elements) element(body, e, 1, colours);
        StringBuilder sb = new StringBuilder();
        sb.append("% ").append(comment(scene.title)).append(": drawn by tn draw (needs \\usepackage{tikz})\n");
        sb.append("\\begin{tikzpicture}[x=").append(PT).append("pt, y=-").append(PT).append("pt, line cap=round, line join=round]\n");
        for (Map.Entry<String, String> c : colours.entrySet()) {
            sb.append("  \\definecolor{").append(c.getValue()).append("}{HTML}{").append(c.getKey().substring(1).toUpperCase(java.util.Locale.ROOT))
                    .append("}\n");
        }
        sb.append(body);
        sb.append("\\end{tikzpicture}\n");
        return sb.toString();
    }

    private static void element(StringBuilder sb, Scene.Element e, int depth, Map<String, String> colours) {
        String pad = "  ".repeat(depth);
        if (e instanceof Scene.Group g) {
            sb.append(pad).append("\\begin{scope} % ");
            if (g.id() != null) sb.append('#').append(comment(g.id())).append(' ');
            if (g.cls() != null) sb.append('.').append(comment(g.cls()));
            sb.append('\n');
            for (Scene.Element c : g.children()) element(sb, c, depth + 1, colours);
            sb.append(pad).append("\\end{scope}\n");
        } else if (e instanceof Scene.Circle c) {
            draw(sb, pad, c.style(), null, colours)
                    .append(pt(c.centre())).append(" circle[radius=").append(len(c.r())).append("];\n");
        } else if (e instanceof Scene.Rect r) {
            String corners = r.rx() > 0 ? "rounded corners=" + len(Math.min(r.rx(), Math.min(r.box().width(), r.box().height()) / 2)) : null;
            draw(sb, pad, r.style(), corners, colours).append(pt(new Vec(r.box().x0(), r.box().y0()))).append(" rectangle ")
                    .append(pt(new Vec(r.box().x1(), r.box().y1()))).append(";\n");
        } else if (e instanceof Scene.Polygon p) {
            draw(sb, pad, p.style(), null, colours);
            for (Vec v : p.points()) sb.append(pt(v)).append(" -- ");
            sb.append("cycle;\n");
        } else if (e instanceof Scene.Path p) {
            draw(sb, pad, p.style(), null, colours);
            boolean first = true;
            for (Scene.Seg s : p.segments()) {
                if (s.op() == 'M') sb.append(first ? "" : " ").append(pt(s.p3()));
                else if (s.op() == 'L') sb.append(" -- ").append(pt(s.p3()));
                else sb.append(" .. controls ").append(pt(s.p1())).append(" and ").append(pt(s.p2())).append(" .. ").append(pt(s.p3()));
                first = false;
            }
            sb.append(";\n");
        } else if (e instanceof Scene.VerticalText v) {
            sb.append(pad).append("\\node[rotate=90, anchor=base west, inner sep=0pt, text=").append(colour(v.fill(), colours))
                    .append(", font=").append(font(v.size(), false)).append("] at ").append(pt(v.at())).append(" {")
                    .append(escape(v.text())).append("};\n");
        } else {
            Scene.Text t = (Scene.Text) e;
            String anchor = switch (t.anchor()) {
                case "middle" -> "base";
                case "end" -> "base east";
                default -> "base west";
            };
            sb.append(pad).append("\\node[anchor=").append(anchor).append(", inner sep=0pt, text=").append(colour(t.fill(), colours))
                    .append(", font=").append(font(t.size(), t.italic())).append("] at ").append(pt(t.at())).append(" {")
                    .append(escape(t.text())).append("};\n");
        }
    }

    /** {@code \path[fill=.., draw=.., line width=..]} with the scene's style. */
    private static StringBuilder draw(StringBuilder sb, String pad, Scene.Style s, String extra, Map<String, String> colours) {
        sb.append(pad).append("\\path[");
        String sep = "";
        if (s.fill() != null) {
            sb.append("fill=").append(colour(s.fill(), colours));
            sep = ", ";
        }
        if (s.stroke() != null) {
            sb.append(sep).append("draw=").append(colour(s.stroke(), colours)).append(", line width=").append(len(s.strokeWidth()));
            sep = ", ";
        }
        if (extra != null) sb.append(sep).append(extra);
        return sb.append("] ");
    }

    private static String colour(String hex, Map<String, String> colours) {
        return colours.computeIfAbsent(hex.toLowerCase(java.util.Locale.ROOT), k -> "tn" + (char) ('A' + colours.size() % 26)
                + (colours.size() >= 26 ? String.valueOf(colours.size() / 26) : ""));
    }

    private static String font(double size, boolean italic) {
        return "{\\fontsize{" + len(size) + "}{" + len(size * 1.2) + "}\\selectfont\\sffamily" + (italic ? "\\itshape" : "") + "}";
    }

    private static String pt(Vec v) {
        return "(" + SvgWriter.num(v.x()) + "," + SvgWriter.num(v.y()) + ")";
    }

    /** A length of {@code px} SVG pixels, in pt. */
    private static String len(double px) {
        return SvgWriter.num(px * PT) + "pt";
    }

    /** A comment's text: on one line, without characters that would end it early. */
    private static String comment(String s) {
        return s.replaceAll("[\\r\\n]+", " ");
    }

    /** Text for LaTeX: its special characters escaped, a few common symbols as math. */
    static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            switch (c) {
                case '\\' -> sb.append("\\textbackslash{}");
                case '{', '}', '$', '&', '#', '%', '_' -> sb.append('\\').append(c);
                case '^' -> sb.append("\\^{}");
                case '~' -> sb.append("\\~{}");
                case '\'' -> sb.append("$'$");
                case '\u2212' -> sb.append("$-$");
                case '\u03a3' -> sb.append("$\\Sigma$");
                case '\u25cb' -> sb.append("$\\circ$");
                case '\u00b7' -> sb.append("\\textperiodcentered{}");
                case '\u00b9' -> sb.append("\\textsuperscript{1}");
                case '\u00b2' -> sb.append("\\textsuperscript{2}");
                case '\u00b3' -> sb.append("\\textsuperscript{3}");
                default -> {
                    if (c >= '\u2070' && c <= '\u2079' && c != '\u2071' && c != '\u2072' && c != '\u2073') {
                        sb.append("\\textsuperscript{").append((char) ('0' + c - '\u2070')).append('}');
                    } else if (c == '\n' || c == '\r') {
                        sb.append(' ');
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
