package tn.golden;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fenced code blocks of a Markdown file, classified by their info string and paired with the
 * output shown after them. The convention (README.md and docs/*.md follow it; DocsTest runs it):
 *
 * <ul>
 *   <li>{@code ```tn} a script. It runs as a file in a fresh copy of examples/ (so it can read
 *       data/... and import lib/...), named block.tn or by a second word ending in .tn
 *       ({@code ```tn bad.tn}). Without an output block it must print nothing.
 *   <li>{@code ```sh} shell commands. Lines starting with {@code tn} or {@code ./tn} run, in a
 *       folder holding a fresh copy of examples/; other lines (mvn, ln, ...) are set-up steps shown
 *       to the reader and not run. Without an output block each command must succeed quietly on
 *       standard error, and {@code tn run examples/X.tn} must print examples/X.out.
 *   <li>{@code ```output} what the runnable block before it prints on standard output (prose may
 *       come between, another runnable block may not).
 *   <li>{@code ```error} what it prints on standard error; the block must then fail (exit code 1,
 *       or 2 for a command line mistake).
 *   <li>{@code ```tn fragment} (or {@code ```sh fragment}) a piece that cannot run on its own; not
 *       run. Kept few: each needs a reason in the text around it.
 * </ul>
 *
 * Any other info string, or none, is an error, so every new block is classified.
 */
final class DocBlocks {
    private DocBlocks() {}

    enum Kind { TN, SH, OUTPUT, ERROR, FRAGMENT }

    /**
     * One fenced block: the 1-based line of its opening fence, its info string, its text (each
     * line ending in \n), its position among the file's blocks and the lines of its body.
     */
    record Block(String file, int line, String info, String text, int index, int bodyStart, int bodyEnd) {
        Kind kind() {
            String[] words = info.strip().split("\\s+");
            String first = words[0].toLowerCase(Locale.ROOT);
            boolean fragment = words.length > 1 && words[1].equals("fragment");
            return switch (first) {
                case "tn" -> fragment ? Kind.FRAGMENT : Kind.TN;
                case "sh" -> fragment ? Kind.FRAGMENT : Kind.SH;
                case "output" -> Kind.OUTPUT;
                case "error" -> Kind.ERROR;
                default -> null;
            };
        }

        /** The script's file name: the word after `tn` that ends in .tn, else block.tn. */
        String scriptName() {
            String[] words = info.strip().split("\\s+");
            return words.length > 1 && words[1].endsWith(".tn") ? words[1] : "block.tn";
        }

        String where() { return file + ":" + line; }
    }

    /** A block that runs, with the output and error blocks shown for it (null when none). */
    record Runnable(Block block, Block output, Block error) {}

    /** The result of reading a file: its runnable blocks, its fragments and what is wrong with it. */
    record Parsed(List<Runnable> runnable, List<Block> fragments, List<String> problems) {}

    /** An opening fence as CommonMark has it: 3+ backticks, up to 3 spaces in, an info string without backticks. */
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(`{3,})([^`]*)$");

    static List<Block> blocks(String file, String markdown) {
        List<Block> blocks = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        for (int k = 0; k < lines.length; k++) {
            Matcher opening = FENCE.matcher(lines[k]);
            if (!opening.matches()) continue;
            String info = opening.group(2).strip();
            // Closed by a line of at least as many backticks and nothing else.
            Pattern closing = Pattern.compile("^ {0,3}`{" + opening.group(1).length() + ",}\\s*$");
            int end = k + 1;
            while (end < lines.length && !closing.matcher(lines[end]).matches()) end++;
            StringBuilder text = new StringBuilder();
            for (int j = k + 1; j < end && j < lines.length; j++) text.append(lines[j]).append('\n');
            blocks.add(new Block(file, k + 1, info, text.toString(), blocks.size(), k + 1, end));
            k = end;
        }
        return blocks;
    }

    static Parsed parse(String file, String markdown) {
        List<Runnable> runnable = new ArrayList<>();
        List<Block> fragments = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Block current = null, output = null, error = null;
        for (Block b : blocks(file, markdown)) {
            Kind kind = b.kind();
            if (kind == null) {
                problems.add(b.where() + ": a code block with info string '" + b.info() + "': use tn, sh, output, error or "
                        + "'tn fragment' (see DocBlocks)");
                continue;
            }
            switch (kind) {
                case TN, SH -> {
                    if (current != null) runnable.add(new Runnable(current, output, error));
                    current = b;
                    output = null;
                    error = null;
                }
                case OUTPUT, ERROR -> {
                    if (current == null) {
                        problems.add(b.where() + ": an " + kind.name().toLowerCase(Locale.ROOT) + " block with no tn or sh block before it");
                    } else if ((kind == Kind.OUTPUT ? output : error) != null) {
                        problems.add(b.where() + ": a second " + kind.name().toLowerCase(Locale.ROOT) + " block for " + current.where());
                    } else if (kind == Kind.OUTPUT) {
                        output = b;
                    } else {
                        error = b;
                    }
                }
                case FRAGMENT -> fragments.add(b);
            }
        }
        if (current != null) runnable.add(new Runnable(current, output, error));
        return new Parsed(runnable, fragments, problems);
    }

    /** The markdown with the body of its {@code index}-th block replaced (for -Dtn.golden.update=true). */
    static String replaceBody(String file, String markdown, int index, String body) {
        Block b = blocks(file, markdown).get(index);
        String[] lines = markdown.split("\n", -1);
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < b.bodyStart(); k++) sb.append(lines[k]).append('\n');
        sb.append(body.endsWith("\n") || body.isEmpty() ? body : body + "\n");
        for (int k = b.bodyEnd(); k < lines.length; k++) {
            sb.append(lines[k]);
            if (k < lines.length - 1) sb.append('\n');
        }
        return sb.toString();
    }
}
