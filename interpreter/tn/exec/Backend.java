package tn.exec;

import java.util.List;
import tn.plan.Plan;

/**
 * The numeric engine behind tn. The interpreter never touches ND4J directly; it goes through
 * this interface, so commands that need no numbers never load the native library, and tests can
 * compare the real backend against a plain-Java reference.
 *
 * <p>Conventions: arrays are row-major; axes are numbered from 0; no operation mutates its
 * arguments; results of mixed dtypes are promoted ({@link DType#promote}).
 */
public interface Backend {

    // ---- creation and transfer -------------------------------------------------------------

    /** A new array with the given row-major data. {@code data.length} equals the product of shape. */
    Dense fromDoubles(double[] data, long[] shape, DType dtype);

    /** The row-major contents as doubles (a copy). */
    double[] toDoubles(Dense x);

    /**
     * Entries {@code [from, from + count)} of the row-major contents, as doubles, into {@code into}:
     * a bounded copy, for walking a large tensor in chunks (saving, printing).
     */
    default void copyDoubles(Dense x, long from, double[] into, int count) {
        System.arraycopy(toDoubles(x), Math.toIntExact(from), into, 0, count);
    }

    /** A copy converted to {@code dtype} (or x itself when it already has that type). */
    Dense cast(Dense x, DType dtype);

    /** An array of the shape filled with {@code value}. */
    Dense full(long[] shape, double value, DType dtype);

    /**
     * Entries of an array computed by position: {@link #compute} writes the entries at row-major
     * positions {@code from} to {@code from + n - 1} into {@code out[0..n)}. It may be called from
     * several threads at once, for different positions, and must give the same entries whichever
     * pieces it is asked for.
     */
    @FunctionalInterface
    interface Entries {
        void compute(long from, double[] out, int n);
    }

    /**
     * A new array whose entries {@code entries} computes piece by piece (on several threads where
     * that pays), written straight into the array's memory in its dtype: no copy of the whole
     * array as doubles is ever made.
     *
     * @throws java.util.concurrent.CancellationException when the calling thread is interrupted
     *     meanwhile; nothing is kept, and the interrupt stays set
     */
    default Dense generate(long[] shape, DType dtype, Entries entries) {
        long n = 1;
        for (long s : shape) n = Math.multiplyExact(n, s);
        double[] data = new double[Math.toIntExact(n)];
        int chunk = 1 << 16;
        for (int from = 0; from < data.length; from += chunk) {
            if (Thread.currentThread().isInterrupted()) throw new java.util.concurrent.CancellationException("interrupted");
            int len = Math.min(chunk, data.length - from);
            double[] part = new double[len];
            entries.compute(from, part, len);
            System.arraycopy(part, 0, data, from, len);
        }
        return fromDoubles(data, shape, dtype);
    }

    /**
     * The one-hot matrix [columns.length, width]: row k is 1 at column {@code columns[k]} and 0
     * elsewhere (all 0 when it is -1). A backend may return an array that knows this
     * ({@link Dense#oneHotColumns}), so contractions with it pick rows instead of multiplying.
     */
    default Dense oneHot(int[] columns, long width, DType dtype) {
        return generate(new long[] {columns.length, width}, dtype, oneHotEntries(columns, width));
    }

    /** The entries of {@link #oneHot}, for {@link #generate}. */
    static Entries oneHotEntries(int[] columns, long width) {
        return (from, out, n) -> {
            for (int i = 0; i < n; i++) {
                long p = from + i;
                out[i] = columns[(int) (p / width)] == p % width ? 1 : 0;
            }
        };
    }

