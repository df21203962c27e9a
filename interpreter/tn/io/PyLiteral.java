package tn.io;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parser for the small subset of Python literal syntax found in .npy headers: dicts, tuples,
 * lists, quoted strings, integers, True, False and None. numpy reads the header with
 * {@code ast.literal_eval}, so any spacing, key order and trailing comma Python accepts must be
 * accepted here too; a hand-written recursive-descent parser does that without guessing at
 * formatting the way a regular expression would.
 *
 * <p>Values map to Java as: dict → {@code Map<Object, Object>} (insertion order), tuple →
 * {@link Tuple}, list → {@code List<Object>}, str → {@code String}, int → {@code BigInteger}
 * (headers written by Python 2 may carry an {@code L} suffix, which is dropped), True/False →
 * {@code Boolean}, None → {@link #NONE}.
 */
final class PyLiteral {

    /** A Python tuple; kept apart from lists because numpy requires the shape to be a tuple. */
    record Tuple(List<Object> items) {}

    /** Python's None. */
    static final Object NONE = new Object() {
        @Override public String toString() { return "None"; }
    };

    /** Why the text is not a literal; {@code position} is a 0-based character offset. */
    static final class SyntaxError extends Exception {
        private static final long serialVersionUID = 1L;
        final int position;

        SyntaxError(String message, int position) {
            super(message);
            this.position = position;
        }
    }

    /** Real headers nest two or three levels; the limit keeps a hostile file from overflowing the stack. */
    private static final int MAX_DEPTH = 64;

    private final String text;
    private int pos;
    private int depth;

    private PyLiteral(String text) {
        this.text = text;
    }

    /** Parses {@code text} as exactly one literal, surrounded by optional whitespace. */
    static Object parse(String text) throws SyntaxError {
        PyLiteral p = new PyLiteral(text);
        Object value = p.value();
        p.skipSpace();
        if (p.pos < text.length()) throw p.error("unexpected " + p.describeNext() + " after the end of the value");
        return value;
    }

    private Object value() throws SyntaxError {
        skipSpace();
        if (pos >= text.length()) throw error("a value is missing");
        char c = text.charAt(pos);
        if (c == '{' || c == '(' || c == '[') {
            if (depth == MAX_DEPTH) throw error("values are nested more than " + MAX_DEPTH + " deep");
            depth++;
            Object nested = c == '{' ? dict() : c == '(' ? tupleOrGroup() : list();
            depth--;
            return nested;
        }
        if (c == '\'' || c == '"') return string();
        if (c == '-' || c == '+' || isDigit(c)) return integer();
        if (Character.isLetter(c) || c == '_') {
            int start = pos;
            while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) pos++;
            String word = text.substring(start, pos);
            // u'...' is a Python 2 unicode string literal, still legal in Python 3.
            if ((word.equals("u") || word.equals("U")) && pos < text.length()
                    && (text.charAt(pos) == '\'' || text.charAt(pos) == '"')) {
                return string();
            }
            switch (word) {
                case "True": return Boolean.TRUE;
                case "False": return Boolean.FALSE;
                case "None": return NONE;
                default: throw new SyntaxError("unexpected name '" + word + "' (a value must be a string, number, "
                        + "tuple, list, dict, True, False or None)", start);
            }
        }
        throw error("unexpected " + describeNext() + " where a value was expected");
    }

    private Map<Object, Object> dict() throws SyntaxError {
        expect('{');
        Map<Object, Object> map = new LinkedHashMap<>();
        while (true) {
            skipSpace();
            if (peek('}')) { pos++; return map; }
            Object key = value();
            skipSpace();
            if (!peek(':')) throw error("expected ':' after the key " + repr(key) + " but found " + describeNext());
            pos++;
            Object val = value();
            map.put(key, val);
            skipSpace();
            if (peek(',')) { pos++; continue; }
            if (peek('}')) { pos++; return map; }
            throw error("expected ',' or '}' after the value of " + repr(key) + " but found " + describeNext());
        }
    }

    /** {@code ()}, {@code (x,)} and {@code (x, y)} are tuples; {@code (x)} is just x, as in Python. */
    private Object tupleOrGroup() throws SyntaxError {
        expect('(');
        List<Object> items = new ArrayList<>();
        boolean sawComma = false;
        while (true) {
            skipSpace();
            if (peek(')')) { pos++; break; }
            items.add(value());
            skipSpace();
            if (peek(',')) { pos++; sawComma = true; continue; }
            if (peek(')')) { pos++; break; }
            throw error("expected ',' or ')' in a tuple but found " + describeNext());
        }
        if (items.size() == 1 && !sawComma) return items.get(0);
        return new Tuple(items);
    }

    private List<Object> list() throws SyntaxError {
        expect('[');
        List<Object> items = new ArrayList<>();
        while (true) {
            skipSpace();
            if (peek(']')) { pos++; return items; }
            items.add(value());
            skipSpace();
            if (peek(',')) { pos++; continue; }
            if (peek(']')) { pos++; return items; }
            throw error("expected ',' or ']' in a list but found " + describeNext());
        }
    }

    private String string() throws SyntaxError {
        int start = pos;
        char quote = text.charAt(pos++);
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length() || text.charAt(pos) == '\n') {
                throw new SyntaxError("string starting here is not closed", start);
            }
            char c = text.charAt(pos++);
            if (c == quote) return sb.toString();
            if (c != '\\') { sb.append(c); continue; }
            if (pos >= text.length()) throw new SyntaxError("string starting here is not closed", start);
            char e = text.charAt(pos++);
            switch (e) {
                case 'n': sb.append('\n'); break;
                case 't': sb.append('\t'); break;
                case 'r': sb.append('\r'); break;
                case '0': sb.append('\0'); break;
                case '\\': case '\'': case '"': sb.append(e); break;
                case 'x': sb.append((char) hex(2)); break;
                case 'u': sb.append((char) hex(4)); break;
                default: sb.append('\\').append(e); // Python keeps unknown escapes verbatim
            }
        }
    }

    private int hex(int digits) throws SyntaxError {
        if (pos + digits > text.length()) throw error("incomplete escape sequence in a string");
        try {
            int v = Integer.parseInt(text.substring(pos, pos + digits), 16);
            pos += digits;
            return v;
        } catch (NumberFormatException e) {
            throw error("bad escape sequence in a string");
        }
    }

    private BigInteger integer() throws SyntaxError {
        int start = pos;
        boolean negative = false;
        while (peek('-') || peek('+')) {  // literal_eval accepts unary signs, even repeated ones
            if (text.charAt(pos) == '-') negative = !negative;
            pos++;
            skipSpace();
        }
        int digitsStart = pos;
        while (pos < text.length() && (isDigit(text.charAt(pos)) || text.charAt(pos) == '_')) pos++;
        String digits = text.substring(digitsStart, pos).replace("_", "");
        if (digits.isEmpty()) throw error("expected a number after the sign but found " + describeNext());
        if (pos < text.length() && (text.charAt(pos) == '.' || text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            throw new SyntaxError("only whole numbers can appear in a .npy header", start);
        }
        if (peek('L') || peek('l')) pos++;  // Python 2 long suffix
        BigInteger v = new BigInteger(digits);
        return negative ? v.negate() : v;
    }

    private void expect(char c) throws SyntaxError {
        if (!peek(c)) throw error("expected '" + c + "' but found " + describeNext());
        pos++;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) pos++;
    }

    private String describeNext() {
        if (pos >= text.length()) return "the end of the header";
        char c = text.charAt(pos);
        if (c < 0x20 || c == 0x7f) return String.format("character \\x%02x", (int) c);
        return c == '\'' ? "\"'\"" : "'" + c + "'";  // quoted the way Python's repr would
    }

    private SyntaxError error(String message) {
        return new SyntaxError(message, pos);
    }

    /** Python's repr of a parsed value, for messages that quote what the header contained. */
    static String repr(Object v) {
        if (v instanceof String s) return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
        if (v instanceof Boolean b) return b ? "True" : "False";
        if (v instanceof Tuple t) {
            StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < t.items().size(); i++) {
                if (i > 0) sb.append(", ");
                sb.append(repr(t.items().get(i)));
            }
            if (t.items().size() == 1) sb.append(',');
            return sb.append(')').toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) sb.append(", ");
                sb.append(repr(l.get(i)));
            }
            return sb.append(']').toString();
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) sb.append(", ");
                first = false;
                sb.append(repr(e.getKey())).append(": ").append(repr(e.getValue()));
            }
            return sb.append('}').toString();
        }
        return String.valueOf(v);
    }
}
