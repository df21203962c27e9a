package tn.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import tn.cli.Main;

/**
 * Runs the tn command line in-process and compares what it prints with a checked-in file.
 * Run the tests with -Dtn.golden.update=true to rewrite the expected files (then review the diff).
 */
public final class Golden {
    private Golden() {}

    public record Result(int exitCode, String out, String err) {}

    public static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            code = Main.execute(args, o, e);
        }
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Compares {@code actual} with the file's text, or rewrites the file in update mode. */
    public static void compare(Path expectedFile, String actual) throws IOException {
        if (Boolean.getBoolean("tn.golden.update")) {
            Files.writeString(expectedFile, actual, StandardCharsets.UTF_8);
            return;
        }
        String expected = Files.exists(expectedFile) ? Files.readString(expectedFile, StandardCharsets.UTF_8) : "<missing " + expectedFile + ">";
        assertEquals(expected, actual, "output differs from " + expectedFile);
    }

    /** The files in a directory with the extension, sorted by name. */
    public static List<Path> files(Path dir, String extension) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(extension)).sorted().toList();
        }
    }

    public static Path sibling(Path file, String extension) {
        String name = file.getFileName().toString();
        return file.resolveSibling(name.substring(0, name.lastIndexOf('.')) + extension);
    }
}
