package tn.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import tn.exec.DType;

/**
 * Writes C-ordered little-endian float32/float64 .npy content byte for byte as {@code numpy.save}
 * does: keys sorted, the same spare spaces after the dict (numpy leaves room to grow the first
 * extent in place), padding so the data starts on a 64-byte boundary, and version 1.0 unless the
 * header is too long for its 2-byte length field.
 */
final class NpyWriter {
    private static final int ALIGN = 64;
    /** numpy's GROWTH_AXIS_MAX_DIGITS: room for the longest extent it could ever rewrite. */
    private static final int GROWTH_DIGITS = 21;
    /** Entries converted at a time: 512 KB of doubles, whatever the array's size. */
    static final int CHUNK_ENTRIES = 1 << 16;

    private NpyWriter() {}

    /** Checks that {@code data} fills {@code shape} exactly; a mismatch is a bug in the caller. */
    static void validate(long[] shape, double[] data) {
        for (long d : shape) {
            if (d < 0) throw new IllegalArgumentException("shape " + Shapes.format(shape) + " has a negative extent");
        }
        long count = Shapes.elementCount(shape);
        if (count != data.length) {
            throw new IllegalArgumentException("shape " + Shapes.format(shape) + " holds " + count
                    + " elements but " + data.length + " values were given");
        }
    }

    /** Total size of the .npy content: header plus data. */
    static long size(long[] shape, DType dtype) {
        return header(shape, dtype).length + Shapes.elementCount(shape) * dtype.bytes();
    }

    static void write(OutputStream out, long[] shape, double[] data, DType dtype) throws IOException {
        if (!dtype.isComplex()) validate(shape, data);
        write(out, shape, Entries.of(data), dtype);
    }

    /** Writes header and data, reading the entries {@link #CHUNK_ENTRIES} at a time. */
    static void write(OutputStream out, long[] shape, Entries entries, DType dtype) throws IOException {
        out.write(header(shape, dtype));
        // A complex array's entries come interleaved (real, imaginary), each a number of the real part's type.
        long count = Shapes.elementCount(shape) * (dtype.isComplex() ? 2 : 1);
        DType number = dtype.realPart();
        double[] chunk = new double[(int) Math.min(CHUNK_ENTRIES, count)];
        ByteBuffer buffer = ByteBuffer.allocate(chunk.length * number.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (long from = 0; from < count; from += chunk.length) {
            int n = (int) Math.min(chunk.length, count - from);
            entries.copy(from, chunk, n);
            buffer.clear();
            for (int k = 0; k < n; k++) {
                if (number == DType.FLOAT32) buffer.putFloat((float) chunk[k]);
                else buffer.putDouble(chunk[k]);
            }
            out.write(buffer.array(), 0, buffer.position());
        }
    }

    /** Magic, version, header length and the padded header dict, ready to be followed by data. */
    static byte[] header(long[] shape, DType dtype) {
        StringBuilder dict = new StringBuilder()
                .append("{'descr': '").append(switch (dtype) {
                    case FLOAT32 -> "<f4";
                    case FLOAT64 -> "<f8";
                    case COMPLEX64 -> "<c8";
                    case COMPLEX128 -> "<c16";
                })
                .append("', 'fortran_order': False, 'shape': ").append(Shapes.format(shape)).append(", }");
        if (shape.length > 0) dict.append(" ".repeat(Math.max(0, GROWTH_DIGITS - Long.toString(shape[0]).length())));
        byte[] text = dict.toString().getBytes(StandardCharsets.ISO_8859_1);

        // Like numpy: try 1.0 (2-byte length), fall back to 2.0 (4-byte length) for huge ranks.
        int major = 1;
        int total = paddedLength(text.length, 2);
        if (total - 10 > 0xffff) {
            major = 2;
            total = paddedLength(text.length, 4);
        }
        int lengthBytes = major == 1 ? 2 : 4;
        int preamble = NpyHeaderReader.MAGIC.length + 2 + lengthBytes;
        int headerLength = total - preamble;

        ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NpyHeaderReader.MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) b.putShort((short) headerLength);
        else b.putInt(headerLength);
        b.put(text);
        while (b.remaining() > 1) b.put((byte) ' ');
        b.put((byte) '\n');
        return b.array();
    }

    /**
     * Length of preamble + dict + padding + newline, rounded up to the alignment. numpy always adds
     * at least the newline, so an exact fit still gets a full block of padding (as numpy computes it).
     */
    private static int paddedLength(int dictLength, int lengthBytes) {
        int unpadded = NpyHeaderReader.MAGIC.length + 2 + lengthBytes + dictLength + 1;
        int pad = ALIGN - (unpadded % ALIGN);
        return unpadded + pad;
    }
}
