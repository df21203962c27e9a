package tn.exec.nd4j;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.DoubleBuffer;
import java.nio.channels.FileChannel;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tn.exec.Backend;
import tn.exec.DType;
import tn.exec.Stored;

/**
 * Reads stored numbers from a file into a new array's native memory ({@link Backend#read}).
 * When the file stores the array's own type (float32 data for a float32 array) the operating
 * system copies the bytes straight into the array: one copy, no Java loop, nothing on the heap.
 * Otherwise (float16, bfloat16, or the other float width) a piece at a time is read into a small
 * native array of the stored type and converted by ND4J's cast, then copied into place in bulk.
 * Assumes a little-endian machine, as the files are (the caller checks).
 */
final class FileRead {
    /** Entries converted per piece: 16 MB of float32 at most in temporaries. */
    static final int PIECE = 1 << 22;
    /** Entries per read straight into the array (ByteBuffers are indexed by int). */
    private static final long DIRECT = 1L << 28;

    private FileRead() {}

    static NdDense read(FileChannel file, long[] positions, long run, Stored stored, long[] shape, DType dtype) throws IOException {
        long n = Math.multiplyExact(run, (long) positions.length);
        NdDense result = NdDense.allocate(shape, n, dtype);
        try {
            Pointer data = result.data();
            boolean same = stored.isLayoutOf(dtype);
            if (same) {
                inParallel(file, positions, run, data);
            } else {
                converted(file, positions, run, stored, data, n);
            }
        } catch (IOException | RuntimeException | Error e) {
            result.release();
            throw e;
        }
        return result;
    }

    /**
     * The runs read as they are, in pieces of at most {@link #PIECE} entries taken in turn by the
     * calling thread and {@link NativeFill}'s helpers: most of a read's time is the kernel's first
     * touch of the array's new pages, which the processors can do side by side.
     */
    private static void inParallel(FileChannel file, long[] positions, long run, Pointer data) throws IOException {
        int width = data instanceof DoublePointer ? Double.BYTES : Float.BYTES;
        java.util.List<long[]> pieces = new java.util.ArrayList<>(); // {file position, first entry, entries}
        for (int k = 0; k < positions.length; k++) {
            for (long done = 0; done < run; done += PIECE) pieces.add(new long[] {positions[k] + done * width, k * run + done, Math.min(PIECE, run - done)});
        }
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Runnable work = () -> {
            for (int j; failure.get() == null && (j = next.getAndIncrement()) < pieces.size(); ) {
                long[] p = pieces.get(j);
                try {
                    direct(file, p[0], data, p[1], p[2]);
                } catch (IOException | RuntimeException | Error e) {
                    failure.compareAndSet(null, e);
                }
            }
        };
        java.util.List<java.util.concurrent.Future<?>> helpers = new java.util.ArrayList<>();
        if (NativeFill.POOL != null && pieces.size() > 1) {
            for (int k = 0; k < Math.min(NativeFill.HELPERS, pieces.size() - 1); k++) helpers.add(NativeFill.POOL.submit(work));
        }
        work.run();
        // The memory must not be given back while a helper still writes into it.
        for (java.util.concurrent.Future<?> f : helpers) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // keep waiting; the interrupt stays set
                } catch (java.util.concurrent.ExecutionException e) {
                    failure.compareAndSet(null, e.getCause());
                    break;
                }
            }
        }
        Throwable t = failure.get();
        if (t instanceof IOException e) throw e;
        if (t instanceof RuntimeException e) throw e;
        if (t instanceof Error e) throw e;
    }

    /** {@code count} entries from the file at byte {@code position} into entries {@code at...} of {@code data}, as they are. */
    private static void direct(FileChannel file, long position, Pointer data, long at, long count) throws IOException {
        int width = data instanceof DoublePointer ? Double.BYTES : Float.BYTES;
        for (long done = 0; done < count; done += DIRECT) {
            long len = Math.min(DIRECT, count - done);
            Pointer view = data instanceof DoublePointer d ? new DoublePointer(d) : new FloatPointer((FloatPointer) data);
            view.position(at + done).limit(at + done + len);
            Backend.readFully(file, position + done * width, view.asByteBuffer());
        }
    }

    /**
     * The runs converted from {@code stored} to the array's type by ND4J: gathered a piece of at
     * most {@link #PIECE} entries at a time (many short runs, a layer's columns, make one piece)
     * into a native array of the stored type, cast, and copied into place in bulk.
     */
    private static void converted(FileChannel file, long[] positions, long run, Stored stored, Pointer data, long n) throws IOException {
        DataType from = switch (stored) {
            case F64 -> DataType.DOUBLE;
            case F32 -> DataType.FLOAT;
            case F16 -> DataType.HALF;
            case BF16 -> DataType.BFLOAT16;
        };
        boolean f64 = data instanceof DoublePointer;
        DataType to = f64 ? DataType.DOUBLE : DataType.FLOAT;
        int capacity = (int) Math.min(PIECE, n);
        INDArray piece = Nd4j.createUninitialized(from, new long[] {capacity}, 'c');
        ByteBuffer bytes = piece.data().asNio().order(ByteOrder.LITTLE_ENDIAN);
        int filled = 0;
        long at = 0; // the array's entry the piece starts at
        for (long position : positions) {
            for (long done = 0; done < run; ) {
                int take = (int) Math.min(run - done, capacity - filled);
                bytes.limit((filled + take) * stored.width).position(filled * stored.width);
                Backend.readFully(file, position + done * stored.width, bytes);
                filled += take;
                done += take;
                if (filled == capacity) {
                    flush(piece, filled, to, data, at, f64);
                    at += filled;
                    filled = 0;
                }
            }
        }
        if (filled > 0) flush(piece, filled, to, data, at, f64);
        if (piece.closeable()) piece.close();
    }

    /** The first {@code count} entries of {@code piece}, cast to {@code to}, into entries {@code at...} of {@code data}. */
    private static void flush(INDArray piece, int count, DataType to, Pointer data, long at, boolean f64) {
        INDArray part = count == piece.length() ? piece : piece.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, count));
        INDArray cast = part.castTo(to);
        if (cast.isView() || cast.offset() != 0) cast = cast.dup('c');
        ByteBuffer out = cast.data().asNio().order(ByteOrder.nativeOrder());
        Pointer view = f64 ? new DoublePointer(data) : new FloatPointer((FloatPointer) data);
        view.position(at).limit(at + count);
        if (f64) ((DoubleBuffer) NdDense.view(view)).put(out.asDoubleBuffer().limit(count));
        else ((FloatBuffer) NdDense.view(view)).put(out.asFloatBuffer().limit(count));
        if (cast.closeable()) cast.close();
    }
}
