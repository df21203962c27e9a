package tn.cli;

/**
 * Work an interactive session (the REPL, the kernel) starts in the background while it waits for
 * its first input, so that neither the first prompt nor the first statement waits for it.
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
}
