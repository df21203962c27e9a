package tn.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tn.ast.Stmt;
import tn.cli.Main;
import tn.diag.Diagnostic;
import tn.diag.Diagnostics;
import tn.diag.Source;
import tn.exec.nd4j.Nd4jBackend;
import tn.interp.Settings;
import tn.plan.Planner;
import tn.repl.Repl;

/**
 * Deep nesting is a located error at a documented limit, never a StackOverflowError: every
 * construct that nests parses at {@link Nesting#MAX_LEVELS} levels, fails one level deeper, fails
 * the same way (and quickly) 100,000 levels deep; at the limit, scripts check and run with a
 * quarter of the default thread stack to spare; and what still overflows (deep recursion of a function) is an error of
 * its statement in run, check, plan, draw and the REPL.
 */
class NestingTest {
    private static final int MAX = Nesting.MAX_LEVELS;
    private static final String PRELUDE = "leg i = 2\nx = ones(i)\nm = record(a=x)\ndef f(a) = a\n";

    /** How far a construct's script is taken at the limit: parsed, also checked, also run. */
    enum Phase { PARSE, CHECK, RUN }

    /** Each construct written n levels deep. */
    static Stream<Arguments> constructs() {
        return Stream.of(
                construct("parentheses", n -> "y = " + "(".repeat(n) + "x" + ")".repeat(n), Phase.RUN),
                construct("prefix minus", n -> "y = " + "-".repeat(n) + "x", Phase.RUN),
                construct("not", n -> "y = " + "not ".repeat(n) + "true", Phase.RUN),
                construct("powers", n -> "y = x" + " ^ 1".repeat(n), Phase.RUN),
                construct("calls", n -> "y = " + "f(".repeat(n) + "x" + ")".repeat(n), Phase.RUN),
                construct("bubbles", n -> "y = " + "relu(".repeat(n) + "x" + ")".repeat(n), Phase.RUN),
                construct("relabels", n -> "y = x" + "[i]".repeat(n), Phase.RUN),
                construct("fields", n -> "y = m" + ".a".repeat(n), Phase.PARSE),
                construct("divisions", n -> "y = x" + " / 2".repeat(n), Phase.RUN),
                construct("or chain", n -> "y = false" + " or false".repeat(n), Phase.RUN),
                // A literal n + 1 arrays deep has rank n + 1: checked (shapes only), not made.
                construct("array literals", n -> "y = " + "[".repeat(n + 1) + "1" + "]".repeat(n + 1), Phase.CHECK),
                construct("blocks", n -> "if true {\n".repeat(n) + "y = x\n" + "}\n".repeat(n), Phase.RUN),
                // An else-if's block is one level inside it: n - 1 else-ifs nest n levels.
                construct("else if", n -> "if false { y = x }" + " else if false { y = x }".repeat(n - 1) + "\n", Phase.RUN));
    }

    private static Arguments construct(String name, IntFunction<String> script, Phase phase) {
        return Arguments.of(name, script, phase);
    }

