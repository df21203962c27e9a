package tn.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Map;
import tn.ast.Stmt;
import tn.interp.Builtin;
import tn.interp.Builtins;
import tn.interp.Printer;
import tn.interp.Value;
import tn.repl.Completions;
import tn.repl.InputBuffer;
import tn.repl.Session;

/**
 * The kernel's answers that only read the session: completion (the REPL's {@link Completions}),
 * inspection (Shift-Tab: a builtin's signature and summary, a function's parameters, a tensor's
 * legs, a leg's size) and whether a cell is complete (the REPL's {@link InputBuffer}). Cursor
 * positions in Jupyter count Unicode code points; Java strings count UTF-16 units, so they are
 * converted at the edges.
 */
final class Requests {
    private Requests() {}

    static JsonObject complete(Session session, String code, int cursorPos) {
        int cursor = offset(code, cursorPos);
        int lineStart = code.lastIndexOf('\n', cursor - 1) + 1;
        String line = code.substring(lineStart, cursor);
        int start = lineStart + Completions.wordStart(line, line.length());
        JsonArray matches = new JsonArray();
        for (String c : Completions.candidates(session, line, line.length())) matches.add(c);
        JsonObject r = new JsonObject();
        r.add("matches", matches);
        r.addProperty("cursor_start", code.codePointCount(0, start));
        r.addProperty("cursor_end", code.codePointCount(0, cursor));
        r.add("metadata", new JsonObject());
        r.addProperty("status", "ok");
        return r;
    }

    static JsonObject inspect(Session session, String code, int cursorPos) {
        int cursor = offset(code, cursorPos);
        String text = describe(session, wordAt(code, cursor));
        if (text == null) text = describe(session, Completions.callee(code.substring(0, cursor)));
        JsonObject r = new JsonObject();
        r.addProperty("status", "ok");
        r.addProperty("found", text != null);
        JsonObject data = new JsonObject();
        if (text != null) data.addProperty("text/plain", text);
        r.add("data", data);
        r.add("metadata", new JsonObject());
        return r;
    }

    /** `complete`, or `incomplete` with an indent while a bracket or block is open. */
    static JsonObject isComplete(String code) {
        InputBuffer buffer = new InputBuffer();
        buffer.add(code);
        JsonObject r = new JsonObject();
        if (buffer.needsMore()) {
            r.addProperty("status", "incomplete");
            r.addProperty("indent", "    ");
        } else {
            r.addProperty("status", "complete");
        }
        return r;
    }

    /** What a name stands for in the session, for Shift-Tab; null when it is not known. */
    static String describe(Session session, String name) {
        if (name == null || name.isEmpty()) return null;
        Value v = session.module().globals().get(name);
        if (v instanceof Value.Function f) return "def " + f.def().name() + "(" + params(f.def()) + ")\n\na function defined in this session";
        if (v instanceof Value.TensorValue t) {
            return name + ": " + Printer.signature(t.net().legs(), t.net().sizes(), t.net().dtype().label());
        }
        if (v != null) return name + ": " + v.kind();
        Builtin b = Builtins.get(name);
        if (b != null) return b.signature() + "\n\n" + b.summary();
        Map<String, Long> legs = session.interpreter().legsOf(session.module());
        if (legs.containsKey(name)) return "leg " + name + " = " + legs.get(name);
        return null;
    }

    private static String params(Stmt.Def def) {
        List<String> out = new java.util.ArrayList<>();
        for (Stmt.Def.Param p : def.params()) out.add(p.defaultValue() == null ? p.name() : p.name() + "=" + p.defaultValue().span().text());
        return String.join(", ", out);
    }

    /** The name the cursor is in or just after. */
    static String wordAt(String code, int cursor) {
        int start = cursor, end = cursor;
        while (start > 0 && isNameChar(code.charAt(start - 1))) start--;
        while (end < code.length() && isNameChar(code.charAt(end))) end++;
        return code.substring(start, end);
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '\'';
    }

    /** The UTF-16 index of a code-point position (clamped to the text). */
    static int offset(String code, int codePoints) {
        int n = code.codePointCount(0, code.length());
        return code.offsetByCodePoints(0, Math.max(0, Math.min(codePoints, n)));
    }
}
