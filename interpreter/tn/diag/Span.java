package tn.diag;

/**
 * A stretch of a script: [start, end) character offsets in {@code source}. Every AST node and
 * every diagnostic carries one, so errors can point at the exact text.
 */
public record Span(Source source, int start, int end) {

    public int line() { return source.lineOf(start); }

    public int column() { return source.columnOf(start); }

    /** The smallest span covering both. */
    public Span to(Span other) {
        return new Span(source, Math.min(start, other.start), Math.max(end, other.end));
    }

    /** `file:line:col`, the prefix of every message. */
    public String where() {
        return source.name() + ":" + line() + ":" + column();
    }

    public String text() {
        return source.text().substring(start, Math.min(end, source.text().length()));
    }
}
