package tn.exec.nd4j;

import java.nio.Buffer;
import java.util.IdentityHashMap;
import java.util.Map;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.indexer.DoubleIndexer;
import org.bytedeco.javacpp.indexer.FloatIndexer;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tn.exec.BufferContractor;

/**
 * The memory of one contraction on native buffers: temporaries are malloc'd and freed as soon as
 * the contractor gives them back (so the C allocator hands the same, already mapped pages to the
 * next step and the next contraction, instead of the garbage collector freeing them some time
 * later), and the output is a new ND4J array that the contractor writes into. {@link #close}
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
     * A new array around memory allocated here: ND4J's own allocation fills the memory first
     * (8 ms for 64 MB on this VM, against 0.1 ms), and the contractor overwrites it anyway. The
     * array's buffer holds the pointer, so the memory lives as long as the array.
     */
    @Override
    public Buffer output(int n) {
        DataType type = f64 ? DataType.DOUBLE : DataType.FLOAT;
        if (outputShape.length == 0 || n == 0) {
            output = outputShape.length == 0 ? Nd4j.scalar(type, 0.0) : Nd4j.createUninitialized(type, outputShape, 'c');
            return NdDense.buffer(output);
        }
        DataBuffer data;
        Buffer view;
        if (f64) {
            DoublePointer p = new DoublePointer(n);
            data = Nd4j.createBuffer(p, type, n, DoubleIndexer.create(p));
            view = p.asBuffer();
            owned = p;
        } else {
            FloatPointer p = new FloatPointer(n);
            data = Nd4j.createBuffer(p, type, n, FloatIndexer.create(p));
            view = p.asBuffer();
            owned = p;
        }
        output = Nd4j.create(data, outputShape, Nd4j.getStrides(outputShape, 'c'), 0, 'c');
        return view;
    }

    /** The output (after the contraction asked for it). */
    NdDense result(tn.exec.DType dtype) {
        return new NdDense(output, dtype, owned);
    }

    @Override
    public void close() {
        for (Pointer p : live.values()) Pointer.free(p);
        live.clear();
    }
}
