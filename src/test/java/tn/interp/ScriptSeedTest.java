package tn.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tn.exec.DType;
import tn.reference.ReferenceBackend;

/**
 * Random tensors made without `seed=`: they come from the script's own stream, which never
 * repeats, or runs alongside, the stream of an explicit `seed=k` (the seeded tensors here are
 * computed by {@link RngTest.Reference}, not by tn); a script gives the same numbers on every run,
 * and `set seed` changes them.
 */
class ScriptSeedTest {
    /** Unseeded draws of assorted sizes (odd ones shift the pairs of the normal stream), float64. */
    static final String DRAWS = "leg i = 1000, o = 333, p = 1\n"
            + "a = random(i)\nb = random(o)\nc = uniform(i)\nd = random(p)\nq = random(i, std=1)\nf = uniform(o)\ng = random(i)\n"
            + "h = uniform(p)\nk = uniform(i)\nm = random(o)\n";
    static final List<String> NORMAL = List.of("a", "b", "d", "q", "g", "m"), UNIFORM = List.of("c", "f", "h", "k");

    static Scripts run(String text) {
        return Scripts.run(new ReferenceBackend(), DType.FLOAT64, text);
    }

    @Test
    void noUnseededTensorRepeatsOrOverlapsAnyExplicitSeedBelow1000() {
        Scripts s = run(DRAWS);
        // The first 4000 SplitMix64 numbers of the streams of seeds 0..999, as uniforms and as
        // normals on both alignments of the pairs (a stream shifted by one number pairs them
        // differently): an unseeded tensor equal to a seeded one, or to a stretch of one, shares
        // its numbers. (The unseeded draws take 8000 numbers in all.)
        long[] normal = new long[1000 * 4000], uniform = new long[1000 * 4000];
        int at = 0;
        for (long k = 0; k < 1000; k++) {
            for (double v : new RngTest.Reference(k).normal(2000)) normal[at++] = Double.doubleToRawLongBits(v);
            RngTest.Reference shifted = new RngTest.Reference(k);
            shifted.nextLong();
            for (double v : shifted.normal(2000)) normal[at++] = Double.doubleToRawLongBits(v);
        }
        at = 0;
        for (long k = 0; k < 1000; k++) {
            for (double v : new RngTest.Reference(k).uniform(4000, 0, 1)) uniform[at++] = Double.doubleToRawLongBits(v);
        }
        Arrays.sort(normal);
        Arrays.sort(uniform);
        int checked = 0;
        for (String name : NORMAL) {
            for (double v : s.values(name)) {
                if (Arrays.binarySearch(normal, Double.doubleToRawLongBits(v)) >= 0) {
                    throw new AssertionError("unseeded " + name + " holds " + v + ", a number of random(seed=k) for some k < 1000");
                }
                checked++;
            }
        }
        for (String name : UNIFORM) {
            for (double v : s.values(name)) {
                if (Arrays.binarySearch(uniform, Double.doubleToRawLongBits(v)) >= 0) {
                    throw new AssertionError("unseeded " + name + " holds " + v + ", a number of uniform(seed=k) for some k < 1000");
                }
                checked++;
            }
        }
        assertEquals(3667 + 2334, checked, "every unseeded number was checked");
    }

    @Test
    void unseededTensorsAreNotTheFirstSeeds() {
        Scripts s = run("leg i = 50\nx = random(i)\ny = random(i)\nu = uniform(i)\n"
                + "x1 = random(i, seed=1)\nx2 = random(i, seed=2)\nu3 = uniform(i, seed=3)\nx0 = random(i, seed=0)\n");
        for (String seeded : List.of("x0", "x1", "x2")) {
            assertFalse(Arrays.equals(s.values("x"), s.values(seeded)), "x = " + seeded);
            assertFalse(Arrays.equals(s.values("y"), s.values(seeded)), "y = " + seeded);
        }
        assertFalse(Arrays.equals(s.values("u"), s.values("u3")));
    }

    @Test
    void unseededTensorsDoNotRepeatEachOther() {
        Scripts s = run(DRAWS);
        Map<Long, String> seen = new HashMap<>();
        for (String name : List.of("a", "b", "d", "q", "g", "m", "c", "f", "h", "k")) {
            for (double v : s.values(name)) {
                String before = seen.put(Double.doubleToRawLongBits(v), name);
                if (before != null) throw new AssertionError(name + " repeats a number of " + before);
            }
        }
    }

    @Test
    void aScriptGivesTheSameUnseededNumbersOnEveryRun() {
        Scripts first = run(DRAWS), second = run(DRAWS);
        for (String name : List.of("a", "b", "c", "m")) assertArrayEquals(first.values(name), second.values(name), name);
        // float32 too: the same stream, rounded.
        Scripts f32 = Scripts.run(new ReferenceBackend(), DType.FLOAT32, DRAWS);
        double[] a64 = first.values("a"), a32 = f32.values("a");
        for (int i = 0; i < a64.length; i++) assertEquals((float) a64[i], (float) a32[i]);
    }

    @Test
    void setSeedChangesTheNumbersAndStartsItsStreamAfresh() {
        Scripts unset = run(DRAWS), zero = run("set seed = 0\n" + DRAWS), five = run("set seed = 5\n" + DRAWS);
        assertArrayEquals(unset.values("a"), zero.values("a"), "0 is the default script seed");
        assertFalse(Arrays.equals(unset.values("a"), five.values("a")));
        Scripts again = run("leg i = 1000\nz = random(i)\nset seed = 5\n" + DRAWS);
        assertArrayEquals(five.values("a"), again.values("a"), "set seed restarts the stream of that seed");
        assertArrayEquals(five.values("m"), again.values("m"));
    }

    @Test
    void scriptSeedsAreFarApartOnTheirStream() {
        // Seeds N and N + 1 start 2^40 numbers apart: no shared numbers between their draws.
        List<Long> all = new ArrayList<>();
        for (int seed = -2; seed <= 2; seed++) {
            for (double v : run("set seed = " + seed + "\n" + DRAWS).values("c")) all.add(Double.doubleToRawLongBits(v));
        }
        assertEquals(all.size(), all.stream().distinct().count());
    }

    @Test
    void seededTensorsDoNotMoveTheScriptStream() {
        Scripts plain = run(DRAWS), withSeeded = run("leg i = 1000\ns = random(i, seed=4)\nr = uniform(i, seed=5)\n" + DRAWS);
        assertArrayEquals(plain.values("a"), withSeeded.values("a"));
        assertNotEquals(plain.values("a")[0], plain.values("g")[0]);
    }
}
