package tn.interp;

import java.util.List;
import tn.diag.Diagnostic;
import tn.diag.Diagnostics;
import tn.diag.Span;
import tn.diag.TnError;

/** Errors inside an imported module: reported with their own locations, then the import's. */
public final class ImportError extends TnError {
    private final transient Diagnostics inner;

    ImportError(Span span, Diagnostics inner) {
        super(span, "errors in the imported module");
        this.inner = inner;
    }

    @Override public List<Diagnostic> related() { return inner.all(); }
}
