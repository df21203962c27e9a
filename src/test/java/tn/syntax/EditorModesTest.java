package tn.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tn.interp.Builtins;
import tn.syntax.gen.TnLexer;

/**
 * The notebook's CodeMirror mode (interpreter/tn/kernel/kernel.js) and the Pygments lexer
 * (editors/pygments/tn_lexer.py) cannot drift from grammar/Tn.g4 and the registry of builtins:
 * the lists of keywords, builtins and operators between their BEGIN and END lines must be exactly
 * the ones derived here (keywords and operators from the lexer ANTLR generates from the grammar,
 * as TextMateGrammarTest does; builtins from tn.interp.Builtins). -Dtn.golden.update=true
 * rewrites the lists; review the diff.
 */
class EditorModesTest {
    private static final Path CODEMIRROR = Path.of("interpreter/tn/kernel/kernel.js");
    private static final Path PYGMENTS = Path.of("editors/pygments/tn_lexer.py");
    private static final String MARK = "lists generated from grammar/Tn.g4 and tn.interp.Builtins";

    /** `in` is a keyword to the reader but a plain name to the parser (it is also a common leg name). */
    private static final Set<String> CONTEXTUAL = Set.of("in");

    /** Literal tokens that group or separate rather than operate; highlighted as punctuation. */
    private static final Set<String> PUNCTUATION = Set.of("(", ")", "[", "]", "{", "}", ",", ";", ".");

    static Set<String> keywords() {
        Set<String> words = new TreeSet<>(CONTEXTUAL);
        for (String literal : literals()) if (literal.matches("[a-z]+")) words.add(literal);
        return words;
    }

    static Set<String> operators() {
        Set<String> ops = new TreeSet<>();
        for (String literal : literals()) if (!literal.matches("[a-z]+") && !PUNCTUATION.contains(literal)) ops.add(literal);
        return ops;
    }

    private static List<String> literals() {
        List<String> all = new ArrayList<>();
        for (int t = 0; t <= TnLexer.VOCABULARY.getMaxTokenType(); t++) {
            String literal = TnLexer.VOCABULARY.getLiteralName(t);
            if (literal != null) all.add(literal.substring(1, literal.length() - 1));
        }
        return all;
    }

    @Test
    void theCodeMirrorModesListsAreTheGrammarsAndTheRegistrys() throws Exception {
        String lists = javascript("keywords", keywords()) + javascript("builtins", Builtins.names()) + javascript("operators", operators());
        check(CODEMIRROR, "    // BEGIN " + MARK + "\n", "    // END " + MARK + "\n", lists);
    }

    @Test
    void thePygmentsLexersListsAreTheGrammarsAndTheRegistrys() throws Exception {
        String lists = python("KEYWORDS", keywords()) + python("BUILTINS", Builtins.names()) + python("OPERATORS", operators());
        check(PYGMENTS, "# BEGIN " + MARK + "\n", "# END " + MARK + "\n", lists);
    }

    @Test
    void theDerivationSeesWhatTheGrammarHas() {
        // Guards the derivation itself: if it found nothing, the files would be checked against nothing.
        assertTrue(keywords().containsAll(List.of("leg", "def", "for", "in", "true")), keywords().toString());
        assertTrue(operators().containsAll(List.of("->", ".*", "^", "<=", "=")), operators().toString());
        assertTrue(Builtins.names().containsAll(List.of("svd", "einsum", "random")));
    }

    private static void check(Path file, String begin, String end, String expected) throws Exception {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int from = text.indexOf(begin), to = text.indexOf(end);
        assertTrue(from >= 0 && to > from, file + " has no lines " + begin.strip() + " ... " + end.strip());
        String stored = text.substring(from + begin.length(), to);
        if (Boolean.getBoolean("tn.golden.update") && !stored.equals(expected)) {
            Files.writeString(file, text.substring(0, from + begin.length()) + expected + text.substring(to), StandardCharsets.UTF_8);
            return;
        }
        assertEquals(expected, stored, "the keywords, builtins and operators of " + file + " differ from grammar/Tn.g4 and "
                + "tn.interp.Builtins; mvn test -Dtest=EditorModesTest -Dtn.golden.update=true rewrites them (review the diff)");
    }

    private static String javascript(String name, Collection<String> words) {
        return "    var " + name + " = [\n" + wrapped(words, "        ") + "\n    ];\n";
    }

    private static String python(String name, Collection<String> words) {
        return name + " = (\n" + wrapped(words, "    ") + "\n)\n";
    }

    /** The words quoted and comma-separated, in lines of at most 100 characters. */
    private static String wrapped(Collection<String> words, String indent) {
        StringBuilder all = new StringBuilder(), line = new StringBuilder(indent);
        List<String> list = new ArrayList<>(words);
        for (int i = 0; i < list.size(); i++) {
            String item = "\"" + list.get(i) + "\"" + (i + 1 < list.size() ? "," : "");
            if (line.length() > indent.length() && line.length() + 1 + item.length() > 100) {
                all.append(line).append('\n');
                line = new StringBuilder(indent);
            }
            if (line.length() > indent.length()) line.append(' ');
            line.append(item);
        }
        return all.append(line).toString();
    }
}
