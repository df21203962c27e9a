package tn.exec.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.exec.DType;
import tn.exec.Dense;
import tn.exec.Stored;

/**
 * Arrays that share memory instead of copying it: a file's mapped region (what load_gpt2 uses
 * for safetensors weights), slices of a leading axis and reshapes (views of their parent), and
 * lazy stacks (a layer made when first taken, the whole when first needed). Oracles: the bytes
 * written by ByteBuffer, and the same operations on plain copies.
 */
class MappedAndStackedTest {
    @TempDir Path dir;
    private final Nd4jBackend backend = new Nd4jBackend();

    private Path floats(float[] values, int gapBytes) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(gapBytes + values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.position(gapBytes);
        for (float v : values) b.putFloat(v);
        Path file = dir.resolve("data.bin");
        Files.write(file, b.array());
        return file;
    }

    @Test
    void aMappedRegionHoldsTheFileValuesAndOutlivesTheChannelAndTheFilesReplacement() throws Exception {
        float[] values = new float[3 * 1000];
        for (int i = 0; i < values.length; i++) values[i] = (float) Math.sin(i) * 1e3f;
        Path file = floats(values, 8);
        Dense x;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            x = backend.mapped(ch, 8, Stored.F32, new long[] {3, 1000}, DType.FLOAT32);
        }
        assertNotNull(x);
        // Replaced as tn's save() and most tools replace files (a new file renamed over it): the
        // mapping still reads the old file's data.
        Path other = dir.resolve("new.bin");
        Files.write(other, new byte[8 + values.length * 4]);
        Files.move(other, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        double[] got = backend.toDoubles(x);
        for (int i = 0; i < values.length; i++) assertEquals(values[i], got[i], 0, "entry " + i);
        // Computed with like any array: a contraction, a reduction, a slice.
        assertArrayEquals(backend.toDoubles(backend.take(backend.fromDoubles(got, new long[] {3, 1000}, DType.FLOAT32), 1, 7)),
                backend.toDoubles(backend.take(x, 1, 7)), 0);
    }

    @Test
    void whatCannotBeMappedAsTheArraysTypeIsLeftToRead() throws Exception {
        Path file = floats(new float[16], 0);
        try (FileChannel rw = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
             FileChannel ro = FileChannel.open(file, StandardOpenOption.READ)) {
            assertNull(backend.mapped(rw, 0, Stored.F32, new long[] {16}, DType.FLOAT64), "another type: converted by read");
            assertNull(backend.mapped(rw, 0, Stored.F16, new long[] {32}, DType.FLOAT32), "float16: converted by read");
            assertNull(backend.mapped(rw, 2, Stored.F32, new long[] {4}, DType.FLOAT32), "not at a whole entry");
            assertNull(backend.mapped(ro, 0, Stored.F32, new long[] {16}, DType.FLOAT32), "a read-only channel cannot map privately");
            assertNotNull(backend.mapped(rw, 0, Stored.F32, new long[] {16}, DType.FLOAT32));
        }
    }

    @Test
    void slicesOfTheFirstAxisAndReshapesShareTheParentsMemoryAndEqualCopies() {
        double[] v = new double[4 * 5 * 6];
        for (int i = 0; i < v.length; i++) v[i] = i * 0.25 - 7;
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Dense x = backend.fromDoubles(v, new long[] {4, 5, 6}, dtype);
            for (int axis = 0; axis < 3; axis++) {
                for (int k = 0; k < x.shape()[axis]; k++) {
                    Dense slice = backend.take(x, axis, k);
                    double[] want = new double[(int) (x.length() / x.shape()[axis])];
                    int at = 0;
                    for (int i = 0; i < 4; i++) for (int j = 0; j < 5; j++) for (int l = 0; l < 6; l++) {
                        int[] idx = {i, j, l};
                        if (idx[axis] == k) want[at++] = dtype == DType.FLOAT32 ? (float) v[(i * 5 + j) * 6 + l] : v[(i * 5 + j) * 6 + l];
                    }
                    assertArrayEquals(want, backend.toDoubles(slice), 0, dtype + " axis " + axis + " index " + k);
                }
            }
            Dense first = backend.take(x, 0, 2);
            Dense r = backend.reshape(first, new long[] {30});
            assertArrayEquals(java.util.Arrays.copyOfRange(backend.toDoubles(x), 60, 90), backend.toDoubles(r), 0);
            // A slice of a slice (the leading axis now of size 1): still the parent's memory.
            assertArrayEquals(java.util.Arrays.copyOfRange(backend.toDoubles(x), 72, 78), backend.toDoubles(backend.take(first, 1, 2)), 0);
        }
    }

    @Test
    void aStackMakesEachLayerOnceWhenTakenAndTheWholeOnlyWhenNeeded() {
        int layers = 3;
        long[] shape = {layers, 2, 4};
        AtomicInteger made = new AtomicInteger();
        double[] all = new double[24];
        for (int i = 0; i < all.length; i++) all[i] = i * i - 5;
        Dense stack = backend.stack(shape, DType.FLOAT64, l -> {
            made.incrementAndGet();
            return backend.fromDoubles(java.util.Arrays.copyOfRange(all, l * 8, l * 8 + 8), new long[] {1, 2, 4}, DType.FLOAT64);
        });
        assertEquals(0, made.get(), "nothing made before it is used");
        Dense one = backend.take(stack, 0, 1);
        assertArrayEquals(java.util.Arrays.copyOfRange(all, 8, 16), backend.toDoubles(one), 0);
        assertSame(one, backend.take(stack, 0, 1), "a layer is made once");
        assertEquals(1, made.get());
        // Used whole (a reduction over the layers): every layer, in order.
        double[] sums = backend.toDoubles(backend.reduce(stack, new int[] {0}, tn.exec.Backend.Reduction.SUM));
        for (int j = 0; j < 8; j++) assertEquals(all[j] + all[8 + j] + all[16 + j], sums[j], 0);
        assertEquals(3, made.get());
        assertArrayEquals(all, backend.toDoubles(stack), 0);
        assertArrayEquals(java.util.Arrays.copyOfRange(all, 16, 24), backend.toDoubles(backend.take(stack, 0, 2)), 0, "a slice of the whole");
        // A contraction with the stack as an operand.
        Dense ones = backend.full(new long[] {layers}, 1, DType.FLOAT64);
        tn.plan.Plan plan = tn.plan.Plan.fromPath(tn.plan.Network.of(List.of(new int[] {0, 1, 2}, new int[] {0}), new int[] {1, 2}, new long[] {3, 2, 4}), List.of(new int[] {0, 1}), "one step", 0);
        assertArrayEquals(sums, backend.toDoubles(backend.contract(plan, List.of(stack, ones))), 0);
    }
}
