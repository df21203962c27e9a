package tn.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import tn.exec.Backend;
import tn.exec.DType;
import tn.exec.Dense;

/**
 * What start-up leaves out or puts in the background: the command line builds only the command it
 * runs, and an interactive session's backend loads while the session waits for its first line,
 * then behaves as the backend itself. (The times are measured by src/bench/startup.py.)
 */
class StartupTest {
    private static final List<String> ALL = List.of("run", "check", "plan", "draw", "repl", "kernel", "help");

    @Test
    void theCommandLineBuildsOnlyTheCommandItRuns() {
        assertEquals(List.of("check"), List.copyOf(Main.commandLine(new String[] {"check", "x.tn"}).getSubcommands().keySet()));
        assertEquals(List.of("kernel"), List.copyOf(Main.commandLine(new String[] {"kernel", "install"}).getSubcommands().keySet()));
        assertEquals(ALL, List.copyOf(Main.commandLine(new String[] {"--help"}).getSubcommands().keySet()), "`tn --help` lists them all, in order");
        assertEquals(ALL, List.copyOf(Main.commandLine(new String[] {"help", "check"}).getSubcommands().keySet()), "`tn help check` needs the others");
        assertEquals(ALL, List.copyOf(Main.commandLine(new String[] {"chek", "x.tn"}).getSubcommands().keySet()), "a misspelt command gets suggestions from all");
        assertEquals(List.of(), List.copyOf(Main.commandLine(new String[0]).getSubcommands().keySet()), "`tn` alone starts the REPL");
    }

    @Test
    void theBackendLoadedInTheBackgroundIsTheBackend() {
        Backend b = Backends.nd4jInBackground();
        Dense x = b.fromDoubles(new double[] {1, 2, 3}, new long[] {3}, DType.FLOAT64);
        assertArrayEquals(new double[] {1, 2, 3}, b.toDoubles(x), 0.0);
        assertArrayEquals(new double[] {2, 4, 6}, Backends.nd4j().toDoubles(b.linearCombination(List.of(x), new double[] {2})), 0.0);
        assertSame(Backends.nd4j(), Backends.nd4j(), "one backend per process");
        // What the backend throws reaches the caller as it is, not wrapped by the indirection.
        assertThrows(NullPointerException.class, () -> b.cast(null, DType.FLOAT32));
    }

    @Test
    void aScriptParsedAheadIsCheckedAndDrawnAsWithout(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path good = java.nio.file.Files.writeString(dir.resolve("good.tn"), "leg i = 2, j = 3\nA = random(i, j, seed=1)\nx = A A\n");
        java.nio.file.Path bad = java.nio.file.Files.writeString(dir.resolve("bad.tn"), "leg i = 2\nA = random(i, seed=1\nB = A C\n");
        for (String command : List.of("check", "draw")) {
            for (java.nio.file.Path file : List.of(good, bad)) {
                String[] args = command.equals("draw")
                        ? new String[] {command, file.toString(), "-o", dir.resolve(command + ".svg").toString()}
                        : new String[] {command, file.toString()};
                String[] without = run(args);
                WarmUp.script(args);
                String[] with = run(args);
                assertEquals(List.of(without), List.of(with), command + " " + file.getFileName());
            }
        }
    }

    /** The exit code, standard output and standard error of one command line. */
    private static String[] run(String[] args) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int code = Main.execute(args, new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8),
                new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        return new String[] {String.valueOf(code), out.toString(java.nio.charset.StandardCharsets.UTF_8), err.toString(java.nio.charset.StandardCharsets.UTF_8)};
    }
}
