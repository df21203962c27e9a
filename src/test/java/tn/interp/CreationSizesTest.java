package tn.interp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import tn.diag.Diagnostics;

/**
 * Tensors too large to make are refused while checking, with their legs and sizes named: sizes
 * whose product overflows, more entries than one array holds, more bytes than the memory limit
 * (Scripts checks with a limit of 8 GB, in float64). Checking computes shapes only: it allocates
 * nothing for the tensors it describes.
 */
class CreationSizesTest {
    private static String onlyError(String text) {
        Diagnostics d = Scripts.check(text);
        assertEquals(1, d.size(), d.format());
        return d.all().get(0).message();
    }

    private static long allocatedWhileChecking(String text) {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Scripts.check(text); // once for the classes and the JIT
        long before = mx.getCurrentThreadAllocatedBytes();
        Diagnostics d = Scripts.check(text);
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertEquals(0, d.size(), d.format());
        return allocated;
    }

    @Test
    void sizesWhoseProductOverflowsAreRefusedNotWrapped() {
        // 2^32 x 2^32 = 2^64 wraps to 0 in long arithmetic.
        assertEquals("zeros() with legs [a=4294967296, b=4294967296] would have 1.84e+19 entries, more than one array can hold"
                + " (2147483639); use smaller legs", onlyError("leg a = 4294967296, b = 4294967296\nx = zeros(a, b)\n"));
        for (String f : new String[] {"random", "uniform", "ones", "arange"}) {
            String m = onlyError("leg a = 4294967296, b = 4294967296, c = 2\nx = " + f + "(a, b, c)\n");
            assertTrue(m.startsWith(f + "() with legs [a=4294967296, b=4294967296, c=2] would have 3.69e+19 entries"), m);
        }
        // 2^31 overflows an int (a NegativeArraySizeException before).
        String m = onlyError("leg a = 65536, b = 32768\nx = random(a, b)\n");
        assertTrue(m.startsWith("random() with legs [a=65536, b=32768] would have 2.15e+9 entries, more than one array can hold"), m);
    }

    @Test
    void tensorsOverTheMemoryLimitAreRefusedWithAdvice() {
        assertEquals("uniform() with legs [a=40000, b=40000] needs 12.8 GB (1.60e+9 entries of float64), over the memory limit"
                + " of 8.0 GB; raise the limit (--memory-limit, or `set memory_limit = 1.28e10`) or use smaller legs",
                onlyError("leg a = 40000, b = 40000\nx = uniform(a, b)\n"));
        assertTrue(onlyError("set memory_limit = 1000\nleg a = 100, c = 100\nx = full(a, c, value=2)\n").contains("needs 80.0 KB (10000 entries of float64), over the memory limit of 1.0 KB"));
    }

    @Test
    void onehotIsCheckedAndAllocatesNothingWhileChecking() {
        String m = onlyError("leg v = 3000000000\nx = onehot([1, 2], p, v)\n");
        assertTrue(m.startsWith("onehot() with legs [p=2, v=3000000000] would have 6.00e+9 entries, more than one array can hold"), m);
        m = onlyError("x = onehot([1, 2], p, v, size=1000000000)\n");
        assertTrue(m.startsWith("onehot() with legs [p=2, v=1000000000] needs 16.0 GB"), m);
        // 8 GB of float64: at the limit, so allowed; checking must not make it (it did: 8 GB of doubles).
        long allocated = allocatedWhileChecking("x = onehot([1, 2], p, v, size=500000000)\n");
        assertTrue(allocated < 10_000_000, allocated + " bytes allocated while checking");
    }

    @Test
    void aTransformerTooLargeToMakeIsRefusedWhileChecking() {
        String m = onlyError("import transformer\nm = transformer(layers=1, heads=100000000, d_model=16, vocab=16, context=8)\n");
        assertTrue(m.startsWith("transformer(): weight W_Q with legs [layer=1, head=100000000, d_model=16, d_head=1] needs 25.6 GB"
                + " (1.60e+9 entries of float64, then float64), over the memory limit of 8.0 GB"), m);
        m = onlyError("import transformer\nm = transformer(layers=1000, heads=64, d_model=1024, vocab=16, context=8)\n");
        assertTrue(m.startsWith("transformer(): weight W_Q with legs [layer=1000, head=64, d_model=1024, d_head=16] would have"
                + " 1.05e+9 entries") || m.startsWith("transformer(): weight W_Q with legs [layer=1000, head=64, d_model=1024, d_head=16] needs"), m);
        // GPT-2 XL's sizes: no weight is over the limit, all of them are.
        m = onlyError("import transformer\nm = transformer(layers=48, heads=25, d_model=1600, vocab=50257, context=1024)\n");
        assertTrue(m.startsWith("transformer(): the model (largest weight: W_in [layer=48, d_model=1600, d_mlp=6400]) needs 26.2 GB"
                + " (1.64e+9 entries of float64 while drawn, then float64), over the memory limit of 8.0 GB"), m);
    }

    @Test
    void checkingATransformerDrawsNoWeights() {
        // 2 x 12.8 million entries of embedding: 200 MB of doubles drawn while checking, before.
        long allocated = allocatedWhileChecking("import transformer\nm = transformer(layers=1, heads=4, d_model=256, vocab=50000, context=64)\n");
        assertTrue(allocated < 20_000_000, allocated + " bytes allocated while checking");
    }
}
