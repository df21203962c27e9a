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
            "One file per name, DIR/NAME.svg, for each name holding a contraction, bubble,",
            "sum, ... (plain tensors too with --all or --name). The script is only checked:",
            "no numeric backend starts. The notation is described in docs/notation.md."})
final class DrawCommandLine implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "the .tn script")
    Path file;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "write the one diagram to FILE (.svg, or .png for an image)")
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

    @Override
    public Integer call() {
        tn.draw.DrawOptions options;
        try {
            options = tn.draw.DrawOptions.defaults().withSizes(sizes).withLayout(layout)
                    .withMarks(java.util.Set.copyOf(isometries), java.util.Set.copyOf(unitaries));
        } catch (IllegalArgumentException e) {
            Main.Streams.err.println("error: --layout: " + e.getMessage());
            return CommandLine.ExitCode.USAGE;
        }
        return tn.draw.DrawCommand.run(new tn.draw.DrawCommand.Request(file, output, directory, names, all, png, options),
                Main.Streams.out, Main.Streams.err);
    }
}
