package tn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tn.golden.Golden;
import tn.plan.Planner;

/**
 * Mistakes on the command line are usage errors (exit code 2) that say what would work, and
 * `tn --help` summarises every command in a whole sentence.
 */
class UsageErrorsTest {
    @Test
    void anUnknownMethodIsAUsageErrorListingTheMethods() {
        String expected = "error: --method must be one of " + String.join(", ", new Planner().methods()) + ", not 'fast' (see --help)\n";
        for (String command : new String[] {"run", "check", "plan"}) {
            Golden.Result r = Golden.run(command, "--method=fast", "examples/02_products.tn");
            assertEquals(2, r.exitCode(), command + ": " + r.err());
            assertEquals(expected, r.err(), command);
            assertEquals("", r.out(), command);
        }
        // Also when planning a network file, and in the REPL (before it starts).
        Golden.Result network = Golden.run("plan", "--method", "fast", "--network", "no-such.json");
        assertEquals(2, network.exitCode(), network.err());
        assertEquals(expected, network.err());
        Golden.Result repl = Golden.run("repl", "--method=fast");
        assertEquals(2, repl.exitCode(), repl.err());
        assertEquals(expected, repl.err());
    }

    @Test
    void everyKnownMethodIsAccepted() {
        for (String method : new Planner().methods()) {
            Golden.Result r = Golden.run("check", "--method", method, "examples/02_products.tn");
            assertEquals(0, r.exitCode(), method + ": " + r.err());
        }
    }

    @Test
    void aScriptWithoutACommandSuggestsRun() {
        Golden.Result r = Golden.run("examples/02_products.tn");
        assertEquals(2, r.exitCode());
        assertEquals("error: examples/02_products.tn is not a command; to run the script: tn run examples/02_products.tn\n", r.err());
        // A .tn name that does not exist (yet) is still a script, not a command.
        assertEquals("error: model.tn is not a command; to run the script: tn run model.tn\n", Golden.run("model.tn").err());
        // An existing file with another extension too.
        assertEquals("error: examples/06_ladder.out is not a command; to run the script: tn run examples/06_ladder.out\n",
                Golden.run("examples/06_ladder.out").err());
    }

    @Test
    void anUnknownCommandListsTheCommands() {
        Golden.Result r = Golden.run("frobnicate");
        assertEquals(2, r.exitCode());
        assertEquals("error: 'frobnicate' is not a command; the commands are run, check, plan, draw, repl, kernel, help (tn --help explains them)\n", r.err());
        Golden.Result typo = Golden.run("chekc", "examples/02_products.tn");
        assertEquals(2, typo.exitCode());
        assertTrue(typo.err().startsWith("error: 'chekc' is not a command (did you mean check?); the commands are run, "), typo.err());
        // Unknown options keep picocli's message.
        Golden.Result option = Golden.run("--frobnicate");
        assertEquals(2, option.exitCode());
        assertTrue(option.err().contains("Unknown option: '--frobnicate'"), option.err());
    }

    /** The "Commands:" list of `tn --help`: each command's summary, wrapped lines joined. */
    static Map<String, String> summaries(String help) {
        Map<String, String> summaries = new LinkedHashMap<>();
        String[] lines = help.split("\n");
        int k = 0;
        while (k < lines.length && !lines[k].equals("Commands:")) k++;
        String current = null;
        for (k++; k < lines.length && !lines[k].isBlank(); k++) {
            String line = lines[k];
            if (line.startsWith("  ") && !line.startsWith("   ")) {
                String[] parts = line.strip().split("\\s+", 2);
                current = parts[0];
                summaries.put(current, parts.length > 1 ? parts[1] : "");
            } else if (current != null) {
                summaries.put(current, summaries.get(current) + " " + line.strip());
            }
        }
        return summaries;
    }

    @Test
    void noLineOfAnyCommandsDescriptionIsWrappedByTheHelp() {
        // picocli breaks a description line longer than the help's width where it must, which left
        // "arguments," or "value." alone on a line of `tn run --help`.
        CommandLine top = Main.commandLine(new String[] {"--help"});
        List<CommandLine> all = new ArrayList<>(List.of(top));
        all.addAll(top.getSubcommands().values());
        for (CommandLine c : all) {
            int width = c.getCommandSpec().usageMessage().width();
            for (String line : c.getCommandSpec().usageMessage().description()) {
                assertTrue(line.length() <= width, c.getCommandName() + ": a description line longer than the help's " + width
                        + " columns, which picocli wraps: '" + line + "'");
            }
        }
    }

    @Test
    void helpSummarisesEveryCommandInAWholeSentence() {
        Golden.Result r = Golden.run("--help");
        assertEquals(0, r.exitCode());
        Map<String, String> summaries = summaries(r.out());
        Map<String, CommandLine> commands = Main.commandLine(new String[] {"--help"}).getSubcommands();
        assertEquals(commands.keySet(), summaries.keySet(), "the commands listed in --help\n" + r.out());
        for (var c : commands.entrySet()) {
            String summary = summaries.get(c.getKey());
            // picocli lists a command's header, or else the first line of its description.
            var usage = c.getValue().getCommandSpec().usageMessage();
            String first = usage.header().length > 0 ? usage.header()[0] : usage.description()[0];
            assertTrue(summary.endsWith("."), c.getKey() + ": the summary in --help is not a whole sentence: '" + summary + "'");
            assertFalse(summary.endsWith(",") || summary.endsWith(":"), summary);
            // What --help shows is the description's first line, whole: nothing cut off.
            assertEquals(first, summary, c.getKey() + ": --help shows another text than the command's description");
        }
    }
}
