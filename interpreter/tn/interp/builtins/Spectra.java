package tn.interp.builtins;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tn.ast.Expr;
import tn.diag.TnError;
import tn.draw.Plots;
import tn.interp.Args;
import tn.interp.Builtin;
import tn.interp.Interpreter;
import tn.interp.Printer;
import tn.interp.Value;
import tn.linalg.Factorizations;
import tn.linalg.Matrix;
import tn.net.Net;
import tn.net.Tensor;

/**
 * Reading a matrix as an information circuit: its singular directions with labels
 * ({@code directions}), and plots people would rather look at than read (a spectrum, a heatmap).
 * Labels come from text files named by a keyword per leg ({@code user="users.txt"}), one per line.
 */
public final class Spectra {
    private Spectra() {}

    /** Heatmaps larger than this many cells are refused as SVG (the file would be unwieldy). */
    static final long MAX_SVG_CELLS = 250_000;

    public static List<Builtin> all() {
        return List.of(
            Builtin.of("directions", "directions(M, top=3, n=5, <leg>=\"labels.txt\", ...)",
                "prints the first top singular directions of the matrix M: each singular value (and its share"
                    + " of the squared weight) and, for each leg, the n labels with the largest positive and"
                    + " negative weights; labels come from files named by the legs (one label per line, or a GPT-2"
                    + " vocab.json for token legs)",
                Bipartition.guarded(Spectra::directions)),
            Builtin.of("tokens", "tokens(ids, \"vocab.json\")",
                "the labels of token ids from a GPT-2 vocab.json, as a tuple (for heatmap and directions labels)",
                Spectra::tokens),
            Builtin.of("top", "top(v, k=5, <leg>=\"labels.txt\")",
                "prints the k largest entries of a vector with their labels (one per line, or a GPT-2 vocab.json)",
                Spectra::top),
            Builtin.of("plot_spectrum", "plot_spectrum(S, \"file.svg\", log=false, title=)",
                "plots a vector's values against their index (singular values, eigenvalues) as .svg or .png (in a notebook: shows it, the file optional)",
                Spectra::plotSpectrum),
            Builtin.of("plot_directions", "plot_directions(W, \"file.svg\", title=, <leg>=\"labels.txt\")",
                "draws the columns of a matrix with a first leg of size 2 as arrows from the origin in the plane (features'"
                    + " directions in 2 dimensions), equal scales, the unit circle in grey, as .svg or .png (in a notebook: shows it,"
                    + " the file optional)",
                Spectra::plotDirections),
            Builtin.of("heatmap", "heatmap(M, \"file.svg\", title=, <leg>=\"labels.txt\", ...)",
                "draws a matrix as a heatmap, diverging colours centred at 0 (rows: its first leg), as .svg or .png (in a notebook: shows it, the file optional)",
                Spectra::heatmap));
    }

    // ---- directions -------------------------------------------------------------------------------

    private static Value directions(Args a) {
        a.expect(1, 1, "a matrix");
        Net m = a.tensor(0);
        matrixOnly(a, m);
        long top = a.integer("top", 3), n = a.integer("n", 5);
        if (top < 1) throw new TnError(a.keywordSpan("top"), "top= must be at least 1");
        if (n < 1) throw new TnError(a.keywordSpan("n"), "n= must be at least 1");
        String rowLeg = m.legs().get(0), colLeg = m.legs().get(1);
        List<String> rowLabels = labels(a, rowLeg, m.size(0)), colLabels = labels(a, colLeg, m.size(1));
        Interpreter in = a.interpreter();
        Bipartition bp = new Bipartition(List.of(rowLeg), List.of(colLeg), new long[] {m.size(0)}, new long[] {m.size(1)});
        tn.net.Cut.Sides cut = tn.net.Cut.narrowest(m, bp.left(), bp.right(), Math.min(m.size(0), m.size(1)));
        if (cut == null) bp.whole(a);
        Decompositions.affordSvd(a, m, bp, cut, true);
        if (!in.concrete()) return new Value.None();
        Factorizations.Svd f = Decompositions.svdOf(a, m, bp, cut);
        double total = 0;
        for (double s : f.s()) total += s * s;
        int k = (int) Math.min(top, f.s().length);
        int width = Math.max(rowLeg.length(), colLeg.length());
        StringBuilder out = new StringBuilder();
        for (int d = 0; d < k; d++) {
            double s = f.s()[d];
            out.append("direction ").append(d + 1).append(": s = ").append(Printer.number(s));
            if (total > 0) out.append(String.format(Locale.ROOT, " (%.1f%% of the squared weight)", 100 * s * s / total));
            out.append('\n');
            side(out, rowLeg, width, column(f.u(), d), rowLabels, (int) n);
            side(out, colLeg, width, column(f.v(), d), colLabels, (int) n);
        }
        in.out().print(out);
        return new Value.None();
    }

