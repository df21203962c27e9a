package tn.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Bubbles are nested SVG groups: a bubble's group holds the tensors it contains and the legs that
 * stay inside it, so moving the group in an editor (Inkscape) moves its contents; legs that leave
 * the bubble belong to the group outside it.
 */
class BubbleGroupsTest {
    private static boolean within(Node n, Element g) {
        for (Node p = n; p != null; p = p.getParentNode()) if (p == g) return true;
        return false;
    }

    @Test
    void aBubbleGroupHoldsItsTensorsAndTheLegsInsideIt() throws Exception {
        String script = "leg i = 3, h = 4, o = 2\nx = random(i, seed=1)\nW1 = random(h, i, seed=2)\nW2 = random(o, h, seed=3)\n"
                + "y = softmax(W2 relu(W1 x), o)\n";
        Svg svg = new Svg(Diagrams.svg(ModelTest.net(script, "y"), "y", DrawOptions.defaults()));
        Element relu = svg.groups.get("bubble-relu-1"), softmax = svg.groups.get("bubble-softmax-1");
        assertTrue(within(relu, softmax), "relu nested in softmax");
        for (String t : List.of("tensor-x", "tensor-W1")) assertTrue(within(svg.groups.get(t), relu), t + " inside relu's group");
        assertTrue(within(svg.groups.get("tensor-W2"), softmax) && !within(svg.groups.get("tensor-W2"), relu));
        assertTrue(within(svg.groups.get("leg-i"), relu), "i joins x and W1, both inside relu");
        assertTrue(within(svg.groups.get("leg-h"), softmax) && !within(svg.groups.get("leg-h"), relu), "h leaves relu");
        assertFalse(within(svg.groups.get("leg-o"), softmax), "the free leg o leaves every bubble");
        // the bubble's outline is painted first, under its contents
        assertEquals("outline", Svg.children(relu).get(0).getAttribute("class"));
        assertTrue(Quality.problems(svg).isEmpty(), String.join("\n", Quality.problems(svg)));
    }
}
