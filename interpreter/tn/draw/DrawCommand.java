package tn.draw;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tn.diag.Diagnostics;
import tn.diag.Source;
import tn.io.AtomicWrite;
import tn.io.FileNames;
import tn.io.WriteFailure;

/**
 * {@code tn draw}: one SVG per named network of a script (and a PNG with {@code --png}), from the
 * checking pass only. Files are {@code DIR/NAME.svg}; DIR is {@code -d}, else the current directory.
 * Exit codes: 0 ok, 1 an error in the script or no such network, 2 a bad command line.
 */
public final class DrawCommand {
    private DrawCommand() {}

    /** What to draw and where. {@code names} empty: every network (every tensor with {@code all}). */
    public record Request(Path file, Path output, Path directory, List<String> names, boolean all, boolean png,
            DrawOptions options, tn.interp.ScriptArguments arguments) {}

    public static int run(Request r, PrintStream out, PrintStream err) {
        if (r.output() != null && r.directory() != null) {
            err.println("error: give either -o FILE or -d DIR, not both");
            return 2;
        }
        Source source;
        try {
            source = tn.syntax.ParseAhead.read(r.file(), r.file().toString());
        } catch (tn.diag.TnError e) {
            err.print(e.diagnostic().format() + "\n");
            return 1;
        } catch (NoSuchFileException e) {
            err.println("error: " + r.file() + ": no such file");
            return 1;
        } catch (IOException e) {
            err.println("error: cannot read " + r.file() + ": " + e.getMessage());
            return 1;
        }
        Path parent = r.file().toAbsolutePath().getParent();
        Diagnostics diagnostics = new Diagnostics();
        ScriptDiagrams.Result checked = ScriptDiagrams.check(source, parent != null ? parent : Path.of("."), diagnostics, r.arguments());
        if (checked == null) {
            err.print(diagnostics.format());
            return 1;
        }
        if (diagnostics.size() > 0) err.print(diagnostics.format()); // warnings only: the drawing goes on, as tn run does
        List<ScriptDiagrams.Named> tensors = checked.tensors();
        java.util.Set<String> isometries = new java.util.LinkedHashSet<>(r.options().isometries());
        java.util.Set<String> unitaries = new java.util.LinkedHashSet<>(r.options().unitaries());
        isometries.addAll(checked.isometries());
        unitaries.addAll(checked.unitaries());
        DrawOptions options = r.options().withMarks(isometries, unitaries);
        List<ScriptDiagrams.Named> chosen = new ArrayList<>();
        if (r.names().isEmpty()) {
            for (ScriptDiagrams.Named t : tensors) if (t.network() || r.all()) chosen.add(t);
            if (chosen.isEmpty()) {
                err.println("error: " + r.file() + " names no network to draw"
                        + (tensors.isEmpty() ? "" : " (its plain tensors are drawn with --all)"));
                return 1;
            }
        } else {
            for (String name : r.names()) {
                ScriptDiagrams.Named found = tensors.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
                if (found == null) {
                    List<String> known = tensors.stream().map(ScriptDiagrams.Named::name).toList();
                    err.println("error: " + r.file() + " has no tensor named " + name
                            + (known.isEmpty() ? "" : " (it has: " + String.join(", ", known) + ")"));
                    return 1;
                }
                chosen.add(found);
            }
        }
        if (r.output() != null && chosen.size() > 1) {
            err.println("error: -o names one file but " + chosen.size() + " networks would be drawn ("
                    + String.join(", ", chosen.stream().map(ScriptDiagrams.Named::name).toList())
                    + "); use -d DIR, or choose one with --name");
            return 2;
        }
        Path dir = r.directory() != null ? r.directory() : Path.of("");
        for (ScriptDiagrams.Named t : chosen) {
            // blocks opened on the command line, else by the script's draw(NAME, ..., expand=); heads= likewise
            DrawOptions drawn = checked.options(t.name(), options);
            Scene scene;
            try {
                scene = Diagrams.scene(t.net(), t.name(), drawn);
            } catch (IllegalArgumentException e) {
                err.println("error: " + t.name() + ": " + e.getMessage());
                return 1;
            }
            String stem = Ids.sanitize(t.name());
            Path target = r.output() != null ? r.output() : dir.resolve(FileNames.fit(stem, ".svg"));
            // A name too long for the file system is cut and given a hash; say so where the file is named.
            String note = r.output() == null && FileNames.shortened(stem, ".svg")
                    ? " (the name " + t.name() + " is too long for a file name: shortened, with a hash of the whole)" : "";
            String lower = target.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            boolean pngOnly = lower.endsWith(".png"), tex = lower.endsWith(".tex");
            if (!write(target, () -> pngOnly ? PngRenderer.png(scene)
                    : (tex ? TikzWriter.write(scene) : SvgWriter.write(scene)).getBytes(StandardCharsets.UTF_8), err)) return 1;
            out.println("wrote " + target + note);
            if (r.png() && !pngOnly) {
                Path png = target.resolveSibling(stem(target) + ".png");
                if (!write(png, () -> PngRenderer.png(scene), err)) return 1;
                out.println("wrote " + png + note);
            }
        }
        return 0;
    }

    /** Writes one file atomically (its folder made first); false, after saying why, when that fails. */
    private static boolean write(Path target, java.util.function.Supplier<byte[]> content, PrintStream err) {
        try {
            createParent(target);
            AtomicWrite.write(target, content.get());
            return true;
        } catch (IOException e) {
            err.println("error: cannot write " + target + ": " + WriteFailure.reason(e));
            return false;
        }
    }

    private static void createParent(Path p) throws IOException {
        Path parent = p.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
    }

    private static String stem(Path p) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
