package tn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.exec.DType;

/**
 * kill -9 of a process in the middle of rewriting a file leaves the previous file intact: a child
 * JVM ({@link SlowWriteMain}) rewrites a .npy slowly and is killed once it has begun.
 */
class KillDuringWriteTest {
    @TempDir Path dir;

    @Test
    void theOldFileSurvivesAKillMidWrite() throws Exception {
        Path file = dir.resolve("w.npy");
        Npy.write(file, new long[] {1000}, new double[1000], DType.FLOAT32);
        byte[] before = Files.readAllBytes(file);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SlowWriteMain.class.getName(), file.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            assertEquals("writing", out.readLine(), "the child did not start writing");
            Thread.sleep(300); // some chunks are on their way to the temporary file
            child.destroyForcibly(); // SIGKILL: no finally block, no shutdown hook runs
            assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        } finally {
            child.destroyForcibly();
        }
        assertEquals(137, child.exitValue(), "the child was not killed mid-write");
        assertArrayEquals(before, Files.readAllBytes(file));
        try (Stream<Path> s = Files.list(dir)) {
            List<String> others = s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("w.npy")).toList();
            // What kill -9 leaves: one hidden, partly written temporary beside the file.
            assertEquals(1, others.size(), others.toString());
            assertTrue(others.get(0).startsWith(".w.npy.") && others.get(0).endsWith(AtomicWrite.TEMP_SUFFIX), others.get(0));
        }
    }
}
