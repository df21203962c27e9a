package tn.plan;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A plan as people read it (in the style of opt_einsum's PathInfo) and as JSON for tools: the
 * equation, method, costs and speed-up, the largest intermediate, planning time, and one row per
 * pairwise step.
 */
public final class PlanReport {
    private PlanReport() {}

    public static String format(Plan p) {
        Network n = p.network();
        StringBuilder sb = new StringBuilder();
        sb.append("  equation:              ").append(n.equation()).append('\n');
        sb.append("  method:                ").append(p.method()).append(String.format(Locale.ROOT, " (planned in %.3f ms)%n", p.planningNanos() / 1e6));
        sb.append("  naive cost:            ").append(number(p.naiveCost())).append('\n');
        sb.append("  optimised cost:        ").append(number(p.cost())).append('\n');
        sb.append("  speed-up:              ").append(p.cost() == 0 ? "-" : String.format(Locale.ROOT, "%.3gx", p.naiveCost() / p.cost())).append('\n');
        sb.append("  largest intermediate:  ").append(number(p.largestIntermediate())).append(" elements\n");
        if (p.slicedLegs().length > 0) {
            sb.append("  sliced legs:           ").append(String.join(", ", slicedNames(p)))
              .append(" (").append(p.slices()).append(" slices; costs below are per slice)\n");
        }
        if (p.steps().isEmpty()) {
            sb.append("  (a single tensor: no pairwise steps)");
            return sb.toString();
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"step", "pair", "contraction", "cost", "result size"});
        int k = 1;
        for (Plan.Step s : p.steps()) {
            rows.add(new String[] {String.valueOf(k++), "(" + s.left() + ", " + s.right() + ")",
                legs(n, s.leftLegs()) + "," + legs(n, s.rightLegs()) + "->" + legs(n, s.result()),
                number(s.cost()), number(s.resultSize())});
        }
        int[] width = new int[5];
        for (String[] r : rows) for (int c = 0; c < 5; c++) width[c] = Math.max(width[c], r[c].length());
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int c = 0; c < 5; c++) {
                boolean right = c == 0 || c == 3 || c == 4;
                String pad = " ".repeat(width[c] - r[c].length());
                line.append(right ? pad + r[c] : r[c] + pad).append("  ");
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString().stripTrailing();
    }

    /** One JSON object (no line breaks) with the plan's facts; `path` in numpy/opt_einsum format. */
    public static String json(Plan p) {
        StringBuilder path = new StringBuilder("[");
        for (int[] pair : p.path()) {
            if (path.length() > 1) path.append(", ");
            path.append('[').append(pair[0]).append(", ").append(pair[1]).append(']');
        }
        path.append(']');
        return "{\"equation\": " + quote(p.network().equation())
                + ", \"method\": " + quote(p.method())
                + ", \"path\": " + path
                + ", \"cost\": " + jsonNumber(p.cost())
                + ", \"naive_cost\": " + jsonNumber(p.naiveCost())
                + ", \"largest_intermediate\": " + jsonNumber(p.largestIntermediate())
                + ", \"sliced_legs\": [" + String.join(", ", slicedNames(p).stream().map(PlanReport::quote).toList()) + "]"
                + ", \"planning_ms\": " + String.format(Locale.ROOT, "%.3f", p.planningNanos() / 1e6) + "}";
    }

    private static List<String> slicedNames(Plan p) {
        List<String> names = new ArrayList<>();
        for (int l : p.slicedLegs()) names.add(p.network().names()[l]);
        return names;
    }

    /** Exact integers below 1e15, scientific notation above. */
    static String number(double x) {
        if (x < 1e6 && x == Math.rint(x)) return String.valueOf((long) x);
        if (x < 1e15 && x == Math.rint(x)) return String.format(Locale.ROOT, "%,d", (long) x).replace(',', '_');
        return String.format(Locale.ROOT, "%.3e", x);
    }

    private static String jsonNumber(double x) {
        if (x < 9e15 && x == Math.rint(x)) return String.valueOf((long) x);
        return String.format(Locale.ROOT, "%.6e", x);
    }

    private static String legs(Network n, int[] legs) {
        boolean single = true;
        for (String name : n.names()) single &= name.length() == 1;
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < legs.length; k++) {
            if (k > 0 && !single) sb.append(' ');
            sb.append(n.names()[legs[k]]);
        }
        return sb.toString();
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }
}