    private static List<Stmt> parse(String text, Diagnostics d) {
        return TnParserFacade.parse(new Source("deep.tn", PRELUDE + text + "\n"), d);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("constructs")
    void atTheLimitEveryConstructParses(String name, IntFunction<String> script, Phase phase) {
        Diagnostics d = new Diagnostics();
        assertNotNull(parse(script.apply(MAX), d), d.format());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("constructs")
    void oneLevelDeeperIsALocatedError(String name, IntFunction<String> script, Phase phase) {
        Diagnostics d = new Diagnostics();
        assertNull(parse(script.apply(MAX + 1), d));
        assertEquals(1, d.size(), d.format());
        Diagnostic only = d.all().get(0);
        assertNotNull(only.span());
        assertTrue(only.message().startsWith("nested too deeply (more than " + MAX + " levels"), only.message());
        assertTrue(only.span().line() > PRELUDE.lines().count(), "located in the deep statement: " + only.format());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("constructs")
    void farBeyondTheLimitIsTheSameErrorQuickly(String name, IntFunction<String> script, Phase phase) {
        String text = script.apply(100_000);
        Diagnostics d = new Diagnostics();
        // On a thread with the default stack, as the command line's main thread has.
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertNull(parse(text, d)));
        assertTrue(d.all().get(0).message().startsWith("nested too deeply"), d.format());
    }

    /**
     * The limit leaves room on the default 1 MB thread stack (the command line's main thread, the
     * REPL's): at the limit each script checks and runs on a thread with three quarters of it.
     * Measured (smallest stack that works, fresh JVM per attempt): at most 389 KB, for nested
     * bubbles (relu(relu(...))) run with C1-compiled code; 327 KB interpreted (-Xint); somewhat
     * more in a long-warmed JVM. Parsing needs 500 to 700 KB at the limit but runs on a thread of
     * its own (TnParserFacade.STACK_BYTES).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("constructs")
    void atTheLimitScriptsCheckAndRunOnThreeQuartersOfTheDefaultStack(String name, IntFunction<String> script, Phase phase) throws Exception {
        Path file = Files.createTempFile("tn-deep", ".tn");
        try {
            Files.writeString(file, PRELUDE + script.apply(MAX) + "\n");
            List<String> commands = switch (phase) {
                case PARSE -> List.of();
                case CHECK -> List.of("check");
                case RUN -> List.of("check", "run");
            };
            for (String command : commands) {
                String[] result = onSmallStack(768 << 10, command, file.toString());
                assertEquals("0", result[0], command + " " + name + ":\n" + result[1]);
            }
        } finally {
            Files.delete(file);
        }
    }

    /** Runs the command line on a thread with the given stack; returns the exit code and stderr. */
    private static String[] onSmallStack(long stack, String... args) throws InterruptedException {
        String[] result = new String[2];
        Thread t = new Thread(null, () -> {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            try (PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                int code = Main.execute(args, new PrintStream(PrintStream.nullOutputStream()), e);
                result[0] = String.valueOf(code);
            } catch (Throwable x) {
                result[0] = x.toString();
            }
            result[1] = err.toString(StandardCharsets.UTF_8);
        }, "tn-small-stack", stack);
        t.start();
        t.join();
        return result;
    }

    /**
     * A recursion 190 calls deep whose body nests 200 levels: within every limit, yet 38,000
     * levels on the stack at once. The last line of defence makes it an error of the statement.
     */
    private static final String RECURSION = "leg i = 2\nx = ones(i)\n"
            + "def f(v, n) {\n    if n > 0 {\n        return " + "-(".repeat(100) + "f(v, n - 1)" + ")".repeat(100)
            + "\n    }\n    return v\n}\ny = f(x, 190)\n";

    @Test
    void aStatementThatStillOverflowsIsAnErrorOfThatStatementInEveryCommand() throws IOException {
        Path file = Files.createTempFile("tn-recursion", ".tn");
        Path svg = Files.createTempFile("tn-recursion", ".svg");
        try {
            Files.writeString(file, RECURSION);
            for (String[] args : List.of(new String[] {"check", file.toString()}, new String[] {"run", file.toString()},
                    new String[] {"plan", file.toString()}, new String[] {"draw", file.toString(), "-o", svg.toString()})) {
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                int code;
                try (PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
                    code = Main.execute(args, new PrintStream(PrintStream.nullOutputStream()), e);
                }
                String printed = err.toString(StandardCharsets.UTF_8);
                assertEquals(1, code, args[0] + ":\n" + printed);
                assertTrue(printed.startsWith(file + ":9:1: this statement is nested too deeply to run"), args[0] + ":\n" + printed);
                assertFalse(printed.contains("\tat ") || printed.contains("Error"), args[0] + ":\n" + printed);
            }
        } finally {
            Files.delete(file);
            Files.deleteIfExists(svg);
        }
    }

    @Test
    void theReplAnswersAnOverflowingStatementAndCarriesOn() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream both = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        Repl repl = new Repl(new Nd4jBackend(), new Planner(), both, both, 1e9, new Settings());
        String input = "leg i = 2\nx = ones(i)\ndef f(v, n) { if n > 0 { return " + "-(".repeat(100) + "f(v, n - 1)" + ")".repeat(100)
                + " }; return v }\ny = f(x, 190)\nprint(\"still here\")\n";
        repl.runPlain(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        String transcript = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(transcript.contains("this statement is nested too deeply to run"), transcript);
        assertTrue(transcript.contains("still here"), transcript);
        assertFalse(transcript.contains("\tat "), transcript);
    }
}
