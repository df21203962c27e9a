package tn.syntax;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import tn.ast.Stmt;
import tn.diag.Diagnostics;
import tn.diag.Source;

/**
 * Reads and parses a script on a background thread while the command line is still being read.
 *
 * <p>`tn check` and `tn draw` run for half a second, of which the command-line library (reading
 * its annotations by reflection) and the script's first parse (loading the parser and building
 * ANTLR's prediction tables) each take about a quarter, one after the other on one processor. The
 * launcher names the script before either starts, so {@link #start} begins the parse at once on
 * another thread, and the command takes the result when it gets there: it waits for the parse if
 * it is not done, and never parses twice.
 *
 * <p>Nothing changes for the command. {@link #read} gives the command the very {@link Source} the
 * parse was made from (spans compare sources by identity), and only when the file's bytes are still
 * those that were parsed; otherwise, or when the file could not be read or decoded in the
 * background, the command reads and parses the file itself, reporting any error as always.
 */
public final class ParseAhead {
    private ParseAhead() {}

    /** What the background thread read and parsed; the program is null after syntax errors. */
    record Parsed(byte[] bytes, Source source, List<Stmt> program, Diagnostics diagnostics) {}

    private record Key(Path file, String name) {}

    private static final ConcurrentHashMap<Key, FutureTask<Parsed>> started = new ConcurrentHashMap<>();

    /** Parses {@code file} (shown as {@code name}) on a daemon thread; then runs {@code after} there. */
    public static void start(Path file, String name, Runnable after) {
        FutureTask<Parsed> task = new FutureTask<>(() -> {
            try {
                byte[] bytes = Files.readAllBytes(file);
                Source source = Source.decode(bytes, name);
                Diagnostics diagnostics = new Diagnostics();
                List<Stmt> program = TnParserFacade.parseOnThisThread(source, diagnostics);
                return new Parsed(bytes, source, program, diagnostics);
            } finally {
                after.run();
            }
        });
        if (started.putIfAbsent(new Key(file, name), task) != null) return;
        Thread t = new Thread(null, task, "tn-parse-ahead", TnParserFacade.STACK_BYTES);
        t.setDaemon(true);
        t.start();
    }

    /**
     * The script as {@link Source#read} reads it, and the same object the background parse used
     * when one was started for this file and name and the file has not changed since.
     */
    public static Source read(Path file, String name) throws IOException {
        FutureTask<Parsed> task = started.get(new Key(file, name));
        Parsed parsed = task == null ? null : await(task);
        if (task == null) return Source.read(file, name);
        byte[] now = Files.readAllBytes(file);
        if (parsed != null && Arrays.equals(parsed.bytes(), now)) return parsed.source();
        started.remove(new Key(file, name), task);
        return Source.decode(now, name); // changed since, or unreadable then: as Source.read makes it
    }

    /** The background parse of {@code source}, taken once; null when there was none. */
    static Parsed take(Source source) {
        for (var entry : started.entrySet()) {
            FutureTask<Parsed> task = entry.getValue();
            if (!task.isDone()) continue; // read() waited for it if it is this source's
            Parsed parsed = await(task);
            if (parsed == null || parsed.source() != source) continue;
            started.remove(entry.getKey(), task);
            return parsed;
        }
        return null;
    }

    /** The task's result, or null when reading or decoding the file failed in the background. */
    private static Parsed await(FutureTask<Parsed> task) {
        try {
            return TnParserFacade.await(task);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException || e.getCause() instanceof tn.diag.TnError) return null;
            throw TnParserFacade.unchecked(e);
        }
    }
}
