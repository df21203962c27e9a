package tn.exec.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.Buffer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.junit.jupiter.api.Test;
import tn.exec.Parallel;

/**
 * The products tn cuts over its own threads ({@link Blas#product}: large products by rows or
 * columns, batches of small ones by item) against a float64 loop over the same numbers (1e-5 of
 * the sum of the terms' sizes for float32, 1e-12 for float64) and against one OpenBLAS call of
 * the whole product (the same bound: OpenBLAS sums a narrower block in another order, so the
 * bits may differ). The same product computed with the helpers held (every chunk on the calling
 * thread) must give the same bits: which thread runs a chunk never changes a result. Every
 * transpose combination, both cut directions, float32 and float64, shapes whose cut does not fall
 * on the alignment, and two threads multiplying at once (one finds the helpers busy).
 */
class SplitProductTest {
    /** n random entries in [-1, 1) in native memory (a direct buffer), float64 or float32. */
    static Buffer random(int n, long seed, boolean f64) {
        SplittableRandom rnd = new SplittableRandom(seed);
        ByteBuffer bytes = ByteBuffer.allocateDirect(n * (f64 ? 8 : 4)).order(ByteOrder.nativeOrder());
        if (f64) {
            DoubleBuffer d = bytes.asDoubleBuffer();
            for (int i = 0; i < n; i++) d.put(i, rnd.nextDouble(-1, 1));
            return d;
        }
        FloatBuffer f = bytes.asFloatBuffer();
        for (int i = 0; i < n; i++) f.put(i, (float) rnd.nextDouble(-1, 1));
        return f;
    }

    static double get(Buffer b, int i) {
        return b instanceof DoubleBuffer d ? d.get(i) : ((FloatBuffer) b).get(i);
    }

    /** The whole product (every item of the batch) in one OpenBLAS call each, on this thread. */
    private static Buffer oneCall(int batch, int m, int n, int k, Buffer a, boolean ta, Buffer b, boolean tb) {
        boolean f64 = a instanceof DoubleBuffer;
        Buffer c = random(batch * m * n, 99, f64);
        int ta_ = ta ? openblas.CblasTrans : openblas.CblasNoTrans, tb_ = tb ? openblas.CblasTrans : openblas.CblasNoTrans;
        for (int p = 0; p < batch; p++) {
            long ao = (long) p * m * k, bo = (long) p * k * n, co = (long) p * m * n;
            if (f64) {
                openblas.cblas_dgemm(openblas.CblasRowMajor, ta_, tb_, m, n, k, 1.0, new DoublePointer((DoubleBuffer) a).position(ao), ta ? m : k,
                        new DoublePointer((DoubleBuffer) b).position(bo), tb ? k : n, 0.0, new DoublePointer((DoubleBuffer) c).position(co), n);
            } else {
                openblas.cblas_sgemm(openblas.CblasRowMajor, ta_, tb_, m, n, k, 1f, new FloatPointer((FloatBuffer) a).position(ao), ta ? m : k,
                        new FloatPointer((FloatBuffer) b).position(bo), tb ? k : n, 0f, new FloatPointer((FloatBuffer) c).position(co), n);
            }
        }
        return c;
    }

    private static void check(int batch, int m, int n, int k, boolean ta, boolean tb, boolean f64) {
        Buffer a = random(batch * m * k, 1, f64), b = random(batch * k * n, 2, f64);
        Buffer c = random(batch * m * n, 3, f64); // garbage in C: the product must overwrite it
        Blas.GEMM.multiply(batch, m, n, k, a, ta, b, tb, c);
        Buffer whole = oneCall(batch, m, n, k, a, ta, b, tb);
        Buffer alone = random(batch * m * n, 4, f64);
        Parallel.exclusive(() -> {
            Blas.GEMM.multiply(batch, m, n, k, a, ta, b, tb, alone);
            return null;
        });
        String what = batch + " x [" + m + ", " + n + ", k=" + k + "] ta=" + ta + " tb=" + tb + (f64 ? " float64" : " float32");
        for (int e = 0; e < batch * m * n; e++) {
            assertEquals(get(alone, e), get(c, e), 0.0, what + ": entry " + e + " differs when every chunk runs on the calling thread");
        }
        SplittableRandom pick = new SplittableRandom(7);
        // A sample of entries against a float64 loop (the whole product is a lot of loops).
        for (int s = 0; s < 400; s++) {
            int p = pick.nextInt(batch), i = pick.nextInt(m), j = pick.nextInt(n);
            double sum = 0, scale = 0;
            for (int q = 0; q < k; q++) {
                double x = get(a, p * m * k + (ta ? q * m + i : i * k + q)), y = get(b, p * k * n + (tb ? j * k + q : q * n + j));
                sum += x * y;
                scale += Math.abs(x * y);
            }
            double got = get(c, p * m * n + i * n + j), one = get(whole, p * m * n + i * n + j), bound = (f64 ? 1e-12 : 1e-5) * scale;
            assertTrue(Math.abs(got - sum) <= bound, what + " at " + p + "," + i + "," + j + ": " + got + " vs the loop's " + sum);
            assertTrue(Math.abs(got - one) <= bound, what + " at " + p + "," + i + "," + j + ": " + got + " vs one call's " + one);
        }
    }

    @Test
    void cutProductsEqualOneCallAndTheLoop() {
        assertTrue((long) 64 * 768 * 768 >= Blas.SPLIT, "the first shape is cut");
        for (boolean f64 : new boolean[] {false, true}) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    check(1, 64, 768, 768, ta, tb, f64);   // cut by columns (GPT-2's products)
                    check(1, 1000, 72, 300, ta, tb, f64);  // cut by rows, not on the alignment
                    check(1, 37, 2051, 40, ta, tb, f64);   // an odd number of columns
                    check(3, 96, 112, 128, ta, tb, f64);   // a batch of products, each cut
                    check(40, 48, 64, 72, ta, tb, f64);    // a batch shared out item by item
                }
            }
        }
    }

    @Test
    void longFloat32ProductsAreCutToo() {
        // k past K_BLOCK: blocks of sgemm added in float64; each block's product is cut.
        check(1, 64, 300, Blas.K_BLOCK + 1000, false, false, false);
        check(1, 64, 300, Blas.K_BLOCK + 1000, true, true, false);
    }

    @Test
    void twoThreadsMultiplyingAtOnceBothGetTheirProducts() throws Exception {
        Thread[] threads = new Thread[2];
        Throwable[] failed = new Throwable[2];
        for (int t = 0; t < 2; t++) {
            int me = t;
            threads[t] = new Thread(() -> {
                try {
                    for (int r = 0; r < 5; r++) check(1, 64 + 16 * me, 768, 512, me == 1, false, false);
                } catch (Throwable e) {
                    failed[me] = e;
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) t.join();
        for (Throwable f : failed) if (f != null) throw new AssertionError(f);
        assertTrue(Parallel.THREADS >= 1);
    }
}
