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
 * editors/pygments/tn_lexer.py, run by Pygments on tn scripts (through
 * src/test/resources/editors/pygments_tokens.py): keywords, builtins, comments, strings and
 * numbers get the token types a reader expects, primed names stay names, and no script of the
 * examples or the standard library has a character the lexer cannot place. Needs a Python with
 * Pygments; skipped with a message on standard error without one. TN_PYTHON names another Python.
 */
class PygmentsLexerTest {
    @TempDir Path tmp;

    @Test
    void theProductsExampleGetsTheTokensAReaderExpects() throws Exception {
        Map<String, List<String>> tokens = tokens(List.of(Path.of("examples/02_products.tn"))).get("examples/02_products.tn");
        assertEquals(List.of("# Contraction by naming legs: a leg on two factors is summed over."), tokens.get("Token.Comment.Single").subList(0, 1));
        assertTrue(tokens.get("Token.Keyword").containsAll(List.of("leg", "assert")), tokens.toString());
        assertTrue(tokens.get("Token.Name.Builtin").containsAll(List.of("random", "show", "close", "einsum", "print")), tokens.toString());
        assertTrue(tokens.get("Token.Literal.String.Double").containsAll(List.of("\"products agree with einsum\"", "\"i,i->\"")), tokens.toString());
        assertTrue(tokens.get("Token.Literal.Number.Integer").containsAll(List.of("3", "4", "2", "1")), tokens.toString());
        assertTrue(tokens.get("Token.Name").containsAll(List.of("j'", "x", "AB2", "seed")), "a primed leg is a name, not a quote: " + tokens);
        assertTrue(tokens.get("Token.Operator").containsAll(List.of("=", "->")), tokens.toString());
        assertEquals(null, tokens.get("Token.Error"), tokens.toString());
    }

    @Test
    void numbersKeywordsAndNamesAsTheGrammarReadsThem() throws Exception {
        Path script = tmp.resolve("lexed.tn");
        Files.writeString(script, String.join("\n",
                "def f(x) = x .* 2.5e-3",
                "legs = 2j + 2jk + .5 + 1E+6 + 7",
                "if true and not false { tokens = 3 } else { y = \"a \\\"quoted\\\" word\" }",
                "s = \"unterminated",
                "z = set_size(1)",
                ""));
        Map<String, List<String>> t = tokens(List.of(script)).get(script.toString());
        assertEquals(List.of("f"), t.get("Token.Name.Function"), t.toString());
        assertEquals(List.of("def", "if", "and", "not", "else"), t.get("Token.Keyword"), t.toString());
        assertEquals(List.of("true", "false"), t.get("Token.Keyword.Constant"), t.toString());
        assertEquals(List.of("2j"), t.get("Token.Literal.Number"), "2j is imaginary, 2jk is 2 times jk: " + t);
        assertEquals(List.of("2.5e-3", ".5", "1E+6"), t.get("Token.Literal.Number.Float"), t.toString());
        assertEquals(List.of("2", "7", "3", "1"), t.get("Token.Literal.Number.Integer"), t.toString());
        // `legs` starts with a keyword, `tokens` is a builtin's name not called, `set_size` starts with `set`.
        assertTrue(t.get("Token.Name").containsAll(List.of("x", "legs", "jk", "tokens", "y", "s", "set_size")), t.toString());
        assertEquals(List.of("=", ".*", "="), t.get("Token.Operator").subList(0, 3), t.toString());
        assertEquals(List.of("\\\"", "\\\""), t.get("Token.Literal.String.Escape"), t.toString());
        assertTrue(t.get("Token.Literal.String.Double").contains("\"unterminated"), "a string ends at the line's end: " + t);
        assertEquals(null, t.get("Token.Error"), t.toString());
    }

    @Test
    void everyExampleAndLibraryScriptLexesWithoutErrorsAndRoundTrips() throws Exception {
        List<Path> scripts = EditorTokens.scripts();
        Map<String, Map<String, List<String>>> all = tokens(scripts);
        assertEquals(scripts.size(), all.size());
        for (Path p : scripts) {
            Map<String, List<String>> t = all.get(p.toString());
            assertEquals(null, t.get("Token.Error"), p + ": characters the lexer cannot place");
            String text = Files.readString(p, StandardCharsets.UTF_8);
            assertEquals(text.endsWith("\n") ? text : text + "\n", t.get("").get(0), p + ": the tokens do not spell the script");
        }
    }

    /** The tokens of each file by type (EditorTokens.run), skipping the test without a Python with Pygments. */
    private static Map<String, Map<String, List<String>>> tokens(List<Path> files) throws Exception {
        String python = python();
        Assumptions.assumeTrue(python != null, () -> {
            String why = "PygmentsLexerTest skipped: no Python with Pygments (pip install pygments, or set TN_PYTHON); "
                    + "editors/pygments/tn_lexer.py is not tested";
            System.err.println(why);
            return why;
        });
        List<String> command = new ArrayList<>(List.of(python, "src/test/resources/editors/pygments_tokens.py", "editors/pygments"));
        for (Path f : files) command.add(f.toString());
        return EditorTokens.run(command, type -> type.startsWith("Token.Text"));
    }

    /** A Python that has Pygments, or null. */
    private static String python() throws InterruptedException {
        List<String> candidates = new ArrayList<>();
        if (System.getenv("TN_PYTHON") != null) candidates.add(System.getenv("TN_PYTHON"));
        candidates.addAll(List.of("python3", "/usr/bin/python3"));
        for (String c : candidates) if (EditorTokens.works(c, "-c", "import pygments.lexer")) return c;
        return null;
    }
}
