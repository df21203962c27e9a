package tn.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The notebook's CodeMirror mode (interpreter/tn/kernel/kernel.js), run by CodeMirror 5 itself
 * under Node (src/test/resources/editors/codemirror_tokens.js): the same expectations as
 * PygmentsLexerTest, in CodeMirror's styles. Needs `node` and the CodeMirror 5 package, which tn
 * does not ship: set TN_CODEMIRROR5 to its folder (`npm install codemirror@5` puts it in
 * node_modules/codemirror); skipped with a message on standard error otherwise.
 */
class CodeMirrorModeTest {
    @TempDir Path tmp;

    @Test
    void theProductsExampleGetsTheStylesAReaderExpects() throws Exception {
        Map<String, List<String>> t = tokens(List.of(Path.of("examples/02_products.tn"))).get("examples/02_products.tn");
        assertEquals("# Contraction by naming legs: a leg on two factors is summed over.", t.get("comment").get(0));
        assertTrue(t.get("keyword").containsAll(List.of("leg", "assert")), t.toString());
        assertTrue(t.get("builtin").containsAll(List.of("random", "show", "close", "einsum", "print")), t.toString());
        assertTrue(t.get("string").containsAll(List.of("\"products agree with einsum\"", "\"i,i->\"")), t.toString());
        assertTrue(t.get("number").containsAll(List.of("3", "4", "2", "1")), t.toString());
        assertTrue(t.get("variable").containsAll(List.of("j'", "x", "AB2", "seed")), "a primed leg is a name, not a quote: " + t);
        assertTrue(t.get("operator").containsAll(List.of("=", "->")), t.toString());
        assertEquals(null, t.get("unstyled"), t.toString());
    }

    @Test
    void numbersKeywordsAndNamesAsTheGrammarReadsThem() throws Exception {
        Path script = tmp.resolve("lexed.tn");
        Files.writeString(script, String.join("\n",
                "def f(x) = x .* 2.5e-3",
                "legs = 2j + 2jk + .5 + 1E+6 + 7",
                "if true and not false { tokens = 3 } else { y = \"a \\\"quoted\\\" word\" }",
                "s = \"unterminated",
                "z = set_size(1) + \\",
                "    1",
                ""));
        Map<String, List<String>> t = tokens(List.of(script)).get(script.toString());
        assertEquals(List.of("f"), t.get("def"), t.toString());
        assertEquals(List.of("def", "if", "and", "not", "else"), t.get("keyword"), t.toString());
        assertEquals(List.of("true", "false"), t.get("atom"), t.toString());
        assertEquals(List.of("2.5e-3", "2j", "2", ".5", "1E+6", "7", "3", "1", "1"), t.get("number"), "2j is imaginary, 2jk is 2 times jk: " + t);
        // `legs` starts with a keyword, `tokens` is a builtin's name not called, `set_size` starts with `set`.
        assertTrue(t.get("variable").containsAll(List.of("x", "legs", "jk", "tokens", "y", "s", "set_size")), t.toString());
        assertEquals(List.of("=", ".*", "="), t.get("operator").subList(0, 3), t.toString());
        assertEquals(List.of("\"a \\\"quoted\\\" word\"", "\"unterminated"), t.get("string"), "a string ends at the line's end: " + t);
        assertEquals(List.of("\\"), t.get("meta"), t.toString());
        assertEquals(null, t.get("unstyled"), t.toString());
    }

    @Test
    void everyExampleAndLibraryScriptIsStyledThroughout() throws Exception {
        List<Path> scripts = EditorTokens.scripts();
        Map<String, Map<String, List<String>>> all = tokens(scripts);
        assertEquals(scripts.size(), all.size());
        for (Path p : scripts) {
            Map<String, List<String>> t = all.get(p.toString());
            assertEquals(null, t.get("unstyled"), p + ": characters the mode cannot place");
            String text = Files.readString(p, StandardCharsets.UTF_8);
            assertEquals(text.replaceAll("\n+$", ""), t.get("").get(0).replaceAll("\n+$", ""), p + ": the tokens do not spell the script");
        }
    }

    /** The styles of each file (EditorTokens.run), skipping the test without node and CodeMirror 5. */
    private static Map<String, Map<String, List<String>>> tokens(List<Path> files) throws Exception {
        String codemirror = System.getenv("TN_CODEMIRROR5");
        boolean there = codemirror != null && Files.isRegularFile(Path.of(codemirror, "addon/mode/simple.js"))
                && EditorTokens.works("node", "--version");
        Assumptions.assumeTrue(there, () -> {
            String why = "CodeMirrorModeTest skipped: set TN_CODEMIRROR5 to a CodeMirror 5 package folder (npm install codemirror@5) "
                    + "and have node on the PATH; interpreter/tn/kernel/kernel.js is not run";
            System.err.println(why);
            return why;
        });
        List<String> command = new ArrayList<>(List.of("node", "src/test/resources/editors/codemirror_tokens.js", codemirror,
                "interpreter/tn/kernel/kernel.js"));
        for (Path f : files) command.add(f.toString());
        return EditorTokens.run(command, style -> false);
    }
}
