package tn.draw;

import java.util.Set;

/**
 * How to draw: leg sizes in the labels, which tensors are isometries (triangles) or orthogonal /
 * unitary (squares), the layout mode, the layout's random seed, and which blocks of a residual
 * stream to open ({@code expand}: block names such as {@code attention0}, or a depth: {@code 1}
 * opens every block, 2 also draws in full what a block reads from several places, such as the layer
 * norm of an attention block; empty, the default, draws each block as a labelled box), and how the
 * head leg is drawn ({@code heads}: {@code leg}, a line like any other, or {@code stacked}, each
 * tensor that carries it drawn as stacked copies of itself, the notation's picture of many heads),
 * and which named intermediates stay labelled boxes instead of being drawn as their networks
 * ({@code boxed}: names, or {@link #ALL_NAMED}; empty, the default, draws every network inline),
 * and how many sites a long chain keeps at each end ({@code ellipsis}: k, the middle sites drawn as
 * one ellipsis per row, see {@link Ellipsis}; 0, the default, draws every site).
 */
public record DrawOptions(boolean sizes, Set<String> isometries, Set<String> unitaries, String layout, long seed,
        java.util.List<String> expand, String heads, Set<String> boxed, int ellipsis) {
    /** The leg {@code heads="stacked"} draws as stacked copies of the glyphs that carry it. */
    static final String HEAD_LEG = "head";

    public DrawOptions {
        isometries = Set.copyOf(isometries);
        unitaries = Set.copyOf(unitaries);
        expand = java.util.List.copyOf(expand);
        boxed = Set.copyOf(boxed);
        if (!layout.equals("auto") && !layout.equals("layered") && !layout.equals("force")) {
            throw new IllegalArgumentException("layout must be auto, layered or force, not '" + layout + "'");
        }
        if (!heads.equals("leg") && !heads.equals("stacked")) {
            throw new IllegalArgumentException("heads must be leg (the head leg drawn as a line) or stacked (each tensor with a head leg"
                    + " drawn as stacked copies), not '" + heads + "'");
        }
        if (ellipsis < 0) {
            throw new IllegalArgumentException("ellipsis= is how many sites of a long chain to keep at each end (ellipsis=3, or true for "
                    + DEFAULT_ELLIPSIS + "; 0 or false draws every site), not " + ellipsis);
        }
    }

    /** The sites kept at each end with {@code ellipsis=true}. */
    public static final int DEFAULT_ELLIPSIS = 3;

    public static DrawOptions defaults() {
        return new DrawOptions(false, Set.of(), Set.of(), "auto", 1, java.util.List.of(), "leg", Set.of(), 0);
    }

    public DrawOptions withSizes(boolean on) {
        return new DrawOptions(on, isometries, unitaries, layout, seed, expand, heads, boxed, ellipsis);
    }

    public DrawOptions withMarks(Set<String> isometries, Set<String> unitaries) {
        return new DrawOptions(sizes, isometries, unitaries, layout, seed, expand, heads, boxed, ellipsis);
    }

    public DrawOptions withLayout(String layout) {
        return new DrawOptions(sizes, isometries, unitaries, layout, seed, expand, heads, boxed, ellipsis);
    }

    public DrawOptions withExpand(java.util.List<String> blocks) {
        return new DrawOptions(sizes, isometries, unitaries, layout, seed, blocks, heads, boxed, ellipsis);
    }

    public DrawOptions withHeads(String heads) {
        return new DrawOptions(sizes, isometries, unitaries, layout, seed, expand, heads, boxed, ellipsis);
    }

    /**
     * Named intermediates kept as labelled boxes instead of their networks: the names, or
     * {@link #ALL_NAMED} for every one (inline=false).
     */
    public DrawOptions withBoxed(Set<String> names) {
        return new DrawOptions(sizes, isometries, unitaries, layout, seed, expand, heads, names, ellipsis);
    }

    /** Long chains keep {@code k} sites at each end, the rest drawn as an ellipsis; 0 draws every site. */
    public DrawOptions withEllipsis(int k) {
        return new DrawOptions(sizes, isometries, unitaries, layout, seed, expand, heads, boxed, k);
    }

    /** In {@code boxed}: every named intermediate is a box. */
    public static final String ALL_NAMED = "*";

    /** Whether the intermediate named {@code name} is drawn as a box. */
    boolean boxes(String name) {
        return name != null && (boxed.contains(ALL_NAMED) || boxed.contains(name));
    }

    /** The leg drawn as stacked copies instead of a line, or null. */
    String stackedLeg() {
        return heads.equals("stacked") ? HEAD_LEG : null;
    }

    /** Whether a block of a residual stream is drawn open: named in expand, or expand gives a depth of 1 or more. */
    boolean expands(String block) {
        for (String e : expand) {
            if (e.equals(block) || e.equals("all") || (e.matches("[0-9]+") && Integer.parseInt(e) >= 1)) return true;
        }
        return false;
    }

    /** The depth expand= gives: the largest number in it, 1 for "all" or block names, 0 when empty. */
    int depth() {
        int d = 0;
        for (String e : expand) d = Math.max(d, e.matches("[0-9]+") ? Integer.parseInt(e) : 1);
        return d;
    }

    ShapeRule rule() {
        return new ShapeRule(isometries, unitaries);
    }

    Layout.Mode mode() {
        return switch (layout) {
            case "layered" -> Layout.Mode.LAYERED;
            case "force" -> Layout.Mode.FORCE;
            default -> Layout.Mode.AUTO;
        };
    }
}
