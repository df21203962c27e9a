package tn.draw;

import java.util.ArrayList;
import java.util.List;

/**
 * Draws terms of a path expansion side by side: each term a small diagram of the components it
 * passes through, read from its name ("L1H2<-V-L0H3": head 3 of layer 0, whose output head 2 of
 * layer 1 reads through its V input; "L1<-{Q-L0, K-L0}" two inputs at once; "direct" none, drawn
 * as one box), left to right towards the output, each slot labelled on its line (exactly what the
 * name says: a component's other inputs, the direct path, are not drawn);
 * above it the term's name and its weight (the norm of its contribution). A name that is not of
 * that form is drawn as one box with the name.
 */
public final class PathTerms {
    private PathTerms() {}

    static final double BOX_H = 26, COLUMN_GAP = 34, ROW_GAP = 10, TERM_GAP = 36, HEAD = 40, OUT = 22;

    /** A component and the components it reads, each through a slot. */
    record Node(String label, List<String> slots, List<Node> inputs) {}

    /** One term: its name and weight. */
    public record Term(String name, double weight) {}

    public static String svg(List<Term> terms, String title) {
        return SvgWriter.write(scene(terms, title));
    }

    public static byte[] png(List<Term> terms, String title) {
        return PngRenderer.png(scene(terms, title));
    }

    public static String tex(List<Term> terms, String title) {
        return TikzWriter.write(scene(terms, title));
    }

    /** The display list of {@code terms} in a row, in the order given. */
    public static Scene scene(List<Term> terms, String title) {
        Scene scene = new Scene(title);
        Ids ids = new Ids();
        double x = 0;
        for (Term t : terms) {
            Scene.Group g = new Scene.Group(ids.of("term", t.name()), "term").data("name", t.name()).data("weight", Numbers.format(t.weight()));
            Node tree = parse(t.name());
            double w = Math.max(width(tree) + OUT, Math.max(TextMetrics.width(t.name(), Glyphs.BOX_SIZE), TextMetrics.width(weightText(t), Glyphs.LABEL_SIZE)));
            g.add(new Scene.Text(new Vec(x, 14), t.name(), Glyphs.BOX_SIZE, "start", false, Glyphs.INK, "title"));
            g.add(new Scene.Text(new Vec(x, 30), weightText(t), Glyphs.LABEL_SIZE, "start", true, Glyphs.LABEL_INK, "label"));
            Scene.Group legs = new Scene.Group(ids.numbered("legs"), "leg");
            List<Scene.Element> boxes = new ArrayList<>();
            double right = x + width(tree);
            String root = place(tree, right, HEAD, ids, legs, boxes);
            double cy = HEAD + height(tree) / 2;
            legs.add(line(root, "free", new Vec(right, cy), new Vec(right + OUT, cy)));
            g.add(legs);
            boxes.forEach(g::add);
            scene.elements.add(g);
            x += w + TERM_GAP;
        }
        return scene;
    }

    private static String weightText(Term t) {
        return "weight " + Numbers.format(t.weight());
    }

    /** The tree of a term's name; one box for a name not of the path form. */
    static Node parse(String name) {
        try {
            int[] at = {0};
            Node n = term(name, at);
            if (at[0] != name.length()) throw new IllegalArgumentException();
            return n;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return new Node(name, List.of(), List.of());
        }
    }

    private static Node term(String s, int[] at) {
        int b = at[0];
        while (at[0] < s.length() && !s.startsWith("<-", at[0]) && s.charAt(at[0]) != ',' && s.charAt(at[0]) != '}') at[0]++;
        String label = s.substring(b, at[0]);
        if (label.isEmpty()) throw new IllegalArgumentException();
        List<String> slots = new ArrayList<>();
        List<Node> inputs = new ArrayList<>();
        if (s.startsWith("<-{", at[0])) {
            at[0] += 3;
            do {
                piece(s, at, slots, inputs);
            } while (s.startsWith(", ", at[0]) && (at[0] += 2) > 0);
            if (s.charAt(at[0]++) != '}') throw new IllegalArgumentException();
        } else if (s.startsWith("<-", at[0])) {
            at[0] += 2;
            piece(s, at, slots, inputs);
        }
        return new Node(label, slots, inputs);
    }

