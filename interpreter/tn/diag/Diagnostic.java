package tn.diag;

/**
 * One user-facing error, formatted the same way everywhere:
 *
 * <pre>
 * examples/bad.tn:3:12: leg j has size 3 here but size 4 at 2:10
 *     C = A[i,j] B[j,k]
 *                ^^^^^^
 * </pre>
 */
public record Diagnostic(Span span, String message, boolean warning) {

    public Diagnostic(Span span, String message) {
        this(span, message, false);
    }

    /**
     * A warning: something the script does that is allowed but most likely not meant (an
     * accidental hyperedge); printed like an error, with `warning:` before the message, and the
     * script still runs.
     */
    public static Diagnostic warning(Span span, String message) {
        return new Diagnostic(span, message, true);
    }

    public String format() {
        if (span == null) return (warning ? "warning: " : "error: ") + message;
        StringBuilder sb = new StringBuilder();
        sb.append(span.where()).append(": ").append(warning ? "warning: " : "").append(message).append('\n');
        int line = span.line();
        String text = span.source().line(line);
        String shown = text.replace('\t', ' ');
        sb.append("    ").append(shown).append('\n');
        int col = span.column();
        int lineEnd = text.length() + 1;
        int width = Math.max(1, Math.min(span.end() - span.start(), lineEnd - col));
        sb.append("    ").append(" ".repeat(Math.max(0, col - 1))).append("^".repeat(width));
        return sb.toString();
    }

    @Override public String toString() { return format(); }
}
