package tn.repl;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import tn.interp.Builtins;

/**
 * Tab completion candidates for a REPL line: `:commands` at the start, stdlib modules after
 * `import`, leg names inside `[...]` and after `->`, and otherwise tensor names, functions,
 * builtins, legs and keywords, with the keyword arguments (`bond=`) of the call the cursor is in.
 * Pure: the JLine completer is a thin adapter over it.
 */
public final class Completions {
    static final List<String> KEYWORDS = List.of("leg", "set", "import", "def", "return", "assert", "for", "in", "if", "else", "and", "or", "not", "true", "false");

    private Completions() {}

    /** Candidates for the word that ends at {@code cursor} in {@code line}. */
    public static List<String> candidates(Session session, String line, int cursor) {
        String before = line.substring(0, Math.min(cursor, line.length()));
        int start = wordStart(line, cursor);
        String prefix = before.substring(start);
        String head = before.substring(0, start);
        TreeSet<String> pool = new TreeSet<>();
        if (head.isBlank() && (prefix.startsWith(":") || (start > 0 && before.charAt(start - 1) == ':'))) {
            String p = prefix.startsWith(":") ? prefix : ":" + prefix;
            for (Commands.Command c : Commands.ALL) if (c.name().startsWith(p)) pool.add(prefix.startsWith(":") ? c.name() : c.name().substring(1));
            return new ArrayList<>(pool);
        }
        if (head.strip().equals("import")) {
            pool.addAll(tn.interp.Interpreter.stdlibModules());
        } else if (inLegPosition(head)) {
            pool.addAll(session.interpreter().legsOf(session.module()).keySet());
        } else {
            pool.addAll(keywordArguments(session, callee(head)));
            pool.addAll(session.module().globals().keySet());
            pool.addAll(Builtins.names());
            pool.addAll(session.interpreter().legsOf(session.module()).keySet());
            if (head.isBlank()) pool.addAll(KEYWORDS);
        }
        List<String> out = new ArrayList<>();
        for (String c : pool) if (c.startsWith(prefix)) out.add(c);
        return out;
    }

    /** Where the word being completed (the candidates replace it) starts, for a cursor in {@code line}. */
    public static int wordStart(String line, int cursor) {
        int start = Math.min(cursor, line.length());
        while (start > 0 && isNameChar(line.charAt(start - 1))) start--;
        return start;
    }

    /** The function whose call is open at the end of {@code head} (`svd(A, ` gives svd), or null. */
    public static String callee(String head) {
        int depth = 0;
        for (int i = head.length() - 1; i >= 0; i--) {
            char c = head.charAt(i);
            if (c == ')' || c == ']') depth++;
            else if (c == '[') depth--;
            else if (c == '(') {
                if (depth == 0) {
                    int start = i;
                    while (start > 0 && isNameChar(head.charAt(start - 1))) start--;
                    return start < i ? head.substring(start, i) : null;
                }
                depth--;
            }
        }
        return null;
    }

    /**
     * The keyword arguments `name=` of a builtin (from its signature: `svd(T, left=[..], bond=b)`
     * gives left= and bond=) or of a function of the session (its parameters with defaults).
     */
    static List<String> keywordArguments(Session session, String callee) {
        List<String> out = new ArrayList<>();
        if (callee == null) return out;
        if (session.module().globals().get(callee) instanceof tn.interp.Value.Function f) {
            for (tn.ast.Stmt.Def.Param p : f.def().params()) if (p.defaultValue() != null) out.add(p.name() + "=");
        } else if (Builtins.get(callee) != null) {
            java.util.regex.Matcher m = KEYWORD_IN_SIGNATURE.matcher(Builtins.get(callee).signature());
            while (m.find()) out.add(m.group(1) + "=");
        }
        return out;
    }

    private static final java.util.regex.Pattern KEYWORD_IN_SIGNATURE = java.util.regex.Pattern.compile("[(,]\\s*([A-Za-z_][A-Za-z_0-9']*)=");

    /** Inside an open `[` or right after `->`: leg names are wanted. */
    private static boolean inLegPosition(String head) {
        int depth = 0;
        for (int i = head.length() - 1; i >= 0; i--) {
            char c = head.charAt(i);
            if (c == ']') depth++;
            else if (c == '[') {
                if (depth == 0) return true;
                depth--;
            }
        }
        return head.stripTrailing().endsWith("->");
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '\'' || c == ':';
    }
}
