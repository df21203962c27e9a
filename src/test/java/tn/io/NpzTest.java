package tn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import tn.exec.DType;

/** Writing .npz archives, and every way reading one can fail. */
class NpzTest {

    @TempDir Path dir;

    private static Map<String, NdData> sample() {
        Map<String, NdData> arrays = new LinkedHashMap<>();
        arrays.put("z", NdData.of(new long[] {2, 2}, new double[] {1, 2, 3, 4}, DType.FLOAT64));
        arrays.put("a", NdData.of(new long[] {3}, new double[] {0.5, -1, 1e-3f}, DType.FLOAT32));
        arrays.put("s", NdData.of(new long[] {}, new double[] {7}, DType.FLOAT64));
        arrays.put("e", NdData.of(new long[] {0, 5}, new double[] {}, DType.FLOAT32));
        return arrays;
    }

    private static String failure(Executable call) {
        String message = assertThrows(NpyException.class, call).getMessage();
        assertFalse(message.contains("Exception") || message.contains("java."), message);
        return message;
    }

    @Test
    void storedRoundTrip() throws Exception {
        Path file = dir.resolve("x.npz");
        Npz.write(file, sample());
        assertEquals(sample(), Npz.read(file));
        assertEquals(List.of("z", "a", "s", "e"), List.copyOf(Npz.read(file).keySet()));
        assertEquals(Map.of(ZipEntry.STORED, 4), methods(file));
        // Each entry is exactly the .npy file Npy would write, as np.savez stores them.
        try (ZipFile zip = new ZipFile(file.toFile())) {
            NdData z = sample().get("z");
            assertArrayEquals(Npy.toBytes(z.shape(), z.data(), DType.FLOAT64),
                    zip.getInputStream(zip.getEntry("z.npy")).readAllBytes());
        }
    }

    @Test
    void compressedRoundTrip() throws Exception {
        Path file = dir.resolve("x.npz");
        Npz.writeCompressed(file, sample());
        assertEquals(sample(), Npz.read(file));
        assertEquals(Map.of(ZipEntry.DEFLATED, 4), methods(file));
        Map<String, NpyHeader> headers = Npz.readHeaders(file);
        assertEquals(List.of("z", "a", "s", "e"), List.copyOf(headers.keySet()));
        assertArrayEquals(new long[] {0, 5}, headers.get("e").shape());
        assertEquals("float32", Npz.readHeader(file, "a").dtype());
        assertEquals(sample().get("s"), Npz.read(file, "s"));
    }

