package tn.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Work an interactive session (the REPL, the kernel) starts in the background while it waits for
 * its first input, so that neither the first prompt nor the first statement waits for it.
 */
final class WarmUp {
    private WarmUp() {}

    /**
     * ANTLR's prediction tables, built by parsing the standard library's transformer module (it
     * uses most of the grammar) on a background thread.
     */
    static void parser() {
        try (InputStream in = WarmUp.class.getResourceAsStream("/stdlib/transformer.tn")) {
            if (in != null) tn.syntax.TnParserFacade.warmUpInBackground(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            // nothing to warm up with: the first statement builds the tables instead
        }
    }
}
