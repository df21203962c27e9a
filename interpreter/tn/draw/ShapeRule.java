package tn.draw;

import java.util.Locale;
import java.util.Set;

/**
 * Chooses a tensor's glyph. The rule is small on purpose: copy tensors are dots, sums boxes; a
 * tensor is a triangle when it is marked as an isometry (a square when that isometry is square,
 * hence orthogonal) and a square when marked orthogonal or
 * unitary, either by name (the {@code --isometry} / {@code --unitary} options, the
 * {@code isometry=} / {@code unitary=} keywords of {@code draw()}) or by the kind of thing that
 * made it ({@code isometry}, {@code orthogonal}, {@code unitary}: what a decomposition builtin
 * returning U and V can set on its results; the cores {@code canonical()} makes left- or
 * right-canonical, whose tips point to the orthogonality centre); everything else is a circle.
 */
public final class ShapeRule {
    private final Set<String> isometries;
    private final Set<String> unitaries;

    public ShapeRule(Set<String> isometries, Set<String> unitaries) {
        this.isometries = Set.copyOf(isometries);
        this.unitaries = Set.copyOf(unitaries);
    }

    /** The shape of a dense tensor with this name (may be null) and kind (what made it), its leg sizes unknown. */
    public Shape tensor(String name, String kind) {
        return tensor(name, kind, null);
    }

    /**
     * The shape of a dense tensor with this name, kind and leg sizes (null: unknown). An isometry
     * that is square (one leg as large as its other legs together: the 3 x 3 V of an SVD) is
     * orthogonal, so a square.
     */
    public Shape tensor(String name, String kind, long[] sizes) {
        String k = kind == null ? "" : kind.toLowerCase(Locale.ROOT);
        if ((name != null && isometries.contains(name)) || k.equals("isometry") || canonical(k) != 0) {
            return isSquare(sizes) ? Shape.SQUARE : Shape.TRIANGLE;
        }
        if ((name != null && unitaries.contains(name)) || k.equals("orthogonal") || k.equals("unitary")) return Shape.SQUARE;
        return Shape.CIRCLE;
    }

    /** Whether one leg has as many values as the others together (an n x n matrix; [2, 2, 4]). */
    static boolean isSquare(long[] sizes) {
        if (sizes == null || sizes.length < 2) return false;
        double all = 1;
        for (long s : sizes) all *= s;
        for (long s : sizes) if ((double) s * s == all) return true;
        return false;
    }

    /**
     * Which way a tensor train's core is canonical, from what made it ({@code canonical()} sets its
     * cores' kinds): 1 left-canonical (an isometry from its left bond and site into its right bond),
     * -1 right-canonical (into its left bond), 0 neither.
     */
    static int canonical(String kind) {
        return "left-canonical".equals(kind) ? 1 : "right-canonical".equals(kind) ? -1 : 0;
    }

    /** The kind {@code canonical()} gives the core that holds the train's norm. */
    static final String CENTRE = "orthogonality centre";

    /**
     * Which leg a triangle's tip points to: a canonical core's bond towards the orthogonality
     * centre (its last leg when left-canonical, its first when right-canonical), else its smallest leg.
     */
    static int tipLeg(String kind, long[] sizes) {
        int c = canonical(kind);
        if (c == 1) return sizes.length - 1;
        if (c == -1) return 0;
        return tipLeg(sizes);
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
