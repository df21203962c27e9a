package tn.exec.nd4j;

import java.nio.Buffer;
import java.util.IdentityHashMap;
import java.util.Map;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tn.exec.BufferContractor;

/**
 * The memory of one contraction on native buffers: temporaries are malloc'd and freed as soon as
 * the contractor gives them back (so the C allocator hands the same, already mapped pages to the
 * next step and the next contraction, instead of the garbage collector freeing them some time
 * later), and the output is new native memory that becomes the result's value. {@link #close}
 * frees whatever an interrupted contraction did not give back.
 */
final class NativeMemory implements BufferContractor.Memory, AutoCloseable {
    private final boolean f64;
    private final long[] outputShape;
    private final Map<Buffer, Pointer> live = new IdentityHashMap<>();
    private INDArray output;
    private Pointer owned;

    NativeMemory(boolean f64, long[] outputShape) {
        this.f64 = f64;
        this.outputShape = outputShape;
    }

    @Override
    public Buffer allocate(int n) {
        long bytes = Math.max(1L, n) * (f64 ? Double.BYTES : Float.BYTES);
        Pointer p = Pointer.malloc(bytes);
        if (p == null || p.isNull()) throw new OutOfMemoryError("native memory: cannot allocate " + bytes + " bytes for an intermediate");
        Buffer b = f64 ? new DoublePointer(p).capacity(Math.max(1, n)).asBuffer() : new FloatPointer(p).capacity(Math.max(1, n)).asBuffer();
        live.put(b, p);
        return b;
    }

    @Override
    public void release(Buffer b) {
        Pointer p = live.remove(b);
        if (p != null) Pointer.free(p);
    }

    /**
     * The output: native memory allocated here, handed out as a value of its own (an ND4J array
     * only for a scalar or an empty output). ND4J's own allocation would fill the memory first
     * (8 ms for 64 MB on this VM, against 0.1 ms), and the contractor overwrites it anyway. The
     * pointer frees the memory when the value is dropped (or {@link NdDense#release}d).
     */
    @Override
    public Buffer output(int n) {
        DataType type = f64 ? DataType.DOUBLE : DataType.FLOAT;
        if (outputShape.length == 0 || n == 0) {
            output = outputShape.length == 0 ? Nd4j.scalar(type, 0.0) : Nd4j.createUninitialized(type, outputShape, 'c');
            return NdDense.buffer(output);
        }
        owned = f64 ? new DoublePointer(n) : new FloatPointer(n);
        return f64 ? ((DoublePointer) owned).asBuffer() : ((FloatPointer) owned).asBuffer();
    }

    /** The output (after the contraction asked for it). */
    NdDense result(tn.exec.DType dtype) {
        return owned != null ? new NdDense(owned, outputShape, dtype) : new NdDense(output, dtype);
    }

    @Override
    public void close() {
        for (Pointer p : live.values()) Pointer.free(p);
        live.clear();
    }
}
