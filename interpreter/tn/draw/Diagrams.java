package tn.draw;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tn.net.Net;

/**
 * Draws networks: {@link #svg} and {@link #png} of any {@code Net}, without evaluating it. A sum
 * is drawn as its terms in a row with + and − signs and scale factors, each term its own diagram;
 * anything else as one diagram (see {@link ModelBuilder}, {@link Layout}, {@link Router}).
 */
public final class Diagrams {
    private Diagrams() {}

    static final double TERM_GAP = 18;

    /** The SVG document of {@code net}; {@code title} goes into its {@code <title>}. */
    public static String svg(Net net, String title, DrawOptions options) {
        return SvgWriter.write(scene(net, title, options));
    }

    /** The PNG image of {@code net} (Java2D painting the same display list as the SVG). */
    public static byte[] png(Net net, String title, DrawOptions options) {
        return PngRenderer.png(scene(net, title, options));
    }

    /** The display list of {@code net}; IllegalArgumentException when {@code options.expand()} names no block of it. */
    public static Scene scene(Net net, String title, DrawOptions options) {
        String wrong = Stream.check(net, options.expand());
        if (wrong != null) throw new IllegalArgumentException(wrong);
        Scene scene = new Scene(title);
        scene.elements.addAll(elements(net, options, new Ids()));
        return scene;
    }

    /** The drawing of {@code net}, its ids made unique with {@code ids}. */
    static List<Scene.Element> elements(Net net, DrawOptions options, Ids ids) {
        return elements(net, options, ids, Map.of());
    }

    /** ... with free legs pointing in these directions (by leg name) where they can. */
    static List<Scene.Element> elements(Net net, DrawOptions options, Ids ids, Map<String, Double> preferred) {
        List<Scene.Element> out = new ArrayList<>();
        Stream stream = Stream.find(net);
        if (stream != null) return new StreamDrawing(stream, options, ids).draw();
        if (!(net instanceof Net.Sum)) {
            out.addAll(new Router(model(net, options), options, ids, preferred).route());
            return out;
        }
        List<Net> terms = new ArrayList<>();
        List<Double> coefficients = new ArrayList<>();
        flatten(net, 1, terms, coefficients);
        double cursor = 0;
        Map<String, Double> directions = new LinkedHashMap<>(preferred);
        for (int k = 0; k < terms.size(); k++) {
            Model m = model(terms.get(k), options);
            double c = coefficients.get(k) * m.root.coefficient;
            m.root.coefficient = 1;
            Router router = new Router(m, options, ids, directions);
            List<Scene.Element> parts = router.route();
            router.freeDirections().forEach(directions::putIfAbsent);
            double axis = router.freeLegHeight();
            Box b = Box.EMPTY;
            for (Scene.Element e : parts) b = b.union(Scene.bounds(e));
            if (b.isEmpty()) b = new Box(0, 0, 0, 0);
            // the sign (and scale factor) before the term
            String sign = c < 0 ? "\u2212" : k > 0 ? "+" : null;
            if (sign != null) {
                double w = TextMetrics.width(sign, Glyphs.OPERATOR_SIZE);
                double x = k == 0 ? cursor : cursor + TERM_GAP;
                Scene.Group op = new Scene.Group(ids.numbered("operator"), "operator").data("value", c < 0 ? "-" : "+");
                op.add(new Scene.Text(new Vec(x + w / 2, TextMetrics.baselineOffset(Glyphs.OPERATOR_SIZE)), sign,
                        Glyphs.OPERATOR_SIZE, "middle", false, Glyphs.INK, "sign"));
                out.add(op);
                cursor = x + w;
            }
            if (Math.abs(c) != 1) {
                String s = Numbers.format(Math.abs(c));
                double w = TextMetrics.width(s, Glyphs.SCALAR_SIZE);
                double x = cursor + (sign != null ? 10 : 0);
                Scene.Group g = new Scene.Group(ids.numbered("scalar"), "scalar").data("value", Numbers.format(c));
                g.add(new Scene.Text(new Vec(x, TextMetrics.baselineOffset(Glyphs.SCALAR_SIZE)), s, Glyphs.SCALAR_SIZE,
                        "start", false, Glyphs.INK, "value"));
                out.add(g);
                cursor = x + w;
            }
            double x0 = cursor + (k == 0 && sign == null && Math.abs(c) == 1 ? 0 : TERM_GAP);
            // terms line up on their open legs (on their middles when they have none)
            double dx = x0 - b.x0(), dy = Double.isNaN(axis) ? -b.centre().y() : -axis;
            Scene.Group term = new Scene.Group(ids.numbered("term"), "term");
            for (Scene.Element e : parts) term.add(Scene.translate(e, dx, dy));
            out.add(term);
            cursor = x0 + b.width();
        }
        return out;
    }

    /** Terms of nested sums, with their coefficients multiplied out. */
    private static void flatten(Net net, double c, List<Net> terms, List<Double> coefficients) {
        if (net instanceof Net.Sum s) {
            double[] cs = s.coefficients();
            for (int k = 0; k < cs.length; k++) flatten(s.terms().get(k), c * cs[k], terms, coefficients);
        } else {
            terms.add(net);
            coefficients.add(c);
        }
    }

    private static Model model(Net net, DrawOptions options) {
        Model m = new ModelBuilder(options.rule()).build(net);
        for (Model.Node n : m.nodes) {
            if (n.sum != null) n.inner = aroundAxis(elements(n.sum, options, new Ids()));
        }
        new Layout(options.mode(), options.seed()).layout(m);
        return m;
    }

    /** The box of a sum's drawing, made symmetric about y = 0 (the height its terms' open legs are at). */
    static Box aroundAxis(List<Scene.Element> elements) {
        Box b = bounds(elements);
        double h = Math.max(-b.y0(), b.y1());
        return new Box(b.x0(), -h, b.x1(), h);
    }

    static Box bounds(List<Scene.Element> elements) {
        Box b = Box.EMPTY;
        for (Scene.Element e : elements) b = b.union(Scene.bounds(e));
        return b.isEmpty() ? new Box(0, 0, 0, 0) : b;
    }
}
