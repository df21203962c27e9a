package tn.syntax;

import java.util.Map;
import java.util.Set;

/**
 * How tn writes what numpy (and PyTorch) users type by habit: `A @ B`, `A.T`, `x**2`,
 * `np.dot(A, B)`, `trace(M)`, `A[0, 1]`... Syntax errors (syntax/SyntaxErrors) and the
 * interpreter's unknown-function and field errors add these hints, so a habit from Python is
 * answered with the tn form instead of a bare "unexpected".
 */
public final class NumpyHints {
    private NumpyHints() {}

    /** Names that Python scripts give numerical modules: `np.dot(...)` is a habit, not a typo. */
    private static final Set<String> MODULES = Set.of("np", "numpy", "torch", "jnp", "jax", "tf", "scipy", "math", "linalg", "nn", "F");

    static final String PRODUCT = "tn writes the matrix product as A B: legs with the same name are contracted"
            + " (name them where used: A[i, j] B[j, k])";
    static final String TRANSPOSE = "legs are named, so their order does not matter in products;"
            + " A -> [j, i] reorders them and A[i -> k] renames one";
    static final String POWER = "tn writes powers with ^: x^2";
    private static final String LEGS = "show(A) prints a tensor's legs, sizes and dtype";

    private static final Map<String, String> FUNCTIONS = Map.ofEntries(
            Map.entry("trace", "tn writes the trace of M as M[a, a]: a leg repeated on one factor is summed"),
            Map.entry("transpose", TRANSPOSE),
            Map.entry("permute", TRANSPOSE),
            Map.entry("swapaxes", TRANSPOSE),
            Map.entry("dot", PRODUCT),
            Map.entry("matmul", PRODUCT),
            Map.entry("tensordot", PRODUCT),
            Map.entry("inner", PRODUCT),
            Map.entry("vdot", PRODUCT),
            Map.entry("outer", "tn writes the outer product as A B with no leg in common (name them apart: a[i] b[j])"),
            Map.entry("kron", "tn writes the outer product as A B with no leg in common; group legs after it: A[i, j] B[k, l] -> [(i k), (j l)]"),
            Map.entry("reshape", "legs are grouped and split by name: x -> [(i j)] groups i and j, x[(i j)] splits a leg"),
            Map.entry("array", "tn writes a literal array as [[1, 2], [3, 4]] and names its legs where it is used: [[1, 2], [3, 4]][i, j]"),
            Map.entry("zeros_like", "tn creates tensors from legs: zeros(i, j) with the legs of the tensor"),
            Map.entry("ones_like", "tn creates tensors from legs: ones(i, j) with the legs of the tensor"),
            Map.entry("shape", LEGS),
            Map.entry("ndim", LEGS),
            Map.entry("size", LEGS),
            Map.entry("matrix_power", "tn writes powers of a matrix as products: A[i, j] A[j, k] is A squared"),
            Map.entry("power", POWER),
            Map.entry("square", POWER),
            Map.entry("linalg", "tn's decompositions are builtins: svd, qr, eigh, eig, polar"),
            Map.entry("concatenate", "tn has no concatenation along an existing leg; stack(tuple(a, b), k) puts tensors with the same legs along a new leg k, and pick(T, leg=k) takes one slice"),
            Map.entry("stack", "tn stacks tensors with the same legs along a new named leg: stack(tuple(a, b), k); pick(T, k=0) takes one slice"));

    private static final Map<String, String> FIELDS = Map.of(
            "T", TRANSPOSE,
            "mT", TRANSPOSE,
            "H", TRANSPOSE,
            "shape", LEGS,
            "ndim", LEGS,
            "size", LEGS,
            "dtype", LEGS);

    /** The tn form of a numpy function, or null when tn has no hint for it. */
    public static String function(String name) {
        return FUNCTIONS.get(name);
    }

    /**
     * The tn form of a numpy array attribute (`A.T`, `A.shape`) on a tensor written {@code tensor}
     * with the legs {@code legs} (its leg list, e.g. [i=2, j=3]; names in {@code names}), or null.
     */
    public static String field(String name, String tensor, java.util.List<String> names, String legs) {
        String hint = FIELDS.get(name);
        if (hint == null) return null;
        if (hint.equals(LEGS)) return tensor + " has legs " + legs + " (show(" + tensor + ") prints its legs, sizes and dtype)";
        if (names.size() < 2) return hint;
        java.util.List<String> reversed = new java.util.ArrayList<>(names);
        java.util.Collections.reverse(reversed);
        return "legs are named, so their order does not matter in products; " + tensor + " -> [" + String.join(", ", reversed)
                + "] reorders them and " + tensor + "[" + names.get(0) + " -> k] renames one";
    }

    /** Whether a name is what Python scripts call a numerical module (np, torch, ...). */
    public static boolean isModule(String name) {
        return MODULES.contains(name);
    }

    /** What to say about `module.name(...)` or `x.name(...)`, a call through a dot. */
    static String dottedCall(String before, String name) {
        String tn = name.equals("einsum") ? "einsum is a builtin: einsum(\"ij,jk->ik\", A, B)" : function(name);
        if (isModule(before)) {
            return before + "." + name + " is Python, not tn: " + (tn != null ? tn : "tn's functions are called by name, e.g. " + name + "(...)");
        }
        return "tn has no methods: write " + name + "(" + before + ", ...), not " + before + "." + name + "(...)"
                + (tn != null ? "; " + tn : "");
    }
}
