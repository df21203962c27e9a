package tn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.exec.DType;

/**
 * Files are replaced atomically: a write that fails midway (an exception, an unwritable target)
 * leaves the previous file byte for byte and no temporary behind, and a concurrent reader sees
 * one whole version or the other, never a mix.
 */
class AtomicWriteTest {
    @TempDir Path dir;

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static double[] filled(int n, double v) {
        double[] d = new double[n];
        java.util.Arrays.fill(d, v);
        return d;
    }

    @Test
    void aSaveThatFailsMidwayLeavesThePreviousFileAndNoTemporary() throws Exception {
        Path file = dir.resolve("w.npy");
        long[] shape = {1 << 20};
        Npy.write(file, shape, filled(1 << 20, 1.0), DType.FLOAT64);
        byte[] before = Files.readAllBytes(file);
        // The entries fail after several chunks have been written: the old code had truncated the file by then.
        Entries failing = (from, into, count) -> {
            if (from >= 4L * NpyWriter.CHUNK_ENTRIES) throw new IllegalStateException("the backend failed midway");
            java.util.Arrays.fill(into, 0, count, 2.0);
        };
        assertThrows(IllegalStateException.class, () -> Npy.write(file, shape, failing, DType.FLOAT64));
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of("w.npy"), names());
    }

    @Test
    void anIoErrorMidwayLeavesThePreviousFileAndNoTemporary() throws Exception {
        Path file = dir.resolve("a.svg");
        Files.writeString(file, "<svg>old</svg>");
        IOException e = assertThrows(IOException.class, () -> AtomicWrite.write(file, out -> {
            out.write(new byte[1 << 20]);
            throw new IOException("No space left on device");
        }));
        assertEquals("the disk is full (no space left on device)", WriteFailure.reason(e));
        assertEquals("<svg>old</svg>", Files.readString(file));
        assertEquals(List.of("a.svg"), names());
    }

    @Test
    void anArchiveThatFailsMidwayLeavesThePreviousArchive() throws Exception {
        Path file = dir.resolve("m.npz");
        Npz.write(file, java.util.Map.of("a", NdData.of(new long[] {3}, new double[] {1, 2, 3}, DType.FLOAT32)));
        byte[] before = Files.readAllBytes(file);
        Entries failing = (from, into, count) -> { throw new IllegalStateException("boom"); };
        java.util.Map<String, Npz.Source> arrays = new java.util.LinkedHashMap<>();
        arrays.put("ok", new Npz.Source(new long[] {2}, DType.FLOAT32, Entries.of(new double[] {5, 6})));
        arrays.put("bad", new Npz.Source(new long[] {2}, DType.FLOAT32, failing));
        assertThrows(IllegalStateException.class, () -> Npz.writeSources(file, arrays));
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of("m.npz"), names());
    }

    @Test
    void aTargetThatIsADirectoryIsRefusedAndKept() throws Exception {
        Path target = dir.resolve("x.npy");
        Files.createDirectory(target);
        Files.writeString(target.resolve("inside"), "kept");
        IOException e = assertThrows(IOException.class, () -> AtomicWrite.write(target, new byte[] {1}));
        assertEquals("it is a directory", WriteFailure.reason(e));
        Path empty = dir.resolve("empty.svg");
        Files.createDirectory(empty); // a rename would silently replace an empty directory
        e = assertThrows(IOException.class, () -> AtomicWrite.write(empty, new byte[] {1}));
        assertEquals("it is a directory", WriteFailure.reason(e));
        assertTrue(Files.isDirectory(empty));
        assertEquals("kept", Files.readString(target.resolve("inside")));
        assertEquals(List.of("empty.svg", "x.npy"), names());
    }

    @Test
    void aMissingOrFileParentIsNamedAsSuch() throws Exception {
        IOException e = assertThrows(IOException.class, () -> AtomicWrite.write(dir.resolve("nope/x.npy"), new byte[] {1}));
        assertEquals("no such directory", WriteFailure.reason(e));
        Files.writeString(dir.resolve("plain"), "a file");
        e = assertThrows(IOException.class, () -> AtomicWrite.write(dir.resolve("plain/x.npy"), new byte[] {1}));
        assertEquals("a part of its path is a file, not a directory", WriteFailure.reason(e));
        assertEquals(List.of("plain"), names());
    }

    @Test
    void aNameTooLongForTheFileSystemSaysSo() {
        Path target = dir.resolve("x".repeat(300) + ".svg");
        IOException e = assertThrows(IOException.class, () -> AtomicWrite.write(target, new byte[] {1}));
        assertEquals("file name too long (each name in a path may have at most 255 bytes)", WriteFailure.reason(e));
    }

    @Test
    void reasonsAreWordsNotPaths() {
        assertEquals("permission denied", WriteFailure.reason(new AccessDeniedException("/x/y.svg")));
        assertEquals("read-only file system", WriteFailure.reason(new FileSystemException("/x/y.svg", null, "Read-only file system")));
        assertEquals("the disk is full (no space left on device)", WriteFailure.reason(new IOException("No space left on device")));
        assertEquals("disk quota exceeded", WriteFailure.reason(new FileSystemException("/x", null, "Disk quota exceeded")));
        assertEquals("no such file or directory", WriteFailure.reason(new NoSuchFileException("/proc/x.svg")));
        assertEquals("interrupted (the previous file, if any, is unchanged)",
                WriteFailure.reason(new java.nio.channels.ClosedByInterruptException()));
        assertEquals("input/output error (IOException)", WriteFailure.reason(new IOException()));
    }

    @Test
    void permissionsOfTheReplacedFileAreKept() throws Exception {
        Path file = dir.resolve("p.svg");
        Files.writeString(file, "old");
        var perms = java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----");
        Files.setPosixFilePermissions(file, perms);
        AtomicWrite.writeString(file, "new");
        assertEquals("new", Files.readString(file));
        assertEquals(perms, Files.getPosixFilePermissions(file));
    }

    /** A rename would replace a read-only file (it needs only the folder's permission); tn refuses, as an in-place write would. */
    @Test
    void aReadOnlyFileIsNotReplaced() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeFalse("root".equals(System.getProperty("user.name")),
                "skipped as root: root may write any file, so a read-only file cannot be made here");
        Path file = dir.resolve("ro.svg");
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("r--r--r--"));
        IOException e = assertThrows(IOException.class, () -> AtomicWrite.writeString(file, "new"));
        assertEquals("permission denied", WriteFailure.reason(e));
        assertEquals("old", Files.readString(file));
    }

    @Test
    void aSymbolicLinkIsFollowedAndKept() throws Exception {
        Path real = dir.resolve("real.svg");
        Files.writeString(real, "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.svg"), real.getFileName());
        AtomicWrite.writeString(link, "new");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("new", Files.readString(real));
        assertEquals(List.of("link.svg", "real.svg"), names());
    }

    /** `tn draw -o /dev/stdout`: a device or pipe is written to, never replaced by a plain file. */
    @Test
    void aPipeIsWrittenToNotReplaced() throws Exception {
        Path fifo = dir.resolve("pipe");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        AtomicReference<byte[]> got = new AtomicReference<>();
        Thread reader = new Thread(() -> {
            try {
                got.set(Files.readAllBytes(fifo));
            } catch (IOException e) {
                got.set(new byte[0]);
            }
        });
        reader.start();
        AtomicWrite.writeString(fifo, "through the pipe");
        reader.join(10_000);
        assertEquals("through the pipe", new String(got.get(), java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(!Files.isRegularFile(fifo) && Files.exists(fifo));
        assertEquals(List.of("pipe"), names());
    }

    /**
     * A writer rewrites a 1 MB array again and again with two alternating contents; a reader reads
     * it all the while. Every read must be one whole version, byte for byte.
     */
    @Test
    void aConcurrentReaderNeverSeesAMix() throws Exception {
        Path file = dir.resolve("c.npy");
        int n = 1 << 17;
        long[] shape = {n};
        double[][] versions = {filled(n, 1.0), filled(n, 2.0)};
        byte[][] expected = {Npy.toBytes(shape, versions[0], DType.FLOAT64), Npy.toBytes(shape, versions[1], DType.FLOAT64)};
        Npy.write(file, shape, versions[0], DType.FLOAT64);
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        java.util.concurrent.atomic.AtomicInteger writes = new java.util.concurrent.atomic.AtomicInteger();
        Thread writer = new Thread(() -> {
            try {
                for (int k = 1; !stop.get(); k++) {
                    Npy.write(file, shape, versions[k % 2], DType.FLOAT64);
                    writes.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        writer.start();
        int reads = 0;
        long deadline = System.nanoTime() + 20_000_000_000L; // a busy machine gets longer, an idle one stops early
        try {
            while ((reads < 200 || writes.get() < 20) && System.nanoTime() < deadline && failure.get() == null) {
                byte[] bytes = Files.readAllBytes(file);
                reads++;
                if (!java.util.Arrays.equals(bytes, expected[0]) && !java.util.Arrays.equals(bytes, expected[1])) {
                    throw new AssertionError("read " + reads + " (after " + writes.get() + " writes) saw neither version: "
                            + bytes.length + " bytes");
                }
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        if (failure.get() != null) throw new AssertionError(failure.get());
        assertTrue(writes.get() >= 20 && reads >= 20, reads + " reads, " + writes.get() + " writes");
        assertEquals(List.of("c.npy"), names());
    }
}
