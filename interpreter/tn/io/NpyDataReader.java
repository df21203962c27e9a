package tn.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Reads the data part of a .npy file into doubles in row-major (C) order. Data is read in chunks
 * straight from the stream, so no byte copy of the whole file is ever held; Fortran-ordered data
 * is put in C order once read.
 */
final class NpyDataReader {
    /** Largest array Java can allocate, a little under Integer.MAX_VALUE on common JVMs. */
    static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;
    private static final int CHUNK_BYTES = 1 << 16;
    /** Entries allocated at first when the stream's length is only claimed; the array doubles from there. */
    private static final int GROW_FROM = 1 << 16;

    private NpyDataReader() {}

    /**
     * Reads the data {@code header} describes from {@code in}, positioned just after the header.
     * With {@code lengthKnown} (the stream is known to hold the data, e.g. a file of the right
     * size) the array is allocated at once; otherwise it grows as the data arrives, so a header
     * that claims more than the stream holds costs no more memory than the data that is there.
     */
    static double[] read(InputStream in, NpyHeader header, String name, boolean lengthKnown) throws NpyException, IOException {
        long count = header.elementCount();
        if (count * (header.elementType().isComplex() ? 2 : 1) > MAX_ELEMENTS) {
            throw new NpyException(name + ": the array has shape " + Shapes.format(header.shape()) + ", that is "
                    + count + " elements, more than the " + MAX_ELEMENTS + " tn can hold in one array");
        }
        ElementType element = header.elementType();
        // A complex element is two numbers of its component type, kept interleaved (numpy's layout).
        int parts = element.isComplex() ? 2 : 1;
        ElementType type = element.component();
        long values = count * parts;
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(CHUNK_BYTES, Math.max(type.size * parts, values * type.size)))
                .order(header.bigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        int perChunk = buffer.capacity() / (type.size * parts) * parts;

        // Fortran-ordered data goes straight to its C position when the whole array is allocated at
        // once; when it grows, it is read in file order and put in C order afterwards.
        boolean fortran = header.fortranOrder() && header.rank() > 1;
        FortranCursor cursor = fortran && lengthKnown ? new FortranCursor(header.shape()) : null;
        double[] out = new double[(int) (lengthKnown ? values : Math.min(values, GROW_FROM * parts))];
        long done = 0;
        while (done < values) {
            int n = (int) Math.min(perChunk, values - done);
            int want = n * type.size;
            int got = in.readNBytes(buffer.array(), 0, want);
            if (got < want) {
                throw NpyHeaderReader.truncatedData(header, done * type.size + got, name);
            }
            buffer.clear();
            if (done + n > out.length) out = Arrays.copyOf(out, (int) Math.min(values, Math.max(done + n, 2L * out.length)));
            if (cursor == null) {
                for (int i = 0; i < n; i++) out[(int) done + i] = type.decode(buffer);
            } else {
                for (int i = 0; i < n; i += parts) {
                    int at = cursor.next() * parts;
                    for (int p = 0; p < parts; p++) out[at + p] = type.decode(buffer);
                }
            }
            done += n;
        }
        if (fortran && cursor == null) {
            double[] c = new double[out.length];
            FortranCursor place = new FortranCursor(header.shape());
            for (int k = 0; k < out.length; k += parts) {
                int at = place.next() * parts;
                for (int p = 0; p < parts; p++) c[at + p] = out[k + p];
            }
            return c;
        }
        return out;
    }

    /**
     * Walks the elements in the order a Fortran-ordered file stores them (first index fastest) and
     * yields each one's row-major position, keeping that position up to date incrementally.
     */
    static final class FortranCursor {
        private final int[] extent;
        private final int[] cStride;
        private final int[] index;
        private int position;

        FortranCursor(long[] shape) {
            int rank = shape.length;
            extent = new int[rank];
            cStride = new int[rank];
            index = new int[rank];
            int stride = 1;
            for (int k = rank - 1; k >= 0; k--) {
                extent[k] = (int) shape[k];  // the caller has checked the whole array fits in an int
                cStride[k] = stride;
                stride *= extent[k];
            }
        }

        /** The C-order position of the current element; then moves on to the next one. */
        int next() {
            int current = position;
            for (int k = 0; k < index.length; k++) {
                index[k]++;
                position += cStride[k];
                if (index[k] < extent[k]) break;
                position -= extent[k] * cStride[k];
                index[k] = 0;
            }
            return current;
        }
    }
}
