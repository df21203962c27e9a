package tn.golden;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line of a doc's sh block into words the way a shell would for simple commands:
 * single and double quotes, backslash escapes, and a # comment after a space. Anything else a shell
 * would interpret (pipes, redirections, variables, globs, `;`, `&`) gives null: the docs test runs
 * only plain commands.
 */
final class ShellWords {
    private ShellWords() {}

    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int k = 0; k < line.length(); k++) {
            char c = line.charAt(k);
            if (quote != 0) {
                if (c == quote) quote = 0;
                else if (quote == '"' && "$`".indexOf(c) >= 0) return null;
                else word.append(c);
                continue;
            }
            if (Character.isWhitespace(c)) {
                if (word != null) words.add(word.toString());
                word = null;
                continue;
            }
            if (c == '#' && word == null) break;
            if ("|<>;&$`*?(){}~".indexOf(c) >= 0) return null;
            if (word == null) word = new StringBuilder();
            if (c == '\'' || c == '"') quote = c;
            else if (c == '\\' && k + 1 < line.length()) word.append(line.charAt(++k));
            else word.append(c);
        }
        if (quote != 0) return null;
        if (word != null) words.add(word.toString());
        return words;
    }
}
