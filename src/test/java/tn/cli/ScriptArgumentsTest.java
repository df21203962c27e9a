package tn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.golden.Golden;

/**
 * `tn run script.tn NAME=VALUE ...`: arguments read by arg() with defaults, read as the default's
 * kind of value; a missing required one, one the script never reads, and malformed words are
 * reported, in run, check, plan and draw alike.
 */
class ScriptArgumentsTest {
    @TempDir
    Path dir;

    private String script(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p.toString();
    }

    private static final String READS = """
            text = arg("text", default="The cat")
            n = arg("n", default=2)
            ids = arg("ids", default=tuple(1, 2))
            v = arg("v", default=[1, 2, 3])
            flag = arg("flag", default=false)
            names = arg("names", default=tuple("a", "b"))
            print(text, "|", n + 1, "|", ids, len(ids), "|", v, "|", flag, "|", names)
            """;

    @Test
    void argumentsAreReadAsTheDefaultsKind() throws Exception {
        String s = script("reads.tn", READS);
        assertEquals("The cat | 3 | (1, 2) 2 | [1.0000, 2.0000, 3.0000] | false | (a, b)\n", Golden.run("run", s).out());
        // A value with spaces is one shell word (the shell took the quotes away); commas and '=' stay in a string.
        Golden.Result r = Golden.run("run", s, "text=Hello, big=world", "n=-1.5e1", "ids=464,3290, 318", "v=7", "flag=true", "names=x,y z,");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("Hello, big=world | -14 | (464, 3290, 318) 3 | [7.0000] | true | (x, y z, )\n", r.out());
        // -- right after the script, as in the tn run script.tn -- weights=gpt2.safetensors n=5.
        Golden.Result dashes = Golden.run("run", s, "--", "text=gpt2.safetensors", "n=5");
        assertEquals(0, dashes.exitCode(), dashes.err());
        assertEquals("gpt2.safetensors | 6 | (1, 2) 2 | [1.0000, 2.0000, 3.0000] | false | (a, b)\n", dashes.out());
        assertEquals(s + ": ok\n", Golden.run("check", s, "--", "n=5").out());
        // -- between the options and the arguments, and options after the arguments.
        assertEquals("x | 5 | (1, 2) 2 | [1.0000, 2.0000, 3.0000] | false | (a, b)\n",
                Golden.run("run", s, "--dtype", "float64", "--", "text=x", "n=4").out());
        assertEquals("x | 5 | (1, 2) 2 | [1.0000, 2.0000, 3.0000] | false | (a, b)\n",
                Golden.run("run", s, "text=x", "n=4", "--dtype", "float64").out());
        // An empty value is the empty string (print shows nothing for it), or no items.
        assertEquals("| 3 | () 0 | [1.0000, 2.0000, 3.0000] | false | (a, b)\n", Golden.run("run", s, "text=", "ids=").out());
    }

    /** Without a default the text is a number, numbers separated by commas, or else the text. */
    @Test
    void requiredArgumentsAreReadByTheirText() throws Exception {
        String s = script("required.tn", "print(arg(\"a\"), arg(\"b\"), arg(\"c\"), arg(\"d\"))\n");
        Golden.Result r = Golden.run("run", s, "a=3", "b=1,2,3", "c=1,x", "d=gpt2.safetensors");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("3 (1, 2, 3) 1,x gpt2.safetensors\n", r.out());
    }

    @Test
    void aMissingRequiredArgumentIsALocatedErrorSayingHowToPassIt() throws Exception {
        String s = script("needs.tn", "leg i = 2\nw = arg(\"weights\")\nprint(w)\n");
        String expected = s + ":2:5: script argument weights is not given: pass it after the script, e.g. tn run " + s
                + " weights=VALUE (or give arg() a default=...)\n    w = arg(\"weights\")\n        ^^^^^^^^^^^^^^\n";
        for (String command : new String[] {"run", "check", "plan", "draw"}) {
            Golden.Result r = Golden.run(command, s);
            assertEquals(1, r.exitCode(), command);
            assertEquals(expected, r.err(), command);
            assertEquals("", r.out(), command);
        }
        assertEquals("w.npy\n", Golden.run("run", s, "weights=w.npy").out());
    }

    @Test
    void anArgumentTheScriptNeverReadsIsReportedBeforeAnythingRuns() throws Exception {
        String s = script("typo.tn", READS);
        for (String command : new String[] {"run", "check", "plan", "draw"}) {
            Golden.Result r = Golden.run(command, s, "txet=x", "n=3");
            assertEquals(1, r.exitCode(), command);
            assertEquals("error: " + s + " has no argument txet (did you mean text? it reads flag, ids, n, names, text, v)\n", r.err(), command);
            assertEquals("", r.out(), command);
        }
        String none = script("none.tn", "print(1)\n");
        assertEquals("error: " + none + " has no argument x (it reads none: a script reads an argument with arg(\"x\", default=...))\n",
                Golden.run("run", none, "x=1").err());
        // With the script's own errors, all are reported.
        String bad = script("bad.tn", "n = arg(\"n\", default=1)\nprint(undefined)\n");
        Golden.Result r = Golden.run("check", bad, "m=1");
        assertEquals(1, r.exitCode());
        assertTrue(r.err().contains("unknown name undefined") && r.err().contains("has no argument m (it reads n)"), r.err());
    }

