package tn.interp.builtins;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import tn.interp.Args;
import tn.io.AtomicWrite;
import tn.io.WriteFailure;

/**
 * The image files builtins write (diagrams, charts): .svg or .png, relative to the script,
 * directories made, replaced atomically (a failed write leaves the previous file).
 */
final class OutputFile {
    private OutputFile() {}

    /** Whether the file (argument 1) is a .png; anything but .svg or .png is an error. */
    static boolean isPng(Args a, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (!lower.endsWith(".svg") && !lower.endsWith(".png")) throw a.error(1, a.name() + "() writes .svg or .png files, not " + name);
        return lower.endsWith(".png");
    }

    static void write(Args a, String name, byte[] bytes) {
        Path file = a.interpreter().directory().resolve(name).normalize();
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            AtomicWrite.write(file, bytes);
        } catch (IOException e) {
            throw a.error(1, "cannot write " + name + ": " + WriteFailure.reason(e));
        }
    }
}
