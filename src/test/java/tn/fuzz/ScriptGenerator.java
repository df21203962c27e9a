package tn.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import tn.interp.Builtins;

/**
 * Random tn programs written from the grammar (grammar/Tn.g4): leg declarations with hostile sizes
 * (0, negative, 2^31, 2^63, non-finite), every builtin called with random arguments, every
 * expression form, numpy habits, and now and then a construct repeated hundreds or thousands of
 * times (parentheses, prefix operators, calls, x[i] chains, sums, products, leg lists, tuples,
 * literal arrays, blocks). Most programs are wrong; the point is that each is answered with
 * located errors, quickly.
 */
final class ScriptGenerator {
    /** Numbers at the edges: zero, negative, 2^31 +- 1, 2^53, 2^63 +- 1, huge, tiny, non-finite. */
    static final List<String> NUMBERS = List.of(
            "0", "1", "2", "3", "4", "7", "-1", "-2", "0.5", "1.5", "1e-320", "1e6", "1e12", "1e18", "1e308", "1e999",
            "2147483647", "2147483648", "4294967296", "9007199254740993", "9223372036854775807",
            "9223372036854775808", "18446744073709551616", "(0/0)", "(-1e999)", "(1e999 - 1e999)", "65536", "1000000", "100000");

    private static final List<String> LEGS = List.of("i", "j", "k", "l", "a", "b", "i'", "in", "layer", "head", "vocab", "d_model");
    private static final List<String> VARIABLES = List.of("A", "B", "x", "y", "T", "M", "m", "f", "g", "U", "S", "V");
    private static final List<String> STRINGS = List.of("\"w.npy\"", "\"\"", "\"ij,jk->ik\"", "\"ii->\"", "\"...i,i->...\"",
            "\"a.npz\"", "\"vocab.json\"", "\"K\"", "\"gelu\"", "\"greedy\"", "\"optimal\"", "\"hyper\"", "\"out.svg\"",
            "\"\\n\"", "\"é✓\"", "\"x.tn\"");
    private static final List<String> KEYWORDS = List.of("seed", "std", "dtype", "left", "right", "bond", "rank", "cutoff",
            "max_bond", "value", "start", "step", "key", "top", "order", "layers", "heads", "d_model", "vocab", "context",
            "mlp", "eps", "tol", "max_iter", "h", "rtol", "atol", "ranks", "legs", "into", "size", "low", "high", "method");
    private static final List<String> NUMPY = List.of("A @ B", "A.T", "A.shape", "len(A.shape)", "A ** 2", "np.dot(A, B)",
            "np.einsum(\"ij,jk->ik\", A, B)", "trace(M)", "A[0, 1]", "A[:, 0]", "A * B", "A.sum()", "transpose(A)");
    private static final List<String> ODD = List.of("é", "✓", "\u0000", "\t", "\r", "\u200b", "\ud800", "\udfff", "😀", "\u202e", "ﬁ", "Ω", "\\");

    private final Random random;
    private final List<String> builtins = new ArrayList<>(Builtins.names());

    ScriptGenerator(Random random) {
        this.random = random;
    }

    String program() {
        StringBuilder sb = new StringBuilder();
        if (random.nextInt(4) > 0) {
            sb.append("leg ");
            int n = 1 + random.nextInt(4);
            for (int k = 0; k < n; k++) sb.append(k > 0 ? ", " : "").append(pick(LEGS)).append(" = ").append(size());
            sb.append('\n');
        }
        int statements = 1 + random.nextInt(8);
        for (int s = 0; s < statements; s++) sb.append(statement(3)).append(random.nextInt(10) == 0 ? "; " : "\n");
        if (random.nextInt(20) == 0) sb.append(deep());
        return sb.toString();
    }

