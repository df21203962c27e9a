package tn.interp;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tn.interp.builtins.Bubbles;
import tn.interp.builtins.Creation;
import tn.interp.builtins.Decompositions;
import tn.interp.builtins.Derivatives;
import tn.interp.builtins.Drawing;
import tn.interp.builtins.Einsum;
import tn.interp.builtins.FileIo;
import tn.interp.builtins.Indexing;
import tn.interp.builtins.Inspect;
import tn.interp.builtins.LowRank;
import tn.interp.builtins.Paths;
import tn.interp.builtins.ScriptArgs;
import tn.interp.builtins.Spectra;
import tn.interp.builtins.Text;
import tn.interp.builtins.Transformers;
import tn.interp.builtins.Values;

/** The registry of builtin functions: every builtin is registered here, once, by name. */
public final class Builtins {
    private static final Map<String, Builtin> ALL = new TreeMap<>();

    /** The builtins by topic, in the order docs/builtins.md lists them. */
    private static final Map<String, List<Builtin>> GROUPS = new java.util.LinkedHashMap<>();

    static {
        GROUPS.put("Creating tensors", Creation.all());
        GROUPS.put("Bubbles (functions applied to a network)", Bubbles.all());
        GROUPS.put("Inspecting values", Inspect.all());
        GROUPS.put("Files", FileIo.all());
        GROUPS.put("einsum", Einsum.all());
        GROUPS.put("Drawing", Drawing.all());
        GROUPS.put("Decompositions", Decompositions.all());
        GROUPS.put("Low-rank formats", LowRank.all());
        GROUPS.put("Spectra, directions and charts", Spectra.all());
        GROUPS.put("Derivatives", Derivatives.all());
        GROUPS.put("Values: tuples, records, numbers", Values.all());
        GROUPS.put("Indexing, slicing, stacking", Indexing.all());
        GROUPS.put("Transformers", Transformers.all());
        GROUPS.put("Path expansion", Paths.all());
        GROUPS.put("Text", Text.all());
        GROUPS.put("Script arguments", ScriptArgs.all());
        for (List<Builtin> group : GROUPS.values()) {
            for (Builtin b : group) {
                if (ALL.put(b.name(), b) != null) throw new IllegalStateException("builtin " + b.name() + " registered twice");
            }
        }
    }

    private Builtins() {}

    public static Builtin get(String name) { return ALL.get(name); }

    public static Collection<String> names() { return ALL.keySet(); }

    public static Collection<Builtin> all() { return ALL.values(); }

    /**
     * docs/builtins.md: every builtin's signature and summary, by topic, from this registry, the
     * one source that `:help NAME`, `NAME?` and the notebook's inspection (Shift-Tab) show too.
     */
    public static String reference() {
        StringBuilder s = new StringBuilder();
        s.append("# Builtin functions\n\n");
        s.append("Every builtin function of tn, by topic: its signature and what it does. This page is generated\n");
        s.append("from the registry of builtins (`tn.interp.Builtins`), the same text that `:help NAME` and `NAME?`\n");
        s.append("print in the REPL and that a notebook shows on Shift-Tab; `docs/language.md` explains the language\n");
        s.append("around them. The tests fail when this page and the registry differ\n");
        s.append("(`mvn test -Dtest=DocsTest -Dtn.golden.update=true` rewrites it).\n");
        for (Map.Entry<String, List<Builtin>> g : GROUPS.entrySet()) {
            s.append("\n## ").append(g.getKey()).append("\n\n| builtin | what it does |\n|---|---|\n");
            List<Builtin> sorted = new ArrayList<>(g.getValue());
            sorted.sort(java.util.Comparator.comparing(Builtin::name));
            for (Builtin b : sorted) {
                s.append("| `").append(cell(b.signature())).append("` | ").append(cell(b.summary())).append(" |\n");
            }
        }
        return s.toString();
    }

    /** Text fit for a Markdown table cell: pipes escaped, line breaks as spaces. */
    private static String cell(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
