package tn.draw;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `tn draw` runs only the checking pass: in a fresh JVM it never loads a class of ND4J. */
class NoBackendTest {
    @TempDir
    Path tmp;

    @Test
    void drawingDoesNotLoadNd4j() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(List.of(java, "-verbose:class", "-cp", System.getProperty("java.class.path"),
                "tn.cli.Main", "draw", "examples/draw_mlp.tn", "-d", tmp.toString()));
        pb.redirectErrorStream(true);
        Path log = tmp.resolve("log.txt");
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "tn draw finished");
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out.lines().filter(l -> !l.startsWith("[")).reduce("", (a, b) -> a + b + "\n"));
        assertTrue(Files.exists(tmp.resolve("y.svg")));
        assertTrue(out.contains("tn.draw.Diagrams"), "the class log is there");
        assertFalse(out.contains("org.nd4j"), "an ND4J class was loaded");
        assertFalse(out.contains("org.bytedeco"), "a native library wrapper was loaded");
    }
}
