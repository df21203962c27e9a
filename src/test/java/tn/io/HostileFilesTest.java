package tn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import tn.exec.DType;

/**
 * Files that are damaged or deliberately wrong, each refused with a message naming the file and
 * the key (the fuzzer, tn.interp.FileFuzzTest, tries many more at random).
 */
class HostileFilesTest {
    @TempDir
    Path dir;

    private static String failure(Executable call, Path file) {
        String message = assertThrows(NpyException.class, call).getMessage();
        assertTrue(message.startsWith(file.toString()), "names the file: " + message);
        return message.substring(file.toString().length());
    }

    // ---- .npz ---------------------------------------------------------------------------------

    /** Where entry {@code index}'s data starts in an archive (after its local header). */
    private static int dataStart(byte[] zip, int index) {
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int at = 0;
        for (int k = 0; ; k++) {
            assertEquals(0x04034b50, b.getInt(at), "a local file header");
            int compressed = b.getInt(at + 18), nameLength = b.getShort(at + 26) & 0xffff, extra = b.getShort(at + 28) & 0xffff;
            int start = at + 30 + nameLength + extra;
            if (k == index) return start;
            at = start + compressed;
        }
    }

    private Path archive(boolean compressed) throws Exception {
        Map<String, NdData> arrays = new LinkedHashMap<>();
        double[] data = new double[64];
        for (int i = 0; i < data.length; i++) data[i] = Math.sin(i);
        arrays.put("w", NdData.of(new long[] {8, 8}, data, DType.FLOAT64));
        arrays.put("b", NdData.of(new long[] {2}, new double[] {1, 2}, DType.FLOAT64));
        Path p = dir.resolve(compressed ? "c.npz" : "s.npz");
        if (compressed) Npz.writeCompressed(p, arrays);
        else Npz.write(p, arrays);
        return p;
    }

    @Test
    void aStoredEntryWhoseDataDoesNotMatchItsCrcIsRefused() throws Exception {
        Path p = archive(false);
        byte[] zip = Files.readAllBytes(p);
        zip[dataStart(zip, 0) + 128 + 3 * 8 + 2] ^= 0x10; // a bit of w[3], after the 128-byte .npy header
        Files.write(p, zip);
        String m = failure(() -> Npz.read(p, "w"), p);
        assertTrue(m.startsWith(", array 'w': the archive entry is damaged: its data does not match its CRC-32 checksum"), m);
        failure(() -> Npz.read(p), p);
        assertEquals(2, Npz.read(p, "b").size(), "the other array is intact");
    }

    @Test
    void aDamagedDeflateStreamIsRefused() throws Exception {
        Path p = archive(true);
        byte[] good = Files.readAllBytes(p);
        int start = dataStart(good, 0), damaged = 0;
        for (int at = start; at < start + 200; at += 3) {
            byte[] zip = good.clone();
            zip[at] ^= (byte) 0x5a;
            Files.write(p, zip);
            String m = failure(() -> Npz.read(p, "w"), p);
            assertTrue(m.startsWith(", array 'w': "), m);
            damaged++;
        }
        assertTrue(damaged > 50);
    }

    @Test
    void anEntryLongerOrShorterThanTheDirectorySaysIsRefused() throws Exception {
        Path p = archive(false);
        byte[] zip = Files.readAllBytes(p);
        // The central directory's record of w: its uncompressed size (offset 24) made one larger.
        ByteBuffer b = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        int cd = -1;
        for (int at = zip.length - 22; at >= 0; at--) if (b.getInt(at) == 0x02014b50) cd = at; // the first record
        b.putInt(cd + 24, b.getInt(cd + 24) - 8);
        b.putInt(cd + 20, b.getInt(cd + 20) - 8);
        Files.write(p, zip);
        failure(() -> Npz.read(p, "w"), p);
    }

    @Test
    void anArrayThatClaimsMoreDataThanItsEntryHoldsTakesNoMemoryForIt() throws Exception {
        // A header declaring 10^8 float64 values (800 MB) followed by 80 bytes, read as a zip entry
        // whose length is only claimed: refused as truncated, having allocated about what is there.
        byte[] header = "{'descr': '<f8', 'fortran_order': False, 'shape': (100000000,), }".getBytes(StandardCharsets.ISO_8859_1);
        int padded = (header.length + 10 + 63) / 64 * 64;
        ByteBuffer npy = ByteBuffer.allocate(padded + 80).order(ByteOrder.LITTLE_ENDIAN);
        npy.put(NpyHeaderReader.MAGIC).put((byte) 1).put((byte) 0).putShort((short) (padded - 10)).put(header);
        while (npy.position() < padded - 1) npy.put((byte) ' ');
        npy.put((byte) '\n');
        byte[] bytes = npy.array();
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = mx.getCurrentThreadAllocatedBytes();
        String m = assertThrows(NpyException.class,
                () -> Npy.read(new ByteArrayInputStream(bytes), 800_000_000L + padded, "x.npz, array 'a'", false)).getMessage();
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(m.startsWith("x.npz, array 'a': truncated: the header declares shape (100000000,)"), m);
        assertTrue(allocated < 20_000_000, allocated + " bytes allocated");
    }

