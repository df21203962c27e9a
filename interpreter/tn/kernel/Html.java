package tn.kernel;

import java.util.List;
import tn.interp.Printer;
import tn.io.Entries;
import tn.net.Tensor;

/**
 * A tensor as compact HTML for a notebook: its signature (`name: [i=3, k=2] float32`), then a
 * vector as one row and a matrix as a table whose corner names the row and column legs and whose
 * headers are their indices. At most {@value #EDGE} indices from each end of an axis are shown
 * (the rest as an ellipsis), so a large tensor costs a few entries, never a copy. Tensors with
 * more legs show the text preview the REPL prints.
 */
final class Html {
    static final int EDGE = 6;

    private Html() {}

    /** Entry k of x as text; a complex entry (data interleaved: real, imaginary) as {@code 1.5-2j}. */
    private static String entry(Entries data, long k, Tensor x) {
        if (!x.dtype().isComplex()) return Printer.number(at(data, k));
        double re = at(data, 2 * k), im = at(data, 2 * k + 1);
        return Printer.number(re) + (im < 0 ? "-" : "+") + Printer.number(Math.abs(im)) + "j";
    }

    static String tensor(String name, Tensor x, Entries data, String plainPreview) {
        List<String> legs = x.legs();
        long[] shape = x.shape();
        StringBuilder sb = new StringBuilder("<div class=\"tn-tensor\">");
        sb.append("<code>").append(escape(name)).append(": ")
                .append(escape(Printer.signature(legs, shape, x.dtype().label()))).append("</code>");
        if (x.rank() == 0) {
            sb.append(" = <code>").append(escape(entry(data, 0, x))).append("</code>");
        } else if (x.rank() <= 2) {
            long rows = x.rank() == 1 ? 1 : shape[0], cols = shape[x.rank() - 1];
            String rowLeg = x.rank() == 1 ? "" : leg(legs.get(0)), colLeg = leg(legs.get(x.rank() - 1));
            sb.append("<table style=\"font-family: monospace; font-size: 90%\"><thead><tr><th>")
                    .append(escape(rowLeg.isEmpty() ? colLeg : rowLeg + " \\ " + colLeg)).append("</th>");
            for (long c : shown(cols)) sb.append(c < 0 ? "<th>…</th>" : "<th>" + c + "</th>");
            sb.append("</tr></thead><tbody>");
            for (long r : shown(rows)) {
                sb.append("<tr><th>").append(r < 0 ? "⋮" : x.rank() == 1 ? "" : String.valueOf(r)).append("</th>");
                for (long c : shown(cols)) {
                    String cell = r < 0 || c < 0 ? (r < 0 && c < 0 ? "⋱" : r < 0 ? "⋮" : "…") : entry(data, r * cols + c, x);
                    sb.append("<td style=\"text-align: right\">").append(escape(cell)).append("</td>");
                }
                sb.append("</tr>");
            }
            sb.append("</tbody></table>");
        } else {
            sb.append("<pre>").append(escape(plainPreview)).append("</pre>");
        }
        return sb.append("</div>").toString();
    }

    /** The indices shown along an axis of {@code n}: all, or both ends with -1 for the gap. */
    static long[] shown(long n) {
        if (n <= 2L * EDGE + 1) {
            long[] all = new long[(int) n];
            for (int i = 0; i < n; i++) all[i] = i;
            return all;
        }
        long[] ends = new long[2 * EDGE + 1];
        for (int i = 0; i < EDGE; i++) {
            ends[i] = i;
            ends[EDGE + 1 + i] = n - EDGE + i;
        }
        ends[EDGE] = -1;
        return ends;
    }

    private static double at(Entries data, long index) {
        double[] one = new double[1];
        data.copy(index, one, 1);
        return one[0];
    }

    /** A leg as users write it (a summed-out hidden leg `#3` as `_`, like the signature). */
    private static String leg(String name) {
        return name.startsWith("#") ? "_" : name;
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
