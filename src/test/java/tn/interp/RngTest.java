package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The generator behind random() and uniform(): an explicit seed gives exactly the numbers it gave
 * before tn computed them in parallel with its own log/sin/cos (the oracle is the plain sequential
 * SplitMix64 + Box-Muller with StrictMath, written out here); any stretch of a stream equals the
 * same stretch of one sequential pass.
 */
class RngTest {
    /** The reference: SplitMix64 stepped one number at a time, Box-Muller with StrictMath. */
    static final class Reference {
        private long state;

        Reference(long seed) { state = seed; }

        long nextLong() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        double nextDouble() { return (nextLong() >>> 11) * 0x1.0p-53; }

        double[] normal(int n) {
            double[] out = new double[n];
            for (int i = 0; i < n; i += 2) {
                double u1 = 1.0 - nextDouble();
                double u2 = nextDouble();
                double r = StrictMath.sqrt(-2.0 * StrictMath.log(u1));
                out[i] = r * StrictMath.cos(2 * StrictMath.PI * u2);
                if (i + 1 < n) out[i + 1] = r * StrictMath.sin(2 * StrictMath.PI * u2);
            }
            return out;
        }

        double[] uniform(int n, double low, double high) {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) out[i] = low + (high - low) * nextDouble();
            return out;
        }
    }

    static void assertSameBits(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                throw new AssertionError(what + ": entry " + i + " is " + actual[i] + ", expected " + expected[i]);
            }
        }
    }

    @Test
    void explicitSeedsGiveTheNumbersTheyAlwaysGave() {
        for (long seed : new long[] {0, 1, 2, 7, -5, 123456789, Long.MAX_VALUE, Long.MIN_VALUE}) {
            for (int n : new int[] {0, 1, 2, 3, 1000, 100_001}) {
                assertSameBits(new Reference(seed).normal(n), new Rng(seed).normal(n), "normal seed " + seed + " n " + n);
                assertSameBits(new Reference(seed).uniform(n, -1, 3), new Rng(seed).uniform(n, -1, 3), "uniform seed " + seed + " n " + n);
            }
        }
    }

    @Test
    void successiveDrawsContinueTheStream() {
        Rng rng = new Rng(42);
        Reference ref = new Reference(42);
        for (int n : new int[] {3, 4, 1, 10}) {
            assertSameBits(ref.normal(n), rng.normal(n), "normal draw of " + n);
            assertSameBits(ref.uniform(n, 0, 1), rng.uniform(n, 0, 1), "uniform draw of " + n);
        }
    }

    @Test
    void anyStretchOfAStreamIsTheSameStretchOfOneSequentialPass() {
        int n = 5001;
        double[] normal = new Reference(9).normal(n);
        double[] uniform = new Reference(9).uniform(n, 2, 5);
        SplittableRandom r = new SplittableRandom(3);
        Rng rng = new Rng(9);
        for (int t = 0; t < 300; t++) {
            int from = r.nextInt(n), len = r.nextInt(n - from + 1);
            double[] got = new double[len + 2];
            rng.normals(from, got, 1, len, 2.5);
            for (int i = 0; i < len; i++) {
                assertEquals(Double.doubleToRawLongBits(normal[from + i] * 2.5), Double.doubleToRawLongBits(got[1 + i]),
                        "normal " + (from + i) + " of a stretch from " + from);
            }
            assertEquals(0.0, got[0]);
            assertEquals(0.0, got[len + 1], "nothing written past the stretch");
            rng.uniforms(from, got, 0, len, 2, 5);
            for (int i = 0; i < len; i++) assertEquals(uniform[from + i], got[i]);
        }
    }

    /**
     * random_ids(n, high, seed=): floor(high u) of the seeded stream's uniforms (the reference),
     * every id in range, and the counts of 10^5 ids in 7 bins within a chi-square bound.
     */
    @Test
    void randomIdsAreTheSeededUniformsScaledAndEvenlySpread() {
        Scripts s = Scripts.run(new tn.exec.nd4j.Nd4jBackend(), tn.exec.DType.FLOAT64, "ids = random_ids(100000, 7, seed=11)");
        java.util.List<Value> ids = ((Value.Tuple) s.module.globals().get("ids")).items();
        Reference ref = new Reference(11);
        long[] counts = new long[7];
        for (Value v : ids) {
            long id = (long) ((Value.Num) v).value();
            assertEquals((long) Math.floor(7 * ref.nextDouble()), id);
            counts[(int) id]++;
        }
        double chi2 = 0, expected = 100000 / 7.0;
        for (long c : counts) chi2 += (c - expected) * (c - expected) / expected;
        assertTrue(chi2 < 22.46, "chi-square " + chi2 + " with 6 degrees of freedom (p = 0.001: 22.46)");
    }

    @Test
    void theScriptGammaIsTheFractionOfTheSquareRootOfThreeAndAGoodGamma() {
        BigDecimal root3 = new BigDecimal(3).sqrt(new MathContext(60));
        BigInteger fraction = root3.subtract(BigDecimal.ONE).multiply(new BigDecimal(BigInteger.ONE.shiftLeft(64))).toBigInteger();
        assertEquals(fraction.longValue(), Rng.SCRIPT_GAMMA);
        assertEquals(1, Rng.SCRIPT_GAMMA & 1, "odd: the stream visits all 2^64 states");
        assertTrue(Long.bitCount(Rng.SCRIPT_GAMMA ^ (Rng.SCRIPT_GAMMA >>> 1)) >= 24, "enough bit transitions (SplittableRandom's test)");
        // Streams with steps g and c g run alongside each other at a stride: c must not be small.
        long ratio = Rng.SCRIPT_GAMMA * inverse(Rng.GOLDEN_GAMMA);
        assertTrue(Math.abs(ratio) > (1L << 40), "the script gamma is not a small multiple of the golden gamma");
        long reverse = Rng.GOLDEN_GAMMA * inverse(Rng.SCRIPT_GAMMA);
        assertTrue(Math.abs(reverse) > (1L << 40), "nor the golden gamma a small multiple of the script gamma");
    }

    /** The inverse of an odd number modulo 2^64 (Newton's iteration). */
    static long inverse(long a) {
        long x = a;
        for (int i = 0; i < 6; i++) x *= 2 - a * x;
        assertEquals(1L, a * x);
        return x;
    }
}
