package tn.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tn.diag.Source;
import tn.exec.DType;

/**
 * The `tn` command line: `tn run`, `tn check`, `tn plan`, `tn draw`, `tn repl`, `tn kernel`, `tn --help`, `tn --version`.
 * Exit codes: 0 success, 1 an error in the script or its data, 2 a usage error, 3 a bug in tn.
 */
@Command(name = "tn", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = {
            "tn: tensor network diagrams as programs.",
            "",
            "A .tn script declares legs and tensors and contracts them by naming shared legs:",
            "  leg i = 2, j = 3, k = 4",
            "  A = random(i, j, seed=1)",
            "  B = random(j, k, seed=2)",
            "  C = A B            # j is shared, so it is contracted: C has legs i, k",
            "  show(C)",
            "",
            "See README.md and docs/language.md for the whole language."},
        footer = {"", "Exit codes: 0 ok, 1 error in the script or its data, 2 bad command line, 3 internal error."})
public final class Main implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        WarmUp.script(args);
        System.exit(execute(args, System.out, System.err));
    }

    /** The subcommands, by name, in the order `tn --help` lists them. */
    private static final java.util.Map<String, java.util.function.Supplier<Object>> SUBCOMMANDS = new java.util.LinkedHashMap<>();
    static {
        SUBCOMMANDS.put("run", Run::new);
        SUBCOMMANDS.put("check", Check::new);
        SUBCOMMANDS.put("plan", PlanCommand::new);
        SUBCOMMANDS.put("draw", DrawCommandLine::new);
        SUBCOMMANDS.put("repl", ReplCommand::new);
        SUBCOMMANDS.put("kernel", KernelCommandLine::new);
        SUBCOMMANDS.put("help", CommandLine.HelpCommand::new);
    }

    /**
     * The command line: with only the subcommand the arguments name when they start with one
     * (picocli reads every command's options by reflection, and building them all took ~80 ms of
     * each start-up), else with all of them (`tn --help`, `tn help check`, a misspelt command);
     * none for `tn` alone, which starts the REPL.
     */
    static CommandLine commandLine(String[] args) {
        CommandLine cl = new CommandLine(new Main());
        if (args.length == 0) return cl; // the REPL, through call()
        String first = args[0];
        if (SUBCOMMANDS.containsKey(first) && !first.equals("help")) {
            cl.addSubcommand(SUBCOMMANDS.get(first).get());
        } else {
            for (java.util.function.Supplier<Object> command : SUBCOMMANDS.values()) cl.addSubcommand(command.get());
        }
        return cl;
    }

    /** Runs the command line with the given streams; returns the exit code (for tests too). */
    public static int execute(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = commandLine(args);
        cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
        cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        cl.setExecutionStrategy(new CommandLine.RunLast());
        cl.setParameterExceptionHandler((ex, a) -> {
            CommandLine c = ex.getCommandLine();
            // `tn file.tn` or `tn rnu`: the first argument names no command.
            if (c == cl && ex instanceof CommandLine.UnmatchedArgumentException u && !u.isUnknownOption()
                    && a.length > 0 && !u.getUnmatched().isEmpty() && u.getUnmatched().get(0).equals(a[0])) {
                c.getErr().println("error: " + UnknownCommand.message(a[0], c.getSubcommands().keySet()));
                return CommandLine.ExitCode.USAGE;
            }
            c.getErr().println("error: " + ex.getMessage());
            c.getErr().println("(see '" + c.getCommandSpec().qualifiedName() + " --help')");
            return CommandLine.ExitCode.USAGE;
        });
        Streams.set(out, err);
        cl.setExecutionExceptionHandler((ex, c, parsed) -> internalError(ex, err));
        return cl.execute(args);
    }

    /**
     * Anything that escapes as an exception is a bug in tn, not a mistake in the script: say so
     * briefly, and show the stack trace only when TN_DEBUG is set.
     */
    private static int internalError(Exception ex, PrintStream err) {
        err.println("tn: internal error: " + ex);
        err.println("This is a bug in tn, not in your script; please report it with the script that caused it.");
        if (System.getenv("TN_DEBUG") != null) ex.printStackTrace(err);
        else err.println("(set TN_DEBUG=1 to see where it happened)");
        return 3;
    }

    /** `tn` with no command starts the REPL. */
    @Override
    public Integer call() {
        return new ReplCommand().call();
    }

    /**
     * The usage error for a --method the planner does not know (null for a known one), checked
     * before the script is read so it is reported once, against the option, with exit code 2.
     */
    static String badMethod(String method) {
        java.util.List<String> methods = new tn.plan.Planner().methods();
        if (methods.contains(method)) return null;
        return "--method must be one of " + String.join(", ", methods) + ", not '" + method + "' (see --help)";
    }

    /**
     * The script's NAME=VALUE arguments, or a usage error: a word without '=', a bad name, a name
     * given twice, or arguments written before the script.
     */
    static tn.interp.ScriptArguments scriptArguments(CommandLine cl, Path file, java.util.List<String> words) {
        if (file != null && file.toString().contains("=") && !java.nio.file.Files.exists(file)) {
            throw new CommandLine.ParameterException(cl, "the script comes first, then its arguments: FILE NAME=VALUE ..., not '" + file + "' first");
        }
        try {
            return tn.interp.ScriptArguments.parse(words);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage());
        }
    }

    /** Holds the streams of the current invocation (tests run several in one JVM). */
    static final class Streams {
        static PrintStream out = System.out;
        static PrintStream err = System.err;
        static java.io.InputStream in = System.in;

        static void set(PrintStream o, PrintStream e) {
            out = o;
            err = e;
        }
    }

    /** What --help says about script arguments (run, check, plan, draw). */
    static final String ARGUMENTS_HELP = "arguments of the script, read in it by arg(\"NAME\", default=...): "
            + "text (quoted for the shell when it has spaces: text=\"a b\"), a number, or numbers separated by commas (ids=1,2,3); "
            + "an argument the script does not read is an error";

    /** Options of the commands that evaluate scripts. */
    static class ScriptOptions {
        @Parameters(index = "0", paramLabel = "FILE", description = "the .tn script")
        Path file;

        @Parameters(index = "1..*", paramLabel = "NAME=VALUE", description = ARGUMENTS_HELP)
        java.util.List<String> arguments = new java.util.ArrayList<>();

        @Option(names = "--dtype", paramLabel = "TYPE", defaultValue = "float32",
                description = "element type of new tensors: float32 (default), float64, complex64 or complex128")
        String dtype;

        @Option(names = "--method", paramLabel = "M", defaultValue = "auto",
                description = PlanCommand.METHODS_HELP)
        String method;

        @Option(names = "--memory-limit", paramLabel = "BYTES",
                description = "largest intermediate tensor allowed, e.g. 2e9, 512m, 4g "
                        + "(default: half of the memory ND4J may use)")
        String memoryLimit;

        Driver.Options toOptions() {
            DType d = DType.parse(dtype);
            if (d == null) throw new CommandLine.ParameterException(new CommandLine(this), "--dtype must be " + DType.NAMES + ", not '" + dtype + "'");
            String bad = badMethod(method);
            if (bad != null) throw new CommandLine.ParameterException(new CommandLine(this), bad);
            double limit = Driver.defaultMemoryLimit();
            if (memoryLimit != null) {
                try {
                    limit = MemorySize.parse(memoryLimit);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(new CommandLine(this), "--memory-limit: " + e.getMessage());
                }
            }
            return new Driver.Options(d, method, limit, scriptArguments(new CommandLine(this), file, arguments));
        }

        Path directory() {
            Path parent = file.toAbsolutePath().getParent();
            return parent != null ? parent : Path.of(".");
        }
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Checks a script, then runs it: contractions are planned and computed on ND4J.",
                "Output of print/show goes to standard output, errors to standard error as",
                "file:line:col: message. Words NAME=VALUE after the script (after --, or",
                "without it) are the script's arguments, read in it by arg(\"NAME\", default=...):",
                "  tn run study.tn -- weights=gpt2.safetensors n=5 text=\"The cat\"",
                "The text given is read as the default's kind of value (a number, a string,",
                "true or false, numbers separated by commas for a tuple or a vector). An",
                "argument the script never reads is an error, and a word without '=' a usage",
                "error (exit code 2)."})
    static final class Run extends ScriptOptions implements Callable<Integer> {
        @Option(names = "--spark", paramLabel = "MASTER",
                description = "run the slices of sliced contractions as Spark tasks on this master: local[*] (this machine), "
                        + "local[2,3] (2 threads, 3 attempts per task), spark://host:7077, ...; needs tn built with Spark (README)")
        String spark;

        @Option(names = "--task-memory", paramLabel = "BYTES",
                description = "with --spark: the memory of one slice (e.g. 512m); plans are sliced so that each slice fits "
                        + "(default: the memory limit)")
        String taskMemory;

        @Override
        public Integer call() {
            Driver.Options options;
            double task = Double.POSITIVE_INFINITY;
            try {
                options = toOptions();
                if (taskMemory != null && spark == null) {
                    throw new CommandLine.ParameterException(new CommandLine(this), "--task-memory applies to --spark runs only");
                }
                if (taskMemory != null) task = MemorySize.parse(taskMemory);
            } catch (CommandLine.ParameterException e) {
                Streams.err.println("error: " + e.getMessage());
                return CommandLine.ExitCode.USAGE;
            } catch (IllegalArgumentException e) {
                Streams.err.println("error: --task-memory: " + e.getMessage());
                return CommandLine.ExitCode.USAGE;
            }
            Driver driver = new Driver(Streams.out, Streams.err);
            if (spark != null) {
                try {
                    driver.setExecutor(tn.net.Executors.named("spark", spark), task);
                } catch (IllegalArgumentException e) {
                    Streams.err.println("error: --spark: " + e.getMessage());
                    return 1;
                }
            }
            Source source = driver.read(file);
            if (source == null) return 1;
            return driver.run(source, directory(), options, Backends::nd4j);
        }
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Checks a script without computing: syntax, names, legs, sizes and memory.",
                "Reports every error of the script at once, including contractions whose",
                "intermediates would not fit in memory. Does not start the numeric backend.",
                "Arguments after the script are the script's, as for tn run."})
    static final class Check extends ScriptOptions implements Callable<Integer> {
        @Override
        public Integer call() {
            Driver.Options options;
            try {
                options = toOptions();
            } catch (CommandLine.ParameterException e) {
                Streams.err.println("error: " + e.getMessage());
                return CommandLine.ExitCode.USAGE;
            }
            Driver driver = new Driver(Streams.out, Streams.err);
            Source source = driver.read(file);
            if (source == null) return 1;
            if (driver.check(source, directory(), options) == null) return 1;
            Streams.out.println(file + ": ok");
            return 0;
        }
    }

    @Command(name = "repl", mixinStandardHelpOptions = true,
            description = {"Starts an interactive session (also what `tn` with no command does).",
                "Every statement of the language works as in a script; an expression shows",
                "its value. Commands: :help, :legs, :who, :plan, :time, :draw, :load, :save,",
                ":reset, :quit. With piped input (tn repl < session.tn) it reads lines",
                "without prompts. :draw shows the diagram in terminals that display images",
                "(kitty, Ghostty, iTerm2, WezTerm); TN_IMAGES=kitty, iterm or none overrides",
                "the guess (inside tmux, over ssh)."})
    static final class ReplCommand implements Callable<Integer> {
        @Option(names = "--dtype", paramLabel = "TYPE", defaultValue = "float32",
                description = "element type of new tensors: float32 (default), float64, complex64 or complex128")
        String dtype = "float32";

        @Option(names = "--memory-limit", paramLabel = "BYTES", description = "largest intermediate tensor allowed")
        String memoryLimit;

        @Option(names = "--method", paramLabel = "M", defaultValue = "auto", description = PlanCommand.METHODS_HELP)
        String method = "auto";

        @Override
        public Integer call() {
            DType d = DType.parse(dtype);
            if (d == null) {
                Streams.err.println("error: --dtype must be " + DType.NAMES + ", not '" + dtype + "'");
                return CommandLine.ExitCode.USAGE;
            }
            String bad = badMethod(method);
            if (bad != null) {
                Streams.err.println("error: " + bad);
                return CommandLine.ExitCode.USAGE;
            }
            double limit = Driver.defaultMemoryLimit();
            if (memoryLimit != null) {
                try {
                    limit = MemorySize.parse(memoryLimit);
                } catch (IllegalArgumentException e) {
                    Streams.err.println("error: --memory-limit: " + e.getMessage());
                    return CommandLine.ExitCode.USAGE;
                }
            }
            tn.interp.Settings settings = new tn.interp.Settings();
            settings.setDtype(d);
            WarmUp.parser();
            tn.repl.Repl repl = new tn.repl.Repl(Backends.nd4jInBackground(), new tn.plan.Planner(), Streams.out, Streams.err, limit, settings, method);
            return System.console() != null && Streams.out == System.out ? repl.runTerminal() : repl.runPlain(Streams.in);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"tn " + (v != null ? v : "0.1.0-dev")};
        }
    }
}