    private static Map<Integer, Integer> methods(Path file) throws IOException {
        Map<Integer, Integer> count = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            zip.stream().forEach(e -> count.merge(e.getMethod(), 1, Integer::sum));
        }
        return count;
    }

    @Test
    void onlyFloat32AndFloat64AreWritten() {
        Map<String, NdData> arrays = Map.of("n", new NdData(new long[] {1}, new double[] {1}, "int32"));
        Path file = dir.resolve("x.npz");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Npz.write(file, arrays));
        assertEquals("array 'n' has dtype int32; tn writes float32 or float64", e.getMessage());
        assertFalse(Files.exists(file));
    }

    @Test
    void entriesThatAreNotArraysAreSkipped() throws Exception {
        Path file = zip("x.npz", "README.txt", "hello".getBytes(StandardCharsets.US_ASCII),
                "W.npy", Npy.toBytes(new long[] {1}, new double[] {2}, DType.FLOAT64));
        assertEquals(List.of("W"), List.copyOf(Npz.read(file).keySet()));
        assertEquals(List.of("W"), List.copyOf(Npz.readHeaders(file).keySet()));
    }

    @Test
    void missingKey() throws Exception {
        Path file = dir.resolve("x.npz");
        Map<String, NdData> arrays = new LinkedHashMap<>();
        arrays.put("a", NdData.of(new long[] {1}, new double[] {1}, DType.FLOAT32));
        arrays.put("b", NdData.of(new long[] {1}, new double[] {2}, DType.FLOAT32));
        Npz.write(file, arrays);
        assertEquals(file + ": no array named 'W' (it holds: a, b)", failure(() -> Npz.read(file, "W")));
        assertEquals(file + ": no array named 'W' (it holds: a, b)", failure(() -> Npz.readHeader(file, "W")));

        Path empty = dir.resolve("empty.npz");
        Npz.write(empty, Map.of());
        assertEquals(Map.of(), Npz.read(empty));
        assertEquals(empty + ": no array named 'W' (it holds no arrays)", failure(() -> Npz.read(empty, "W")));
    }

    @Test
    void notAZip() throws Exception {
        Path text = dir.resolve("x.npz");
        Files.writeString(text, "W = [[1, 2], [3, 4]]\n");
        assertEquals(text + ": not a .npz file (it is not a zip archive)", failure(() -> Npz.read(text)));
        assertEquals(text + ": not a .npz file (it is not a zip archive)", failure(() -> Npz.readHeaders(text)));

        Path npy = dir.resolve("y.npz");
        Npy.write(npy, new long[] {1}, new double[] {1}, DType.FLOAT64);
        assertEquals(npy + ": not a .npz file (it is a single .npy array, not a zip archive)", failure(() -> Npz.read(npy)));

        Path empty = dir.resolve("e.npz");
        Files.write(empty, new byte[0]);
        assertEquals(empty + ": empty file (0 bytes)", failure(() -> Npz.read(empty)));

        Path missing = dir.resolve("m.npz");
        assertEquals(missing + ": no such file", failure(() -> Npz.read(missing)));
        assertEquals(missing + ": no such file", failure(() -> Npz.readHeaders(missing)));
        assertEquals(dir + ": is a directory, not a file", failure(() -> Npz.read(dir)));
    }

    @Test
    void badEntriesNameTheArray() throws Exception {
        byte[] good = Npy.toBytes(new long[] {3, 4}, new double[12], DType.FLOAT32);
        for (boolean compress : new boolean[] {false, true}) {
            Path file = dir.resolve("x.npz");
            zip(file, compress, "a.npy", good, "W.npy", Arrays.copyOf(good, 128 + 20));
            String truncated = file + ", array 'W': truncated: the header declares shape (3, 4) of float32"
                    + " (48 bytes of data) but only 20 bytes follow";
            assertEquals(truncated, failure(() -> Npz.read(file)));
            assertEquals(truncated, failure(() -> Npz.readHeaders(file)));
            assertEquals(truncated, failure(() -> Npz.read(file, "W")));
            assertEquals(truncated, failure(() -> Npz.readHeader(file, "W")));
            assertEquals(NdData.of(new long[] {3, 4}, new double[12], DType.FLOAT32), Npz.read(file, "a"));

            zip(file, compress, "W.npy", "not an array".getBytes(StandardCharsets.US_ASCII));
            assertEquals(file + ", array 'W': not a .npy file (it does not start with \\x93NUMPY)",
                    failure(() -> Npz.read(file)));
        }
    }

    @Test
    void damagedCompressedData() throws Exception {
        Path file = dir.resolve("x.npz");
        Npz.writeCompressed(file, Map.of("W", NdData.of(new long[] {4}, new double[4], DType.FLOAT64)));
        byte[] zip = Files.readAllBytes(file);
        // The first local header is at offset 0; its data follows the name and extra field. A first
        // byte of 0xff declares a deflate block of the reserved type 3, which inflaters reject.
        int dataStart = 30 + (zip[26] & 0xff | (zip[27] & 0xff) << 8) + (zip[28] & 0xff | (zip[29] & 0xff) << 8);
        zip[dataStart] = (byte) 0xff;
        Files.write(file, zip);
        assertEquals(file + ", array 'W': the archive entry is damaged and cannot be read (invalid block type)",
                failure(() -> Npz.read(file)));
    }

    private Path zip(String name, Object... entries) throws IOException {
        Path file = dir.resolve(name);
        zip(file, false, entries);
        return file;
    }

    /** A zip of (name, bytes) pairs, deflated or stored as asked. */
    private static void zip(Path file, boolean compress, Object... entries) throws IOException {
        try (OutputStream out = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.setMethod(compress ? ZipOutputStream.DEFLATED : ZipOutputStream.STORED);
            for (int i = 0; i < entries.length; i += 2) {
                byte[] content = (byte[]) entries[i + 1];
                ZipEntry entry = new ZipEntry((String) entries[i]);
                if (!compress) {
                    CRC32 crc = new CRC32();
                    crc.update(content);
                    entry.setSize(content.length);
                    entry.setCompressedSize(content.length);
                    entry.setCrc(crc.getValue());
                }
                zip.putNextEntry(entry);
                zip.write(content);
                zip.closeEntry();
            }
        }
    }
}
