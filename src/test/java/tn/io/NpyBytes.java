package tn.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Builds .npy content with any header text, to feed the reader what numpy would never write. */
final class NpyBytes {
    private NpyBytes() {}

    /** A version-1.0 file whose header is {@code dict} plus a newline, followed by {@code data}. */
    static byte[] v1(String dict, byte[] data) {
        return build(1, dict.getBytes(StandardCharsets.ISO_8859_1), data);
    }

    static byte[] build(int major, byte[] dict, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) major, 0});
        int length = dict.length + 1;
        out.write(length & 0xff);
        out.write((length >>> 8) & 0xff);
        if (major > 1) {
            out.write((length >>> 16) & 0xff);
            out.write((length >>> 24) & 0xff);
        }
        out.writeBytes(dict);
        out.write('\n');
        out.writeBytes(data);
        return out.toByteArray();
    }

    /** {@code n} little-endian doubles 0, 1, 2, ... */
    static byte[] doubles(int n) {
        ByteBuffer b = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) b.putDouble(i);
        return b.array();
    }
}
