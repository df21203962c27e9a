package tn.diag;

/**
 * A mistake in the user's script (or its data), located at a span. Thrown by every phase and
 * caught by the driver, which prints it as a {@link Diagnostic}; never a Java stack trace.
 */
public class TnError extends RuntimeException {
    private final transient Span span;

    public TnError(Span span, String message) {
        super(message, null, false, false);
        this.span = span;
    }

    public Span span() { return span; }

    public Diagnostic diagnostic() { return new Diagnostic(span, getMessage()); }

    /** Errors that explain this one and are reported before it (e.g. inside an imported file). */
    public java.util.List<Diagnostic> related() { return java.util.List.of(); }
}
