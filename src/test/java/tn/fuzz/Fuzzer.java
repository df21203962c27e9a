package tn.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import tn.cli.Driver;
import tn.diag.Source;

/**
 * Feeds hostile scripts through `tn check`'s path in-process ({@link Driver#read} for byte inputs,
 * then {@link Driver#check}: parse, then the checking pass of the interpreter) and records what
 * goes wrong: any throwable that escapes (a TnError is caught by the driver and printed as a
 * located diagnostic), any diagnostic printed without a file:line:col location, and any input
 * that takes longer than the time limit. Inputs are mutated real scripts and generated programs
 * ({@link Mutator}, {@link ScriptGenerator}), all from one seed, so a run can be repeated.
 *
 * <p>Each input runs on a fresh thread with the JVM's default stack size, as the command line's
 * main thread has.
 */
final class Fuzzer {
    /** One input that failed: what it was, what happened, and the failure's class for grouping. */
    record Finding(String kind, String key, String input, String detail, double seconds) {}

    /** One input's time, for the slowest list. */
    record Timing(double seconds, String input) {}

    private static final Pattern LOCATED = Pattern.compile("^(fuzz\\.tn|[^\\s:]+\\.tn):\\d+:\\d+: .*");

    private final Random random;
    private final List<String> corpus;
    private final List<Path> corpusDirs;
    private final Mutator mutator;
    private final ScriptGenerator generator;
    private final double timeLimitSeconds;
    private final Path scratch;

    final List<Finding> findings = new ArrayList<>();
    final List<Timing> slowest = new ArrayList<>();
    int inputs;
    /** Wall time of all inputs, and the CPU time their threads used. */
    double totalSeconds;
    double cpuTotal;

    Fuzzer(long seed, double timeLimitSeconds) throws IOException {
        this.random = new Random(seed);
        this.timeLimitSeconds = timeLimitSeconds;
        this.corpus = new ArrayList<>();
        this.corpusDirs = new ArrayList<>();
        for (String dir : List.of("examples", "src/test/resources/errors", "stdlib")) {
            try (Stream<Path> files = Files.list(Path.of(dir))) {
                for (Path p : files.filter(f -> f.toString().endsWith(".tn")).sorted().toList()) {
                    corpus.add(Files.readString(p, StandardCharsets.UTF_8));
                    corpusDirs.add(p.getParent());
                }
            }
        }
        this.mutator = new Mutator(random, corpus);
        this.generator = new ScriptGenerator(random);
        this.scratch = Files.createTempDirectory("tn-fuzz");
    }

    /** Runs {@code count} inputs; stops early after {@code maxFindings} findings; reports progress to {@code progress} (or not: null). */
    void run(int count, int maxFindings, PrintStream progress) throws Exception {
        for (int n = 0; n < count && findings.size() < maxFindings; n++) {
            if (progress != null && n > 0 && n % 10_000 == 0) {
                progress.printf("fuzz: %d inputs in %.0f s, %d findings%n", n, totalSeconds, findings.size());
            }
            int kind = random.nextInt(20);
            if (kind < 11) {
                int k = random.nextInt(corpus.size());
                check(mutator.mutate(corpus.get(k)), corpusDirs.get(k));
            } else if (kind < 15) {
                check(generator.program(), scratch);
            } else if (kind < 19) {
                check(generator.typedProgram(), scratch);
            } else {
                checkBytes(mutator.mutateBytes(corpus.get(random.nextInt(corpus.size()))));
            }
        }
    }

    /** Checks one script as `tn check` would; records a finding when it is not answered well. */
    void check(String script, Path directory) throws Exception {
        attempt(script, () -> {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            try (PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                new Driver(new PrintStream(PrintStream.nullOutputStream()), e)
                        .check(new Source("fuzz.tn", script), directory, Driver.Options.defaults());
            }
            return err.toString(StandardCharsets.UTF_8);
        });
    }

    /** Reads bytes through the driver's reader (invalid UTF-8 and all), then checks what it read. */
    void checkBytes(byte[] bytes) throws Exception {
        Path file = scratch.resolve("fuzz.tn");
        Files.write(file, bytes);
        String shown = new String(bytes, StandardCharsets.UTF_8);
        attempt(shown, () -> {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            try (PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                Driver driver = new Driver(new PrintStream(PrintStream.nullOutputStream()), e);
                Source source = driver.read(file);
                if (source != null) driver.check(new Source("fuzz.tn", source.text()), scratch, Driver.Options.defaults());
            }
            return err.toString(StandardCharsets.UTF_8);
        });
    }

    private interface Job {
        String run() throws Exception;
    }

