package tn.draw;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;

/**
 * A diagram's SVG as text for golden files: one line per element, indented by nesting, with its
 * tag, id, class, data attributes, geometry (coordinates, path data, line width) and text; colours
 * and fonts are left out. Two summaries match when their structure and words are equal and their
 * numbers agree within a tolerance.
 */
final class Summary {
    private Summary() {}

    static String of(Svg svg) {
        StringBuilder sb = new StringBuilder();
        line(sb, svg.root, 0);
        return sb.toString();
    }

    private static void line(StringBuilder sb, Element e, int depth) {
        sb.append("  ".repeat(depth)).append(e.getTagName());
        if (e.hasAttribute("id")) sb.append(" #").append(e.getAttribute("id"));
        if (e.hasAttribute("class")) sb.append(" .").append(e.getAttribute("class").replace(' ', '.'));
        String[] geometry = switch (e.getTagName()) {
            case "svg" -> new String[] {"viewBox"};
            case "rect" -> new String[] {"x", "y", "width", "height", "rx"};
            case "circle" -> new String[] {"cx", "cy", "r"};
            case "polygon" -> new String[] {"points"};
            case "path" -> new String[] {"d", "stroke-width"};
            case "text" -> new String[] {"x", "y", "font-size", "text-anchor"};
            default -> new String[0];
        };
        for (String a : geometry) {
            if (e.hasAttribute(a)) sb.append(' ').append(a).append('=').append(e.getAttribute(a).trim().replaceAll("\\s+", "_"));
        }
        NamedNodeMap attrs = e.getAttributes();
        for (int k = 0; k < attrs.getLength(); k++) {
            String name = attrs.item(k).getNodeName();
            if (name.startsWith("data-")) sb.append(' ').append(name.substring(5)).append("=[").append(attrs.item(k).getNodeValue()).append(']');
        }
        if (e.getTagName().equals("text") || e.getTagName().equals("title")) sb.append(" \"").append(e.getTextContent()).append('"');
        sb.append('\n');
        for (Element c : Svg.children(e)) line(sb, c, depth + 1);
    }

    /** Fails unless the summaries agree: words exactly, numbers within {@code tolerance}. */
    static void assertMatches(String expected, String actual, double tolerance, String what) {
        String[] el = expected.split("\n"), al = actual.split("\n");
        List<String> diffs = new ArrayList<>();
        if (el.length != al.length) diffs.add("line count " + el.length + " expected, " + al.length + " drawn");
        for (int k = 0; k < Math.min(el.length, al.length) && diffs.size() < 12; k++) {
            if (!lineMatches(el[k], al[k], tolerance)) diffs.add("line " + (k + 1) + ":\n  expected " + el[k] + "\n  drawn    " + al[k]);
        }
        if (!diffs.isEmpty()) fail(what + " differs from its expected summary:\n" + String.join("\n", diffs)
                + "\n(rerun with -Dtn.golden.update=true to accept the new drawing)");
    }

    private static final java.util.Set<String> GEOMETRY = java.util.Set.of("viewBox", "x", "y", "width", "height", "rx",
            "cx", "cy", "r", "points", "d", "stroke-width", "font-size");

    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

    private static boolean lineMatches(String e, String a, double tolerance) {
        String[] et = e.trim().split("\\s+"), at = a.trim().split("\\s+");
        if (et.length != at.length || e.indexOf(e.trim()) != a.indexOf(a.trim())) return false;
        for (int k = 0; k < et.length; k++) {
            if (et[k].equals(at[k])) continue;
            int eq = et[k].indexOf('=');
            if (eq < 0 || !GEOMETRY.contains(et[k].substring(0, eq)) || !at[k].startsWith(et[k].substring(0, eq + 1))) return false;
            if (!numbersClose(et[k].substring(eq + 1), at[k].substring(eq + 1), tolerance)) return false;
        }
        return true;
    }

    /** Same text around the numbers, and each number within the tolerance. */
    private static boolean numbersClose(String e, String a, double tolerance) {
        if (!NUMBER.matcher(e).replaceAll("#").equals(NUMBER.matcher(a).replaceAll("#"))) return false;
        java.util.regex.Matcher me = NUMBER.matcher(e), ma = NUMBER.matcher(a);
        while (me.find() && ma.find()) {
            if (Math.abs(Double.parseDouble(me.group()) - Double.parseDouble(ma.group())) > tolerance) return false;
        }
        return true;
    }
}