    /** An argument read only where checking does not go (a branch on a computed value) is known from the text. */
    @Test
    void argumentsNamedInBranchesAndFunctionsAreKnown() throws Exception {
        String s = script("branch.tn", """
                leg i = 3
                x = random(i, seed=1)
                def f() = arg("scale", default=1)
                if norm(x) > 100 { print(arg("huge", default="no")) } else { print(f()) }
                """);
        Golden.Result r = Golden.run("run", s, "huge=yes", "scale=2");
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("2\n", r.out());
    }

    @Test
    void malformedArgumentsAreCommandLineErrors() throws Exception {
        String s = script("reads.tn", READS);
        String[][] cases = {
            {"foo", "error: script arguments are written NAME=VALUE, not 'foo' (e.g. foo=VALUE)"},
            {"hello world", "error: script arguments are written NAME=VALUE, not 'hello world' (e.g. text=\"hello world\")"},
            {"=3", "error: '' in '=3' is not an argument name (a name such as text or n_layers, then =VALUE)"},
            {"1x=3", "error: '1x' in '1x=3' is not an argument name (a name such as text or n_layers, then =VALUE)"},
        };
        for (String command : new String[] {"run", "check", "plan", "draw"}) {
            for (String[] c : cases) {
                Golden.Result r = Golden.run(command, s, c[0]);
                assertEquals(2, r.exitCode(), command + " " + c[0]);
                assertEquals(c[1] + "\n", r.err(), command + " " + c[0]);
            }
            Golden.Result twice = Golden.run(command, s, "n=1", "n=2");
            assertEquals(2, twice.exitCode());
            assertEquals("error: script argument n is given twice\n", twice.err());
        }
        Golden.Result first = Golden.run("run", "n=1", s);
        assertEquals(2, first.exitCode());
        assertEquals("error: the script comes first, then its arguments: FILE NAME=VALUE ..., not 'n=1' first\n", first.err());
    }

    @Test
    void textThatIsNotTheDefaultsKindIsALocatedError() throws Exception {
        String s = script("reads.tn", READS);
        Golden.Result r = Golden.run("check", s, "n=abc", "flag=yes", "ids=1,,2", "v=");
        assertEquals(1, r.exitCode());
        assertEquals(s + ":2:5: n=abc: a number is expected, as the default is a number\n"
                + "    n = arg(\"n\", default=2)\n        ^^^^^^^^^^^^^^^^^^^\n\n"
                + s + ":3:7: ids=1,,2: numbers separated by commas are expected (e.g. 1,2,3), as the default has\n"
                + "    ids = arg(\"ids\", default=tuple(1, 2))\n          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n\n"
                + s + ":4:5: v=: a vector needs at least one number, e.g. v=1,2,3\n"
                + "    v = arg(\"v\", default=[1, 2, 3])\n        ^^^^^^^^^^^^^^^^^^^^^^^^^^^\n\n"
                + s + ":5:8: flag=yes: true or false is expected here, as the default is\n"
                + "    flag = arg(\"flag\", default=false)\n           ^^^^^^^^^^^^^^^^^^^^^^^^^^\n", r.err());
        String odd = script("odd.tn", "leg i = 2\nx = arg(\"x\", default=ones(i))\ny = arg(\"my x\", default=1)\n");
        Golden.Result e = Golden.run("check", odd);
        assertTrue(e.err().contains("arg() defaults are strings, numbers, true or false, dtypes, tuples or vectors written as a list"
                + " such as [1, 2, 3], not a tensor"), e.err());
        assertTrue(e.err().contains("\"my x\" cannot name an argument: use a name such as text or n_layers"), e.err());
    }

    @Test
    void helpExplainsArguments() {
        for (String command : new String[] {"run", "check", "plan", "draw"}) {
            String help = Golden.run(command, "--help").out().replaceAll("\\s+", " ");
            assertTrue(help.contains("NAME=VALUE") && help.contains("read in it by arg(\"NAME\", default=...)"), command + ": " + help);
        }
        String run = Golden.run("run", "--help").out().replaceAll("\\s+", " ");
        assertTrue(run.contains("tn run study.tn -- weights=gpt2.safetensors n=5 text=\"The cat\""), run);
        assertTrue(run.contains("read in it by arg(\"NAME\", default=...)"), run);
        assertTrue(run.contains("An argument the script never reads is an error, and a word without '=' a usage error (exit code 2)"), run);
    }

    /** The REPL has no script arguments: arg() gives its default, and one without a default is an error. */
    @Test
    void theReplGivesDefaults() {
        java.io.InputStream saved = Main.Streams.in;
        try {
            Main.Streams.in = new ByteArrayInputStream("print(arg(\"n\", default=4))\nx = arg(\"x\")\n".getBytes(StandardCharsets.UTF_8));
            Golden.Result r = Golden.run("repl");
            assertEquals(1, r.exitCode());
            assertTrue(r.out().contains("4"), r.out());
            assertTrue((r.out() + r.err()).contains("script argument x has no default, and there is no command line here to give it:"
                    + " write arg(\"x\", default=...)"), r.out() + r.err());
        } finally {
            Main.Streams.in = saved;
        }
    }
}
