package tn.kernel;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tn.io.AtomicWrite;

/**
 * `tn kernel install`: the kernelspec, a folder holding kernel.json, which tells Jupyter how to
 * start tn, and kernel.js, the classic Notebook's syntax highlighting for tn. Jupyter starts the
 * `tn` launcher of this checkout when tn runs from its jar, otherwise this very JVM's java and
 * class path. Interrupts are sent as messages (interrupt_mode "message"), which cancel the
 * running statement as Ctrl-C does in the REPL.
 */
public final class KernelSpec {
    private KernelSpec() {}

    /** Kernel names Jupyter accepts. */
    public static boolean validName(String name) {
        return name.matches("[A-Za-z0-9._-]+");
    }

    /** Where user-level kernelspecs live (jupyter --data-dir, then kernels/). */
    public static Path userKernels() {
        String dataDir = System.getenv("JUPYTER_DATA_DIR");
        if (dataDir != null && !dataDir.isEmpty()) return Path.of(dataDir, "kernels");
        String home = System.getProperty("user.home");
        if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("mac")) {
            return Path.of(home, "Library", "Jupyter", "kernels");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        Path data = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(home, ".local", "share");
        return data.resolve("jupyter").resolve("kernels");
    }

    /** Where kernelspecs of an environment (a venv, a conda env) live under its prefix. */
    public static Path prefixKernels(Path prefix) {
        return prefix.resolve("share").resolve("jupyter").resolve("kernels");
    }

    /**
     * Writes {@code kernels/name/kernel.json} and {@code kernel.js} (the notebook's CodeMirror mode
     * for tn, from interpreter/tn/kernel/kernel.js); returns the kernelspec's folder.
     */
    public static Path install(Path kernels, String name, String displayName) throws IOException {
        Path dir = kernels.resolve(name).toAbsolutePath().normalize();
        Files.createDirectories(dir);
        JsonObject spec = new JsonObject();
        JsonArray argv = new JsonArray();
        for (String a : command()) argv.add(a);
        spec.add("argv", argv);
        spec.addProperty("display_name", displayName);
        spec.addProperty("language", "tn");
        spec.addProperty("interrupt_mode", "message");
        JsonObject metadata = new JsonObject();
        metadata.addProperty("debugger", false);
        spec.add("metadata", metadata);
        String json = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(spec) + "\n";
        AtomicWrite.write(dir.resolve("kernel.json"), json.getBytes(StandardCharsets.UTF_8));
        AtomicWrite.write(dir.resolve("kernel.js"), codeMirrorMode());
        return dir;
    }

    /** kernel.js, which the build copies next to this class. */
    static byte[] codeMirrorMode() throws IOException {
        try (InputStream in = KernelSpec.class.getResourceAsStream("kernel.js")) {
            if (in == null) throw new IOException("tn's build has no tn/kernel/kernel.js (the notebook's CodeMirror mode); rebuild tn");
            return in.readAllBytes();
        }
    }

    /** The command that starts this tn as a kernel, with Jupyter's {connection_file} placeholder. */
    static List<String> command() {
        List<String> argv = new ArrayList<>();
        Path launcher = launcher();
        if (launcher != null) {
            argv.add(launcher.toString());
        } else {
            argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            argv.add("-cp");
            List<String> entries = new ArrayList<>();
            for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
                if (!e.isEmpty()) entries.add(Path.of(e).toAbsolutePath().toString());
            }
            argv.add(String.join(File.pathSeparator, entries));
            argv.add("tn.cli.Main");
        }
        argv.addAll(List.of("kernel", "-f", "{connection_file}"));
        return argv;
    }

    /** The checkout's `tn` script when tn runs from ROOT/target/tn.jar (it sets up the native libraries), else null. */
    private static Path launcher() {
        try {
            Path code = Path.of(KernelSpec.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!code.toString().endsWith(".jar") || code.getParent() == null || code.getParent().getParent() == null) return null;
            Path script = code.getParent().getParent().resolve("tn");
            return Files.isExecutable(script) ? script : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
