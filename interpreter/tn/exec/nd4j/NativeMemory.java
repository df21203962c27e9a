package tn.exec.nd4j;

import java.nio.Buffer;
import java.util.IdentityHashMap;
import java.util.Map;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tn.exec.BufferContractor;
import tn.exec.DType;

/**
 * The memory of one contraction on native buffers: temporaries are malloc'd (large ones taken
 * from the {@link BlockPool}) and freed or given back as soon as the contractor is done with them
 * (so the next step and the next contraction get the same, already mapped pages, instead of the
 * garbage collector freeing them some time later), and the output is native memory that becomes
 * the result's value. {@link #close} frees whatever an interrupted contraction did not give back.
 */
final class NativeMemory implements BufferContractor.Memory, AutoCloseable {
    private final DType dtype;
    private final boolean f64;
    private final long[] outputShape;
    private final Map<Buffer, Pointer> live = new IdentityHashMap<>();
    private INDArray output;
    private NdDense result;

    NativeMemory(DType dtype, long[] outputShape) {
        this.dtype = dtype;
        this.f64 = dtype == DType.FLOAT64;
        this.outputShape = outputShape;
    }

    @Override
    public Buffer allocate(int n) {
        long bytes = Math.max(1L, n) * (f64 ? Double.BYTES : Float.BYTES);
        Pointer p = bytes >= BlockPool.MIN_BYTES ? BlockPool.take(bytes) : Pointer.malloc(bytes);
        if (p == null || p.isNull()) throw new OutOfMemoryError("native memory: cannot allocate " + bytes + " bytes for an intermediate");
        Buffer b = typed(p, Math.max(1, n)).asBuffer();
        live.put(b, p);
        return b;
    }

    @Override
    public void release(Buffer b) {
        Pointer p = live.remove(b);
        if (p != null) free(p);
    }

    private static void free(Pointer p) {
        if (p instanceof BytePointer block) BlockPool.give(block);
        else Pointer.free(p);
    }

    /** A {@link FloatPointer} or {@link DoublePointer} (by this memory's type) of {@code n} entries at {@code p}'s address. */
    private Pointer typed(Pointer p, long n) {
        return f64 ? new DoublePointer(p).capacity(n).limit(n) : new FloatPointer(p).capacity(n).limit(n);
    }

    /**
     * The output: native memory handed out as a value of its own (an ND4J array only for a
     * scalar or an empty output), from the {@link BlockPool} when large. ND4J's own allocation
     * would fill the memory first (8 ms for 64 MB on this VM, against 0.1 ms), and the contractor
     * overwrites it anyway. The memory is freed or given back when the value is released or
     * becomes unreachable.
     */
    @Override
    public Buffer output(int n) {
        DataType type = f64 ? DataType.DOUBLE : DataType.FLOAT;
        if (outputShape.length == 0 || n == 0) {
            output = outputShape.length == 0 ? Nd4j.scalar(type, 0.0) : Nd4j.createUninitialized(type, outputShape, 'c');
            return NdDense.buffer(output);
        }
        long bytes = (long) n * (f64 ? Double.BYTES : Float.BYTES);
        Collector.allocated(bytes);
        if (bytes >= BlockPool.MIN_BYTES) {
            BytePointer block = BlockPool.take(bytes);
            Pointer data = typed(block, n);
            result = new NdDense(data, BlockPool.giveWhenUnreachable(data, block)::clean, outputShape, dtype);
            return NdDense.view(data);
        }
        Pointer data = f64 ? new DoublePointer(n) : new FloatPointer(n);
        result = new NdDense(data, data::deallocate, outputShape, dtype);
        return NdDense.view(data);
    }

    /** The output (after the contraction asked for it). */
    NdDense result() {
        return result != null ? result : new NdDense(output, dtype);
    }

    @Override
    public void close() {
        for (Pointer p : live.values()) free(p);
        live.clear();
    }
}
