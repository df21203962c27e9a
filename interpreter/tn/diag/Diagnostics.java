package tn.diag;

import java.util.ArrayList;
import java.util.List;

/** Collects diagnostics (errors and warnings) from a phase that keeps going after an error (the parser, the checker). */
public final class Diagnostics {
    private final List<Diagnostic> list = new ArrayList<>();

    /**
     * Adds a diagnostic unless the same one (same place, same message) is there already: an error
     * found again at each use of a value (a network too large to contract, kept lazily) is told once.
     */
    public void add(Diagnostic d) {
        if (!list.contains(d)) list.add(d);
    }

    public void add(TnError e) {
        e.related().forEach(this::add);
        add(e.diagnostic());
    }

    /** Whether there is an error (warnings do not stop a script). */
    public boolean any() { return list.stream().anyMatch(d -> !d.warning()); }

    public List<Diagnostic> all() { return List.copyOf(list); }

    public int size() { return list.size(); }

    /** All messages, separated by blank lines, as printed to the user. */
    public String format() {
        StringBuilder sb = new StringBuilder();
        for (Diagnostic d : list) {
            if (sb.length() > 0) sb.append('\n');
            sb.append(d.format()).append('\n');
        }
        return sb.toString();
    }
}
