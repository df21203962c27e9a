package tn.interp;

/**
 * The random numbers behind `random` and `uniform`: SplitMix64 (a fixed, portable generator) and
 * Box-Muller with StrictMath, so the same seed gives bit-identical tensors on every machine and
 * every Java version.
 */
public final class Rng {
    private long state;

    public Rng(long seed) {
        this.state = seed;
    }

    long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, 1) with 53 random bits. */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** n standard normal numbers. */
    public double[] normal(int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i += 2) {
            double u1 = 1.0 - nextDouble(); // in (0, 1]: log is finite
            double u2 = nextDouble();
            double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
            out[i] = r * StrictMath.cos(2 * StrictMath.PI * u2);
            if (i + 1 < n) out[i + 1] = r * StrictMath.sin(2 * StrictMath.PI * u2);
        }
        return out;
    }

    public double[] uniform(int n, double low, double high) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) out[i] = low + (high - low) * nextDouble();
        return out;
    }
}
