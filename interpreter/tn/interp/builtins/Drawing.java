package tn.interp.builtins;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tn.ast.Expr;
import tn.draw.Diagrams;
import tn.draw.DrawOptions;
import tn.interp.Args;
import tn.interp.Builtin;
import tn.interp.Interpreter;
import tn.interp.Value;
import tn.net.Net;

/**
 * `draw(x, "x.svg")`: writes the diagram of any tensor expression (a network, a bubble, a sum ...)
 * to an SVG file, or a PNG image when the name ends in .png; the path is relative to the script.
 * Keywords: `sizes=true` labels legs with their sizes; `isometry="U V"` and `unitary="Q"` mark
 * tensors by name as isometries (triangles) or orthogonal/unitary (squares); `layout="force"`
 * or `"layered"` overrides the automatic choice; `expand="attention0 mlp1"` (or a depth, "1") opens
 * those blocks of a residual stream (a transformer), for this drawing and for `tn draw` of x's name;
 * `heads="stacked"` draws each tensor with a `head` leg as stacked copies instead of the leg's line;
 * `inline=false` keeps every named intermediate (`X = A B`, then `X C`) as a labelled box instead of
 * its network, `boxes="X scores"` those named. `ellipsis=3` draws a long chain (an MPS, an MPO, <psi|psi>,
 * <psi|H|psi>) with its first and last 3 sites and an ellipsis for the rest, `ellipsis=true` with 3. `draw(E, "paths.svg", top=4)` of the terms of a path
 * expansion draws the top terms by the norm of their contribution side by side, each the
 * components it passes through, with its name and weight. While checking, the arguments are checked and
 * nothing is written (the marks are noted, so `tn draw` of the script draws U and V as triangles
 * too); nothing is computed but the norms of a path expansion's terms, when the script runs.
 */
public final class Drawing {
    private Drawing() {}

    public static List<Builtin> all() {
        return List.of(
            Builtin.of("draw", "draw(x, path, sizes=false, isometry=\"\", unitary=\"\", layout=\"auto\", expand=\"\", heads=\"leg\", inline=true, boxes=\"\", ellipsis=false, top=4)",
                "writes the tensor network diagram of x to an .svg (or .png, or .tex for TikZ) file (in a notebook: shows it,"
                    + " the file optional); computes nothing, except for the terms of a path expansion (expand(x)): their norms, to draw the top= largest side by side;"
                    + " ellipsis=3 draws a long chain (an MPS or MPO, <psi|psi>, <psi|H|psi>) with its first and last 3 sites and an ellipsis"
                    + " for the sites between (true: 3)",
                Drawing::draw));
    }