    /** Builtin calls with plausible arguments, so that checking reaches deep into each builtin. */
    private static final List<String> CALLS = List.of(
            "svd(T, left=[L], bond=N)", "svd(T, left=[L], bond=N, rank=K)", "svd(T, left=[L], bond=N, cutoff=K)",
            "svdvals(T, left=[L], bond=N)", "qr(T, left=[L], bond=N)", "polar(T, left=[L])", "eigh(M, left=[L], bond=N)",
            "eig(M, left=[L], bond=N)", "eig(M, left=[L], bond=N, vectors=true)", "cp(T, rank=K, bond=N)", "tucker(T, ranks=[K, K])",
            "tt(T, legs=[L, L], bond=N)", "tt(T, legs=[L, L], bond=N, max_bond=K)", "einsum(E, T, T)", "einsum(E, T)",
            "pick(T, L=K)", "onehot(tuple(K, K), L, L)", "softmax(T, L)", "layernorm(T, L)", "sum(T, L)", "mean(T)", "max(T, L)",
            "norm(T)", "pow(T, K)", "delta(L, L, L)", "eye(L, L)", "diag(T, N)", "arange(L, start=K, step=K)", "full(L, value=K)",
            "uniform(L, L, low=K, high=K, seed=K)", "random(L, L, seed=K, std=K)", "zeros(L, dtype=float64)", "grad(T T, T)",
            "jacobian(relu(T), T)", "expand(T + T, order=K)", "broadcast(T, T)", "causal_mask(T, L, L)",
            "transformer(layers=K, heads=K, d_model=K, vocab=K, context=K, seed=K)", "compress(T, max_bond=K)",
            "canonical(T, center=L)", "cores(T)", "close(T, T, rtol=K)", "top(T, k=K)", "is_isometry(T, into=[L])",
            "detach(T)", "tag(T, \"x\")", "terms(T)", "rank(T)", "total(T)", "name(T)", "str(T, K)", "item(tuple(1, 2), K)",
            "range(K)", "range(K, K)", "load(F, L, L)", "load(F, L, key=\"a\")", "save(T, \"out.npy\")", "savez(\"o.npz\", a=T)",
            "directions(M, top=K, n=K)", "heatmap(M, \"h.svg\")", "plot_spectrum(T, \"s.svg\")", "draw(T, \"d.svg\")",
            "T[(L L)]", "T -> [(L L)]", "T -> [m=(L L)]", "T[L -> N]", "T[L, L]", "T T -> [L]", "T / norm(T)", "T ^ K", "K * T",
            "relu(T) - T", "sqrt(abs(T))", "exp(log(T))");
    /** Data files of the repository (read-only), by absolute path, and one that does not exist. */
    private static final List<String> FILES = java.util.stream.Stream.of("examples/data/weights.npy", "examples/data/model.npz",
                    "src/test/resources/npy/f16.npy", "src/test/resources/npy/complex128.npy", "src/test/resources/npy/fortran.npy",
                    "examples/data/vocab.json", "src/test/resources/npy/arrays_compressed.npz", "missing.npy")
            .map(f -> "\"" + java.nio.file.Path.of(f).toAbsolutePath().toString().replace("\\", "/") + "\"").toList();
    private static final List<String> EINSUM = List.of("ij,jk->ik", "ii->", "ij->ji", "...i,i->...", "i,i", "ij,jk", "ab,bc->ca",
            "iii->i", "->", "i->ii", "ij,,jk->ik", "a...b,b...->a", "ij->k", "I,i->i", "é,é->");

    /**
     * A program that declares legs (sizes from 1 to 5, now and then huge) and tensors with them,
     * then calls builtins and operators with plausible arguments: mostly well formed, so that the
     * checks inside each builtin are reached, with edge numbers where numbers go.
     */
    String typedProgram() {
        StringBuilder sb = new StringBuilder("leg ");
        List<String> legs = List.of("i", "j", "k", "l");
        for (int k = 0; k < legs.size(); k++) {
            String size = random.nextInt(8) == 0 ? pick(List.of("1", "2147483648", "4294967296", "1000000", "9223372036854775807", "65536"))
                    : String.valueOf(1 + random.nextInt(5));
            sb.append(k > 0 ? ", " : "").append(legs.get(k)).append(" = ").append(size);
        }
        sb.append("\nT = random(i, j, seed=1)\nM = random(i, j, seed=2)\nU = random(i, j, k, seed=3)\n");
        int n = 2 + random.nextInt(6);
        for (int s = 0; s < n; s++) {
            String call = pick(CALLS);
            StringBuilder out = new StringBuilder();
            for (char c : call.toCharArray()) {
                out.append(switch (c) {
                    case 'T' -> pick(List.of("T", "M", "U", "T[a, b]", "U -> [k, i]", "x", "T[i -> k]"));
                    case 'L' -> pick(legs);
                    case 'N' -> pick(List.of("b", "r", "i", "q"));
                    case 'K' -> random.nextInt(3) == 0 ? pick(NUMBERS) : String.valueOf(random.nextInt(4));
                    case 'E' -> "\"" + pick(EINSUM) + "\"";
                    case 'F' -> pick(FILES);
                    default -> String.valueOf(c);
                });
            }
            String target = pick(List.of("x", "y", "a, b", "a, b, c", "x[i, j]"));
            sb.append(random.nextInt(3) == 0 ? out : target + " = " + out).append('\n');
        }
        return sb.toString();
    }

