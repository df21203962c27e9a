package tn.repl;

import java.io.IOException;
import java.nio.file.Path;
import org.jline.reader.EOFError;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;
import org.jline.reader.Parser.ParseContext;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * Terminal input through JLine: editing, persistent history, tab completion. Ctrl-C while a
 * statement runs cancels it ({@link Session#cancel}): it stops at its next step, and nothing it
 * did is kept.
 */
final class JLineSource implements LineSource, AutoCloseable {
    private final Terminal terminal;
    private final LineReader reader;

    JLineSource(Session session, Path history) {
        try {
            terminal = TerminalBuilder.builder().system(true).build();
        } catch (IOException e) {
            throw new IllegalStateException("cannot open the terminal: " + e.getMessage(), e);
        }
        reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .parser(parser())
                .appName("tn")
                .variable(LineReader.HISTORY_FILE, history)
                .variable(LineReader.SECONDARY_PROMPT_PATTERN, "... ")
                .completer((r, line, candidates) -> {
                    for (String c : Completions.candidates(session, line.line(), line.cursor())) {
                        candidates.add(new org.jline.reader.Candidate(c));
                    }
                })
                .build();
        reader.setOpt(LineReader.Option.DISABLE_EVENT_EXPANSION); // `!=` is an operator, not history
        // While a statement runs (JLine handles Ctrl-C itself while reading a line).
        terminal.handle(Terminal.Signal.INT, signal -> {
            if (!session.busy()) return;
            session.err().println("^C: cancelling; the statement stops when the step in progress ends");
            session.cancel();
        });
    }

    /**
     * JLine's parser, told when an input is incomplete (a bracket or brace open, a line ending in a
     * backslash: {@link InputBuffer#needsMore}): Enter then continues the same buffer on a new line
     * ("... "), so a multi-line block is edited, accepted and kept in the history as one entry, and
     * recalled whole with the up arrow.
     */
    static Parser parser() {
        return new DefaultParser() {
            @Override
            public ParsedLine parse(String line, int cursor, ParseContext context) {
                if (context == ParseContext.ACCEPT_LINE) {
                    InputBuffer b = new InputBuffer();
                    b.add(line);
                    if (b.needsMore()) throw new EOFError(-1, cursor, "the input continues on the next line");
                }
                return super.parse(line, cursor, context);
            }
        };
    }

    @Override
    public String readLine(String prompt) throws Interrupted {
        Thread.interrupted(); // a Ctrl-C that arrived between statements is spent
        try {
            return reader.readLine(prompt);
        } catch (UserInterruptException e) {
            throw new Interrupted();
        } catch (EndOfFileException e) {
            return null;
        }
    }

    @Override
    public void close() {
        try {
            reader.getHistory().save();
            terminal.close();
        } catch (IOException ignored) {
            // closing a terminal that is gone already
        }
    }
}
