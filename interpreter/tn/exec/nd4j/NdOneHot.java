package tn.exec.nd4j;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import tn.exec.DType;
import tn.exec.Dense;

/**
 * A one-hot matrix [rows, width] ({@link tn.exec.Backend#oneHot}) kept as its columns alone: a
 * contraction that picks rows through it (the token embedding: onehot(ids) W_E) never needs its
 * entries, so they are written out only when some other operation asks ({@link #entries}). A
 * GPT-2 forward's [64, 50257] embedding input was 12.9 MB allocated and cleared per forward.
 */
final class NdOneHot implements Dense {
    private final int[] columns;
    private final long width;
    private final DType dtype;
    private NdDense entries;

    NdOneHot(int[] columns, long width, DType dtype) {
        this.columns = columns.clone();
        this.width = width;
        this.dtype = dtype;
    }

    /**
     * The matrix written out (once, then kept): zeros by a memset and one store per row, marked
     * as one-hot too.
     */
    synchronized NdDense entries() {
        if (entries != null) return entries;
        long n = Math.multiplyExact((long) columns.length, width);
        NdDense out = NdDense.allocate(new long[] {columns.length, width}, n, dtype);
        Pointer p = out.data();
        Pointer.memset(p, 0, n * dtype.bytes());
        for (int r = 0; r < columns.length; r++) {
            if (columns[r] < 0) continue;
            long at = r * width + columns[r];
            if (p instanceof FloatPointer f) f.put(at, 1f);
            else ((DoublePointer) p).put(at, 1.0);
        }
        return entries = out.asOneHot(columns);
    }

    /** Whether the entries have been written out (tests). */
    synchronized boolean written() {
        return entries != null;
    }

    @Override public long[] shape() { return new long[] {columns.length, width}; }

    @Override public DType dtype() { return dtype; }

    @Override public int[] oneHotColumns() { return columns.clone(); }

    @Override public String toString() {
        return "NdOneHot[" + columns.length + ", " + width + "] " + dtype;
    }
}
