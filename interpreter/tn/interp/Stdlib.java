package tn.interp;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The standard library: modules written in tn under stdlib/, packaged as resources, imported
 * by name (`import linalg`). stdlib/MODULES lists them.
 */
final class Stdlib {
    private Stdlib() {}

    /** A module's text, or null when there is no such module. */
    static String read(String name) {
        if (!name.matches("[A-Za-z_][A-Za-z_0-9]*")) return null;
        try (InputStream in = Stdlib.class.getResourceAsStream("/stdlib/" + name + ".tn")) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    static List<String> modules() {
        try (InputStream in = Stdlib.class.getResourceAsStream("/stdlib/MODULES")) {
            if (in == null) return List.of();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}
