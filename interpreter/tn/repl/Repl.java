package tn.repl;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import tn.exec.Backend;
import tn.interp.Settings;
import tn.plan.Planner;

/**
 * `tn repl`: reads statements, runs them in one session and shows values. On a terminal it uses
 * JLine (line editing, history in ~/.tn_history, tab completion, multi-line input while brackets
 * are open, Ctrl-C to cancel); with piped input it reads plain lines without prompts, so
 * `tn repl < session.tn` is scriptable.
 */
public final class Repl {
    private final Session session;

    public Repl(Backend backend, Planner planner, PrintStream out, PrintStream err, double memoryLimit, Settings settings) {
        this(backend, planner, out, err, memoryLimit, settings, "auto");
    }

    /** A session whose contractions are planned with {@code method} (`tn repl --method`) until `set method`. */
    public Repl(Backend backend, Planner planner, PrintStream out, PrintStream err, double memoryLimit, Settings settings, String method) {
        this.session = new Session(backend, planner, out, err, memoryLimit, settings, method);
    }

    /** Runs a session on piped input (no prompts, no escape codes). Returns the exit code. */
    public int runPlain(InputStream in) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        return loop(LineSource.plain(reader), false);
    }

    /** Runs an interactive session on the system terminal. Returns the exit code. */
    public int runTerminal() {
        session.setImages(TerminalImages.detect(System.getenv()));
        try (JLineSource source = new JLineSource(session, Path.of(System.getProperty("user.home"), ".tn_history"))) {
            session.out().println("tn " + version() + " — :help for help, Ctrl-D to quit");
            return loop(source, true);
        }
    }

    private int loop(LineSource source, boolean interactive) {
        InputBuffer buffer = new InputBuffer();
        while (true) {
            String line;
            try {
                line = source.readLine(buffer.isEmpty() ? "tn> " : "... ");
            } catch (LineSource.Interrupted e) {
                buffer.clear();
                continue;
            }
            if (line == null) break;
            if (buffer.isEmpty() && line.strip().startsWith(":")) {
                if (!command(line)) break;
                continue;
            }
            if (buffer.isEmpty() && Commands.helpQuery(line) != null) {
                command(Commands.helpQuery(line));
                continue;
            }
            buffer.add(line);
            if (buffer.needsMore()) continue;
            String text = buffer.text();
            buffer.clear();
            if (text.isBlank()) continue;
            session.run(text);
            session.out().flush();
        }
        if (!buffer.isEmpty()) session.run(buffer.text());
        // Piped sessions report any error in the exit code, so scripts can use them.
        return interactive || !session.hadError() ? 0 : 1;
    }

    /** Runs a `:command`; a bug in one is reported in a line and the session goes on. */
    private boolean command(String line) {
        try {
            return Commands.execute(session, line);
        } catch (Throwable t) {
            session.internalError(t);
            return true;
        }
    }

    private static String version() {
        String v = Repl.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-dev";
    }
}
