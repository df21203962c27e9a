package tn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tn.golden.Golden;

/** The command line: help, version, exit codes, and `check` never starting the numeric backend. */
class CliTest {
    @Test
    void helpExplainsTheCommandsAndExitCodes() {
        Golden.Result r = Golden.run("--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("run"), r.out());
        assertTrue(r.out().contains("check"), r.out());
        assertTrue(r.out().contains("Exit codes"), r.out());
        Golden.Result run = Golden.run("run", "--help");
        assertEquals(0, run.exitCode());
        assertTrue(run.out().contains("--memory-limit"), run.out());
        assertTrue(run.out().contains("--dtype"), run.out());
    }

    @Test
    void versionIsPrinted() {
        Golden.Result r = Golden.run("--version");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().startsWith("tn "), r.out());
    }

    @Test
    void usageErrorsExitWithTwo() {
        assertEquals(2, Golden.run("run").exitCode());
        assertEquals(2, Golden.run("frobnicate").exitCode());
        Golden.Result r = Golden.run("run", "--dtype", "float16", "examples/01_basics.tn");
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("--dtype must be float32 or float64"), r.err());
        Golden.Result m = Golden.run("run", "--memory-limit", "lots", "examples/01_basics.tn");
        assertEquals(2, m.exitCode());
        assertTrue(m.err().contains("not a size"), m.err());
    }

    @Test
    void aMissingScriptIsAScriptError() {
        Golden.Result r = Golden.run("run", "no/such/script.tn");
        assertEquals(1, r.exitCode());
        assertEquals("error: no/such/script.tn: no such file\n", r.err());
    }

    @Test
    void checkSaysOkForAGoodScript() {
        Golden.Result r = Golden.run("check", "examples/06_ladder.tn");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("examples/06_ladder.tn: ok\n", r.out());
    }

    @Test
    void memorySizesParse() {
        assertEquals(2e9, MemorySize.parse("2e9"));
        assertEquals(512e6, MemorySize.parse("512m"));
        assertEquals(4e9, MemorySize.parse("4GB"));
        assertEquals(1024.0 * 1024, MemorySize.parse("1Mi"));
    }

    /** A fresh JVM lists every class it loads: `check` must load no ND4J class. */
    @Test
    void checkNeverLoadsNd4j() throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        cmd.add("-verbose:class");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("tn.cli.Main");
        cmd.add("check");
        cmd.add("examples/06_ladder.tn");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), output);
        assertTrue(output.contains("tn.cli.Main"), "the class listing should show tn's own classes");
        assertFalse(output.contains("org.nd4j"), "check loaded ND4J classes");
        assertFalse(output.contains("org.bytedeco"), "check loaded native-library classes");
    }
}