    private static void piece(String s, int[] at, List<String> slots, List<Node> inputs) {
        int dash = s.indexOf('-', at[0]);
        if (dash < 0) throw new IllegalArgumentException();
        slots.add(s.substring(at[0], dash));
        at[0] = dash + 1;
        inputs.add(term(s, at));
    }

    private static double boxWidth(Node n) {
        return TextMetrics.width(n.label(), Glyphs.BOX_SIZE) + 18;
    }

    /** The width of a tree: its box, and its widest input with the gap between. */
    private static double width(Node n) {
        double w = 0;
        for (Node c : n.inputs()) w = Math.max(w, width(c));
        return boxWidth(n) + (n.inputs().isEmpty() ? 0 : w + COLUMN_GAP);
    }

    private static double height(Node n) {
        if (n.inputs().isEmpty()) return BOX_H;
        double h = -ROW_GAP;
        for (Node c : n.inputs()) h += height(c) + ROW_GAP;
        return Math.max(BOX_H, h);
    }

    /** Draws the tree with its box's right edge at {@code right} and its top at {@code top}; returns the box's id. */
    private static String place(Node n, double right, double top, Ids ids, Scene.Group legs, List<Scene.Element> boxes) {
        double h = height(n), cy = top + h / 2, bw = boxWidth(n);
        Box box = new Box(right - bw, cy - BOX_H / 2, right, cy + BOX_H / 2);
        String id = ids.of("component", n.label());
        Scene.Group g = new Scene.Group(id, "block").data("name", n.label());
        g.add(new Scene.Rect(box, 6, "shape", new Scene.Style(n.inputs().isEmpty() ? Glyphs.BOX_FILL : Glyphs.TENSOR_FILL, Glyphs.INK, 1.3)));
        g.add(new Scene.Text(new Vec(box.centre().x(), cy + TextMetrics.baselineOffset(Glyphs.BOX_SIZE)), n.label(), Glyphs.BOX_SIZE, "middle", false,
                Glyphs.INK, "title"));
        boxes.add(g);
        double stacked = -ROW_GAP;
        for (Node c : n.inputs()) stacked += height(c) + ROW_GAP;
        double y = top + (h - stacked) / 2;
        double childRight = box.x0() - COLUMN_GAP;
        for (int k = 0; k < n.inputs().size(); k++) {
            Node c = n.inputs().get(k);
            double ch = height(c);
            String cid = place(c, childRight, y, ids, legs, boxes);
            double ccy = y + ch / 2;
            double mid = childRight + COLUMN_GAP / 2;
            // several inputs enter at their own heights along the box's edge, in order, so their lines neither meet nor cross
            double entry = box.y0() + BOX_H * (k + 1) / (n.inputs().size() + 1);
            Scene.Path p = ccy == entry ? line(cid, id, new Vec(childRight, ccy), new Vec(box.x0(), entry))
                    : line(cid, id, new Vec(childRight, ccy), new Vec(mid, ccy), new Vec(mid, entry), new Vec(box.x0(), entry));
            legs.add(p);
            String slot = n.slots().get(k);
            if (!slot.isEmpty()) {
                legs.add(new Scene.Text(new Vec(childRight + 4, ccy - 4), slot, Glyphs.LABEL_SIZE, "start", true, Glyphs.LABEL_INK, "label"));
            }
            y += ch + ROW_GAP;
        }
        return id;
    }

    private static Scene.Path line(String from, String to, Vec... points) {
        List<Scene.Seg> segs = new ArrayList<>();
        segs.add(Scene.Seg.move(points[0]));
        for (int k = 1; k < points.length; k++) segs.add(Scene.Seg.line(points[k]));
        java.util.Map<String, String> data = new java.util.LinkedHashMap<>();
        data.put("from", from);
        data.put("to", to);
        return new Scene.Path(segs, "line", Scene.Style.stroke(Glyphs.INK, 1.4), data);
    }
}
