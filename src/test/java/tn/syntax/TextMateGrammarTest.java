package tn.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tn.syntax.gen.TnLexer;

/**
 * editors/tn.tmLanguage.json (the TextMate grammar for VS Code, GitHub and other editors) cannot
 * drift from grammar/Tn.g4: its keywords are exactly the grammar's keyword tokens (read from the
 * lexer ANTLR generates from it), and its patterns compile and highlight what they should.
 */
class TextMateGrammarTest {
    private static final Path FILE = Path.of("editors/tn.tmLanguage.json");

    /** `in` is a keyword to the reader but a plain name to the parser (it is also a common leg name). */
    private static final Set<String> CONTEXTUAL = Set.of("in");

    @Test
    void itsKeywordsAreTheGrammars() throws Exception {
        Set<String> grammar = new TreeSet<>(CONTEXTUAL);
        for (int t = 0; t <= TnLexer.VOCABULARY.getMaxTokenType(); t++) {
            String literal = TnLexer.VOCABULARY.getLiteralName(t);
            if (literal != null && literal.matches("'[a-z]+'")) grammar.add(literal.substring(1, literal.length() - 1));
        }
        Set<String> textmate = new TreeSet<>();
        JsonObject keywords = repository().getAsJsonObject("keywords");
        for (JsonElement p : keywords.getAsJsonArray("patterns")) {
            Matcher m = Pattern.compile("^\\\\b\\(([a-z|]+)\\)\\\\b").matcher(p.getAsJsonObject().get("match").getAsString());
            assertTrue(m.find(), "a keyword pattern of the form \\b(a|b)\\b: " + p);
            for (String w : m.group(1).split("\\|")) assertTrue(textmate.add(w), w + " is in two keyword patterns");
        }
        assertEquals(grammar, textmate, "the keywords of " + FILE + " and of grammar/Tn.g4");
    }

    @Test
    void itsPatternsCompileAndHighlightKeywordsButNotNames() throws Exception {
        List<String> regexes = new ArrayList<>();
        collect(JsonParser.parseString(Files.readString(FILE, StandardCharsets.UTF_8)), regexes);
        assertTrue(regexes.size() >= 10, regexes.toString());
        for (String r : regexes) Pattern.compile(r); // the subset shared by Oniguruma and java.util.regex
        Pattern other = Pattern.compile(repository().getAsJsonObject("keywords").getAsJsonArray("patterns")
                .get(1).getAsJsonObject().get("match").getAsString());
        assertTrue(other.matcher("leg i = 3").lookingAt());
        assertFalse(other.matcher("legs = 3").lookingAt(), "a name that starts with a keyword");
        assertFalse(other.matcher("leg' = 3").lookingAt(), "a primed name is a name");
        Pattern number = Pattern.compile(repository().getAsJsonObject("number").get("match").getAsString());
        for (String n : List.of("3", "2.5", ".5", "1e-6", "6.02E+23")) assertTrue(number.matcher(n).matches(), n);
        assertFalse(number.matcher("x2").find(), "digits in a name are not a number");
    }

    private static JsonObject repository() throws Exception {
        return JsonParser.parseString(Files.readString(FILE, StandardCharsets.UTF_8)).getAsJsonObject().getAsJsonObject("repository");
    }

    private static void collect(JsonElement e, List<String> regexes) {
        if (e.isJsonObject()) {
            for (Map.Entry<String, JsonElement> f : e.getAsJsonObject().entrySet()) {
                if (Set.of("match", "begin", "end").contains(f.getKey()) && f.getValue().isJsonPrimitive()) regexes.add(f.getValue().getAsString());
                else collect(f.getValue(), regexes);
            }
        } else if (e.isJsonArray()) {
            for (JsonElement x : e.getAsJsonArray()) collect(x, regexes);
        }
    }
}
