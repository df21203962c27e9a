package tn.syntax;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Token;
import tn.ast.Stmt;
import tn.diag.Diagnostic;
import tn.diag.Diagnostics;
import tn.diag.Source;
import tn.diag.Span;
import tn.diag.TnError;
import tn.syntax.gen.TnLexer;
import tn.syntax.gen.TnParser;

/**
 * The one entry point from text to AST: lexes and parses a {@link Source} with the ANTLR grammar
 * (grammar/Tn.g4), collecting every syntax error, then builds tn's own AST.
 */
public final class TnParserFacade {
    private TnParserFacade() {}

    /**
     * The stack of the parsing thread. ANTLR's recursive descent takes about a dozen frames (2 to
     * 3 KB) per level of parentheses, so a script at the nesting limit needs some 700 KB to parse:
     * most of a default 1 MB thread stack. Parsing on a thread of its own keeps that off the
     * caller's stack (the command line's main thread, the REPL's), which the interpreter needs.
     */
    static final long STACK_BYTES = 32L << 20;

    private static final java.util.concurrent.atomic.AtomicBoolean warming = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * Parses the text {@code text} gives (read there too, null for nothing) once on a background
     * (daemon) thread, at most once per process, and throws the result away: the parser's classes and ANTLR's prediction tables are loaded and
     * built on a grammar's first parse (about 0.18 s on a 2-core machine), and shared by every
     * later parse. Interactive sessions call this while they wait for the first line, so the first
     * statement does not pay for it.
     */
    public static void warmUpInBackground(java.util.function.Supplier<String> text) {
        if (!warming.compareAndSet(false, true)) return;
        Thread t = new Thread(null, () -> {
            String s = text.get();
            if (s != null) parseOnThisThread(new Source("<warm-up>", s), new Diagnostics());
        }, "tn-parser-warm-up", STACK_BYTES);
        t.setDaemon(true);
        t.start();
    }

    /** The program's statements, or null when there were syntax errors (added to diagnostics). */
    public static List<Stmt> parse(Source source, Diagnostics diagnostics) {
        ParseAhead.Parsed ahead = ParseAhead.take(source);
        if (ahead != null) {
            for (Diagnostic d : ahead.diagnostics().all()) diagnostics.add(d);
            return ahead.program();
        }
        FutureTask<List<Stmt>> task = new FutureTask<>(() -> parseOnThisThread(source, diagnostics));
        new Thread(null, task, "tn-parser", STACK_BYTES).start();
        try {
            return await(task);
        } catch (ExecutionException e) {
            throw unchecked(e);
        }
    }

    /**
     * The result of a parse running on a thread of its own, waiting through interrupts (parsing is
     * quick: the wait finishes, then the interrupt is passed on).
     */
    static <T> T await(FutureTask<T> task) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** What the parsing thread threw, rethrown as it was (a checked exception wrapped). */
    static RuntimeException unchecked(ExecutionException e) {
        if (e.getCause() instanceof RuntimeException r) return r;
        if (e.getCause() instanceof Error r) throw r;
        return new IllegalStateException(e.getCause());
    }

    /** Parses on the calling thread (whose stack must be deep enough: see {@link #STACK_BYTES}). */
    static List<Stmt> parseOnThisThread(Source source, Diagnostics diagnostics) {
        SyntaxErrors listener = new SyntaxErrors(source, diagnostics);
        TnLexer lexer = new TnLexer(CharStreams.fromString(source.text(), source.name()));
        lexer.removeErrorListeners();
        lexer.addErrorListener(listener);
        TnParser parser = new TnParser(new CommonTokenStream(lexer));
        parser.removeErrorListeners();
        parser.addErrorListener(listener);
        int before = diagnostics.size();
        TnParser.ProgramContext tree;
        try {
            tree = parser.program();
        } catch (Nesting.TooDeep e) {
            diagnostics.add(new Diagnostic(tokenSpan(source, e.token), Nesting.message()));
            return null;
        } catch (StackOverflowError e) {
            // Not expected within the nesting limit (see Nesting); a located error all the same.
            diagnostics.add(new Diagnostic(tokenSpan(source, parser.getCurrentToken()), Nesting.message()));
            return null;
        }
        if (diagnostics.size() > before) return null;
        try {
            List<Stmt> program = new AstBuilder(source).program(tree);
            Nesting.check(program);
            return program;
        } catch (TnError e) {
            diagnostics.add(e);
            return null;
        } catch (StackOverflowError e) {
            diagnostics.add(new Diagnostic(new Span(source, 0, 0), Nesting.message()));
            return null;
        }
    }

    private static Span tokenSpan(Source source, Token t) {
        int start = Math.max(0, Math.min(t.getStartIndex(), source.text().length()));
        int end = t.getType() == Token.EOF ? start : Math.max(start, t.getStopIndex() + 1);
        return new Span(source, start, end);
    }
}
