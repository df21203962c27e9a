package tn.exec.nd4j;

import java.util.Arrays;
import tn.exec.DType;
import tn.exec.Dense;

/**
 * A strided view of a value's native memory ({@link tn.exec.Backend#strided}): entry
 * (i0, .., ik) is entry {@code offset + i0 * steps[0] + .. + ik * steps[k]} of the base's
 * row-major entries. Contractions read it where it lies, so a product needs no copy when each
 * group of axes it multiplies over lies at one step (GPT-2's W_Q, W_K and W_V are columns of the
 * file's c_attn [d_model, 3 * d_model]: read in place at a leading dimension of 3 * d_model). Taking
 * a slice, permuting, and adding or dropping axes of size 1 give views too; every other
 * operation gets a row-major copy ({@link Nd4jBackend#nd}), so none of them sees the strides.
 * Nothing writes into a view or its base.
 */
final class NdView implements Dense {
    private final NdDense base;
    private final long offset;
    private final long[] shape;
    private final long[] steps;

    private NdView(NdDense base, long offset, long[] shape, long[] steps) {
        this.base = base;
        this.offset = offset;
        this.shape = shape;
        this.steps = steps;
    }

    /**
     * The view of {@code base} at {@code offset} with those steps; null when the base is not tn's
     * own native memory, is too large to index by int, or the view reaches outside it (the caller
     * copies instead).
     */
    static NdView of(NdDense base, long offset, long[] shape, long[] steps) {
        if (shape.length != steps.length || base.data() == null || base.length() > Integer.MAX_VALUE - 16 || offset < 0) return null;
        long last = offset;
        for (int k = 0; k < shape.length; k++) {
            if (shape[k] <= 0 || steps[k] < 0) return null;
            last += (shape[k] - 1) * steps[k];
        }
        if (last >= base.length()) return null;
        base.markShared(); // the view reads the base's memory: releasing the base must not free it
        return new NdView(base, offset, shape.clone(), steps.clone());
    }

    /** The base's entries (its own memory, so always of the view's dtype), and the object to keep reachable while they are read. */
    NdDense.Read baseEntries() {
        return base.read(Nd4jBackend.type(base.dtype()));
    }

    long offset() {
        return offset;
    }

    long[] steps() {
        return steps.clone();
    }

    /** The entries as a new row-major array. */
    NdDense copy() {
        return Nd4jBackend.gathered(base, offset, shape, steps);
    }

    /** Slice {@code index} of {@code axis}, kept with size 1. */
    NdView take(int axis, long index) {
        long[] s = shape.clone();
        s[axis] = 1;
        return new NdView(base, offset + index * steps[axis], s, steps);
    }

    /** The axes in the order {@code perm} (axis k of the result is axis perm[k] of this). */
    NdView permute(int[] perm) {
        long[] s = new long[perm.length], st = new long[perm.length];
        for (int k = 0; k < perm.length; k++) {
            s[k] = shape[perm[k]];
            st[k] = steps[perm[k]];
        }
        return new NdView(base, offset, s, st);
    }

    /** The same entries in {@code to}, when it only adds or drops axes of size 1 (else null: a copy is reshaped). */
    NdView reshape(long[] to) {
        long[] st = new long[to.length];
        int k = 0;
        for (int j = 0; j < to.length; j++) {
            if (to[j] == 1) continue; // a new or kept axis of size 1: any step reads the same entry
            while (k < shape.length && shape[k] == 1) k++;
            if (k == shape.length || shape[k] != to[j]) return null;
            st[j] = steps[k++];
        }
        while (k < shape.length && shape[k] == 1) k++;
        return k == shape.length ? new NdView(base, offset, to.clone(), st) : null;
    }

    @Override public long[] shape() { return shape.clone(); }

    @Override public DType dtype() { return base.dtype(); }

    @Override public String toString() {
        return "NdView" + Arrays.toString(shape) + " " + dtype() + " at " + offset + " steps " + Arrays.toString(steps);
    }
}
