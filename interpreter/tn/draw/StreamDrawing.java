package tn.draw;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tn.net.BubbleFunction;
import tn.net.Net;
import tn.net.Substitution;
import tn.net.Tensor;

/**
 * Draws a {@link Stream}: the residual stream as a vertical backbone from the start (the embedding,
 * at the bottom) up to the head (what reads the last value, at the top) and the network's open
 * legs. Each residual addition is a blue + on the backbone: the stream forks at a dot below it,
 * runs through its block to the right, and comes back into the +. A block is a labelled box
 * (its name, and the bubbles it applies in order, or the fixed tensors it reads, such as a frozen
 * model's pattern), or, when {@link DrawOptions#expands} names it, its own diagram inside the box,
 * the stream it reads drawn as a tensor named after it. Start and head are boxes the same way
 * (named {@code start} and {@code head} for expand=).
 */
final class StreamDrawing {
    static final double GAP = 30;
    static final double BRANCH = 46;
    static final double PLUS_RADIUS = 10;
    static final double PAD = 10;
    static final double TITLE_ROW = 22;
    static final double MARK_ROW = 24;
    static final double MARK_SIZE = 10.5;
    static final double FREE_LENGTH = 34;
    static final String STREAM_INK = "#3d6299";

    private final Stream stream;
    private final DrawOptions options;
    private final Ids ids;
    private final List<Scene.Element> glyphs = new ArrayList<>();
    private final Scene.Group legs;
    private final double width;

    StreamDrawing(Stream stream, DrawOptions options, Ids ids) {
        this.stream = stream;
        this.options = options;
        this.ids = ids;
        this.legs = new Scene.Group(ids.of("leg", "stream"), "leg stream").data("name", String.join(" ", stream.top.legs()));
        this.width = Glyphs.lineWidth(size(stream.top));
    }

    private static long size(Net n) {
        double s = n.denseSize() / Math.max(1, n.size(0)); // the width of a line of d_model, not of pos x d_model
        return (long) Math.min(Long.MAX_VALUE, Math.max(1, s));
    }

    List<Scene.Element> draw() {
        // bottom up; y grows downwards, so everything above the start has negative y
        String startName = Stream.writtenIn(stream.start);
        Block start = block("start", startName != null ? startName : label(stream.start, "x"), stream.start, null);
        Box box = start.place(-start.width / 2, 0);
        String below = start.id;
        double top = box.y0();
        boolean labelled = false;
        for (Stream.Step st : stream.steps) {
            double fork = top - (labelled ? GAP / 2 : GAP + 6); // room for the stream's label above the start
            Block b = block(st.name(), st.function() + " " + st.layer(), st.block(), st.input());
            Box bb = b.place(BRANCH, fork - GAP / 2 - b.height);
            double plus = bb.y0() - GAP / 2;
            String forkId = ids.numbered("fork");
            String plusId = ids.of("residual", st.name());
            glyphs.add(new Scene.Group(forkId, "dot").add(new Scene.Circle(new Vec(0, fork), Glyphs.DOT_RADIUS, "shape", Scene.Style.fill(STREAM_INK))));
            Scene.Group p = new Scene.Group(plusId, "residual").data("block", b.id);
            p.add(new Scene.Circle(new Vec(0, plus), PLUS_RADIUS, "shape", new Scene.Style("#ffffff", STREAM_INK, 1.6)));
            p.add(new Scene.Text(new Vec(0, plus + TextMetrics.baselineOffset(16)), "+", 16, "middle", false, STREAM_INK, "name"));
            glyphs.add(p);
            double cx = bb.centre().x();
            line(below, forkId, new Vec(0, top), new Vec(0, fork + Glyphs.DOT_RADIUS));
            if (!labelled) {
                label(new Vec(-7, (top + fork) / 2), String.join(", ", stream.top.legs()));
                labelled = true;
            }
            line(forkId, b.id, new Vec(Glyphs.DOT_RADIUS, fork), new Vec(cx, fork), new Vec(cx, bb.y1()));
            line(b.id, plusId, new Vec(cx, bb.y0()), new Vec(cx, plus), new Vec(PLUS_RADIUS, plus));
            line(forkId, plusId, new Vec(0, fork - Glyphs.DOT_RADIUS), new Vec(0, plus + PLUS_RADIUS));
            below = plusId;
            top = plus - PLUS_RADIUS;
        }
        if (stream.root != stream.top) {
            String headName = label(stream.root, "head");
            Block head = block("head", headName, stream.root, stream.top);
            Box hb = head.place(-head.width / 2, top - GAP - head.height);
            line(below, head.id, new Vec(0, top), new Vec(0, hb.y1()));
            below = head.id;
            top = hb.y0();
        }
        if (stream.root.rank() > 0) {
            Scene.Path free = path(new Scene.Group[0], below, "free", new Vec(0, top), new Vec(0, top - FREE_LENGTH));
            legs.add(free);
            Scene.Text t = new Scene.Text(new Vec(0, top - FREE_LENGTH - 5), String.join(", ", stream.root.legs()),
                    Glyphs.LABEL_SIZE, "middle", true, Glyphs.LABEL_INK, "label");
            legs.add(t);
        }
        List<Scene.Element> out = new ArrayList<>();
        out.add(legs);
        out.addAll(glyphs);
        return out;
    }

