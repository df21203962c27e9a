package tn.draw;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The glyph marks a script gives in its {@code draw()} calls ({@code isometry="U V"},
 * {@code unitary="Q"}), the blocks they open ({@code expand=}) how they draw heads ({@code heads=}), the intermediates they keep as boxes ({@code inline=false}, {@code boxes=}) and the sites of long chains they keep ({@code ellipsis=}), collected while {@code tn draw} checks the script, so that drawing the
 * script's networks uses them too. Outside such a collection, recording does nothing.
 */
public final class Marks {
    private static final ThreadLocal<Marks> ACTIVE = new ThreadLocal<>();

    final Set<String> isometries = new LinkedHashSet<>();
    final Set<String> unitaries = new LinkedHashSet<>();
    /** The blocks a draw() call opens, by the name of the network it draws. */
    final java.util.Map<String, java.util.List<String>> expand = new java.util.LinkedHashMap<>();

    /** How a draw() call draws the head leg (heads=), by the name of the network it draws. */
    final java.util.Map<String, String> heads = new java.util.LinkedHashMap<>();

    /** The named intermediates a draw() call keeps as boxes (inline=false, boxes=), by network name. */
    final java.util.Map<String, Set<String>> boxes = new java.util.LinkedHashMap<>();

    /** The sites a draw() call keeps at each end of a long chain (ellipsis=), by network name. */
    final java.util.Map<String, Integer> ellipsis = new java.util.LinkedHashMap<>();

    private Marks() {}

    /** Called by {@code draw()}: remembers the names it marks, when a collection is running. */
    public static void record(Set<String> isometries, Set<String> unitaries) {
        Marks m = ACTIVE.get();
        if (m == null) return;
        m.isometries.addAll(isometries);
        m.unitaries.addAll(unitaries);
    }

    /** Called by {@code draw(x, ..., expand=...)}: the blocks to open when the network named {@code name} is drawn. */
    public static void expand(String name, java.util.List<String> blocks) {
        Marks m = ACTIVE.get();
        if (m == null || blocks.isEmpty()) return;
        m.expand.put(name, java.util.List.copyOf(blocks));
    }

    /** Called by {@code draw(x, ..., heads=...)}: how the head leg is drawn when the network named {@code name} is drawn. */
    public static void heads(String name, String heads) {
        Marks m = ACTIVE.get();
        if (m == null || heads.equals(DrawOptions.defaults().heads())) return;
        m.heads.put(name, heads);
    }

    /** Called by {@code draw(x, ..., inline=false)} or {@code boxes=}: the intermediates kept as boxes when {@code name} is drawn. */
    public static void boxes(String name, Set<String> boxed) {
        Marks m = ACTIVE.get();
        if (m == null || boxed.isEmpty()) return;
        m.boxes.put(name, Set.copyOf(boxed));
    }

    /** Called by {@code draw(x, ..., ellipsis=k)}: the sites kept at each end when the network named {@code name} is drawn. */
    public static void ellipsis(String name, int keep) {
        Marks m = ACTIVE.get();
        if (m == null || keep == 0) return;
        m.ellipsis.put(name, keep);
    }

    /** Runs {@code body}, collecting the marks recorded meanwhile into {@code into}. */
    static <T> T collect(Marks into, Supplier<T> body) {
        Marks before = ACTIVE.get();
        ACTIVE.set(into);
        try {
            return body.get();
        } finally {
            if (before == null) ACTIVE.remove();
            else ACTIVE.set(before);
        }
    }

    static Marks empty() {
        return new Marks();
    }
}
