package tn.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import tn.exec.DType;
import tn.net.Net;
import tn.net.Tensor;

/** Names from a script are text in the SVG, whatever characters they hold. */
class EscapingTest {
    static Net.Leaf leaf(String name, List<String> legs, long... sizes) {
        Net.Leaf l = new Net.Leaf(Tensor.signature(legs, sizes, DType.FLOAT32), "random", null);
        l.nameIfAnonymous(name);
        return l;
    }

    @Test
    void xmlSpecialCharactersComeOutAsText() throws Exception {
        String evil = "<script>alert(\"&'\")</script>";
        Net a = leaf(evil, List.of("<i>", "j&k"), 2, 3);
        Net b = leaf("b'", List.of("j&k"), 3);
        Net product = new Net.Product(List.of(a, b), List.of("<i>"), new long[] {2}, DType.FLOAT32, 1.0, null);
        String text = Diagrams.svg(product, evil, DrawOptions.defaults());
        assertFalse(text.contains("<script>"), "no raw markup from a name");
        Svg svg = new Svg(text); // parses as XML
        assertEquals(evil, svg.root.getElementsByTagName("title").item(0).getTextContent());
        Element tensor = svg.groups.values().stream().filter(g -> evil.equals(g.getAttribute("data-name"))).findFirst().orElseThrow();
        assertTrue(tensor.getAttribute("id").matches("tensor-[A-Za-z0-9_-]+"), tensor.getAttribute("id"));
        assertEquals(evil, tensor.getElementsByTagName("text").item(0).getTextContent());
        assertTrue(svg.labels.stream().anyMatch(l -> l.text().equals("<i>")), "free leg label");
        assertTrue(svg.labels.stream().anyMatch(l -> l.text().equals("j&k")), "contracted leg label");
        assertTrue(svg.groups.containsKey("tensor-b_27"), "b' becomes tensor-b_27: " + svg.groups.keySet());
        for (String id : svg.groups.keySet()) assertTrue(id.matches("[A-Za-z][A-Za-z0-9_-]*"), id);
        assertTrue(Quality.problems(svg).isEmpty(), String.join("\n", Quality.problems(svg)));
    }

    @Test
    void idsAreUnique() {
        Ids ids = new Ids();
        assertEquals("tensor-A", ids.of("tensor", "A"));
        assertEquals("tensor-A-2", ids.of("tensor", "A"));
        assertEquals("bubble-relu-1", ids.numbered("bubble-relu"));
        assertEquals("bubble-relu-2", ids.numbered("bubble-relu"));
        assertEquals("leg-i_27", ids.of("leg", "i'"));
    }

    @Test
    void numbersAreWrittenWithoutTheLocale() {
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.GERMANY);
            assertEquals("-1.5", SvgWriter.num(-1.5));
            assertEquals("0", SvgWriter.num(-0.001));
            assertEquals("12.34", SvgWriter.num(12.3449));
            assertEquals("0.3333", Numbers.format(1.0 / 3));
        } finally {
            java.util.Locale.setDefault(before);
        }
    }
}
