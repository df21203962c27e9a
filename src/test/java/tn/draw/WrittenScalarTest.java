package tn.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tn.golden.Golden;

/**
 * Scale factors shown as the script wrote them ({@code q k / sqrt(768)} draws 1/sqrt(768)), and
 * as their value when the text is not a constant that gives exactly the factor (a variable, two
 * constants in one product).
 */
class WrittenScalarTest {
    @TempDir
    Path tmp;

    /** The scale factor's text in each network's drawing, by name ("" for none). */
    private Map<String, String> factors(String script) throws Exception {
        Path s = tmp.resolve("s.tn");
        Files.writeString(s, script);
        Golden.Result r = Golden.run("draw", s.toString(), "-d", tmp.resolve("out").toString());
        assertEquals(0, r.exitCode(), r.err());
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : r.out().split("\n")) {
            Path f = Path.of(line.substring("wrote ".length()));
            Svg svg = new Svg(Files.readString(f, StandardCharsets.UTF_8));
            StringBuilder texts = new StringBuilder();
            NodeList all = svg.root.getElementsByTagName("text");
            for (int k = 0; k < all.getLength(); k++) {
                Element t = (Element) all.item(k);
                if (t.getAttribute("class").equals("value")) texts.append(texts.length() > 0 ? " " : "").append(t.getTextContent());
            }
            String name = f.getFileName().toString();
            out.put(name.substring(0, name.length() - 4), texts.toString());
        }
        return out;
    }

    @Test
    void factorsAreShownAsWrittenWhenTheTextIsExactlyTheFactor() throws Exception {
        Map<String, String> f = factors("""
                leg pos = 4, key = 4, d = 8
                q = random(pos, d, seed=1)
                k = random(key, d, seed=2)
                scaled = q k / sqrt(768)
                pattern = softmax(q k / sqrt(8), key)
                power = q k / 768 ^ 0.5
                front = 0.5 * q k
                mixed = 0.5 * q k - q k / 2
                s = 3
                variable = q k / s
                two = 2 * q k / 3
                """);
        assertEquals("1/sqrt(768)", f.get("scaled"));
        assertEquals("1/sqrt(8)", f.get("pattern"), "inside the softmax bubble");
        assertEquals("1/768^0.5", f.get("power"));
        assertEquals("0.5", f.get("front"));
        assertEquals("0.5 1/2", f.get("mixed"), "the minus sign is the sum's, the factor as written");
        assertEquals("0.3333", f.get("variable"), "a variable is not a constant: its value is shown");
        assertEquals("0.6667", f.get("two"), "two constants: the product's value");
    }
}