    /**
     * A new array of the shape whose row-major entries are read from {@code file}: runs of
     * {@code run} entries stored as {@code stored}, the k-th starting at byte {@code positions[k]}
     * (so one tensor of a file is one run, a layer-stacked weight one run per layer, and a block of
     * columns one run per row). Positions must lie within the file (the caller checked its header).
     * A backend reads into the array's memory in bulk; this default decodes through doubles.
     */
    default Dense read(java.nio.channels.FileChannel file, long[] positions, long run, Stored stored, long[] shape, DType dtype)
            throws java.io.IOException {
        int n = Math.toIntExact(Math.multiplyExact(run, (long) positions.length));
        double[] data = new double[n];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(Math.toIntExact(run * stored.width)).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < positions.length; k++) {
            b.clear();
            readFully(file, positions[k], b);
            b.flip();
            for (int i = 0; i < run; i++) data[(int) (k * run + i)] = stored.decode(b);
        }
        return fromDoubles(data, shape, dtype);
    }

    /**
     * The {@code shape}'s entries stored as {@code stored} in {@code file} from byte
     * {@code position} on, as an array over the file's mapped memory: nothing read or copied until
     * used, the pages shared with the operating system's cache (as Hugging Face and numpy's
     * memory maps do). Null when this backend cannot map them (the stored type is not the
     * array's, the file is not open for a private mapping, the region is too large for one
     * mapping): then {@link #read} them. The mapping is private: nothing is ever written to the
     * file, and it outlives the channel.
     */
    default Dense mapped(java.nio.channels.FileChannel file, long position, Stored stored, long[] shape, DType dtype) throws java.io.IOException {
        return null;
    }

    /**
     * An array of {@code shape} stacked over its first axis from slices made on demand:
     * {@code layer.apply(k)} gives slice k ({@code shape} with a first axis of 1, the same dtype).
     * A backend may make each slice only when it is taken ({@link #take} on axis 0) and the whole
     * only when an operation needs it; this default makes the whole at once.
     */
    default Dense stack(long[] shape, DType dtype, java.util.function.IntFunction<Dense> layer) {
        int layers = Math.toIntExact(shape[0]);
        Dense[] parts = new Dense[layers];
        for (int k = 0; k < layers; k++) parts[k] = layer.apply(k);
        long n = 1;
        for (long x : shape) n *= x;
        long each = n / layers;
        return generate(shape, dtype, (from, out, count) -> {
            double[] piece = new double[count];
            for (int done = 0; done < count; ) {
                long at = from + done;
                int k = (int) (at / each);
                int take = (int) Math.min(count - done, each - at % each);
                copyDoubles(parts[k], at % each, piece, take);
                System.arraycopy(piece, 0, out, done, take);
                done += take;
            }
        });
    }

    /**
     * The array of {@code shape} whose entry (i0, .., ik) is entry {@code offset + i0 * steps[0] +
     * .. + ik * steps[k]} of {@code x}'s row-major entries (every such entry inside x): a view
     * that contractions read in place where the backend keeps views (GPT-2's W_Q as columns of
     * c_attn), else a copy, as this default makes.
     */
    default Dense strided(Dense x, long offset, long[] shape, long[] steps) {
        double[] all = toDoubles(x);
        long n = 1;
        for (long d : shape) n *= d;
        double[] out = new double[Math.toIntExact(n)];
        Strided.gather(java.nio.DoubleBuffer.wrap(all), offset, shape, steps, java.nio.DoubleBuffer.wrap(out));
        return fromDoubles(out, shape, x.dtype());
    }

    /** Fills {@code into} from the file at {@code position}; an early end of the file is an EOFException. */
    static void readFully(java.nio.channels.FileChannel file, long position, java.nio.ByteBuffer into) throws java.io.IOException {
        long at = position;
        while (into.hasRemaining()) {
            int got = file.read(into, at);
            if (got < 0) throw new java.io.EOFException("the file ended at byte " + at);
            at += got;
        }
    }

    /**
     * Gives back the memory of {@code x} now rather than when it becomes unreachable: for
     * temporaries whose size matters (a weight before its layout is changed). Neither {@code x}
     * nor anything made from it without a copy (a reshape) may be used afterwards.
     */
    default void release(Dense x) {}

    // ---- contraction -----------------------------------------------------------------------

    /**
     * Contracts a whole network following {@code plan}. {@code operands.get(k)} is input k of
     * {@code plan.network()}; its axes carry the leg ids {@code network.inputs().get(k)} in order
     * (an input may repeat a leg: that is a diagonal/trace taken before anything else). The result
     * has the axes {@code network.output()} in that order.
     */
    Dense contract(Plan plan, List<Dense> operands);

    // ---- shape -----------------------------------------------------------------------------

    /** The entries with {@code axis} fixed at {@code index}; the axis stays, with size 1. */
    Dense take(Dense x, int axis, long index);

    /** Axis k of the result is axis {@code perm[k]} of x. */
    Dense permute(Dense x, int[] perm);

    /** Row-major reshape (the number of elements is unchanged). */
    Dense reshape(Dense x, long[] shape);

    /**
     * Inserts {@code copies} new axes right after {@code axis}, each of the same size as
     * {@code axis}, holding x on the generalised diagonal and zero elsewhere
     * (for a vector and copies = 1: the diagonal matrix of the vector).
     */
    Dense expandDiagonal(Dense x, int axis, int copies);

    // ---- arithmetic ------------------------------------------------------------------------

    /** Refuses a term whose shape is not the trailing axes of {@code shape} ({@link #linearCombination(List, double[], long[])}). */
    static void checkSuffixes(List<Dense> terms, long[] shape) {
        for (Dense t : terms) {
            long[] s = t.shape();
            boolean suffix = s.length <= shape.length;
            for (int k = 0; suffix && k < s.length; k++) suffix = s[k] == shape[shape.length - s.length + k];
            if (!suffix) throw new IllegalArgumentException("a term of shape " + java.util.Arrays.toString(s) + " in a sum of shape " + java.util.Arrays.toString(shape));
        }
    }

    /** sum_k coefficients[k] * terms[k]; all terms have the same shape. */
    Dense linearCombination(List<Dense> terms, double[] coefficients);

    /**
     * sum_k coefficients[k] * terms[k] of {@code shape}, each term's shape a suffix of it (the
     * trailing axes): a shorter term is repeated along the leading axes (a bias added to every
     * position), the same numbers as if it were formed at the full size, in the terms' order.
     * This default forms the repetitions; a backend may read them in place.
     */
    default Dense linearCombination(List<Dense> terms, double[] coefficients, long[] shape) {
        checkSuffixes(terms, shape);
        long n = 1;
        for (long d : shape) n *= d;
        List<Dense> full = new java.util.ArrayList<>();
        for (Dense t : terms) {
            if (t.length() == n) {
                full.add(t.rank() == shape.length ? t : reshape(t, shape));
                continue;
            }
            double[] entries = toDoubles(t);
            full.add(generate(shape, t.dtype(), (from, out, count) -> {
                for (int i = 0; i < count; i++) out[i] = entries[(int) ((from + i) % entries.length)];
            }));
        }
        return linearCombination(full, coefficients);
    }

    /** Elementwise function; {@code parameter} is the exponent for POW, unused otherwise. */
    Dense map(Dense x, Elementwise fn, double parameter);

    /** Reduces the given axes away (the result keeps the other axes in order). */
    Dense reduce(Dense x, int[] axes, Reduction op);

    /** Softmax jointly over the given axes (they are normalised to sum to 1). */
    Dense softmax(Dense x, int[] axes);

    /** (x - mean) / sqrt(var + eps) with mean and (biased) variance over the given axes. */
    Dense layerNorm(Dense x, int[] axes, double eps);

    // ---- matrix factorisations --------------------------------------------------------------
    // Inputs are matrices [m, n] of either dtype, factorised in float64; results are float64. A
    // failure (no convergence) is an ArithmeticException. Signs and orders are whatever the library
    // gives: tn.linalg.Factorizations normalises them, so every backend agrees. A backend may take
    // complex matrices (ComplexDense) too: then U, V, Q, R and eigenvectors are complex128, singular
    // values and the eigenvalues of eigh real float64, and every ^T below is the plain transpose
    // (^H for eigh's vectors); one that cannot throws IllegalArgumentException.

    /** Thin SVD, k = min(m, n): {U [m, k], S [k] descending, V [n, k]} with M = U diag(S) V^T. */
    Dense[] svd(Dense matrix);

    /** The singular values alone, S [k] descending (a backend can skip computing U and V). */
    default Dense svdvals(Dense matrix) {
        return svd(matrix)[1];
    }

    /** Thin QR, k = min(m, n): {Q [m, k] with orthonormal columns, R [k, n] upper triangular}. */
    Dense[] qr(Dense matrix);

    /** Eigen-decomposition of a symmetric [n, n] matrix: {values [n], vectors [n, n] as columns}. */
    Dense[] eigh(Dense matrix);

    /**
     * Eigenvalues and eigenvectors of a general [n, n] matrix:
     * {values real [n], values imaginary [n], vectors real [n, n], vectors imaginary [n, n]} (columns).
     */
    Dense[] eig(Dense matrix);

    /**
     * Elementwise functions a bubble can apply. The last five are derivatives, for the networks
     * of tn.net.Derivative: STEP = relu' (0 at 0, as torch), SIGN = abs', and gelu', tanh',
     * sigmoid' computed directly (one pass, no cancellation of 1 - tanh^2 built from pieces).
     */
    enum Elementwise {
        RELU, GELU, TANH, SIGMOID, EXP, LOG, SQRT, ABS, POW, NEG, STEP, SIGN, GELU_GRAD, TANH_GRAD, SIGMOID_GRAD;
    }

    /** Reductions over named legs. NORM is the 2-norm (sqrt of the sum of squares). */
    enum Reduction {
        SUM, MEAN, MAX, MIN, NORM;
    }
}
