package tn.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `tn draw FILE`: the options; the drawing itself is tn.draw.DrawCommand. */
@Command(name = "draw", mixinStandardHelpOptions = true,
        description = {"Draws the networks of a script as SVG diagrams, without computing anything.",
            "",
            "Where the files go: NAME.svg for each variable holding a contraction, bubble,",
            "sum, ... (plain tensors too with --all or --name), in the current directory,",
            "or in DIR with -d DIR (created if needed). -o FILE writes the one diagram to",
            "FILE instead. --png also writes each diagram as .png next to its SVG. NAME is",
            "the variable's name, with characters other than letters, digits, _ and -",
            "written as _ and their hex code (f' gives f_27.svg). The path of each file",
            "written is printed.",
            "",
            "The script is only checked: no numeric backend starts. docs/notation.md",
            "describes the notation."})
final class DrawCommandLine implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "the .tn script")
    Path file;

    @Parameters(index = "1..*", paramLabel = "NAME=VALUE", description = Main.ARGUMENTS_HELP)
    java.util.List<String> arguments = new java.util.ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "write the one diagram to FILE (.svg, .png for an image, .tex for a TikZ picture)")
    Path output;

    @Option(names = {"-d", "--directory"}, paramLabel = "DIR",
            description = "write NAME.svg for each network into DIR (default: the current directory)")
    Path directory;

    @Option(names = "--name", paramLabel = "NAME", split = ",",
            description = "draw only these names (any tensor, also plain ones); repeatable or comma-separated")
    java.util.List<String> names = new java.util.ArrayList<>();

    @Option(names = "--all", description = "also draw the plain tensors (a single glyph each)")
    boolean all;

    @Option(names = "--png", description = "also write NAME.png next to each SVG (rendered with Java2D)")
    boolean png;

    @Option(names = "--sizes", description = "label legs with their sizes (j=4)")
    boolean sizes;

    @Option(names = "--isometry", paramLabel = "NAMES", split = ",",
            description = "draw these tensors as isometries: triangles pointing to their smallest leg")
    java.util.List<String> isometries = new java.util.ArrayList<>();

    @Option(names = "--unitary", paramLabel = "NAMES", split = ",",
            description = "draw these tensors as orthogonal/unitary: squares")
    java.util.List<String> unitaries = new java.util.ArrayList<>();

    @Option(names = "--layout", paramLabel = "L", defaultValue = "auto",
            description = "auto (default: layered for chains and ladders, else force-directed), layered or force")
    String layout;

    @Option(names = "--expand", paramLabel = "BLOCKS", split = ",",
            description = "open these blocks of a residual stream (a transformer's attention0, mlp3, start, head; or a depth: 1 opens every block); by default each is a labelled box")
    java.util.List<String> expand = new java.util.ArrayList<>();

    @Option(names = "--ellipsis", paramLabel = "K", defaultValue = "0",
            description = "draw a long chain (an MPS or MPO, <psi|psi>, <psi|H|psi>) with its first and last K sites and an ellipsis between; 0 (default) draws every site")
    int ellipsis;

    @Override
    public Integer call() {
        tn.interp.ScriptArguments scriptArguments;
        try {
            scriptArguments = Main.scriptArguments(new CommandLine(this), file, arguments);
        } catch (CommandLine.ParameterException e) {
            Main.Streams.err.println("error: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        tn.draw.DrawOptions options;
        try {
            options = tn.draw.DrawOptions.defaults().withSizes(sizes).withLayout(layout)
                    .withMarks(java.util.Set.copyOf(isometries), java.util.Set.copyOf(unitaries)).withExpand(expand);
        } catch (IllegalArgumentException e) {
            Main.Streams.err.println("error: --layout: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        try {
            options = options.withEllipsis(ellipsis);
        } catch (IllegalArgumentException e) {
            Main.Streams.err.println("error: --ellipsis: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        return tn.draw.DrawCommand.run(new tn.draw.DrawCommand.Request(file, output, directory, names, all, png, options, scriptArguments),
                Main.Streams.out, Main.Streams.err);
    }
}
