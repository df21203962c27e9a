package tn.repl;

import java.io.BufferedReader;
import java.io.IOException;

/** Where the REPL's lines come from: a terminal with line editing, or plain piped input. */
interface LineSource {
    /** The next line, or null at the end of input. */
    String readLine(String prompt) throws Interrupted;

    /** Ctrl-C while reading: the current input is dropped. */
    final class Interrupted extends Exception {
        Interrupted() { super(null, null, false, false); }
    }

    /** Piped input: no prompts, no escape codes, one line at a time. */
    static LineSource plain(BufferedReader in) {
        return prompt -> {
            try {
                return in.readLine();
            } catch (IOException e) {
                return null;
            }
        };
    }
}