    private static String label(Net n, String otherwise) {
        return n.label() != null ? n.label() : otherwise;
    }

    private void line(String from, String to, Vec... points) {
        legs.add(path(null, from, to, points));
    }

    private Scene.Path path(Scene.Group[] unused, String from, String to, Vec... points) {
        List<Scene.Seg> segs = new ArrayList<>();
        segs.add(Scene.Seg.move(points[0]));
        for (int k = 1; k < points.length; k++) segs.add(Scene.Seg.line(points[k]));
        Map<String, String> data = new java.util.LinkedHashMap<>();
        data.put("from", from);
        data.put("to", to);
        return new Scene.Path(segs, "line", Scene.Style.stroke(STREAM_INK, width), data);
    }

    private void label(Vec at, String text) {
        legs.add(new Scene.Text(new Vec(at.x(), at.y() + TextMetrics.baselineOffset(Glyphs.LABEL_SIZE)), text,
                Glyphs.LABEL_SIZE, "end", true, Glyphs.LABEL_INK, "label"));
    }

    // ---- blocks ----------------------------------------------------------------------------------

    /** A box on the stream: collapsed (title and marks) or open (title and the block's diagram). */
    private final class Block {
        final String id;
        final String name;
        final String title;
        final List<String> marks;
        final List<Scene.Element> inner;
        final Box innerBox;
        final double width, height;

        Block(String name, String title, List<String> marks, List<Scene.Element> inner) {
            this.id = ids.of("block", name);
            this.name = name;
            this.title = title;
            this.marks = marks;
            this.inner = inner;
            this.innerBox = inner == null ? null : Diagrams.bounds(inner);
            double w = TextMetrics.width(title, Glyphs.BOX_SIZE) + 2 * PAD;
            double h = TITLE_ROW + PAD;
            if (inner != null) {
                w = Math.max(w, innerBox.width() + 2 * PAD);
                h = TITLE_ROW + innerBox.height() + 2 * PAD;
            } else if (!marks.isEmpty()) {
                w = Math.max(w, marksWidth() + 2 * PAD);
                h += MARK_ROW;
            }
            this.width = w;
            this.height = h;
        }

        double marksWidth() {
            double w = 0;
            for (String m : marks) w += TextMetrics.width(m, MARK_SIZE) + 14 + 6;
            return w - 6;
        }

        /** Draws the block with its top-left corner at (x, y); returns its box. */
        Box place(double x, double y) {
            Box b = new Box(x, y, x + width, y + height);
            Scene.Group g = new Scene.Group(id, "block").data("name", name).data("expanded", String.valueOf(inner != null));
            g.add(new Scene.Rect(b, 8, "shape", new Scene.Style(Glyphs.BOX_FILL, Glyphs.INK, 1.3)));
            g.add(new Scene.Text(new Vec(b.centre().x(), y + PAD + TextMetrics.baselineOffset(Glyphs.BOX_SIZE) + 5), title,
                    Glyphs.BOX_SIZE, "middle", false, Glyphs.INK, "title"));
            if (inner != null) {
                double dx = b.centre().x() - innerBox.centre().x(), dy = y + TITLE_ROW + PAD - innerBox.y0();
                Scene.Group d = new Scene.Group(id + "-diagram", "diagram");
                for (Scene.Element e : inner) d.add(Scene.translate(e, dx, dy));
                g.add(d);
            } else {
                double mx = b.centre().x() - marksWidth() / 2, my = y + TITLE_ROW + PAD + MARK_ROW / 2 - 2;
                for (String m : marks) {
                    double w = TextMetrics.width(m, MARK_SIZE) + 14;
                    boolean tensor = m.startsWith("\u25cb");
                    String text = tensor ? m.substring(1) : m;
                    Box mb = new Box(mx, my - 9, mx + w, my + 9);
                    g.add(new Scene.Rect(mb, 9, tensor ? "fixed" : "bubble-mark",
                            tensor ? new Scene.Style(Glyphs.TENSOR_FILL, Glyphs.INK, 1.1) : new Scene.Style(Glyphs.BUBBLE_FILL[0], Glyphs.BUBBLE_INK, 1.1)));
                    g.add(new Scene.Text(new Vec(mb.centre().x(), my + TextMetrics.baselineOffset(MARK_SIZE)), text, MARK_SIZE, "middle",
                            false, tensor ? Glyphs.INK : Glyphs.BUBBLE_INK, "mark"));
                    mx += w + 6;
                }
            }
            glyphs.add(g);
            return b;
        }
    }

