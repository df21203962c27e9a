package tn.interp;

/**
 * A function tn provides (creation, bubbles, I/O, ...). Each is registered once in
 * {@link Builtins} with its signature and a one-line summary, which `--help` and the REPL show.
 */
public interface Builtin {
    String name();

    /** How it is called, e.g. `random(legs..., seed=0, dtype=float32)`. */
    String signature();

    /** One line saying what it does. */
    String summary();

    Value call(Args args);

    /** A builtin from its parts. */
    static Builtin of(String name, String signature, String summary, java.util.function.Function<Args, Value> body) {
        return new Builtin() {
            public String name() { return name; }
            public String signature() { return signature; }
            public String summary() { return summary; }
            public Value call(Args args) { return body.apply(args); }
        };
    }
}
