package tn.repl;

/**
 * Collects the lines of one REPL input: more lines are needed while a bracket or brace is open,
 * a string is unterminated on purpose, or a line ends with a backslash. Comments and strings are
 * skipped when counting brackets.
 */
public final class InputBuffer {
    private final StringBuilder text = new StringBuilder();

    public void add(String line) {
        if (text.length() > 0) text.append('\n');
        text.append(line);
    }

    boolean isEmpty() { return text.toString().isBlank(); }

    String text() { return text.toString(); }

    void clear() { text.setLength(0); }

    /** True when the input so far is incomplete and the next line continues it. */
    public boolean needsMore() {
        String s = text.toString();
        if (s.endsWith("\\")) return true;
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inString) {
                if (c == '\\') i++;
                else if (c == '"' || c == '\n') inString = false;
                continue;
            }
            switch (c) {
                case '"' -> inString = true;
                case '#' -> {
                    while (i < s.length() && s.charAt(i) != '\n') i++;
                }
                case '(', '[', '{' -> depth++;
                case ')', ']', '}' -> depth--;
                default -> { }
            }
        }
        return depth > 0;
    }
}
