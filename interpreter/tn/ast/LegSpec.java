package tn.ast;

import java.util.List;
import tn.diag.Span;

/** One entry of a leg list in `x[...]`, `e -> [...]` or `C[...] = e`. */
public sealed interface LegSpec {
    Span span();

    /** A leg name. */
    record Name(Span span, String name) implements LegSpec {}

    /** `b[k]`: a member of the leg family b, the k-th (k an expression giving a whole number). */
    record Member(Span span, String family, Span familySpan, tn.ast.Expr index) implements LegSpec {}

    /** `b[k] -> b'[k]`: a rename in which either side is a member of a family ({@link Name} or {@link Member}). */
    record MemberRename(Span span, LegSpec from, LegSpec to) implements LegSpec {}

    /** `i -> x`: rename leg i to x (in `x[...]`, all entries are renames or none are). */
    record Rename(Span span, String from, String to) implements LegSpec {}

    /**
     * `x[0, 1]`: a number where a leg name belongs. Not tn (legs are named, not numbered); kept
     * so that the error can say how tn writes it, with the tensor's own leg names.
     */
    record Number(Span span, String text) implements LegSpec {}

    /**
     * `(i l)` or `m=(i l)`: in `x[...]` a leg of x split into i and l; in `-> [...]` legs i and l
     * grouped into one leg, named {@code name} (or `i_l` when no name is given). Row-major:
     * the last part varies fastest, as in einops.
     */
    record Group(Span span, String name, List<Name> parts) implements LegSpec {
        public String groupName() {
            return name != null ? name : String.join("_", parts.stream().map(Name::name).toList());
        }
    }
}
