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
        // --method names every method the planner knows, in `run` and in `plan`.
        for (String command : new String[] {"run", "plan"}) {
            String help = Golden.run(command, "--help").out().replaceAll("\\s+", " ");
            for (String method : new tn.plan.Planner().methods()) {
                assertTrue(help.contains(method + " ("), command + " --help does not explain method " + method + ": " + help);
            }
        }
    }

    /** `tn draw --help` and the REPL's `:help :draw` say which folder and file names drawings get. */
    @Test
    void drawHelpSaysWhereTheFilesGo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        String help = Golden.run("draw", "--help").out().replaceAll("\\s+", " ");
        for (String claim : List.of("NAME.svg for each variable", "in the current directory", "or in DIR with -d DIR",
                "-o FILE writes the one diagram to FILE", "--png also writes each diagram as .png next to its SVG", "(f' gives f_27.svg)")) {
            assertTrue(help.contains(claim), "tn draw --help does not say: " + claim + "\n" + help);
        }
        // The example in the help is what happens.
        java.nio.file.Path script = dir.resolve("f.tn");
        java.nio.file.Files.writeString(script, "leg i = 2, j = 3\nA = random(i, j, seed=1)\nx = ones(j)\nf' = A x\n");
        java.nio.file.Path out = dir.resolve("figures");
        Golden.Result r = Golden.run("draw", script.toString(), "-d", out.toString(), "--png");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("wrote " + out.resolve("f_27.svg") + "\nwrote " + out.resolve("f_27.png") + "\n", r.out());
        String replHelp = replTranscript(":help :draw\n").replaceAll("\\s+", " "); // :help wraps at 80 columns
        assertTrue(replHelp.contains("by default NAME.svg in the current directory"), replHelp);
    }

    /** `tn repl --method M` plans the session's contractions with M (until `set method`). */
    @Test
    void replPlansWithTheMethodGiven() {
        java.io.InputStream saved = Main.Streams.in;
        try {
            for (String method : List.of("greedy", "optimal")) {
                Main.Streams.in = new java.io.ByteArrayInputStream(
                        "leg i = 2, j = 3, k = 4\nA = random(i, j)\nB = random(j, k)\n:plan A B\n".getBytes(StandardCharsets.UTF_8));
                Golden.Result r = Golden.run("repl", "--method", method);
                assertEquals(0, r.exitCode(), r.err());
                assertTrue(r.out().contains("method:                " + method + " (planned in"), r.out());
            }
        } finally {
            Main.Streams.in = saved;
        }
    }

    /** What a piped REPL session prints. */
    private static String replTranscript(String input) {
        java.io.ByteArrayOutputStream buffer = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stream = new java.io.PrintStream(buffer, true, StandardCharsets.UTF_8);
        new tn.repl.Repl(Backends.nd4j(), new tn.plan.Planner(), stream, stream, 1e9, new tn.interp.Settings())
                .runPlain(new java.io.ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        return buffer.toString(StandardCharsets.UTF_8);
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
        assertTrue(r.err().contains("--dtype must be float32, float64, complex64 or complex128"), r.err());
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
    void planPrintsOneJsonObjectPerContractionWhoseCostReplays() {
        Golden.Result r = Golden.run("plan", "--json", "examples/02_products.tn");
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertTrue(lines.length >= 4, r.out());
        com.google.gson.JsonObject first = com.google.gson.JsonParser.parseString(lines[0]).getAsJsonObject();
        for (String key : List.of("line", "equation", "method", "path", "cost", "naive_cost", "largest_intermediate", "sliced_legs", "planning_ms")) {
            assertTrue(first.has(key), key + " missing in " + lines[0]);
        }
        // Each reported path replays to the reported cost under the cost model.
        for (String line : lines) {
            com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(line).getAsJsonObject();
            String eq = o.get("equation").getAsString();
            tn.plan.Network n = parseEquation(eq, r.out());
            List<int[]> path = new ArrayList<>();
            for (var p : o.getAsJsonArray("path")) path.add(new int[] {p.getAsJsonArray().get(0).getAsInt(), p.getAsJsonArray().get(1).getAsInt()});
            if (n != null) assertEquals(o.get("cost").getAsDouble(), tn.plan.Plan.fromPath(n, path, "replay", 0).cost(), 1e-9, line);
        }
    }

    /** The network of a single-letter equation with every leg of size 3 and 4 as in 02_products (null if other letters). */
    private static tn.plan.Network parseEquation(String eq, String context) {
        java.util.Map<Character, Long> sizes = java.util.Map.of('i', 3L, 'j', 4L, 'k', 2L, 'a', 3L, 'b', 4L, 'c', 2L);
        String[] sides = eq.split("->", -1);
        List<int[]> inputs = new ArrayList<>();
        List<Character> legs = new ArrayList<>();
        for (String term : sides[0].split(",", -1)) {
            int[] t = new int[term.length()];
            for (int k = 0; k < term.length(); k++) {
                char c = term.charAt(k);
                if (!sizes.containsKey(c)) return null;
                if (!legs.contains(c)) legs.add(c);
                t[k] = legs.indexOf(c);
            }
            inputs.add(t);
        }
        int[] out = sides[1].chars().map(c -> legs.indexOf((char) c)).toArray();
        long[] s = legs.stream().mapToLong(sizes::get).toArray();
        return tn.plan.Network.of(inputs, out, s);
    }

    @Test
    void planReadsCotengraStyleNetworks() throws Exception {
        java.nio.file.Path f = java.nio.file.Files.createTempFile("net", ".json");
        java.nio.file.Files.writeString(f, "{\"inputs\": [[\"a\", \"b\"], [\"b\", \"c\"], [\"c\", \"d\"]], \"output\": [\"a\", \"d\"], "
                + "\"size_dict\": {\"a\": 10, \"b\": 20, \"c\": 5, \"d\": 30}}");
        Golden.Result r = Golden.run("plan", "--network", f.toString(), "--json", "--method", "optimal");
        assertEquals(0, r.exitCode(), r.err());
        com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(r.out()).getAsJsonObject();
        // (AB)C = 10*20*5 + 10*5*30 = 2500 < A(BC) = 20*5*30 + 10*20*30 = 9000
        assertEquals(2500, o.get("cost").getAsDouble());
        Golden.Result bad = Golden.run("plan", "--network", f.toString() + ".missing");
        assertEquals(1, bad.exitCode());
        assertTrue(bad.err().contains("no such file"), bad.err());
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
