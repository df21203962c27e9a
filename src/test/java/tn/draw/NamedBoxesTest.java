package tn.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import tn.golden.Golden;

/**
 * Named intermediates kept as labelled boxes (examples/draw_named.tn): boxes="X" keeps X a box
 * where the circuit reads it (twice), inline=false keeps every named intermediate, a sum's term
 * included; the default draws them inline; a name that is no named intermediate is refused.
 */
class NamedBoxesTest {
    @TempDir
    Path tmp;

    static final Path EXAMPLE = Path.of("examples", "draw_named.tn");

    private Svg draw(Path script, String name) throws Exception {
        Golden.Result r = Golden.run("draw", script.toString(), "--name", name, "-o", tmp.resolve(name + ".svg").toString());
        assertEquals(0, r.exitCode(), r.err());
        return new Svg(Files.readString(tmp.resolve(name + ".svg"), StandardCharsets.UTF_8));
    }

    private static List<String> tensors(Svg svg) {
        List<String> out = new ArrayList<>();
        for (Element g : svg.groups.values()) if (g.getAttribute("class").equals("tensor")) out.add(g.getAttribute("data-name") + ":" + g.getAttribute("data-kind"));
        return out;
    }

    @Test
    void namedIntermediatesAreBoxesWhereTheScriptAsksAndInlineOtherwise() throws Exception {
        Svg circuit = draw(EXAMPLE, "circuit"); // draw(circuit, ..., boxes="X")
        assertEquals(List.of("X:intermediate", "X:intermediate", "prev:onehot"), tensors(circuit).stream().sorted().toList());
        Svg pattern = draw(EXAMPLE, "A"); // draw(A, ..., inline=false)
        assertTrue(tensors(pattern).contains("scores:intermediate"), "the sum's first term is the box scores: " + tensors(pattern));
        assertFalse(tensors(pattern).stream().anyMatch(t -> t.startsWith("vectors")), "nothing of scores' network drawn: " + tensors(pattern));
        assertTrue(Quality.problems(circuit).isEmpty() && Quality.problems(pattern).isEmpty());

        Path plain = tmp.resolve("plain.tn");
        Files.writeString(plain, Files.readString(EXAMPLE, StandardCharsets.UTF_8).replace(", boxes=\"X\"", "").replace(", inline=false", ""));
        Svg inline = draw(plain, "circuit");
        assertTrue(tensors(inline).contains("vectors:random") && !tensors(inline).contains("X:intermediate"), "by default inline: " + tensors(inline));
    }

    @Test
    void aNameThatIsNoNamedIntermediateIsRefused() throws Exception {
        Path s = tmp.resolve("bad.tn");
        Files.writeString(s, "leg i = 2, j = 3\nA = random(i, j, seed=1)\nB = A A -> [j]\nC = B B\ndraw(C, \"c.svg\", boxes=\"B Q\")\n");
        Golden.Result r = Golden.run("run", s.toString());
        assertEquals(1, r.exitCode());
        assertEquals(s + ":5:18: boxes= names Q, which is not a named intermediate of this network (its named intermediates: B)\n"
                + "    draw(C, \"c.svg\", boxes=\"B Q\")\n                     ^^^^^^^^^^^\n", r.err());
    }
}
