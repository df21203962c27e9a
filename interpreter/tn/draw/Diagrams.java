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
        wrong = checkBoxed(net, options.boxed());
        if (wrong != null) throw new IllegalArgumentException(wrong);
        Scene scene = new Scene(title);
        boolean outermost = SUM_BOXES.get() == null;
        if (outermost) SUM_BOXES.set(new java.util.IdentityHashMap<>());
        try {
            scene.elements.addAll(elements(net, options, new Ids()));
        } finally {
            if (outermost) SUM_BOXES.remove();
        }
        return scene;
    }

    /**
     * The boxes of the sums drawn inside this drawing, by sum and the directions its legs were
     * asked to point: each is drawn to measure it once per drawing, not again at every level of a
     * sum inside a product inside a sum (A1 of examples/induction_training.tn took 25 s, each
     * level's sums drawn six times over). The options are the drawing's throughout.
     */
    private static final ThreadLocal<Map<Net, Map<Map<String, Double>, Box>>> SUM_BOXES = new ThreadLocal<>();

    /** The box of {@code sum}'s drawing with its free legs pointing {@code towards} where they can (see {@link #aroundAxis}). */
    static Box sumBox(Net sum, DrawOptions options, Map<String, Double> towards) {
        Map<Net, Map<Map<String, Double>, Box>> cache = SUM_BOXES.get();
        if (cache == null) return aroundAxis(elements(sum, options, new Ids(), towards));
        Map<Map<String, Double>, Box> bySum = cache.get(sum);
        Box b = bySum == null ? null : bySum.get(towards);
        if (b != null) return b;
        b = aroundAxis(elements(sum, options, new Ids(), towards));
        cache.computeIfAbsent(sum, k -> new java.util.HashMap<>()).put(Map.copyOf(towards), b);
        return b;
    }

    /** Why {@code boxed} cannot be done on {@code net} (a name that is no named intermediate of it), or null. */
    static String checkBoxed(Net net, java.util.Set<String> boxed) {
        List<String> named = boxed.stream().filter(b -> !b.equals(DrawOptions.ALL_NAMED)).sorted().toList();
        if (named.isEmpty()) return null;
        java.util.Set<String> known = ModelBuilder.namedIntermediates(net);
        List<String> unknown = named.stream().filter(b -> !known.contains(b)).toList();
        if (unknown.isEmpty()) return null;
        return "boxes= names " + String.join(", ", unknown) + ", which " + (unknown.size() == 1 ? "is" : "are")
                + " not a named intermediate of this network (" + (known.isEmpty() ? "it has none: its networks are all inline"
                        : "its named intermediates: " + String.join(", ", known)) + ")";
    }

    /** The drawing of {@code net}, its ids made unique with {@code ids}. */
    static List<Scene.Element> elements(Net net, DrawOptions options, Ids ids) {
        return elements(net, options, ids, Map.of());
    }

    /** ... with free legs pointing in these directions (by leg name) where they can. */
    static List<Scene.Element> elements(Net net, DrawOptions options, Ids ids, Map<String, Double> preferred) {
        List<Scene.Element> out = new ArrayList<>();
        Stream stream = Stream.find(net);
        if (stream != null) {
            if (options.ellipsis() > 0) throw Ellipsis.notAChain("it is a residual stream (a transformer), drawn as its blocks");
            return new StreamDrawing(stream, options, ids).draw();
        }
        if (!(net instanceof Net.Sum)) {
            out.addAll(new Router(model(net, options, false), options, ids, preferred).route());
            return out;
        }
        List<Net> terms = new ArrayList<>();
        List<Double> coefficients = new ArrayList<>();
        flatten(net, 1, terms, coefficients);
        double cursor = 0;
        // Each leg points the way it points in the term whose drawing is the most rigid (the most
        // open legs on one connected part: a chain W X has j and batch at its two ends, while
        // b and a ones-dot are free to turn); the parts of every term are mirrored to follow.
        List<Map<Model.Edge, Double>> angles = new ArrayList<>();
        List<Model> first = new ArrayList<>();
        int reference = 0, most = -1;
        for (int k = 0; k < terms.size(); k++) {
            Model m = model(terms.get(k), options, true);
            // free to point its legs as its layout suggests: mirrorParts turns the term by them
            Router r = new Router(m, options, new Ids(), preferred, false);
            r.route();
            angles.add(r.freeAngles());
            first.add(m);
            int rigid = mostFreeLegsOnOnePart(m);
            if (rigid > most) {
                most = rigid;
                reference = k;
            }
        }
        Map<String, Double> directions = new LinkedHashMap<>(preferred);
        for (Map.Entry<Model.Edge, Double> e : angles.get(reference).entrySet()) {
            if (e.getKey().b instanceof Model.Free f) directions.putIfAbsent(f.label(), e.getValue());
        }
        for (int k = 0; k < terms.size(); k++) {
            Model m = model(terms.get(k), options, true);
            double c = coefficients.get(k) * m.root.coefficient;
            String written = Math.abs(coefficients.get(k)) == 1 ? WrittenScalar.magnitude(m.root.written) : null;
            m.root.coefficient = 1;
            mirrorParts(m, first.get(k), angles.get(k), directions);
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
                String s = written != null ? written : Numbers.format(Math.abs(c));
                double w = TextMetrics.width(s, Glyphs.SCALAR_SIZE);
                double x = cursor + (sign != null ? 10 : 0);
                Scene.Group g = new Scene.Group(ids.numbered("scalar"), "scalar").data("value", Numbers.format(c));
                if (written != null) g.data("written", written);
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

    /** Connected parts of a model's nodes (joined by lines), as a part number per node index. */
    static int[] parts(Model m) {
        int[] p = new int[m.nodes.size()];
        for (int k = 0; k < p.length; k++) p[k] = k;
        for (Model.Edge e : m.edges) {
            Model.Node b = e.other();
            if (b == null) continue;
            int x = root(p, e.a.node().index), y = root(p, b.index);
            if (x != y) p[Math.max(x, y)] = Math.min(x, y);
        }
        for (int k = 0; k < p.length; k++) p[k] = root(p, k);
        return p;
    }

    private static int root(int[] p, int x) {
        while (p[x] != x) x = p[x] = p[p[x]];
        return x;
    }

    private static int mostFreeLegsOnOnePart(Model m) {
        int[] part = parts(m);
        Map<Integer, Integer> free = new LinkedHashMap<>();
        for (Model.Edge e : m.edges) if (e.b instanceof Model.Free) free.merge(part[e.a.node().index], 1, Integer::sum);
        return free.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    }

    /**
     * Mirrors each connected part of {@code m} (left-right and/or up-down, about the part's centre)
     * so that its open legs point most nearly the {@code wanted} ways, judged by where they pointed
     * in {@code drawn} (the same term laid out and routed once already, {@code got} its angles) and
     * by where their tensors are in the part: a leg wanted down from a tensor at the part's top
     * runs back across its term (the scores of examples/draw_attention_head.tn, pos and key both
     * right at first, were wanted down and up: only the tensors' places tell which flip serves).
     * A part a bubble shares with another part is left as it is.
     */
    static void mirrorParts(Model m, Model drawn, Map<Model.Edge, Double> got, Map<String, Double> wanted) {
        int[] part = parts(m);
        Map<Integer, int[]> flips = new LinkedHashMap<>();
        Map<Integer, List<double[]>> legs = new LinkedHashMap<>();
        Map<Integer, Box> extents = new LinkedHashMap<>();
        for (Model.Node n : drawn.nodes) extents.merge(part[n.index], Box.around(n.at(), 0, 0), Box::union);
        for (Map.Entry<Model.Edge, Double> e : got.entrySet()) {
            if (!(e.getKey().b instanceof Model.Free free)) continue;
            Double w = wanted.get(free.label());
            if (w == null) continue;
            Model.Node n = e.getKey().a.node();
            int p = part[n.index];
            // where the leg's tensor is in its part, from -1 (left, top) to 1 (right, bottom)
            Box b = extents.get(p);
            double sx = b.width() < 1 ? 0 : (n.x - b.centre().x()) / (b.width() / 2);
            double sy = b.height() < 1 ? 0 : (n.y - b.centre().y()) / (b.height() / 2);
            legs.computeIfAbsent(p, k -> new ArrayList<>()).add(new double[] {e.getValue(), w, sx, sy});
        }
        for (Map.Entry<Integer, List<double[]>> p : legs.entrySet()) {
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int flip = 0; flip < 4; flip++) {
                double sx = (flip & 1) != 0 ? -1 : 1, sy = (flip & 2) != 0 ? -1 : 1;
                double score = 0, side = 0;
                for (double[] a : p.getValue()) {
                    score += Math.cos(a[0]) * sx * Math.cos(a[1]) + Math.sin(a[0]) * sy * Math.sin(a[1]);
                    side += a[2] * sx * Math.cos(a[1]) + a[3] * sy * Math.sin(a[1]);
                }
                score += side;
                if (score > bestScore + 1e-6) {
                    bestScore = score;
                    best = flip;
                }
            }
            if (best != 0) flips.put(p.getKey(), new int[] {best});
        }
        if (flips.isEmpty()) return;
        for (Model.Scope s : m.scopes()) {
            if (!s.isBubble()) continue;
            java.util.Set<Integer> in = new java.util.HashSet<>();
            for (Model.Node n : s.allNodes()) in.add(part[n.index]);
            if (in.size() > 1) in.forEach(flips::remove);
        }
        for (Map.Entry<Integer, int[]> f : flips.entrySet()) {
            Box b = Box.EMPTY;
            for (Model.Node n : m.nodes) if (part[n.index] == f.getKey()) b = b.union(Glyphs.box(n));
            double cx = b.centre().x(), cy = b.centre().y();
            boolean fx = (f.getValue()[0] & 1) != 0, fy = (f.getValue()[0] & 2) != 0;
            for (Model.Node n : m.nodes) {
                if (part[n.index] != f.getKey()) continue;
                if (fx) n.x = 2 * cx - n.x;
                if (fy) n.y = 2 * cy - n.y;
            }
            for (Model.Scope s : m.scopes()) {
                if (!s.isBubble() || s.area == null || s.allNodes().isEmpty() || part[s.allNodes().get(0).index] != f.getKey()) continue;
                Box a = s.area;
                double x0 = fx ? 2 * cx - a.x1() : a.x0(), x1 = fx ? 2 * cx - a.x0() : a.x1();
                double y0 = fy ? 2 * cy - a.y1() : a.y0(), y1 = fy ? 2 * cy - a.y0() : a.y1();
                s.area = new Box(x0, y0, x1, y1);
            }
        }
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

    /** The laid-out model of {@code net}; {@code term}: it is a term of the sum being drawn, so boxes= may box it whole. */
    private static Model model(Net net, DrawOptions options, boolean term) {
        Model m = new ModelBuilder(options).build(net, term);
        if (options.ellipsis() > 0) Ellipsis.abbreviate(m, options.ellipsis());
        for (Model.Node n : m.nodes) {
            if (n.sum != null) n.inner = sumBox(n.sum, options, Map.of());
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