    /** The block of {@code net}, reading {@code input} (null for the start): open when expand= names it. */
    private Block block(String name, String title, Net net, Net input) {
        if (options.expands(name)) {
            Net drawn = net;
            if (input != null) {
                String x = label(input, "x");
                Map<Net, Net> replaced = new IdentityHashMap<>();
                replaced.put(input, tensor(input, x, "stream"));
                // at depth 1 what the block reads several times (the layer norm that queries, keys
                // and values all read) is one tensor, so the block's own computation is what shows
                if (options.depth() < 2) {
                    for (Net shared : sharedReaders(net, input)) {
                        String writer = Stream.writtenIn(shared);
                        replaced.put(shared, tensor(shared, label(shared, (writer != null ? writer : "f") + "(" + x + ")"), "intermediate"));
                    }
                }
                drawn = Substitution.of(net, replaced);
            }
            return new Block(name, title, List.of(), Diagrams.elements(drawn, options, ids));
        }
        return new Block(name, title, marks(net, input), null);
    }

    private static Net.Leaf tensor(Net like, String label, String kind) {
        Net.Leaf t = new Net.Leaf(Tensor.signature(like.legs(), like.sizes(), like.dtype()), kind, null);
        t.nameIfAnonymous(label);
        return t;
    }

    /**
     * The outermost values inside {@code net} that read {@code input} and are read from two or more
     * places of {@code net} (by identity), in the order a walk from {@code net} meets them: an
     * attention block's normalised input, which its queries, keys and values read.
     */
    static List<Net> sharedReaders(Net net, Net input) {
        Map<Net, Integer> parents = new IdentityHashMap<>();
        ArrayDeque<Net> stack = new ArrayDeque<>();
        Map<Net, Boolean> seen = new IdentityHashMap<>();
        stack.push(net);
        seen.put(net, true);
        while (!stack.isEmpty()) {
            Net n = stack.pop();
            if (n == input) continue;
            for (Net c : n.children()) {
                parents.merge(c, 1, Integer::sum);
                if (seen.put(c, true) == null) stack.push(c);
            }
        }
        List<Net> out = new ArrayList<>();
        seen.clear();
        ArrayDeque<Net> queue = new ArrayDeque<>();
        queue.add(net);
        seen.put(net, true);
        while (!queue.isEmpty()) {
            Net n = queue.poll();
            if (n == input || n instanceof Net.Leaf) continue;
            if (n != net && parents.getOrDefault(n, 0) >= 2 && Stream.reads(n, input)) {
                out.add(n);
                continue;
            }
            for (Net c : n.children()) if (seen.put(c, true) == null) queue.add(c);
        }
        return out;
    }

    /**
     * What a collapsed block shows: its bubbles, inside out (what the stream meets first, first),
     * each once, and the tensors it reads that were fixed by a computation (a frozen model's
     * pattern), marked with a leading circle.
     */
    static List<String> marks(Net net, Net input) {
        Set<String> out = new LinkedHashSet<>();
        Map<Net, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Net> stack = new ArrayDeque<>();
        List<Net> order = new ArrayList<>();
        // post-order without recursion: the stream's network can be thousands of levels deep
        stack.push(net);
        ArrayDeque<Boolean> expanded = new ArrayDeque<>();
        expanded.push(false);
        while (!stack.isEmpty()) {
            Net n = stack.pop();
            boolean done = expanded.pop();
            if (done) {
                order.add(n);
                continue;
            }
            if (n == input || seen.put(n, true) != null) continue;
            stack.push(n);
            expanded.push(true);
            List<Net> kids = n.children();
            for (int k = kids.size() - 1; k >= 0; k--) {
                stack.push(kids.get(k));
                expanded.push(false);
            }
        }
        for (Net n : order) {
            if (n instanceof Net.Bubble b) out.add(bubbleLabel(b));
            if (n instanceof Net.Leaf l && l.kind().equals("constant") && l.label() != null) out.add("\u25cb" + l.label());
        }
        return new ArrayList<>(out);
    }

    private static String bubbleLabel(Net.Bubble b) {
        if (b.function() == BubbleFunction.POW) return "^" + Numbers.format(b.parameter());
        if (b.over().isEmpty()) return b.function().label();
        return b.function().label() + "[" + String.join(", ", b.over()) + "]";
    }
}
