package tn.cli;

/**
 * Work started in the background so that nobody waits for it: an interactive session (the REPL,
 * the kernel) warms the parser up while it waits for its first input; `tn run`, `check` and `draw`
 * parse their script while the command line is being read.
 */
final class WarmUp {
    private WarmUp() {}

    /**
     * ANTLR's prediction tables, built by parsing the standard library's transformer module (it
     * uses most of the grammar) on a background thread, which also reads it.
     */
    static void parser() {
        tn.syntax.TnParserFacade.warmUpInBackground(() -> tn.interp.Interpreter.stdlibText("transformer"));
    }

    /** The commands whose script {@link #script} parses ahead. */
    private static final java.util.Set<String> SCRIPT_COMMANDS = java.util.Set.of("run", "check", "draw");

    /**
     * Starts parsing the script of `tn run`, `check` or `draw` (the first argument after the
     * command that is not an option and names a .tn file), then loads the builtins, on a thread
     * of their own ({@link tn.syntax.ParseAhead}). A guess that names the wrong file costs only
     * the work: the command reads and parses what picocli finds.
     */
    static void script(String[] args) {
        if (args.length < 2 || !SCRIPT_COMMANDS.contains(args[0])) return;
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--")) return;
            if (a.startsWith("-") || !a.endsWith(".tn")) continue;
            java.nio.file.Path file;
            try {
                file = java.nio.file.Path.of(a);
            } catch (java.nio.file.InvalidPathException e) {
                return;
            }
            if (java.nio.file.Files.isRegularFile(file)) {
                tn.syntax.ParseAhead.start(file, file.toString(), () -> tn.interp.Builtins.get("show"));
            }
            return;
        }
    }
}
