package tn.repl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.jline.reader.EOFError;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Parser.ParseContext;
import org.jline.terminal.Terminal;
import org.junit.jupiter.api.Test;

/**
 * A block typed over several lines (a function, a loop) is one input for JLine: Enter on an
 * incomplete line continues the same buffer, the block is returned whole, and the history keeps it
 * as one entry (the up arrow recalls the block, not its last line).
 */
class MultiLineHistoryTest {
    @Test
    void anIncompleteLineAsksForMoreAndACompleteOneParses() {
        var parser = JLineSource.parser();
        assertThrows(EOFError.class, () -> parser.parse("def f(x) {", 10, ParseContext.ACCEPT_LINE));
        assertThrows(EOFError.class, () -> parser.parse("y = (1 +", 8, ParseContext.ACCEPT_LINE));
        assertEquals("def f(x) {\n    return x\n}", parser.parse("def f(x) {\n    return x\n}", 5, ParseContext.ACCEPT_LINE).line());
        // Completion parses the incomplete line as it is (no continuation asked there).
        parser.parse("def f(x) {", 10, ParseContext.COMPLETE);
    }

    @Test
    void aBlockIsReadAndRememberedAsOneEntry() throws Exception {
        byte[] typed = "def f(x) {\n    return x + 1\n}\nf(2)\n".getBytes(StandardCharsets.UTF_8);
        try (Terminal terminal = new org.jline.terminal.impl.DumbTerminal("test", "dumb", new ByteArrayInputStream(typed),
                new ByteArrayOutputStream(), StandardCharsets.UTF_8)) {
            LineReader reader = LineReaderBuilder.builder().terminal(terminal).parser(JLineSource.parser())
                    .variable(LineReader.SECONDARY_PROMPT_PATTERN, "... ").build();
            assertEquals("def f(x) {\n    return x + 1\n}", reader.readLine("tn> "));
            assertEquals("f(2)", reader.readLine("tn> "));
            assertEquals(2, reader.getHistory().size());
            assertEquals("def f(x) {\n    return x + 1\n}", reader.getHistory().get(0));
        }
    }
}
