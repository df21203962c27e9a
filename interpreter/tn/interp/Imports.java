package tn.interp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import tn.ast.Stmt;
import tn.diag.Diagnostics;
import tn.diag.Source;
import tn.diag.TnError;
import tn.syntax.NumpyHints;

/**
 * Where an `import` reads its module from: a .tn script relative to the importing one, or a
 * module of the standard library; and its text. The interpreter runs it and keeps it by its key.
 */
final class Imports {
    private Imports() {}

    /** The module's key (the file's absolute path, or stdlib/name.tn) and its file (null for the standard library). */
    record Located(Path key, Path file) {}

    /** Where {@code imp} points, from a script in {@code directory} (null: the working folder); refused when it is no .tn file. */
    static Located locate(Stmt.Import imp, Path directory) {
        if (!imp.isPath()) return new Located(Path.of("stdlib", imp.target() + ".tn"), null);
        Path base = directory != null ? directory : Path.of(".");
        Path file;
        try {
            file = base.resolve(imp.target()).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new TnError(imp.span(), "cannot import this: not a valid path (" + e.getReason() + ")");
        }
        if (!Files.isRegularFile(file)) throw new TnError(imp.span(), "cannot import " + imp.target() + ": no such file " + file);
        // Anything else (weights, data) would be parsed as a script and fail inside that file.
        if (!file.getFileName().toString().endsWith(".tn")) {
            throw new TnError(imp.span(), "cannot import " + imp.target() + ": import reads tn scripts (.tn files); read weights with"
                    + " load_gpt2(\"...\") and arrays with load(\"...\", legs...)");
        }
        return new Located(file.toAbsolutePath(), file);
    }

    /** The module's text; a file is named in messages relative to the importing script ({@code importer}). */
    static Source source(Stmt.Import imp, Located where, String importer) {
        if (where.file() != null) {
            try {
                return Source.read(where.file(), displayName(imp.target(), importer));
            } catch (IOException e) {
                throw new TnError(imp.span(), "cannot read " + where.file() + ": " + e.getMessage());
            } catch (TnError e) {
                Diagnostics notUtf8 = new Diagnostics();
                notUtf8.add(e);
                throw new ImportError(imp.span(), notUtf8);
            }
        }
        String text = Stdlib.read(imp.target());
        if (text == null) {
            throw new TnError(imp.span(), "no module " + imp.target() + " in the standard library (it has: "
                    + String.join(", ", Stdlib.modules()) + ")"
                    + (NumpyHints.isModule(imp.target()) ? "; tn is not Python: its numerical functions are builtins" : ""));
        }
        return new Source("stdlib/" + imp.target() + ".tn", text);
    }

    /** How an imported file is named in messages: relative to the importing script's own name. */
    private static String displayName(String target, String importer) {
        Path folder = Path.of(importer).getParent();
        return (folder == null ? Path.of(target) : folder.resolve(target)).normalize().toString();
    }
}
