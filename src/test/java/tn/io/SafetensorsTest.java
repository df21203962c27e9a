package tn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.exec.DType;

/** The .safetensors format: bytes written by hand pin it; round trips; every corrupt file named. */
class SafetensorsTest {
    @TempDir
    Path dir;

    /** A file from a header string and raw little-endian data. */
    Path file(String header, byte[] data) throws Exception {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        Path p = dir.resolve("t.safetensors");
        Files.write(p, b.array());
        return p;
    }

    static byte[] le(int bytesPer, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * bytesPer).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            switch (bytesPer) {
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        return b.array();
    }

    @Test
    void readsAHandWrittenFileWithMetadataAndTwoDtypes() throws Exception {
        ByteBuffer data = ByteBuffer.allocate(8 * 2 + 4 * 3).order(ByteOrder.LITTLE_ENDIAN);
        data.putDouble(1.5).putDouble(-2.25).putFloat(0.5f).putFloat(3f).putFloat(-1f);
        Path p = file("{\"__metadata__\":{\"format\":\"pt\"},\"b\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[16,28]},"
                + "\"a\":{\"dtype\":\"F64\",\"shape\":[1,2],\"data_offsets\":[0,16]}}", data.array());
        Map<String, NdData> m = Safetensors.read(p);
        assertEquals(List.of("a", "b"), List.copyOf(m.keySet()), "in the order of their data");
        assertArrayEquals(new long[] {1, 2}, m.get("a").shape());
        assertArrayEquals(new double[] {1.5, -2.25}, m.get("a").data());
        assertArrayEquals(new double[] {0.5, 3, -1}, m.get("b").data());
        assertEquals("float32", m.get("b").dtype());
        assertArrayEquals(new long[] {3}, Safetensors.shapes(p).get("b"));
    }

    @Test
    void halfAndBfloat16AndIntegersDecodeExactly() throws Exception {
        // F16: 1.0 = 0x3c00, -2.5 = 0xc100, 65504 = 0x7bff, smallest subnormal 2^-24 = 0x0001.
        // BF16: 1.0 = 0x3f80, -2.5 = 0xc020. I32: -7, 12.
        byte[] f16 = le(2, 0x3c00, 0xc100, 0x7bff, 0x0001), bf16 = le(2, 0x3f80, 0xc020), i32 = le(4, -7, 12);
        byte[] all = new byte[f16.length + bf16.length + i32.length];
        System.arraycopy(f16, 0, all, 0, 8);
        System.arraycopy(bf16, 0, all, 8, 4);
        System.arraycopy(i32, 0, all, 12, 8);
        Path p = file("{\"h\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]},\"g\":{\"dtype\":\"BF16\",\"shape\":[2],"
                + "\"data_offsets\":[8,12]},\"i\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[12,20]}}", all);
        Map<String, NdData> m = Safetensors.read(p);
        assertArrayEquals(new double[] {1, -2.5, 65504, Math.pow(2, -24)}, m.get("h").data());
        assertArrayEquals(new double[] {1, -2.5}, m.get("g").data());
        assertArrayEquals(new double[] {-7, 12}, m.get("i").data());
    }

    @Test
    void roundTripsFloat64AndFloat32() throws Exception {
        Map<String, NdData> in = new LinkedHashMap<>();
        in.put("h.0.attn.c_attn.weight", NdData.of(new long[] {2, 3}, new double[] {1, 2, 3, 4, 5, Math.PI}, DType.FLOAT64));
        in.put("x", NdData.of(new long[] {2}, new double[] {0.25, -8}, DType.FLOAT32));
        Path p = dir.resolve("rt.safetensors");
        Safetensors.write(p, in);
        byte[] bytes = Files.readAllBytes(p);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, (8 + n) % 8, "header padded to a multiple of 8");
        Map<String, NdData> out = Safetensors.read(p);
        assertArrayEquals(in.get("h.0.attn.c_attn.weight").data(), out.get("h.0.attn.c_attn.weight").data());
        assertArrayEquals(in.get("x").data(), out.get("x").data());
    }

    String error(Path p) {
        return assertThrows(NpyException.class, () -> Safetensors.read(p)).getMessage().replace(p.toString(), "F");
    }

    @Test
    void corruptFilesAreRefusedWithWhatIsWrong() throws Exception {
        byte[] eight = new byte[8];
        Path p = file("{\"a\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[0,16]}}", eight);
        assertEquals("F: tensor a: data_offsets end at byte 16 but the file has 8 bytes of data (truncated?)", error(p));
        p = file("{\"a\":{\"dtype\":\"F64\",\"shape\":[3],\"data_offsets\":[0,16]}}", new byte[16]);
        assertEquals("F: tensor a: data_offsets [0, 16] hold 16 bytes but F64 [3] needs 24", error(p));
        p = file("{\"a\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", new byte[8]);
        assertEquals("F: tensor a has dtype C64, which tn does not read (F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)", error(p));
        p = file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]);
        assertEquals("F: tensors a and b overlap in the data", error(p));
        p = file("not json at all", new byte[0]);
        assertEquals(true, error(p).startsWith("F: not a safetensors file (the header is not JSON"));
        Path wrongLength = dir.resolve("w.safetensors");
        Files.write(wrongLength, ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1000).putLong(0).array());
        assertEquals("F: header length 1000 is larger than the file (16 bytes)", error(wrongLength));
        Path tiny = dir.resolve("tiny.safetensors");
        Files.write(tiny, new byte[3]);
        assertEquals("F: not a safetensors file (3 bytes, shorter than the 8-byte header length)", error(tiny));
    }
}
