package tn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.golden.Golden;

/**
 * A script that is not valid UTF-8 is reported at its first invalid byte (file, line, column and
 * byte offset), by every command that reads scripts, by imports and by the REPL's :load.
 */
class ScriptEncodingTest {
    /** Line 3 holds "café" written in Latin-1: é is the single byte 0xE9, invalid in UTF-8. */
    static Path latin1Script(Path dir) throws Exception {
        byte[] head = "leg i = 3\nx = random(i, seed=1)\n# caf".getBytes(StandardCharsets.US_ASCII);
        byte[] tail = " au lait\nshow(x)\n".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(head);
        bytes.write(0xE9);
        bytes.write(tail);
        Path file = dir.resolve("latin1.tn");
        Files.write(file, bytes.toByteArray());
        return file;
    }

    /** The message, at 3:6 (the column of é) and byte offset 37 (10 + 22 + 5 bytes before it). */
    static String expected(Path file) {
        return file + ":3:6: the file is not valid UTF-8 (byte 0xE9 at byte offset 37: Latin-1 or Windows-1252 text?); "
                + "tn reads text files as UTF-8: save it as UTF-8\n"
                + "    # caf\uFFFD au lait\n"
                + "         ^\n";
    }

    @Test
    void everyCommandNamesTheFileLineAndColumn(@TempDir Path dir) throws Exception {
        Path file = latin1Script(dir);
        for (String command : new String[] {"run", "check", "plan", "draw"}) {
            String[] args = command.equals("draw") ? new String[] {command, file.toString(), "-d", dir.toString()} : new String[] {command, file.toString()};
            Golden.Result r = Golden.run(args);
            assertEquals(1, r.exitCode(), command + ": " + r.err());
            assertEquals(expected(file), r.err(), command);
        }
    }

    @Test
    void anImportedFileIsReportedToo(@TempDir Path dir) throws Exception {
        Path file = latin1Script(dir);
        Path main = dir.resolve("main.tn");
        Files.writeString(main, "import \"latin1.tn\"\n");
        Golden.Result r = Golden.run("run", main.toString());
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(r.err().contains(expected(file)), r.err());
        assertTrue(r.err().contains(main + ":1:1: errors in the imported module"), r.err());
    }

    @Test
    void theReplsLoadReportsItToo(@TempDir Path dir) throws Exception {
        Path file = latin1Script(dir);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stream = new PrintStream(out, true, StandardCharsets.UTF_8);
        tn.repl.Repl repl = new tn.repl.Repl(Backends.nd4j(), new tn.plan.Planner(), stream, stream, 1e9, new tn.interp.Settings());
        repl.runPlain(new ByteArrayInputStream((":load " + file + "\n").getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected(file), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void validUtf8AndACutCharacterAtTheEnd(@TempDir Path dir) throws Exception {
        // Non-ASCII UTF-8 (é as 0xC3 0xA9) is read as it is.
        Path good = dir.resolve("good.tn");
        Files.writeString(good, "# café\nprint(\"é\")\n", StandardCharsets.UTF_8);
        Golden.Result ok = Golden.run("run", good.toString());
        assertEquals(0, ok.exitCode(), ok.err());
        assertEquals("é\n", ok.out());
        // A file ending inside a two-byte character: the dangling lead byte is the first bad one.
        Path cut = dir.resolve("cut.tn");
        Files.write(cut, new byte[] {'x', ' ', '=', ' ', '1', '\n', '#', ' ', (byte) 0xC3});
        Golden.Result r = Golden.run("check", cut.toString());
        assertEquals(1, r.exitCode());
        assertTrue(r.err().startsWith(cut + ":2:3: the file is not valid UTF-8 (byte 0xC3 at byte offset 8:"), r.err());
    }
}
