package tn.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.Line2D;
import java.awt.geom.Point2D;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tn.golden.Golden;

/**
 * One attention head drawn in full (examples/draw_attention_head.tn): written out in a script, and
 * as the opened attention block of a transformer, where the layer norm that queries, keys and
 * values all read is one tensor (expand=2 draws it too); the softmax bubble holds W_Q and W_K, not
 * W_V; the scale factor inside the bubble keeps off its lines.
 */
class AttentionHeadTest {
    @TempDir
    Path tmp;

    static final Path EXAMPLE = Path.of("examples", "draw_attention_head.tn");

    private Svg draw(String name, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("draw", EXAMPLE.toString(), "--name", name, "-o", tmp.resolve(name + ".svg").toString()));
        args.addAll(List.of(more));
        Golden.Result r = Golden.run(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        return new Svg(Files.readString(tmp.resolve(name + ".svg"), StandardCharsets.UTF_8));
    }

    /** data-name of every tensor group inside {@code g}, in document order. */
    private static List<String> tensors(Element g) {
        List<String> out = new ArrayList<>();
        NodeList all = g.getElementsByTagName("g");
        for (int k = 0; k < all.getLength(); k++) {
            Element e = (Element) all.item(k);
            if (e.getAttribute("class").equals("tensor")) out.add(e.getAttribute("data-name"));
        }
        return out;
    }

    private static List<String> bubbleFunctions(Element g) {
        List<String> out = new ArrayList<>();
        NodeList all = g.getElementsByTagName("g");
        for (int k = 0; k < all.getLength(); k++) {
            Element e = (Element) all.item(k);
            if (e.getAttribute("class").equals("bubble")) out.add(e.getAttribute("data-label"));
        }
        return out;
    }

    private static Element bubble(Svg svg, String label) {
        return svg.groups.values().stream().filter(g -> g.getAttribute("class").equals("bubble") && g.getAttribute("data-label").equals(label))
                .findFirst().orElseThrow(() -> new AssertionError("no bubble " + label));
    }

    @Test
    void anOpenedAttentionBlockIsItsHeadReadingTheLayerNormOnce() throws Exception {
        Svg svg = draw("logits"); // the script's draw(logits, ..., expand="attention0")
        Element block = svg.groups.get("block-attention0");
        assertEquals("true", block.getAttribute("data-expanded"));
        List<String> names = tensors(block);
        for (String w : List.of("W_Q\u2070", "W_K\u2070", "W_V\u2070", "W_O\u2070")) assertTrue(names.contains(w), w + " in " + names);
        assertEquals(3, names.stream().filter("ln(x)"::equals).count(), "queries, keys and values each read ln(x): " + names);
        assertEquals(List.of("softmax[key]"), bubbleFunctions(block), "the layer norm is not drawn again inside the block");
        List<String> pattern = tensors(bubble(svg, "softmax[key]"));
        assertTrue(pattern.contains("W_Q\u2070") && pattern.contains("W_K\u2070"), "the scores inside the softmax: " + pattern);
        assertFalse(pattern.contains("W_V\u2070") || pattern.contains("W_O\u2070"), "values and output outside it: " + pattern);
        assertTrue(Quality.problems(svg).isEmpty(), String.join("\n", Quality.problems(svg)));

        Svg deeper = draw("logits", "--expand", "2");
        Element open = deeper.groups.get("block-attention0");
        assertTrue(bubbleFunctions(open).contains("layernorm[d_model]"), "expand=2 draws the layer norm: " + bubbleFunctions(open));
        assertFalse(tensors(open).contains("ln(x)"));
    }

