package tn.exec.nd4j;

import java.util.function.IntFunction;
import tn.exec.DType;
import tn.exec.Dense;

/**
 * A weight stacked over its first axis (a model's layers) whose slices are made when first
 * asked for ({@link tn.exec.Backend#stack}): picking one layer ({@code take} on axis 0) costs
 * that layer only, often nothing (a slice that is a file's mapped memory), and the whole stack is
 * copied together only when an operation needs it whole, once. So a loaded model is ready as
 * soon as its files are mapped, as Hugging Face's are, and a forward pass that picks each
 * layer's weights never copies them.
 */
final class NdStack implements Dense {
    private final long[] shape;
    private final DType dtype;
    private final IntFunction<Dense> layer;
    /** The slices made so far, [1, rest...] each (row-major, or a strided view: {@link NdView}); dropped once {@link #whole} exists. */
    private Dense[] layers;
    private NdDense whole;

    NdStack(long[] shape, DType dtype, IntFunction<Dense> layer) {
        if (shape.length == 0 || shape[0] < 1) throw new IllegalArgumentException("a stack needs a first axis");
        this.shape = shape.clone();
        this.dtype = dtype;
        this.layer = layer;
        this.layers = new Dense[(int) shape[0]];
    }

    /** Slice {@code k} of the first axis, shape [1, rest...]: made (and kept) on first use. */
    synchronized Dense layer(int k) {
        long[] one = shape.clone();
        one[0] = 1;
        long each = length() / shape[0];
        if (whole != null) {
            NdDense s = whole.share(k * each, one);
            return s != null ? s : Nd4jBackend.copySlice(whole, 0, k);
        }
        Dense made = layers[k];
        if (made == null) {
            Dense d = layer.apply(k);
            if (d.length() != each || d.dtype() != dtype) {
                throw new IllegalStateException("layer " + k + " of a stack of " + java.util.Arrays.toString(shape) + " " + dtype + " came as "
                        + java.util.Arrays.toString(d.shape()) + " " + d.dtype());
            }
            NdView view = d instanceof NdView v ? v.reshape(one) : null;
            if (view != null) {
                made = view;
            } else {
                NdDense nd = Nd4jBackend.nd(d);
                NdDense shaped = nd.share(0, one);
                made = shaped != null ? shaped : new NdDense(nd.array().reshape('c', one), dtype);
            }
            layers[k] = made;
        }
        return made;
    }

    /** The whole stack as one array: every slice copied into place once, then kept. */
    synchronized NdDense whole() {
        if (whole != null) return whole;
        long n = length(), each = n / shape[0];
        NdDense out = NdDense.allocate(shape, n, dtype);
        java.nio.Buffer dst = out.ownBuffer(Nd4jBackend.type(dtype));
        for (int k = 0; k < shape[0]; k++) {
            NdDense s = Nd4jBackend.nd(layer(k));
            NdDense.Read read = s.read(Nd4jBackend.type(dtype));
            Object holder = read.holder();
            java.nio.Buffer src = read.buffer();
            if (dst instanceof java.nio.DoubleBuffer d) d.put((int) (k * each), (java.nio.DoubleBuffer) src, 0, (int) each);
            else ((java.nio.FloatBuffer) dst).put((int) (k * each), (java.nio.FloatBuffer) src, 0, (int) each);
            java.lang.ref.Reference.reachabilityFence(holder);
        }
        whole = out;
        layers = null;
        return out;
    }

    @Override public long[] shape() { return shape.clone(); }

    @Override public DType dtype() { return dtype; }

    @Override public String toString() {
        return "NdStack" + java.util.Arrays.toString(shape) + " " + dtype;
    }
}
