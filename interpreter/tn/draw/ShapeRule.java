package tn.draw;

import java.util.Locale;
import java.util.Set;

/**
 * Chooses a tensor's glyph. The rule is small on purpose: copy tensors are dots, sums boxes; a
 * tensor is a triangle when it is marked as an isometry and a square when marked orthogonal or
 * unitary, either by name (the {@code --isometry} / {@code --unitary} options, the
 * {@code isometry=} / {@code unitary=} keywords of {@code draw()}) or by the kind of thing that
 * made it ({@code isometry}, {@code orthogonal}, {@code unitary}: what a decomposition builtin
 * returning U and V can set on its results); everything else is a circle.
 */
public final class ShapeRule {
    private final Set<String> isometries;
    private final Set<String> unitaries;

    public ShapeRule(Set<String> isometries, Set<String> unitaries) {
        this.isometries = Set.copyOf(isometries);
        this.unitaries = Set.copyOf(unitaries);
    }

    /** The shape of a dense tensor with this name (may be null) and kind (what made it). */
    public Shape tensor(String name, String kind) {
        String k = kind == null ? "" : kind.toLowerCase(Locale.ROOT);
        if ((name != null && isometries.contains(name)) || k.equals("isometry")) return Shape.TRIANGLE;
        if ((name != null && unitaries.contains(name)) || k.equals("orthogonal") || k.equals("unitary")) return Shape.SQUARE;
        return Shape.CIRCLE;
    }

    /**
     * Which leg a triangle's tip points to: its smallest leg (the side an isometry maps into), the
     * last of the smallest when several tie. The other legs leave from the base.
     */
    public static int tipLeg(long[] sizes) {
        int best = 0;
        for (int k = 1; k < sizes.length; k++) if (sizes[k] <= sizes[best]) best = k;
        return best;
    }
}
