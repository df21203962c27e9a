package tn.interp;

import java.util.List;
import tn.ast.Stmt;
import tn.diag.TnError;
import tn.exec.DType;

/**
 * The interpreter's settings, changed by `set NAME = value` in a script or by command-line
 * options: the dtype of new tensors, the planning method, the memory limit and the seed used by
 * random tensors created without one; and the script's command-line arguments, read by arg().
 */
public final class Settings {
    static final List<String> NAMES = List.of("dtype", "memory_limit", "method", "seed");

    private DType dtype = DType.FLOAT32;
    private long seed = 0;
    private long randomCalls = 0;
    private ScriptArguments arguments = ScriptArguments.none();

    public DType dtype() { return dtype; }

    /** The arguments given to the script on the command line (none in the REPL). */
    public ScriptArguments arguments() { return arguments; }

    public void setArguments(ScriptArguments arguments) { this.arguments = arguments; }

    /** The settings at one moment (for undoing a failed REPL statement). */
    record Saved(DType dtype, long seed, long randomCalls) {}

    Saved save() { return new Saved(dtype, seed, randomCalls); }

    void restore(Saved s) {
        dtype = s.dtype();
        seed = s.seed();
        randomCalls = s.randomCalls();
    }

    public void setDtype(DType dtype) { this.dtype = dtype; }

    public void setSeed(long seed) {
        this.seed = seed;
        this.randomCalls = 0;
    }

    /** The seed for a random tensor created without one: the script seed and a call counter. */
    public long nextImplicitSeed() {
        return seed * 1_000_003L + (++randomCalls);
    }

    void apply(Stmt.Set s, Value v, Interpreter interpreter) {
        switch (s.name()) {
            case "dtype" -> {
                if (v instanceof Value.DTypeValue d) dtype = d.dtype();
                else if (v instanceof Value.Str str && DType.parse(str.value()) != null) dtype = DType.parse(str.value());
                else throw new TnError(s.value().span(), "dtype must be float32 or float64");
            }
            case "seed" -> {
                double d = interpreter.asNumber(v, s.value().span(), "seed");
                if (d != Math.rint(d)) throw new TnError(s.value().span(), "seed must be a whole number");
                setSeed((long) d);
            }
            case "method" -> {
                if (!(v instanceof Value.Str str)) throw new TnError(s.value().span(), "method must be a string such as \"greedy\"");
                interpreter.evaluator().setMethod(str.value());
            }
            case "memory_limit" -> {
                double bytes = interpreter.asNumber(v, s.value().span(), "memory_limit");
                if (!(bytes > 0)) throw new TnError(s.value().span(), "memory_limit must be a positive number of bytes");
                interpreter.evaluator().setMemoryLimitBytes(bytes);
            }
            default -> {
                String hint = Suggest.closest(s.name(), NAMES);
                throw new TnError(s.nameSpan(), "unknown setting " + s.name()
                        + (hint != null ? " (did you mean " + hint + "?)" : " (settings: " + String.join(", ", NAMES) + ")"));
            }
        }
    }
}
