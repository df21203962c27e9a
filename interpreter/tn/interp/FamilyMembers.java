package tn.interp;

import java.util.ArrayList;
import java.util.List;
import tn.ast.Expr;
import tn.ast.LegSpec;
import tn.diag.Span;
import tn.diag.TnError;

/**
 * The members of leg families as expressions name them: {@code b[k]}, {@code b[0]}, {@code b[k + 1]}
 * (the index evaluated by the interpreter, checked against the family's range in {@link Legs}),
 * in leg lists and renames as well as where a tensor is expected (an error: a leg is not a tensor).
 */
final class FamilyMembers {
    private final Interpreter interpreter;

    FamilyMembers(Interpreter interpreter) {
        this.interpreter = interpreter;
    }

    /**
     * The leg named by {@code b[k]}, {@code b[0]} or {@code b[k + 1]} when b is a leg family (and
     * not a variable), or null when the expression is something else (x[i]: x with legs named).
     * An index that is not a whole number, or out of the family's range, is an error.
     */
    String member(Expr e) {
        Expr target;
        Expr index;
        if (e instanceof Expr.Subscript s) {
            target = s.target();
            index = s.index();
        } else if (e instanceof Expr.Relabel r && r.legs().size() == 1
                && (r.legs().get(0) instanceof LegSpec.Name || r.legs().get(0) instanceof LegSpec.Number)) {
            target = r.target();
            LegSpec spec = r.legs().get(0);
            index = spec instanceof LegSpec.Name n ? new Expr.Var(n.span(), n.name())
                    : new Expr.Num(spec.span(), Double.parseDouble(((LegSpec.Number) spec).text()));
        } else {
            return null;
        }
        if (!(target instanceof Expr.Var v) || interpreter.lookupVariable(v.name()) != null || interpreter.legs().family(v.name()) == null) {
            if (e instanceof Expr.Subscript s) {
                throw new TnError(s.index().span(), "only a family of legs takes an index (b[k + 1], declared with leg b[n] = size);"
                        + " " + target.span().text() + "[...] names the legs of a tensor: write them as names, e.g. x[i, j]");
            }
            return null;
        }
        return member(v.name(), index, e.span());
    }

    /** Member {@code index} of the family {@code family}, checked against its range. */
    private String member(String family, Expr index, Span where) {
        Legs.Family f = interpreter.legs().family(family);
        if (f == null) {
            String hint = interpreter.legs().lookup(family) != null ? family + " is a single leg; declare a family with leg " + family + "[n] = size"
                    : "declare it with leg " + family + "[n] = size";
            throw new TnError(where, "no family of legs " + family + ": " + hint);
        }
        Value v = interpreter.eval(index);
        interpreter.checkPoison(v);
        if (v instanceof Value.Unknown) throw new Interpreter.NeedsValue();
        if (!(v instanceof Value.Num n)) {
            throw new TnError(index.span(), "the index of the leg family " + family + " must be a whole number, not " + v.kind());
        }
        double k = n.value();
        if (k != Math.rint(k)) {
            throw new TnError(index.span(), "the index of the leg family " + family + " must be a whole number, not "
                    + Printer.number(k) + " (its legs are " + f.range() + ")");
        }
        if (k < 0 || k >= f.count()) {
            throw new TnError(where, family + "[" + Printer.number(k) + "] is out of range: " + family + " is " + f.declared()
                    + "; use an index from 0 to " + (f.count() - 1)
                    + (k < 0 ? "" : ", or declare more legs (leg " + family + "[" + (long) (k + 1) + "] = " + f.size() + ")"));
        }
        return Legs.member(family, (long) k);
    }

    /** The leg specs with family members ({@code b[k]}) resolved to the names of their legs. */
    List<LegSpec> legSpecs(List<LegSpec> specs) {
        if (specs == null || specs.stream().noneMatch(s -> s instanceof LegSpec.Member || s instanceof LegSpec.MemberRename)) return specs;
        List<LegSpec> out = new ArrayList<>(specs.size());
        for (LegSpec s : specs) {
            if (s instanceof LegSpec.MemberRename r) {
                out.add(new LegSpec.Rename(r.span(), legName(r.from()), legName(r.to())));
            } else {
                out.add(s instanceof LegSpec.Member m ? new LegSpec.Name(m.span(), legName(m)) : s);
            }
        }
        return out;
    }

    private String legName(LegSpec s) {
        return s instanceof LegSpec.Member m ? member(m.family(), m.index(), m.span()) : ((LegSpec.Name) s).name();
    }

    /** A family's name where one leg is expected: an error saying how to name one of its legs. */
    void checkNotFamily(Expr.Var v) {
        Legs.Family f = interpreter.legs().family(v.name());
        if (f != null && interpreter.legs().lookup(v.name()) == null) {
            throw new TnError(v.span(), v.name() + " is " + f.declared() + ": name one of its legs, e.g. " + Legs.member(v.name(), 0));
        }
    }

    static TnError notATensor(String member, Span where) {
        return new TnError(where, member + " is a leg, not a tensor (a leg becomes a tensor through a creation function, e.g. ones("
                + member + "); as a leg name it goes in a leg position: A[" + member + ", ...])");
    }
}