    private static Value tokens(Args a) {
        a.expect(2, 2, "token ids and a vocab.json");
        double[] ids = Indexing.indices(a);
        String name = a.string(1);
        List<String> vocab;
        try {
            vocab = tn.io.Vocab.read(a.interpreter().directory().resolve(name).normalize());
        } catch (tn.io.NpyException e) {
            throw a.error(1, e.getMessage());
        }
        List<Value> out = new ArrayList<>();
        for (int k = 0; k < ids.length; k++) {
            double id = ids[k];
            if (id != Math.rint(id) || id < 0 || id >= vocab.size()) {
                throw a.error(0, "token id " + Printer.number(id) + " (item " + k + ") is not in " + name + " (" + vocab.size() + " tokens)");
            }
            out.add(new Value.Str(vocab.get((int) id)));
        }
        return new Value.Tuple(out);
    }

    private static Value top(Args a) {
        a.expect(1, 1, "a vector");
        Net v = a.tensor(0);
        if (v.rank() != 1) throw a.error(0, "top() needs a vector (one leg), not legs " + v.legs() + "; pick or contract the others first");
        long k = a.integer("k", 5);
        if (k < 1) throw new TnError(a.keywordSpan("k"), "k= must be at least 1");
        String leg = v.legs().get(0);
        List<String> labels = labels(a, leg, v.size(0));
        Interpreter in = a.interpreter();
        if (!in.concrete()) return new Value.None();
        double[] x = in.evaluator().backend().toDoubles(in.evaluator().evaluate(v).data());
        Integer[] order = new Integer[x.length];
        for (int i = 0; i < x.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (p, q) -> Double.compare(x[q], x[p]));
        int width = 0;
        for (int i = 0; i < Math.min(k, x.length); i++) width = Math.max(width, labels.get(order[i]).length());
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(k, x.length); i++) {
            String l = labels.get(order[i]);
            out.append("  ").append(l).append(" ".repeat(width - l.length())).append("  ").append(Printer.number(x[order[i]])).append('\n');
        }
        in.out().print(out);
        return new Value.None();
    }

    private static double[] column(Matrix m, int j) {
        double[] c = new double[m.rows()];
        for (int i = 0; i < c.length; i++) c[i] = m.get(i, j);
        return c;
    }

    /** `  user  + alice 0.62, bob 0.55` and `        - dave -0.31` (only entries of that sign). */
    private static void side(StringBuilder out, String leg, int width, double[] w, List<String> labels, int n) {
        Integer[] order = new Integer[w.length];
        for (int i = 0; i < w.length; i++) order[i] = i;
        java.util.Arrays.sort(order, (x, y) -> Double.compare(w[y], w[x]));
        String pad = " ".repeat(width - leg.length());
        out.append("  ").append(leg).append(pad).append("  +");
        appendEntries(out, w, labels, order, n, true);
        out.append('\n');
        out.append("  ").append(" ".repeat(width)).append("  -");
        appendEntries(out, w, labels, order, n, false);
        out.append('\n');
    }

    private static void appendEntries(StringBuilder out, double[] w, List<String> labels, Integer[] order, int n, boolean positive) {
        int shown = 0;
        for (int k = 0; k < order.length && shown < n; k++) {
            int i = positive ? order[k] : order[order.length - 1 - k];
            if (positive ? w[i] <= 1e-12 : w[i] >= -1e-12) break;
            out.append(shown == 0 ? " " : ", ").append(labels.get(i)).append(' ').append(String.format(Locale.ROOT, "%.3f", w[i]));
            shown++;
        }
        if (shown == 0) out.append(" (none)");
    }

    /**
     * Labels for a leg from the keyword named after it: a file (one label per line, or a GPT-2
     * vocab.json), or a tuple of strings (e.g. tokens(ids, "vocab.json")); the indices 0, 1, ... otherwise.
     * Control characters in them are shown escaped (\x1b), as tokens' are.
     */
    private static List<String> labels(Args a, String leg, long size) {
        List<String> out = new ArrayList<>();
        if (a.has(leg) && a.keyword(leg) instanceof Value.Tuple t) {
            for (Value v : t.items()) out.add(tn.io.Vocab.visible(v instanceof Value.Str str ? str.value() : Inspect.text(v)));
            if (out.size() != size) {
                throw new TnError(a.keywordSpan(leg), "the " + out.size() + " labels given for leg " + leg + " do not match its size " + size);
            }
            return out;
        }
        String name = a.string(leg, null);
        if (name == null) {
            for (long i = 0; i < size; i++) out.add(Long.toString(i));
            return out;
        }
        Path file = a.interpreter().directory().resolve(name).normalize();
        if (name.toLowerCase(Locale.ROOT).endsWith(".json")) {
            try {
                List<String> tokens = tn.io.Vocab.read(file);
                if (tokens.size() != size) {
                    throw new TnError(a.keywordSpan(leg), name + " has " + tokens.size() + " tokens but leg " + leg + " has size " + size);
                }
                return tokens;
            } catch (tn.io.NpyException e) {
                throw new TnError(a.keywordSpan(leg), e.getMessage());
            }
        }
        List<String> lines;
        try {
            // Not UTF-8: located in the label file (its line and byte), not "Input length = 1".
            try {
                lines = new ArrayList<>(List.of(tn.diag.Source.read(file, name).text().split("\r?\n", -1)));
            } catch (TnError notUtf8) {
                throw new TnError(a.keywordSpan(leg), "cannot read labels from " + name + ": line " + notUtf8.span().line()
                        + ", column " + notUtf8.span().column() + ": " + notUtf8.getMessage());
            }
        } catch (NoSuchFileException e) {
            throw new TnError(a.keywordSpan(leg), "no label file " + name + " (looked for " + file + ")");
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new TnError(a.keywordSpan(leg), "cannot read labels from " + name + ": " + e.getMessage());
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) lines.remove(lines.size() - 1); // a final newline
        lines.replaceAll(tn.io.Vocab::visible); // control characters shown, never sent to the terminal or the SVG
        if (lines.size() != size) {
            throw new TnError(a.keywordSpan(leg), name + " has " + lines.size() + " labels but leg " + leg + " has size " + size
                    + " (one label per line)");
        }
        return lines;
    }

    // ---- plots ----------------------------------------------------------------------------------

    private static Value plotSpectrum(Args a) {
        a.expect(1, 2, "a vector and a file name");
        Net s = a.tensor(0);
        if (s.rank() != 1) throw a.error(0, "plot_spectrum() needs a vector (one leg), not legs " + s.legs());
        String name = OutputFile.target(a);
        boolean log = a.bool("log", false);
        String title = a.string("title", title(a));
        Interpreter in = a.interpreter();
        if (!in.concrete()) return new Value.None();
        Tensor x = in.evaluator().evaluate(s);
        double[] values = in.evaluator().backend().toDoubles(x.data());
        OutputFile.emit(a, name, title, true,
                png -> Plots.spectrum(values, title, "index along " + s.legs().get(0), "value" + (log ? " (log scale)" : ""), log, png));
        return new Value.None();
    }

    private static Value plotDirections(Args a) {
        a.expect(1, 2, "a matrix and a file name");
        Net m = a.tensor(0);
        matrixOnly(a, m);
        if (m.size(0) != 2) {
            throw a.error(0, "plot_directions() draws directions in a plane: the first leg (" + m.legs().get(0) + ") must have size 2, not "
                    + m.size(0) + (m.size(1) == 2 ? "; name the legs the other way round, e.g. W -> [" + m.legs().get(1) + ", " + m.legs().get(0) + "]" : ""));
        }
        String name = OutputFile.target(a);
        String title = a.string("title", title(a));
        String leg = m.legs().get(1);
        List<String> names = a.has(leg) ? labels(a, leg, m.size(1)) : null;
        Interpreter in = a.interpreter();
        if (!in.concrete()) return new Value.None();
        Tensor t = in.evaluator().evaluate(m);
        double[] v = in.evaluator().backend().toDoubles(t.data());
        int n = (int) m.size(1);
        double[] x = java.util.Arrays.copyOfRange(v, 0, n), y = java.util.Arrays.copyOfRange(v, n, 2 * n);
        List<String> shown = new java.util.ArrayList<>();
        for (int k = 0; k < n; k++) shown.add(names != null ? names.get(k) : leg + " " + k);
        String dim = m.legs().get(0);
        OutputFile.emit(a, name, title, true, png -> Plots.directions(x, y, shown, title, dim + " = 0", dim + " = 1", png));
        return new Value.None();
    }

    private static Value heatmap(Args a) {
        a.expect(1, 2, "a matrix and a file name");
        Net m = a.tensor(0);
        matrixOnly(a, m);
        String name = OutputFile.target(a);
        boolean png = name != null && OutputFile.isPng(a, name);
        String title = a.string("title", title(a));
        String rowLeg = m.legs().get(0), colLeg = m.legs().get(1);
        List<String> rowLabels = a.has(rowLeg) ? labels(a, rowLeg, m.size(0)) : null;
        List<String> colLabels = a.has(colLeg) ? labels(a, colLeg, m.size(1)) : null;
        long cells = m.size(0) * m.size(1);
        if (name != null && !png && cells > MAX_SVG_CELLS) {
            throw a.error(1, "a heatmap of " + m.size(0) + " x " + m.size(1) + " cells is too large for an SVG (at most "
                    + MAX_SVG_CELLS + "); write a .png, or slice the matrix first");
        }
        Bipartition bp = new Bipartition(List.of(rowLeg), List.of(colLeg), new long[] {m.size(0)}, new long[] {m.size(1)});
        bp.whole(a);
        Interpreter in = a.interpreter();
        if (!in.concrete()) return new Value.None();
        Matrix data = bp.finite(a, () -> bp.matrix(in, m));
        OutputFile.emit(a, name, title, cells <= MAX_SVG_CELLS,
                asPng -> Plots.heatmap(data.data(), data.rows(), data.cols(), rowLabels, colLabels, title, rowLeg, colLeg, asPng));
        return new Value.None();
    }

    /** A tensor with more legs than two is grouped into rows and columns first: the error says how. */
    private static void matrixOnly(Args a, Net m) {
        if (m.rank() == 2) return;
        String message = a.name() + "() needs a matrix (two legs), not legs " + m.legs();
        if (m.rank() > 2) {
            String text = a.expr(0).span().text();
            if (!(a.expr(0) instanceof Expr.Var)) text = "(" + text + ")";
            List<String> rows = m.legs().subList(0, m.rank() - 1);
            message += "; group them into two first, e.g. " + text + " -> [(" + String.join(" ", rows) + "), " + m.legs().get(m.rank() - 1) + "]";
        }
        throw a.error(0, message);
    }

    private static String title(Args a) {
        Expr e = a.expr(0);
        return e instanceof Expr.Var v ? v.name() : e.span().text();
    }

}