    private String size() {
        return random.nextInt(3) == 0 ? pick(NUMBERS) : String.valueOf(1 + random.nextInt(5));
    }

    private String statement(int depth) {
        return switch (random.nextInt(16)) {
            case 0 -> "leg " + pick(LEGS) + " = " + (random.nextBoolean() ? size() : expr(depth));
            case 1 -> "set " + pick(List.of("dtype", "seed", "method", "memory_limit", "colour")) + " = "
                    + pick(List.of("float64", "float32", "7", "\"greedy\"", "\"optimal\"", "\"hyper\"", "1e3", "-1", "0", "\"x\"", pick(NUMBERS)));
            case 2 -> "import " + pick(List.of("linalg", "mps", "transformer", "numpy", "\"x.tn\"", "\"../x.tn\""));
            case 3 -> "def " + pick(VARIABLES) + "(" + pick(LEGS) + (random.nextBoolean() ? ", n=" + size() : "") + ") = " + expr(depth);
            case 4 -> "def " + pick(VARIABLES) + "(X) {\n" + statement(depth - 1) + "\nreturn " + expr(depth) + "\n}";
            case 5 -> "for " + pick(LEGS) + " in " + pick(List.of("range(" + size() + ")", "range(" + size() + ", " + size() + ")",
                    "[i, j]", "tuple(1, 2)", expr(depth))) + " {\n" + statement(depth - 1) + "\n}";
            case 6 -> "if " + expr(depth) + " {\n" + statement(depth - 1) + "\n}" + (random.nextBoolean() ? " else {\n" + statement(depth - 1) + "\n}" : "");
            case 7 -> "assert " + expr(depth) + (random.nextBoolean() ? ", \"message\"" : "");
            case 8 -> "return " + expr(depth);
            case 9 -> pick(VARIABLES) + "[" + legSpecs() + "] = " + expr(depth);
            case 10 -> pick(VARIABLES) + ", " + pick(VARIABLES) + ", " + pick(VARIABLES) + " = " + expr(depth);
            case 11 -> pick(NUMPY);
            case 12 -> pick(List.of("print", "show", "draw", "save", "savez", "heatmap", "plot_spectrum")) + "(" + args(depth) + ")";
            default -> pick(VARIABLES) + " = " + expr(depth);
        };
    }

    String expr(int depth) {
        if (depth <= 0) return leaf();
        int d = depth - 1;
        return switch (random.nextInt(20)) {
            case 0 -> expr(d) + " " + expr(d);
            case 1 -> expr(d) + " * " + expr(d);
            case 2 -> expr(d) + " + " + expr(d);
            case 3 -> expr(d) + " - " + expr(d);
            case 4 -> expr(d) + " / " + expr(d);
            case 5 -> expr(d) + "[" + legSpecs() + "]";
            case 6 -> expr(d) + " -> [" + legSpecs() + "]";
            case 7 -> "-" + expr(d);
            case 8 -> expr(d) + " ^ " + expr(d);
            case 9 -> expr(d) + " " + pick(List.of("<", "<=", ">", ">=", "==", "!=")) + " " + expr(d);
            case 10 -> pick(List.of("not ", "")) + expr(d) + pick(List.of(" and ", " or ")) + expr(d);
            case 11 -> "(" + expr(d) + ")";
            case 12, 13, 14 -> pick(builtins) + "(" + args(d) + ")";
            case 15 -> expr(d) + "." + pick(List.of("W_Q", "T", "shape", "frozen", "layers", "x"));
            case 16 -> array(1 + random.nextInt(3));
            case 17 -> "[" + legSpecs() + "]";
            case 18 -> pick(NUMPY);
            default -> leaf();
        };
    }