    @SuppressWarnings({"deprecation", "removal"})
    private void attempt(String input, Job job) throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<String> printed = new AtomicReference<>("");
        Thread worker = new Thread(null, () -> {
            try {
                printed.set(job.run());
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "tn-fuzz", 0);
        long start = System.nanoTime();
        long cpuStart = PROCESS.getProcessCpuTime();
        worker.start();
        // The limit is on CPU time, so that a busy machine does not make inputs "slow": the
        // process's, since inputs run one at a time and the parser has a thread of its own (it
        // includes the JIT and the collector, which work for the input). Wall time (ten times the
        // limit) only catches a worker that waits forever.
        double seconds = 0;
        while (worker.isAlive()) {
            worker.join(20);
            seconds = (PROCESS.getProcessCpuTime() - cpuStart) / 1e9;
            if (seconds > timeLimitSeconds || (System.nanoTime() - start) / 1e9 > 10 * timeLimitSeconds) break;
        }
        seconds = (PROCESS.getProcessCpuTime() - cpuStart) / 1e9;
        inputs++;
        totalSeconds += (System.nanoTime() - start) / 1e9;
        cpuTotal += seconds;
        if (worker.isAlive()) {
            StackTraceElement[] trace = worker.getStackTrace();
            String where = stackOf(trace);
            worker.interrupt();
            worker.join(1000);
            if (worker.isAlive()) worker.stop(); // a hang: nothing else ends it (Java 17)
            worker.join(5000);
            findings.add(new Finding("slow", "slow (over " + timeLimitSeconds + " s of CPU) at " + firstTnFrame(trace), input, where, seconds));
            return;
        }
        recordTime(seconds, input);
        Throwable t = thrown.get();
        if (t != null) {
            findings.add(new Finding("throwable", keyOf(t), input, traceOf(t), seconds));
            return;
        }
        for (String block : printed.get().split("\n\n")) {
            String first = block.lines().findFirst().orElse("");
            if (first.isEmpty() || LOCATED.matcher(first).matches()) continue;
            if (first.startsWith("error: cannot read")) continue; // the reader's message for unreadable bytes
            findings.add(new Finding("unlocated", "unlocated: " + first.replaceAll("[0-9]+", "N"), input, block, seconds));
            return;
        }
    }

    private static final com.sun.management.OperatingSystemMXBean PROCESS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private void recordTime(double seconds, String input) {
        slowest.add(new Timing(seconds, input));
        if (slowest.size() > 40) {
            slowest.sort(Comparator.comparingDouble(Timing::seconds).reversed());
            slowest.subList(20, slowest.size()).clear();
        }
    }

    List<Timing> slowest(int n) {
        List<Timing> s = new ArrayList<>(slowest);
        s.sort(Comparator.comparingDouble(Timing::seconds).reversed());
        return s.subList(0, Math.min(n, s.size()));
    }

    /** A throwable's class and first frame in tn: one finding per bug, not per input. */
    private static String keyOf(Throwable t) {
        return t.getClass().getName() + " at " + firstTnFrame(t.getStackTrace());
    }

    private static String firstTnFrame(StackTraceElement[] trace) {
        for (StackTraceElement e : trace) {
            if (e.getClassName().startsWith("tn.") && !e.getClassName().startsWith("tn.fuzz.")) {
                return e.getClassName() + "." + e.getMethodName() + "(" + e.getFileName() + ":" + e.getLineNumber() + ")";
            }
        }
        return "?";
    }

    private static String traceOf(Throwable t) {
        StringBuilder sb = new StringBuilder(t.toString());
        StackTraceElement[] trace = t.getStackTrace();
        for (int k = 0; k < Math.min(12, trace.length); k++) sb.append("\n    at ").append(trace[k]);
        return sb.toString();
    }

    private static String stackOf(StackTraceElement[] trace) {
        StringBuilder sb = new StringBuilder("still running at:");
        for (int k = 0; k < Math.min(12, trace.length); k++) sb.append("\n    at ").append(trace[k]);
        return sb.toString();
    }

    /** Findings grouped by key, in order of first appearance. */
    Map<String, List<Finding>> byKey() {
        Map<String, List<Finding>> groups = new LinkedHashMap<>();
        for (Finding f : findings) groups.computeIfAbsent(f.key(), k -> new ArrayList<>()).add(f);
        return groups;
    }

    /** An input for a message: long inputs shortened in the middle, control characters escaped. */
    static String show(String input, int max) {
        String s = input.length() <= max ? input : input.substring(0, max / 2) + "\n[... " + (input.length() - max) + " characters ...]\n"
                + input.substring(input.length() - max / 2);
        StringBuilder sb = new StringBuilder();
        s.codePoints().forEach(c -> {
            if (c == '\n' || c >= 0x20 && c != 0x7f && (c < 0xd800 || c > 0xdfff)) sb.appendCodePoint(c);
            else sb.append(String.format("\\u%04x", c));
        });
        return sb.toString();
    }
}
