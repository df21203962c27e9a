package tn.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import tn.golden.Golden;

/**
 * Canonical tensor trains (examples/draw_canonical.tn): the cores canonical() made left- or
 * right-canonical are triangles (squares when square, hence orthogonal) whose tips point along the
 * train to the orthogonality centre, which is a shaded circle; a train not made canonical keeps
 * circles (its cores' kind says nothing about it, and nothing is guessed from the numbers).
 */
class CanonicalTest {
    @TempDir
    Path tmp;

    static final Path EXAMPLE = Path.of("examples", "draw_canonical.tn");

    private Svg draw(String name) throws Exception {
        Golden.Result r = Golden.run("draw", EXAMPLE.toString(), "--name", name, "-o", tmp.resolve(name + ".svg").toString());
        assertEquals(0, r.exitCode(), r.err());
        return new Svg(Files.readString(tmp.resolve(name + ".svg"), StandardCharsets.UTF_8));
    }

    /** Per core G1..G5: its kind, shape and, for a triangle, which way its tip points (left, right). */
    private static Map<String, String> cores(Svg svg) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int k = 1; k <= 5; k++) {
            Element g = svg.groups.get("tensor-G" + k);
            Element shape = Svg.children(g).get(0);
            String s = g.getAttribute("data-kind") + " " + g.getAttribute("data-shape");
            if (shape.getTagName().equals("polygon")) {
                String[] pts = shape.getAttribute("points").split(" ");
                double tip = Double.parseDouble(pts[1].split(",")[0]), base = Double.parseDouble(pts[0].split(",")[0]);
                s += tip > base ? " right" : " left";
            }
            if (shape.getAttribute("fill").equals(Glyphs.CENTRE_FILL)) s += " shaded";
            out.put("G" + k, s);
        }
        return out;
    }

    @Test
    void canonicalCoresPointToTheOrthogonalityCentre() throws Exception {
        Svg mixed = draw("mixed"); // centre at the third core (site k)
        assertEquals(Map.of(
                "G1", "left-canonical square", // [i=3, b1=3]: a square isometry is orthogonal
                "G2", "left-canonical triangle right",
                "G3", "orthogonality centre circle shaded",
                "G4", "right-canonical triangle left",
                "G5", "right-canonical square"), cores(mixed));
        Svg left = draw("left");
        assertEquals("left-canonical triangle right", cores(left).get("G4"));
        assertEquals("orthogonality centre circle shaded", cores(left).get("G5"));
        assertTrue(Quality.problems(mixed).isEmpty() && Quality.problems(left).isEmpty());
        Svg phi = draw("phi");
        for (String s : cores(phi).values()) assertEquals("tt core circle", s, "tt() makes no canonical promise");
    }
}