    private static Value draw(Args a) {
        a.expect(1, 2, "a tensor and a file name");
        if (a.value(0) instanceof Value.Tuple) return drawTerms(a);
        if (a.has("top")) throw new tn.diag.TnError(a.keywordSpan("top"), "top= chooses terms of a path expansion (draw(E, ..., top=4)); x is one tensor");
        Net x = a.tensor(0);
        // A .tex file is written as TikZ below (and the diagram shown inline where the session can).
        boolean tex = OutputFile.isTex(a);
        String name = tex ? null : OutputFile.target(a);
        boolean sizes = a.bool("sizes", false);
        Set<String> isometries = names(a.string("isometry", ""));
        Set<String> unitaries = names(a.string("unitary", ""));
        String layout = a.string("layout", "auto");
        List<String> expand = List.copyOf(names(a.string("expand", "")));
        String heads = a.string("heads", "leg");
        Set<String> boxed = new LinkedHashSet<>(names(a.string("boxes", "")));
        if (!a.bool("inline", true)) boxed.add(DrawOptions.ALL_NAMED);
        int ellipsis = ellipsis(a);
        DrawOptions marked;
        try {
            marked = DrawOptions.defaults().withSizes(sizes).withLayout(layout).withMarks(isometries, unitaries).withExpand(expand);
        } catch (IllegalArgumentException e) {
            throw new tn.diag.TnError(a.keywordSpan("layout"), e.getMessage());
        }
        DrawOptions options;
        try {
            options = marked.withHeads(heads).withBoxed(boxed).withEllipsis(ellipsis);
        } catch (IllegalArgumentException e) {
            throw new tn.diag.TnError(a.keywordSpan("heads"), e.getMessage());
        }
        Expr e = a.expr(0);
        String title = e instanceof Expr.Var v ? v.name() : e.span().text();
        tn.draw.Marks.record(isometries, unitaries);
        tn.draw.Marks.expand(title, expand);
        tn.draw.Marks.heads(title, heads);
        tn.draw.Marks.boxes(title, boxed);
        tn.draw.Marks.ellipsis(title, ellipsis);
        Interpreter in = a.interpreter();
        if (!in.concrete()) return new Value.None();
        try {
            if (tex) {
                OutputFile.write(a, a.string(1), tn.draw.TikzWriter.write(Diagrams.scene(x, title, options)).getBytes(StandardCharsets.UTF_8));
            }
            OutputFile.emit(a, name, title, true,
                    png -> png ? Diagrams.png(x, title, options) : Diagrams.svg(x, title, options).getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException wrong) {
            String keyword = wrong.getMessage().startsWith("boxes=") ? "boxes" : wrong.getMessage().startsWith("ellipsis=") ? "ellipsis" : "expand";
            throw new tn.diag.TnError(a.keywordSpan(keyword), wrong.getMessage());
        }
        return new Value.None();
    }

    /**
     * `draw(E, "paths.svg", top=4)`: the top terms of a path expansion by the norm of their
     * contribution (as rank() orders them), side by side, each the components it passes through.
     */
    private static Value drawTerms(Args a) {
        List<Net> nets = Paths.nets(a, 0);
        long top = a.integer("top", 4);
        if (top < 1) throw new tn.diag.TnError(a.keywordSpan("top"), "top= is how many terms to draw, at least 1, not " + top);
        if (nets.isEmpty()) throw a.error(0, "draw() of no terms: the expansion is empty");
        for (int k = 0; k < nets.size(); k++) {
            if (nets.get(k).label() == null) throw a.error(0, "draw() of a tuple draws the terms of a path expansion (expand(x)), whose terms are named; item " + k + " has no name");
        }
        Interpreter in = a.interpreter();
        if (!in.concrete()) return new Value.None();
        double[] norms = Paths.norms(in, nets);
        List<tn.draw.PathTerms.Term> terms = new java.util.ArrayList<>();
        for (int k : Paths.ranked(norms)) {
            if (terms.size() == top) break;
            terms.add(new tn.draw.PathTerms.Term(nets.get(k).label(), norms[k]));
        }
        Expr e = a.expr(0);
        String title = e instanceof Expr.Var v ? v.name() : e.span().text();
        if (OutputFile.isTex(a)) OutputFile.write(a, a.string(1), tn.draw.PathTerms.tex(terms, title).getBytes(StandardCharsets.UTF_8));
        String name = OutputFile.isTex(a) ? null : OutputFile.target(a);
        OutputFile.emit(a, name, title, true,
                png -> png ? tn.draw.PathTerms.png(terms, title) : tn.draw.PathTerms.svg(terms, title).getBytes(StandardCharsets.UTF_8));
        return new Value.None();
    }

    /** ellipsis=k (sites kept at each end of a long chain), true for the default k; false, 0 or absent: every site drawn. */
    private static int ellipsis(Args a) {
        Value v = a.keyword("ellipsis");
        if (v == null) return 0;
        if (v instanceof Value.Bool b) return b.value() ? DrawOptions.DEFAULT_ELLIPSIS : 0;
        long k = a.integer("ellipsis", 0);
        if (k < 0 || k > Integer.MAX_VALUE) {
            throw new tn.diag.TnError(a.keywordSpan("ellipsis"), "ellipsis= is how many sites of a long chain to keep at each end"
                    + " (ellipsis=3, or true for " + DrawOptions.DEFAULT_ELLIPSIS + "; 0 or false draws every site), not " + k);
        }
        return (int) k;
    }

    /** Names separated by spaces or commas. */
    private static Set<String> names(String list) {
        Set<String> out = new LinkedHashSet<>();
        Arrays.stream(list.split("[\\s,]+")).filter(s -> !s.isEmpty()).forEach(out::add);
        return out;
    }
}
