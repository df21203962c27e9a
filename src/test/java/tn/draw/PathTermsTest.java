package tn.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
 * The terms of a path expansion drawn side by side (examples/path_terms.tn): the top terms by the
 * norm of their contribution, in rank() order, each named and weighted, its components joined
 * towards the output with their slots; the drawing against src/test/resources/draw/paths.svgsum
 * (-Dtn.golden.update=true rewrites it) and through the quality checker; names parsed into trees.
 */
class PathTermsTest {
    @TempDir
    Path tmp;

    static final Path EXAMPLE = Path.of("examples", "path_terms.tn");
    static final Path GOLDEN = Path.of("src", "test", "resources", "draw", "paths.svgsum");

    @Test
    void theTopTermsAreDrawnSideBySideWithTheirNamesAndWeights() throws Exception {
        Path script = tmp.resolve("paths.tn");
        Files.writeString(script, Files.readString(EXAMPLE, StandardCharsets.UTF_8).replace("/tmp/tn_draw_paths.svg", "paths.svg"));
        Golden.Result r = Golden.run("run", script.toString());
        assertEquals(0, r.exitCode(), r.err());
        String text = Files.readString(tmp.resolve("paths.svg"), StandardCharsets.UTF_8);
        Svg svg = new Svg(text);
        List<String> names = new ArrayList<>(), weights = new ArrayList<>();
        for (Element g : svg.groups.values()) {
            if (!g.getAttribute("class").equals("term")) continue;
            names.add(g.getAttribute("data-name"));
            weights.add(g.getAttribute("data-weight"));
        }
        // the norms path_expansion.out prints for rank(E), largest first
        assertEquals(List.of("L1H2<-V-L0H3", "L1H0<-V-L0H3", "L1H3<-V-L0H2", "L1H0<-V-L0H2"), names);
        assertEquals(List.of("27.74", "26", "23.71", "21.58"), weights);
        assertTrue(Quality.problems(svg).isEmpty(), String.join("\n", Quality.problems(svg)));
        String summary = Summary.of(svg);
        if (Boolean.getBoolean("tn.golden.update")) {
            Files.writeString(GOLDEN, summary, StandardCharsets.UTF_8);
            // the picture in docs/notation.md, as DrawExamplesTest writes the others
            Files.writeString(script, Files.readString(script, StandardCharsets.UTF_8).replace("paths.svg", "paths.png"));
            assertEquals(0, Golden.run("run", script.toString()).exitCode());
            Files.copy(tmp.resolve("paths.png"), DrawExamplesTest.IMAGES.resolve("draw_paths-E.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(DrawExamplesTest.IMAGES.resolve("draw_paths-E.svg"), text, StandardCharsets.UTF_8);
            return;
        }
        Summary.assertMatches(Files.readString(GOLDEN, StandardCharsets.UTF_8), summary, DrawExamplesTest.TOLERANCE, "draw(E, top=4)");
        Golden.run("run", script.toString());
        assertEquals(text, Files.readString(tmp.resolve("paths.svg"), StandardCharsets.UTF_8), "byte-identical when drawn again");
    }

    @Test
    void namesAreParsedIntoTheComponentsTheyPassThrough() {
        PathTerms.Node chain = PathTerms.parse("L2H0<-V-L1H1<-V-L0H0");
        assertEquals("L2H0", chain.label());
        assertEquals(List.of("V"), chain.slots());
        assertEquals("L1H1", chain.inputs().get(0).label());
        assertEquals("L0H0", chain.inputs().get(0).inputs().get(0).label());
        PathTerms.Node two = PathTerms.parse("L1<-{Q-L0, K-L0}");
        assertEquals(List.of("Q", "K"), two.slots());
        assertEquals(List.of("L0", "L0"), two.inputs().stream().map(PathTerms.Node::label).toList());
        assertEquals("remainder (order > 1)", PathTerms.parse("remainder (order > 1)").label());
        assertEquals("x<-{Q-", PathTerms.parse("x<-{Q-").label(), "not of the path form: one box");
    }

    @Test
    void chainsAndBranchesKeepTheDrawingRules() throws Exception {
        List<PathTerms.Term> terms = List.of(new PathTerms.Term("L2H0<-V-L1H1<-V-L0H0", 3),
                new PathTerms.Term("L1H0<-{Q-L0H1, K-L0H2<-V-x}", 2), new PathTerms.Term("direct", 1));
        Svg svg = new Svg(PathTerms.svg(terms, "E"));
        assertTrue(Quality.problems(svg).isEmpty(), String.join("\n", Quality.problems(svg)));
        Counts c = Counts.of(svg);
        assertEquals(0, c.crossings(), "crossings");
        long lines = svg.groups.values().stream().filter(g -> g.getAttribute("class").equals("block")).count();
        assertEquals(3 + 4 + 1, lines, "one box per component");
    }

    @Test
    void topMustBeAPositiveCountOfTerms() throws Exception {
        Path s = tmp.resolve("bad.tn");
        Files.writeString(s, "leg i = 2\nx = random(i, seed=1)\ndraw(tuple(x), \"p.svg\", top=0)\n");
        Golden.Result r = Golden.run("check", s.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith(s + ":3:25: top= is how many terms to draw, at least 1, not 0\n"), r.err());
    }
}
