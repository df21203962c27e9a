package tn.interp;

import java.util.Set;
import tn.diag.Span;
import tn.diag.TnError;
import tn.net.Net;

/**
 * Which builtins take complex tensors, and the refusal of the others: a builtin that has no
 * complex meaning (softmax, relu, max, comparisons), or whose complex version tn does not have
 * yet (polar, the CP and Tucker decompositions, derivatives, plots), stops with a
 * located message naming the argument and what to do, while the script is checked, before
 * anything runs; never a result with the imaginary part silently dropped. docs/complex.md keeps
 * the list; one place decides it.
 */
final class ComplexArguments {
    private ComplexArguments() {}

    /** Builtins whose tensor arguments may be complex (besides those of {@link tn.interp.builtins.Complexes}). */
    private static final Set<String> TAKE = Set.of(
            // shape and network building: no arithmetic on the entries
            "append", "broadcast", "delta", "detach", "diag", "draw", "einsum", "eye", "item", "len", "name", "network",
            "pick", "prime", "record", "stack", "tag", "tuple", "with", "str",
            // creation (a complex dtype= gives imaginary parts 0), files, printing
            "full", "ones", "zeros", "random", "uniform", "arange", "load", "save", "savez", "print", "show",
            // arithmetic with a complex meaning
            "abs", "exp", "pow", "sum", "mean", "norm", "close",
            // factorisations by LAPACK's complex routines (tn.exec.nd4j.ComplexLapack)
            "svd", "svdvals", "qr", "eigh", "eig", "is_isometry", "tt", "canonical", "compress", "cores");

    /** Hints for builtins that refuse complex tensors for now but could take them one day. */
    private static final Set<String> NOT_YET = Set.of("polar", "cp", "tucker", "grad", "jacobian");

    static boolean takes(String builtin) {
        return TAKE.contains(builtin) || tn.interp.builtins.Complexes.NAMES.contains(builtin);
    }

    /** Refuses {@code v} (an argument of {@code builtin} written at {@code where}) when it holds a complex tensor the builtin cannot take. */
    static void check(String builtin, String argument, Value v, Span where) {
        if (takes(builtin)) return;
        Net complex = complexIn(v);
        if (complex == null) return;
        String why = NOT_YET.contains(builtin)
                ? "tn's " + builtin + "() is real-only for now; apply it to real(x) and imag(x) apart only where that is what you mean"
                : builtin + "() has no meaning for complex numbers; take abs(x), real(x) or imag(x) first";
        throw new TnError(where, builtin + "() cannot take a complex tensor: " + argument + " is " + complex.dtype()
                + (complex.rank() == 0 ? "" : " with legs " + Networks.legList(complex)) + "; " + why
                + " (docs/complex.md lists what takes complex tensors)");
    }

    /** The first complex tensor in v (in a tuple or record too), or null. */
    private static Net complexIn(Value v) {
        if (v instanceof Value.TensorValue t) return t.net().dtype().isComplex() ? t.net() : null;
        if (v instanceof Value.Tuple t) {
            for (Value x : t.items()) {
                Net n = complexIn(x);
                if (n != null) return n;
            }
        }
        if (v instanceof Value.Record r) {
            for (Value x : r.fields().values()) {
                Net n = complexIn(x);
                if (n != null) return n;
            }
        }
        return null;
    }
}
