package tn.syntax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.ast.Stmt;
import tn.diag.Diagnostics;
import tn.diag.Source;
import tn.diag.TnError;

/**
 * A script parsed ahead (while the command line is read) gives the command exactly what reading
 * and parsing it then would: the same statements and the same messages, and the file as it is
 * when the command reads it.
 */
class ParseAheadTest {
    @TempDir Path dir;

    @Test
    void theCommandGetsTheParseMadeAheadOnce() throws Exception {
        Path file = Files.writeString(dir.resolve("a.tn"), "leg i = 2\nA = random(i, seed=1)\nshow(A)\n");
        AtomicInteger after = new AtomicInteger();
        ParseAhead.start(file, "a.tn", after::incrementAndGet);
        ParseAhead.start(file, "a.tn", after::incrementAndGet); // a second start for the same file is ignored
        Source source = ParseAhead.read(file, "a.tn");
        assertEquals("a.tn", source.name());
        assertEquals(Files.readString(file), source.text());
        ParseAhead.Parsed ahead = ParseAhead.take(source);
        assertNotNull(ahead, "the command takes the background parse of the source read() gave it");
        assertSame(source, ahead.source());
        assertNull(ParseAhead.take(source), "taken once");
        assertEquals(1, after.get(), "the work after the parse ran once, on the parsing thread");
        // What it parsed is what parsing the text on the spot gives.
        List<Stmt> fresh = TnParserFacade.parse(new Source("a.tn", source.text()), new Diagnostics());
        assertEquals(fresh.toString().replaceAll("Source@\\w+", "Source"), ahead.program().toString().replaceAll("Source@\\w+", "Source"));
    }

    @Test
    void syntaxErrorsFoundAheadAreReportedAsAlways() throws Exception {
        String text = "leg i = 2\nA = random(i, seed=1\nB = (A\n";
        Path file = Files.writeString(dir.resolve("bad.tn"), text);
        ParseAhead.start(file, "bad.tn", () -> {});
        Source source = ParseAhead.read(file, "bad.tn");
        Diagnostics ahead = new Diagnostics();
        assertNull(TnParserFacade.parse(source, ahead));
        Diagnostics onTheSpot = new Diagnostics();
        assertNull(TnParserFacade.parse(new Source("bad.tn", text), onTheSpot));
        assertEquals(onTheSpot.format(), ahead.format());
        assertEquals(true, ahead.any());
    }

    @Test
    void aFileChangedSinceIsReadAndParsedAgain() throws Exception {
        Path file = Files.writeString(dir.resolve("c.tn"), "leg i = 2\n");
        ParseAhead.start(file, "c.tn", () -> {});
        // Wait for the background parse, then change the file under it.
        Source old = ParseAhead.read(file, "c.tn");
        ParseAhead.start(dir.resolve("d.tn"), "d.tn", () -> {}); // a file that does not exist: nothing happens
        Files.writeString(file, "leg j = 3\nleg k = 4\n");
        ParseAhead.start(file, "c.tn", () -> {}); // still the first parse's entry until it is read again
        Source now = ParseAhead.read(file, "c.tn");
        assertNotSame(old, now);
        assertEquals("leg j = 3\nleg k = 4\n", now.text());
        assertNull(ParseAhead.take(now), "the text changed: the command parses it itself");
        assertEquals(2, TnParserFacade.parse(now, new Diagnostics()).size());
    }

    @Test
    void filesThatCannotBeReadFailAsTheyWouldWithoutParsingAhead() throws Exception {
        Path missing = dir.resolve("missing.tn");
        ParseAhead.start(missing, "missing.tn", () -> {});
        assertThrows(NoSuchFileException.class, () -> ParseAhead.read(missing, "missing.tn"));
        Path latin1 = Files.write(dir.resolve("latin1.tn"), new byte[] {'l', 'e', 'g', ' ', (byte) 0xE9, '\n'});
        ParseAhead.start(latin1, "latin1.tn", () -> {});
        TnError e = assertThrows(TnError.class, () -> ParseAhead.read(latin1, "latin1.tn"));
        TnError direct = assertThrows(TnError.class, () -> Source.read(latin1, "latin1.tn"));
        assertEquals(direct.diagnostic().format(), e.diagnostic().format());
    }
}
