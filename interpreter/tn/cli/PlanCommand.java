package tn.cli;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tn.diag.Source;
import tn.plan.Network;
import tn.plan.NetworkFile;
import tn.plan.Plan;
import tn.plan.PlanReport;

/**
 * `tn plan FILE`: the contraction plan of every contraction in a script (or of a network given
 * as JSON with --network), as a report or as JSON lines. Computes nothing.
 */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Shows how each contraction of a script would be done, without computing it.",
            "For each: the network as an einsum equation, the planning method and time,",
            "the cost (multiply-adds: for each pairwise step, the product of the sizes of",
            "all legs on its two operands), the naive cost (one loop over all legs), the",
            "speed-up, the largest intermediate and the steps.",
            "With --network, plans a network given in the JSON format of opt_einsum and",
            "cotengra benchmarks:",
            "  {\"inputs\": [[legs...], ...], \"output\": [legs...], \"size_dict\": {leg: size}}"})
final class PlanCommand implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", paramLabel = "FILE", description = "the .tn script")
    Path file;

    @Parameters(index = "1..*", paramLabel = "NAME=VALUE", description = Main.ARGUMENTS_HELP)
    List<String> arguments = new java.util.ArrayList<>();

    /** What each planning method does (the help of --method here and in `run`/`check`). */
    static final String METHODS_HELP = "planning method: auto (default: optimal up to " + tn.plan.Planner.AUTO_OPTIMAL_MAX
            + " tensors, a short hyper search up to " + tn.plan.Planner.AUTO_HYPER_MAX + ", greedy above), greedy (fast, "
            + "opt_einsum's rule), optimal (proven cheapest order, up to " + tn.plan.OptimalOptimizer.MAX_INPUTS
            + " tensors) or hyper (randomised trees refined by annealing: seconds, for hard networks); "
            + "docs/planner.md has the details";

    @Option(names = "--network", paramLabel = "JSON", description = "plan this network (JSON) instead of a script")
    Path network;

    @Option(names = "--json", description = "one JSON object per contraction (line, equation, method, path, cost, ...)")
    boolean json;

    @Option(names = "--method", paramLabel = "M", defaultValue = "auto",
            description = METHODS_HELP)
    String method;

    @Option(names = "--memory-limit", paramLabel = "BYTES",
            description = "largest intermediate allowed (e.g. 2e9, 4g); scripts default to half of ND4J's memory, --network to none")
    String memoryLimit;

    @Option(names = "--dtype", paramLabel = "TYPE", defaultValue = "float32", description = "float32 (default), float64, complex64 or complex128")
    String dtype;

    @Option(names = "--slices", description = "for each sliced contraction, the slicing for --executors executors with each slice "
            + "within --task-memory, its cost per slice, and the predicted time on N, 8, 64 and 512 executors from a GEMM rate "
            + "measured on this machine (about a second; --gemm-rate to give one)")
    boolean slices;

    @Option(names = "--executors", paramLabel = "N", defaultValue = "8", description = "with --slices: executors that run slices at once (default 8)")
    int executors;

    @Option(names = "--task-memory", paramLabel = "BYTES", description = "with --slices: the memory of one slice (default: the memory limit)")
    String taskMemory;

    @Option(names = "--gemm-rate", paramLabel = "MADDS", description = "with --slices: multiply-adds a second of one executor, instead of measuring")
    Double gemmRate;

    private double rate;
    private String rateSource;

    @Override
    public Integer call() {
        if ((file == null) == (network == null)) {
            Main.Streams.err.println("error: give a script FILE or --network JSON (one of them)");
            return CommandLine.ExitCode.USAGE;
        }
        String badMethod = Main.badMethod(method);
        if (badMethod != null) {
            Main.Streams.err.println("error: " + badMethod);
            return CommandLine.ExitCode.USAGE;
        }
        double limit = Driver.defaultMemoryLimit();
        if (memoryLimit != null) {
            try {
                limit = MemorySize.parse(memoryLimit);
            } catch (IllegalArgumentException e) {
                Main.Streams.err.println("error: --memory-limit: " + e.getMessage());
                return CommandLine.ExitCode.USAGE;
            }
        }
        tn.exec.DType d = tn.exec.DType.parse(dtype);
        if (d == null) {
            Main.Streams.err.println("error: --dtype must be " + tn.exec.DType.NAMES + ", not '" + dtype + "'");
            return CommandLine.ExitCode.USAGE;
        }
        tn.interp.ScriptArguments scriptArguments;
        try {
            scriptArguments = Main.scriptArguments(new CommandLine(this), file, arguments);
        } catch (CommandLine.ParameterException e) {
            Main.Streams.err.println("error: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        if (!slices && (taskMemory != null || gemmRate != null || executors != 8)) {
            Main.Streams.err.println("error: --executors, --task-memory and --gemm-rate go with --slices");
            return CommandLine.ExitCode.USAGE;
        }
        if (slices && executors < 1) {
            Main.Streams.err.println("error: --executors must be at least 1, not " + executors);
            return CommandLine.ExitCode.USAGE;
        }
        if (slices && json) {
            Main.Streams.err.println("error: --slices is a report for people; it does not go with --json");
            return CommandLine.ExitCode.USAGE;
        }
        if (taskMemory != null) {
            try {
                double task = MemorySize.parse(taskMemory);
                limit = memoryLimit == null ? task : Math.min(limit, task);
                memoryLimit = taskMemory;
            } catch (IllegalArgumentException e) {
                Main.Streams.err.println("error: --task-memory: " + e.getMessage());
                return CommandLine.ExitCode.USAGE;
            }
        }
        if (slices) {
            if (gemmRate != null) {
                rate = gemmRate;
                rateSource = "given with --gemm-rate";
            } else {
                rate = GemmRate.measure(Backends.nd4j(), d);
                rateSource = "measured: the best of 4 " + GemmRate.N + " x " + GemmRate.N + " " + d + " products on this machine";
            }
        }
        Driver driver = new Driver(Main.Streams.out, Main.Streams.err);
        // A network from a file is planned for study: no memory limit unless one is asked for.
        double networkLimit = memoryLimit == null ? Double.POSITIVE_INFINITY : limit / d.bytes();
        return network != null ? planNetwork(driver, networkLimit)
                : planScript(driver, new Driver.Options(d, method, limit, scriptArguments));
    }

    private String slicing(Plan plan, double limitElements, double bytesPerElement) {
        return SlicingReport.format(plan, executors, limitElements, bytesPerElement, rate, rateSource);
    }

    private int planNetwork(Driver driver, double limitElements) {
        String text;
        try {
            text = Source.read(network, network.toString()).text();
        } catch (tn.diag.TnError e) {
            Main.Streams.err.println(e.diagnostic().format());
            return 1;
        } catch (NoSuchFileException e) {
            Main.Streams.err.println("error: " + network + ": no such file");
            return 1;
        } catch (IOException e) {
            Main.Streams.err.println("error: cannot read " + network + ": " + e.getMessage());
            return 1;
        }
        Plan plan;
        try {
            Network n = NetworkFile.parse(text);
            plan = driver.planner().plan(n, method, limitElements);
        } catch (IllegalArgumentException e) {
            Main.Streams.err.println("error: " + network + ": " + e.getMessage());
            return 1;
        }
        Main.Streams.out.println(json ? PlanReport.json(plan) : PlanReport.format(plan));
        if (slices) Main.Streams.out.println(slicing(plan, limitElements, 4));
        return 0;
    }

    private int planScript(Driver driver, Driver.Options options) {
        Source source = driver.read(file);
        if (source == null) return 1;
        Path dir = file.toAbsolutePath().getParent();
        List<Driver.Planned> plans = driver.plans(source, dir != null ? dir : Path.of("."), options);
        if (plans == null) return 1;
        for (Driver.Planned p : plans) {
            int line = p.net().span().line();
            if (json) {
                String obj = PlanReport.json(p.plan());
                Main.Streams.out.println("{\"line\": " + line + ", " + obj.substring(1).stripLeading());
            } else {
                String where = p.net().span().source().name() + ":" + line;
                String name = p.net().label() != null ? p.net().label() + " = " : "";
                Main.Streams.out.println("== " + where + ": " + name + p.net().span().text());
                Main.Streams.out.println(PlanReport.format(p.plan()));
                if (slices && p.plan().slicedLegs().length > 0) {
                    // Within the memory limit in force where the statement was planned (`set memory_limit` or --task-memory).
                    int bytes = p.net().dtype().bytes();
                    Main.Streams.out.println(slicing(p.plan(), p.memoryLimitBytes() / bytes, bytes));
                }
            }
        }
        if (plans.isEmpty() && !json) Main.Streams.out.println(file + ": no contractions");
        return 0;
    }
}
