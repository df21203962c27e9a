package tn.interp;

import java.util.List;
import tn.ast.Stmt;
import tn.diag.TnError;
import tn.exec.DType;

/**
 * The interpreter's settings, changed by `set NAME = value` in a script or by command-line
 * options: the dtype of new tensors, the planning method, the memory limit and the seed used by
 * random tensors created without one; and the script's command-line arguments, read by arg().
 *
 * <p>Random tensors created without `seed=` take their numbers one after another from the
 * script's stream ({@link Rng#script}): the stream of the script seed (`set seed = N`, 0 unless
 * set), which never runs alongside the stream of any explicit `seed=k`. A script gives the same
 * numbers on every run; `set seed` starts the stream of that seed from its beginning.
 */
public final class Settings {
    static final List<String> NAMES = List.of("dtype", "executor", "memory_limit", "method", "seed", "task_memory");

    private DType dtype = DType.FLOAT32;
    /** The script seed; the default is documented in docs/language.md. */
    private long seed = 0;
    /** SplitMix64 numbers drawn from the script's stream so far. */
    private long position = 0;
    private ScriptArguments arguments = ScriptArguments.none();
    private boolean drawing;

    public DType dtype() { return dtype; }

    /**
     * Checking for {@code tn draw}: onehot() of indices held in a tensor (token ids passed to a
     * model) gives its [rows, cols] signature from their count, so a whole forward pass is built
     * and drawn. {@code tn check} keeps stopping there (checking whole models is not its job).
     */
    public boolean drawing() { return drawing; }

    public void setDrawing(boolean on) { this.drawing = on; }

    /** The arguments given to the script on the command line (none in the REPL). */
    public ScriptArguments arguments() { return arguments; }

    public void setArguments(ScriptArguments arguments) { this.arguments = arguments; }

    /** The settings at one moment (for undoing a failed REPL statement). */
    record Saved(DType dtype, long seed, long position) {}

    Saved save() { return new Saved(dtype, seed, position); }

    void restore(Saved s) {
        dtype = s.dtype();
        seed = s.seed();
        position = s.position();
    }

    public void setDtype(DType dtype) { this.dtype = dtype; }

    public void setSeed(long seed) {
        this.seed = seed;
        this.position = 0;
    }

    /**
     * The script's stream where a random tensor created without a seed starts, moved on past the
     * {@code longs} SplitMix64 numbers that tensor takes (see {@link Rng#longsForNormals}).
     */
    public Rng drawFromScript(long longs) {
        Rng rng = Rng.script(seed, position);
        position += longs;
        return rng;
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
                List<String> methods = interpreter.evaluator().methods();
                if (!methods.contains(str.value())) {
                    // Refused here, once, rather than at every contraction that would plan with it.
                    String hint = Suggest.closest(str.value(), methods);
                    throw new TnError(s.value().span(), "unknown planning method \"" + str.value() + "\""
                            + (hint != null ? " (did you mean \"" + hint + "\"?)" : "") + "; the methods are " + String.join(", ", methods));
                }
                interpreter.evaluator().setMethod(str.value());
            }
            case "memory_limit" -> {
                double bytes = interpreter.asNumber(v, s.value().span(), "memory_limit");
                if (!(bytes > 0)) throw new TnError(s.value().span(), "memory_limit must be a positive number of bytes");
                interpreter.evaluator().setMemoryLimitBytes(bytes);
            }
            case "executor" -> {
                if (!(v instanceof Value.Str str)) throw new TnError(s.value().span(), "executor must be a string: \"local\" or \"spark\"");
                try {
                    interpreter.evaluator().setExecutor(tn.net.Executors.named(str.value(), null));
                } catch (IllegalArgumentException e) {
                    throw new TnError(s.value().span(), e.getMessage());
                }
            }
            case "task_memory" -> {
                double bytes = interpreter.asNumber(v, s.value().span(), "task_memory");
                if (!(bytes > 0)) throw new TnError(s.value().span(), "task_memory must be a positive number of bytes");
                interpreter.evaluator().setTaskMemoryBytes(bytes);
            }
            default -> {
                String hint = Suggest.closest(s.name(), NAMES);
                throw new TnError(s.nameSpan(), "unknown setting " + s.name()
                        + (hint != null ? " (did you mean " + hint + "?)" : " (settings: " + String.join(", ", NAMES) + ")"));
            }
        }
    }
}