    // ---- .safetensors ---------------------------------------------------------------------------

    private Path safetensors(String header, int dataBytes) throws Exception {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        Path p = dir.resolve("m.safetensors");
        Files.write(p, b.array());
        return p;
    }

    private String bothWays(Path p) {
        String read = failure(() -> Safetensors.read(p), p);
        assertEquals(read, failure(() -> Safetensors.shapes(p), p), "checking (headers only) refuses it too");
        return read;
    }

    @Test
    void aDtypeThatIsNotAStringIsRefused() throws Exception {
        for (String dtype : new String[] {"{}", "{\"F32\": 1}", "null", "5", "[\"F32\"]"}) {
            Path p = safetensors("{\"a\":{\"dtype\":" + dtype + ",\"shape\":[2],\"data_offsets\":[0,8]}}", 8);
            assertEquals(": tensor a: dtype must be a string such as \"F32\", not " + dtype.replace(" ", ""), bothWays(p));
        }
    }

    @Test
    void aRepeatedKeyIsRefused() throws Exception {
        Path p = safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8);
        assertEquals(": the header gives 'a' twice (which one is meant?); the file is damaged", bothWays(p));
        p = safetensors("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,4]}}", 8);
        assertEquals(": the header gives 'a.dtype' twice (which one is meant?); the file is damaged", bothWays(p));
    }

    @Test
    void shapesWhoseSizeOverflowsAreRefused() throws Exception {
        // 2^62 x 4 F32 entries need 2^66 bytes, which wraps to 0 in 64-bit arithmetic: offsets [0, 0] "matched".
        Path p = safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904,4],\"data_offsets\":[0,0]}}", 0);
        assertEquals(": tensor a has shape [4611686018427387904, 4], more data than any file holds; the file is damaged", bothWays(p));
        p = safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[4611686018427387904],\"data_offsets\":[0,0]}}", 0);
        assertEquals(": tensor a has shape [4611686018427387904], more data than any file holds; the file is damaged", bothWays(p));
        p = safetensors("{\"a\":{\"dtype\":\"U8\",\"shape\":[9223372036854775808],\"data_offsets\":[0,0]}}", 0);
        assertTrue(bothWays(p).startsWith(": tensor a: shape must be a list of whole numbers >= 0 (at most 2^63 - 1)"));
    }

    @Test
    void numbersWrittenAsStringsOrFractionsAreRefused() throws Exception {
        Path p = safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}", 8);
        assertEquals(": tensor a: shape must be a list of whole numbers >= 0, not [\"2\"]", bothWays(p));
        p = safetensors("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8.5]}}", 8);
        assertTrue(bothWays(p).startsWith(": tensor a: data_offsets must be a list of whole numbers"));
    }

    // ---- vocab.json -------------------------------------------------------------------------------

    @Test
    void vocabularyIdsMustBeNumbers() throws Exception {
        Path v = dir.resolve("vocab.json");
        Files.writeString(v, "{\"a\": 0, \"b\": \"1\"}");
        assertEquals(": token b has id \"1\", not a whole number", failure(() -> Vocab.read(v), v));
        Files.writeString(v, "{\"a\": 0, \"b\": 1.5}");
        assertEquals(": token b has id 1.5, not a whole number", failure(() -> Vocab.read(v), v));
        Files.writeString(v, "{\"a\": 0, \"b\": [1]}");
        assertEquals(": token b has id [1], not a whole number", failure(() -> Vocab.read(v), v));
    }

    @Test
    void aRepeatedTokenIsRefused() throws Exception {
        Path v = dir.resolve("vocab.json");
        Files.writeString(v, "{\"a\": 0, \"b\": 1, \"a\": 2}");
        assertEquals(": token a is given twice (which id is meant?)", failure(() -> Vocab.read(v), v));
    }

    @Test
    void aVocabularyThatIsNotUtf8IsNamed() throws Exception {
        Path v = dir.resolve("vocab.json");
        Files.write(v, new byte[] {'{', '"', (byte) 0xff, '"', ':', '0', '}'});
        assertEquals(": not a vocabulary (it is not UTF-8 text)", failure(() -> Vocab.read(v), v));
    }
}
