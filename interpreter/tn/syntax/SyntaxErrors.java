package tn.syntax;

import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;
import tn.diag.Diagnostic;
import tn.diag.Diagnostics;
import tn.diag.Source;
import tn.diag.Span;
import tn.syntax.gen.TnLexer;

/**
 * Turns ANTLR's syntax errors into tn diagnostics with readable messages
 * (`unexpected ')'; expected a leg name`) instead of ANTLR's token-set dumps. Replaces ANTLR's
 * console listener; stops recording after {@link #MAX} errors, since later ones are mostly echoes.
 */
final class SyntaxErrors extends BaseErrorListener {
    static final int MAX = 10;

    private final Source source;
    private final Diagnostics diagnostics;
    private int lastOffset = -1;

    SyntaxErrors(Source source, Diagnostics diagnostics) {
        this.source = source;
        this.diagnostics = diagnostics;
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int col,
                            String msg, RecognitionException e) {
        if (diagnostics.size() >= MAX) return;
        Token token = offendingSymbol instanceof Token t ? t : null;
        int start = token != null ? Math.max(0, token.getStartIndex()) : offsetOf(line, col);
        int end = token != null && token.getType() != Token.EOF ? token.getStopIndex() + 1 : start + 1;
        if (token != null && (token.getType() == Token.EOF || start >= source.text().length())) {
            // Point just after the last thing written, where the missing text belongs.
            String text = source.text();
            int last = text.length();
            while (last > 0 && Character.isWhitespace(text.charAt(last - 1))) last--;
            start = last;
            end = last + 1;
        }
        if (start == lastOffset) return; // one report per place: recovery often re-reports it
        lastOffset = start;
        String message = explain(recognizer, token, msg);
        diagnostics.add(new Diagnostic(new Span(source, start, Math.max(end, start + 1)), message));
    }

    private int offsetOf(int line, int col) {
        int offset = 0;
        for (int l = 1; l < line; l++) offset += source.line(l).length() + 1;
        return offset + col;
    }

    private static String explain(Recognizer<?, ?> recognizer, Token token, String antlrMessage) {
        if (token == null) return antlrMessage;
        if (token.getType() == TnLexer.ERRCHAR) {
            String c = token.getText();
            if (c.equals("\"")) return "unterminated string (a string must end with \" on the same line)";
            return "unexpected character '" + c + "'";
        }
        String what = describe(token);
        if (antlrMessage.startsWith("missing ")) {
            String missing = antlrMessage.substring(8, antlrMessage.indexOf(" at "));
            return "expected " + missing + " before " + what;
        }
        String expected = recognizer instanceof Parser p ? expected(p) : "";
        return "unexpected " + what + (expected.isEmpty() ? "" : "; expected " + expected);
    }

    /** How a token is named in a message. */
    static String describe(Token token) {
        return switch (token.getType()) {
            case Token.EOF -> "end of file";
            case TnLexer.NL -> "end of line";
            case TnLexer.CALL -> "call '" + token.getText() + "...'";
            case TnLexer.STRING -> "string " + token.getText();
            case TnLexer.NUMBER -> "number " + token.getText();
            case TnLexer.NAME -> "name '" + token.getText() + "'";
            default -> "'" + token.getText() + "'";
        };
    }

    /** A short phrase for what the parser expected, or "" when the set is too large to help. */
    private static String expected(Parser parser) {
        IntervalSet set;
        try {
            set = parser.getExpectedTokens();
        } catch (RuntimeException ex) {
            return "";
        }
        List<String> names = new ArrayList<>();
        for (int type : set.toArray()) {
            String name = switch (type) {
                case Token.EOF -> "end of file";
                case TnLexer.NL -> "end of line";
                case TnLexer.NAME -> "a name";
                case TnLexer.CALL -> null;
                case TnLexer.NUMBER -> "a number";
                case TnLexer.STRING -> "a string";
                default -> parser.getVocabulary().getLiteralName(type);
            };
            if (name != null && !names.contains(name)) names.add(name);
        }
        if (names.isEmpty() || names.size() > 5) return "";
        if (names.size() == 1) return names.get(0);
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
    }
}
