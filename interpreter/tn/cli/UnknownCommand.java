package tn.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * The message for a first argument that is not a command: `tn file.tn` most likely meant
 * `tn run file.tn`, `tn rnu` a misspelt command; anything else gets the list of commands.
 */
final class UnknownCommand {
    private UnknownCommand() {}

    /**
     * @param argument the first argument, which names no command
     * @param commands the command names, in the order of `tn --help`
     */
    static String message(String argument, Collection<String> commands) {
        if (looksLikeScript(argument)) {
            return argument + " is not a command; to run the script: tn run " + argument;
        }
        // The same "did you mean" as for misspelt names in scripts (picocli's own suggestions
        // pair unrelated words, e.g. examples -> repl).
        String similar = tn.interp.Suggest.closest(argument, commands);
        String hint = similar == null ? "" : " (did you mean " + similar + "?)";
        return "'" + argument + "' is not a command" + hint + "; the commands are " + String.join(", ", commands)
                + " (tn --help explains them)";
    }

    private static boolean looksLikeScript(String argument) {
        if (argument.endsWith(".tn")) return true;
        try {
            return Files.isRegularFile(Path.of(argument));
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }
}
