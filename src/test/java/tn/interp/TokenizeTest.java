package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.golden.Golden;

/**
 * tokenize() and detokenize() in a script against Hugging Face's GPT2Tokenizer: the ids of
 * src/test/resources/bpe/cases.json (written by make_fixtures.py with the oracle, on the small
 * vocabulary of examples/data/bpe), written as tn string literals, and the texts of those ids.
 */
class TokenizeTest {
    static final Path VOCAB = Path.of("examples/data/bpe/vocab.json").toAbsolutePath();
    static final Path MERGES = Path.of("examples/data/bpe/merges.txt").toAbsolutePath();

    @TempDir
    Path dir;

    record Case(String text, List<Integer> ids) {}

    /** The oracle's cases whose text a tn string literal can hold (all but those with a carriage return). */
    static List<Case> cases() throws Exception {
        JsonObject root = JsonParser.parseString(Files.readString(Path.of("src/test/resources/bpe/cases.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
        List<Case> out = new ArrayList<>();
        for (JsonElement e : root.getAsJsonArray("cases")) {
            JsonObject c = e.getAsJsonObject();
            if (c.has("decode_only") && c.get("decode_only").getAsBoolean()) continue;
            String text = c.get("text").getAsString();
            if (text.indexOf('\r') >= 0) continue;
            List<Integer> ids = new ArrayList<>();
            for (JsonElement id : c.getAsJsonArray("ids")) ids.add(id.getAsInt());
            out.add(new Case(text, ids));
        }
        return out;
    }

    /** A tn string literal: \n, \t, \\ and \" escaped, every other character as it is. */
    static String literal(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\t", "\\t") + "\"";
    }

    private static String tuple(List<Integer> ids) {
        return "(" + ids.stream().map(String::valueOf).collect(Collectors.joining(", ")) + ")";
    }

    private Golden.Result run(String script) throws Exception {
        Path p = dir.resolve("t.tn");
        Files.writeString(p, script, StandardCharsets.UTF_8);
        return Golden.run("run", p.toString());
    }

    @Test
    void tokenizeGivesHuggingFacesIds() throws Exception {
        List<Case> cases = cases();
        assertTrue(cases.size() > 200, cases.size() + " cases");
        assertTrue(cases.stream().anyMatch(c -> c.text().chars().anyMatch(ch -> ch < 0x20 && ch != '\n' && ch != '\t')), "no control bytes");
        StringBuilder script = new StringBuilder("v = " + literal(VOCAB.toString()) + "\nm = " + literal(MERGES.toString()) + "\n");
        StringBuilder expected = new StringBuilder();
        for (int k = 0; k < cases.size(); k++) {
            Case c = cases.get(k);
            // Both ways of naming the files: the vocabulary with the merges.txt beside it, and both by keyword.
            script.append(k % 2 == 0 ? "print(tokenize(" + literal(c.text()) + ", v))\n"
                    : "print(tokenize(" + literal(c.text()) + ", vocab=v, merges=m))\n");
            expected.append(tuple(c.ids())).append('\n');
        }
        Golden.Result r = run(script.toString());
        assertEquals("", r.err());
        assertEquals(expected.toString(), r.out());
    }

    @Test
    void detokenizeGivesTheTextBack() throws Exception {
        StringBuilder script = new StringBuilder("v = " + literal(VOCAB.toString()) + "\n");
        StringBuilder expected = new StringBuilder();
        for (Case c : cases()) {
            if (c.ids().isEmpty()) continue;
            script.append("print(detokenize(tuple").append(tuple(c.ids())).append(", v), \"|\")\n");
            expected.append(c.text()).append(" |\n");
        }
        // A tuple of numbers, a vector literal and vocab= give the same text.
        script.append("print(detokenize([365, 320], vocab=v))\n");
        expected.append("When Mary\n");
        Golden.Result r = run(script.toString());
        assertEquals("", r.err());
        assertEquals(expected.toString(), r.out());
    }
}
