package tn.interp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import tn.ast.Expr;
import tn.ast.Stmt;

/**
 * The arguments a script was given on the command line ({@code tn run study.tn text="..." n=3}),
 * read in the script by {@code arg("text", default=...)}. Remembers which were read, so that an
 * argument the script never reads (a misspelt name) is reported instead of ignored; the checking
 * pass runs every statement, so it finds them before anything is computed.
 */
public final class ScriptArguments {
    /** What an argument name looks like: a tn name. */
    static final Pattern NAME = Pattern.compile("[\\p{L}_][\\p{L}\\p{N}_']*");

    private final Map<String, String> given;
    private final boolean commandLine;
    private final Set<String> read = Collections.synchronizedSet(new LinkedHashSet<>());

    private ScriptArguments(Map<String, String> given, boolean commandLine) {
        this.given = Collections.unmodifiableMap(given);
        this.commandLine = commandLine;
    }

    /** No arguments and no command line to give them (the REPL, a script run from a test). */
    public static ScriptArguments none() {
        return new ScriptArguments(new LinkedHashMap<>(), false);
    }

    /**
     * Parses {@code name=value} words; the value is everything after the first '=' (the shell has
     * removed the quotes: {@code text="a b"} arrives as {@code text=a b}).
     *
     * @throws IllegalArgumentException with a message for the user, for a word without '=', a name
     *     that is not a tn name, or a name given twice
     */
    public static ScriptArguments parse(List<String> words) {
        Map<String, String> given = new LinkedHashMap<>();
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("script arguments are written NAME=VALUE, not '" + w + "' (e.g. " + example(w) + ")");
            }
            String name = w.substring(0, eq);
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("'" + name + "' in '" + w + "' is not an argument name (a name such as text or n_layers, then =VALUE)");
            }
            if (given.put(name, w.substring(eq + 1)) != null) {
                throw new IllegalArgumentException("script argument " + name + " is given twice");
            }
        }
        return new ScriptArguments(given, true);
    }

    private static String example(String word) {
        return NAME.matcher(word).matches() ? word + "=VALUE" : "text=\"" + word + "\"";
    }

    /** Whether {@code name} can name an argument (it is a tn name). */
    public static boolean isName(String name) {
        return NAME.matcher(name).matches();
    }

    /** Whether the arguments come from a command line (else arg() can only give its default). */
    public boolean fromCommandLine() { return commandLine; }

    /** The text given for {@code name}, or null; either way the script has read it. */
    public String get(String name) {
        read.add(name);
        return given.get(name);
    }

    /** The names given, in order. */
    public List<String> names() { return new ArrayList<>(given.keySet()); }

    /**
     * The error for each argument given that the program never reads: neither read while it ran
     * (checking runs every statement) nor named in an arg("...") call of its text (a statement
     * that checking skips, such as an if on a computed value). Empty when all are read.
     */
    public List<String> unread(String script, List<Stmt> program) {
        Set<String> known = new TreeSet<>(read);
        known.addAll(namedIn(program));
        List<String> out = new ArrayList<>();
        for (String name : given.keySet()) {
            if (known.contains(name)) continue;
            String hint = Suggest.closest(name, known);
            String why = known.isEmpty() ? "it reads none: a script reads an argument with arg(\"" + name + "\", default=...)"
                    : hint != null && known.size() == 1 ? "did you mean " + hint + "?"
                    : (hint != null ? "did you mean " + hint + "? " : "") + "it reads " + String.join(", ", known);
            out.add(script + " has no argument " + name + " (" + why + ")");
        }
        return out;
    }

    /** The names of the arg("...") calls written in a program (its functions, loops and branches included). */
    static Set<String> namedIn(List<Stmt> program) {
        Set<String> names = new TreeSet<>();
        for (Stmt s : program) statement(s, names);
        return names;
    }

    private static void statement(Stmt s, Set<String> names) {
        if (s instanceof Stmt.LegDecl d) {
            d.legs().forEach(b -> {
                if (b.count() != null) expression(b.count(), names);
                expression(b.size(), names);
            });
        } else if (s instanceof Stmt.Set x) {
            expression(x.value(), names);
        } else if (s instanceof Stmt.Def d) {
            d.params().forEach(p -> expression(p.defaultValue(), names));
            d.body().forEach(b -> statement(b, names));
        } else if (s instanceof Stmt.Return r) {
            r.values().forEach(v -> expression(v, names));
        } else if (s instanceof Stmt.Assert a) {
            expression(a.condition(), names);
        } else if (s instanceof Stmt.Assign a) {
            expression(a.value(), names);
        } else if (s instanceof Stmt.For f) {
            expression(f.values(), names);
            f.body().forEach(b -> statement(b, names));
        } else if (s instanceof Stmt.If i) {
            expression(i.condition(), names);
            i.then().forEach(b -> statement(b, names));
            i.otherwise().forEach(b -> statement(b, names));
        } else if (s instanceof Stmt.ExprStmt e) {
            expression(e.expr(), names);
        }
        // Stmt.Import: an imported file's arg() calls are found when checking runs it.
    }

    private static void expression(Expr e, Set<String> names) {
        if (e instanceof Expr.Call c) {
            if (c.callee().equals("arg") && !c.args().isEmpty() && c.args().get(0).keyword() == null
                    && c.args().get(0).value() instanceof Expr.Str s) {
                names.add(s.value());
            }
            c.args().forEach(a -> expression(a.value(), names));
        } else if (e instanceof Expr.Member m) {
            expression(m.target(), names);
        } else if (e instanceof Expr.Relabel r) {
            expression(r.target(), names);
        } else if (e instanceof Expr.Subscript x) {
            expression(x.index(), names);
        } else if (e instanceof Expr.Output o) {
            expression(o.target(), names);
        } else if (e instanceof Expr.Product p) {
            p.factors().forEach(f -> expression(f, names));
        } else if (e instanceof Expr.Binary b) {
            expression(b.left(), names);
            expression(b.right(), names);
        } else if (e instanceof Expr.Unary u) {
            expression(u.operand(), names);
        }
        // Literals, names and leg lists hold no calls.
    }
}
