package tn.draw;

import java.util.Set;

/**
 * How to draw: leg sizes in the labels, which tensors are isometries (triangles) or orthogonal /
 * unitary (squares), the layout mode and the layout's random seed.
 */
public record DrawOptions(boolean sizes, Set<String> isometries, Set<String> unitaries, String layout, long seed) {
    public DrawOptions {
        isometries = Set.copyOf(isometries);
        unitaries = Set.copyOf(unitaries);
        if (!layout.equals("auto") && !layout.equals("layered") && !layout.equals("force")) {
            throw new IllegalArgumentException("layout must be auto, layered or force, not '" + layout + "'");
        }
    }

    public static DrawOptions defaults() {
        return new DrawOptions(false, Set.of(), Set.of(), "auto", 1);
    }

    public DrawOptions withSizes(boolean on) {
        return new DrawOptions(on, isometries, unitaries, layout, seed);
    }

    public DrawOptions withMarks(Set<String> isometries, Set<String> unitaries) {
        return new DrawOptions(sizes, isometries, unitaries, layout, seed);
    }

    public DrawOptions withLayout(String layout) {
        return new DrawOptions(sizes, isometries, unitaries, layout, seed);
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
