package tn.syntax;

import java.util.List;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import tn.ast.Stmt;
import tn.diag.Diagnostics;
import tn.diag.Source;
import tn.diag.TnError;
import tn.syntax.gen.TnLexer;
import tn.syntax.gen.TnParser;

/**
 * The one entry point from text to AST: lexes and parses a {@link Source} with the ANTLR grammar
 * (grammar/Tn.g4), collecting every syntax error, then builds tn's own AST.
 */
public final class TnParserFacade {
    private TnParserFacade() {}

    /** The program's statements, or null when there were syntax errors (added to diagnostics). */
    public static List<Stmt> parse(Source source, Diagnostics diagnostics) {
        SyntaxErrors listener = new SyntaxErrors(source, diagnostics);
        TnLexer lexer = new TnLexer(CharStreams.fromString(source.text(), source.name()));
        lexer.removeErrorListeners();
        lexer.addErrorListener(listener);
        TnParser parser = new TnParser(new CommonTokenStream(lexer));
        parser.removeErrorListeners();
        parser.addErrorListener(listener);
        int before = diagnostics.size();
        TnParser.ProgramContext tree = parser.program();
        if (diagnostics.size() > before) return null;
        try {
            return new AstBuilder(source).program(tree);
        } catch (TnError e) {
            diagnostics.add(e);
            return null;
        }
    }
}
