package tn.diag;

import java.util.ArrayList;
import java.util.List;

/** Collects diagnostics from a phase that keeps going after an error (the parser, the checker). */
public final class Diagnostics {
    private final List<Diagnostic> list = new ArrayList<>();

    public void add(Diagnostic d) { list.add(d); }

    public void add(TnError e) {
        list.addAll(e.related());
        list.add(e.diagnostic());
    }

    public boolean any() { return !list.isEmpty(); }

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