    @Test
    void aHeadWrittenOutIsTheChainOfTheNotationWithItsScaleClearOfLines() throws Exception {
        Svg svg = draw("attended");
        // x W_Q W_K x inside the softmax, then the pattern's key leg into x W_V W_O: left to right
        assertEquals(List.of("x", "W_Q", "W_K", "x", "x", "W_V", "W_O"), sortedByX(svg));
        Svg.Label scale = svg.labels.stream().filter(l -> l.cls().equals("value")).findFirst().orElseThrow();
        assertEquals("1/sqrt(4)", scale.text(), "the factor as the script wrote it");
        for (Svg.Line line : svg.lines) {
            List<Point2D> p = line.points();
            for (int k = 0; k + 1 < p.size(); k++) {
                assertFalse(new Line2D.Double(p.get(k), p.get(k + 1)).intersects(scale.box()), "the scale factor lies on the line " + line.leg());
            }
        }
        Svg.Bubble softmax = svg.bubbles.get(0);
        assertTrue(softmax.outline().contains(scale.box()), "the scale factor inside the softmax bubble: " + scale.box() + " in " + softmax.outline());
        assertTrue(Quality.problems(svg).isEmpty(), String.join("\n", Quality.problems(svg)));
    }

    private static long count(Element g, String cls) {
        long n = 0;
        for (Element c : Svg.children(g)) if (c.getAttribute("class").equals(cls)) n++;
        return n;
    }

    @Test
    void headsStackedDrawsEachTensorWithAHeadLegAsStackedCopies() throws Exception {
        Svg stacked = draw("multihead"); // the script's draw(multihead, ..., heads="stacked")
        assertFalse(stacked.groups.containsKey("leg-head"), "no line for the head leg");
        for (String w : List.of("W_Q", "W_K", "W_V", "W_O")) {
            Element g = stacked.groups.values().stream().filter(e -> e.getAttribute("class").equals("tensor") && e.getAttribute("data-name").equals(w))
                    .findFirst().orElseThrow();
            assertEquals(Glyphs.STACK_COPIES, count(g, "stack"), w + " drawn as a stack");
            assertEquals(1, count(g, "shape"), w + " has one outline");
        }
        Element x = stacked.groups.values().stream().filter(e -> e.getAttribute("data-name").equals("x")).findFirst().orElseThrow();
        assertEquals(0, count(x, "stack"), "x has no head leg");
        assertTrue(Quality.problems(stacked).isEmpty(), String.join("\n", Quality.problems(stacked)));

        Path plain = tmp.resolve("plain.tn");
        Files.writeString(plain, Files.readString(EXAMPLE, StandardCharsets.UTF_8).replace(", heads=\"stacked\"", ""));
        Golden.Result r = Golden.run("draw", plain.toString(), "--name", "multihead", "-o", tmp.resolve("m.svg").toString());
        assertEquals(0, r.exitCode(), r.err());
        Svg lines = new Svg(Files.readString(tmp.resolve("m.svg"), StandardCharsets.UTF_8));
        assertTrue(lines.groups.containsKey("leg-head"), "by default the head leg is a line");
        assertFalse(lines.groups.values().stream().anyMatch(g -> count(g, "stack") > 0));
    }

    @Test
    void anUnknownHeadsValueIsRefusedWhereItIsWritten() throws Exception {
        Path s = tmp.resolve("bad.tn");
        Files.writeString(s, "leg head = 2, i = 3\nW = random(head, i, seed=1)\ndraw(W, \"w.svg\", heads=\"piled\")\n");
        Golden.Result r = Golden.run("check", s.toString());
        assertEquals(1, r.exitCode());
        assertEquals(s + ":3:18: heads must be leg (the head leg drawn as a line) or stacked (each tensor with a head leg drawn as stacked"
                + " copies), not 'piled'\n    draw(W, \"w.svg\", heads=\"piled\")\n                     ^^^^^^^^^^^^^\n", r.err());
    }

    /** The tensors' names from left to right. */
    private static List<String> sortedByX(Svg svg) {
        List<String> ids = new ArrayList<>(svg.shapes.keySet().stream().filter(id -> id.startsWith("tensor-")).toList());
        ids.sort((a, b) -> Double.compare(svg.shapes.get(a).getBounds2D().getCenterX(), svg.shapes.get(b).getBounds2D().getCenterX()));
        return ids.stream().map(id -> svg.groups.get(id).getAttribute("data-name")).toList();
    }
}
