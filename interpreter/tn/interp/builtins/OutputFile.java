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

    /** An image a builtin makes (a diagram, a chart), rendered as PNG or as SVG. */
    interface Image {
        byte[] render(boolean png);
    }

    /**
     * The file an image goes to (argument 1), or null when it is left out and the session shows
     * images inline (a notebook); without a display the file name is required.
     */
    static String target(Args a) {
        if (a.count() > 1) {
            String name = a.string(1);
            isPng(a, name);
            return name;
        }
        if (a.interpreter().display() == null) {
            throw a.error(a.name() + "() needs a file to write, e.g. " + a.name() + "(" + a.expr(0).span().text()
                    + ", \"out.svg\") (only a notebook shows images inline)");
        }
        return null;
    }

    /**
     * Writes the image to the file {@code name} (if not null) and shows it inline when the
     * session has a display: as SVG (when {@code svgFits}) with a PNG alongside.
     */
    static void emit(Args a, String name, String title, boolean svgFits, Image image) {
        byte[] svg = null;
        if (name != null) {
            boolean png = isPng(a, name);
            byte[] bytes = image.render(png);
            if (!png) svg = bytes;
            write(a, name, bytes);
        }
        tn.interp.Interpreter.Display display = a.interpreter().display();
        if (display == null) return;
        if (svg == null && svgFits) svg = image.render(false);
        display.image(title, svg, () -> image.render(true));
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