    private String leaf() {
        return switch (random.nextInt(8)) {
            case 0, 1 -> pick(VARIABLES);
            case 2 -> pick(LEGS);
            case 3 -> pick(NUMBERS);
            case 4 -> pick(STRINGS);
            case 5 -> pick(List.of("true", "false", "pi", "e", "float64", "unknown_name"));
            case 6 -> pick(ODD) + pick(VARIABLES);
            default -> pick(VARIABLES) + "[" + legSpecs() + "]";
        };
    }

    private String args(int depth) {
        List<String> out = new ArrayList<>();
        int n = random.nextInt(5);
        for (int k = 0; k < n; k++) {
            out.add(switch (random.nextInt(5)) {
                case 0 -> pick(LEGS);
                case 1 -> pick(KEYWORDS) + "=" + (random.nextBoolean() ? size() : pick(List.of("[i, j]", "[i]", "b", "true", "\"x\"", expr(depth))));
                default -> expr(depth);
            });
        }
        return String.join(", ", out);
    }

    private String legSpecs() {
        List<String> specs = new ArrayList<>();
        int n = random.nextInt(4);
        for (int k = 0; k < n; k++) {
            specs.add(switch (random.nextInt(6)) {
                case 0 -> pick(LEGS) + " -> " + pick(LEGS);
                case 1 -> "(" + pick(LEGS) + " " + pick(LEGS) + ")";
                case 2 -> "m=(" + pick(LEGS) + " " + pick(LEGS) + ")";
                case 3 -> pick(List.of("0", "1", "-1", "2147483648"));
                default -> pick(LEGS);
            });
        }
        return String.join(", ", specs);
    }

    private String array(int rank) {
        if (rank == 0) return random.nextInt(10) == 0 ? pick(NUMBERS) : String.valueOf(random.nextInt(5) - 2);
        int n = random.nextInt(4);
        List<String> items = new ArrayList<>();
        for (int k = 0; k < n; k++) items.add(array(random.nextInt(8) == 0 ? rank : rank - 1));
        return "[" + String.join(", ", items) + "]";
    }

    /** One construct repeated many times: nesting at, around and far beyond the limit, and long chains. */
    String deep() {
        int n = pick(List.of(10, 100, 255, 256, 257, 1000, 3000, 10000));
        String x = pick(VARIABLES);
        String l = pick(LEGS);
        return switch (random.nextInt(18)) {
            case 0 -> "y = " + "(".repeat(n) + x + ")".repeat(n) + "\n";
            case 1 -> "y = " + "-".repeat(n) + x + "\n";
            case 2 -> "y = " + "-(".repeat(n) + x + ")".repeat(n) + "\n";
            case 3 -> "y = " + "not ".repeat(n) + "true\n";
            case 4 -> "y = " + (x + " ^ ").repeat(n) + "2\n";
            case 5 -> "y = " + (pick(builtins) + "(").repeat(n) + x + ")".repeat(n) + "\n";
            case 6 -> "y = " + x + ("[" + l + "]").repeat(n) + "\n";
            case 7 -> "y = " + x + (" + " + x).repeat(n) + "\n";
            case 8 -> "y = " + x + (" " + x).repeat(n) + "\n";
            case 9 -> "y = " + x + (" / 2").repeat(n) + "\n";
            case 10 -> "y = true" + " or true".repeat(n) + "\n";
            case 11 -> "y = " + "[".repeat(n) + "1" + "]".repeat(n) + "\n";
            case 12 -> "if true {\n".repeat(n) + "y = 1\n" + "}\n".repeat(n);
            case 13 -> "if false { y = 1 }" + " else if false { y = 2 }".repeat(n) + "\n";
            case 14 -> legList(n);
            case 15 -> "t = tuple(" + "1, ".repeat(n) + "1)\nprint(len(t))\n";
            case 16 -> ("y = " + x + " + " + x + "\n").repeat(n);
            default -> "y = " + x + ".a".repeat(n) + "\n";
        };
    }

    private String legList(int n) {
        StringBuilder decl = new StringBuilder("leg q0 = 1");
        StringBuilder names = new StringBuilder("q0");
        for (int k = 1; k < n; k++) {
            decl.append(", q").append(k).append(" = 1");
            names.append(", q").append(k);
        }
        return decl + "\nT = ones(" + names + ")\nU = T[" + names + "]\nV = T -> [" + names + "]\n";
    }

    private <T> T pick(List<T> items) {
        return items.get(random.nextInt(items.size()));
    }
}
