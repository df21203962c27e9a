package tn.syntax;

import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;
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
    /** The line of the last error answered with a hint about a Python habit. */
    private int hintedLine = -1;

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
        int at = source.lineOf(start);
        if (at == hintedLine) return; // the rest of a line written out of a Python habit is noise
        String habit = token != null && recognizer instanceof Parser p ? pythonHabit(p.getTokenStream(), token) : null;
        if (habit != null) hintedLine = at;
        String message = explain(recognizer, token, msg, habit);
        diagnostics.add(new Diagnostic(new Span(source, start, Math.max(end, start + 1)), message));
    }

    private int offsetOf(int line, int col) {
        int offset = 0;
        for (int l = 1; l < line; l++) offset += source.line(l).length() + 1;
        return offset + col;
    }

    private static String explain(Recognizer<?, ?> recognizer, Token token, String antlrMessage, String habit) {
        if (token == null) return antlrMessage;
        if (token.getType() == TnLexer.ERRCHAR) {
            String c = token.getText();
            if (c.equals("\"")) return "unterminated string (a string must end with \" on the same line)";
            return "unexpected character '" + c + "'" + (habit != null ? ": " + habit : "");
        }
        String what = describe(token);
        if (habit != null) return "unexpected " + what + ": " + habit;
        if (antlrMessage.startsWith("missing ")) {
            String missing = antlrMessage.substring(8, antlrMessage.indexOf(" at "));
            return "expected " + missing + " before " + what;
        }
        String expected = recognizer instanceof Parser p ? expected(p) : "";
        return "unexpected " + what + (expected.isEmpty() ? "" : "; expected " + expected);
    }

    /**
     * What to say when the offending token looks like numpy or Python written out of habit
     * (`A @ B`, `x**2`, `np.dot(A, B)`, `A[:, 0]`, `x += 1`, `import numpy as np`), or null.
     */
    private static String pythonHabit(TokenStream tokens, Token token) {
        String text = token.getText();
        int at = token.getTokenIndex();
        Token before = at > 0 ? tokens.get(at - 1) : null;
        String prev = before != null ? before.getText() : "";
        if (token.getType() == TnLexer.ERRCHAR) {
            return switch (text) {
                case "@" -> NumpyHints.PRODUCT;
                case ":" -> {
                    int ahead = at + 2 - tokens.index(); // LT(1) is the token at index()
                    Token next = ahead >= 1 ? tokens.LT(ahead) : tokens.get(at + 1);
                    boolean endsLine = next == null || next.getType() == TnLexer.NL || next.getType() == Token.EOF;
                    yield endsLine ? "tn writes blocks in braces: for l in range(3) { ... }, def f(x) { ... }, if c { ... }"
                            : "tn has no slices; pick(A, i=0) takes the slice with leg i fixed at 0";
                }
                default -> null;
            };
        }
        if (text.equals("*") && prev.equals("*")) return NumpyHints.POWER;
        if (text.equals("=") && List.of("+", "-", "*", "/").contains(prev)) {
            return "tn has no " + prev + "=; write x = x " + prev + " ...";
        }
        if (token.getType() == TnLexer.CALL && prev.equals(".") && at > 1) {
            return NumpyHints.dottedCall(tokens.get(at - 2).getText(), text.substring(0, text.length() - 1));
        }
        if (text.equals("as") && at > 1 && tokens.get(at - 2).getText().equals("import")) {
            return "tn has no Python modules; import loads a module of tn's standard library (import linalg) or a script (import \"lib.tn\")";
        }
        return null;
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
