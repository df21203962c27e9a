package tn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tn.exec.DType;

/** Npy.write produces exactly numpy.save's bytes, and what it writes reads back unchanged. */
class NpyWriteTest {

    @TempDir Path dir;

    /** The arrays make_fixtures.py saved as golden_*.npy, rebuilt here: element i is (i + 1) / 7. */
    static Stream<Arguments> golden() {
        return Stream.of(
                Arguments.of("golden_f32_3x4.npy", new long[] {3, 4}, DType.FLOAT32),
                Arguments.of("golden_f64_2x3x4.npy", new long[] {2, 3, 4}, DType.FLOAT64),
                Arguments.of("golden_f64_rank1_5.npy", new long[] {5}, DType.FLOAT64),
                Arguments.of("golden_f32_scalar.npy", new long[] {}, DType.FLOAT32),
                Arguments.of("golden_f64_empty_100000x0.npy", new long[] {100000, 0}, DType.FLOAT64),
                Arguments.of("golden_f64_pad_edge.npy", new long[] {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 100000000000L},
                        DType.FLOAT64));
    }

    private static double[] sevenths(long[] shape) {
        double[] data = new double[(int) Shapes.elementCount(shape)];
        for (int i = 0; i < data.length; i++) data[i] = (i + 1) / 7.0;
        return data;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("golden")
    void bytesEqualNumpySave(String golden, long[] shape, DType dtype) throws Exception {
        byte[] numpy = Files.readAllBytes(Fixtures.file(golden));
        assertArrayEquals(numpy, Npy.toBytes(shape, sevenths(shape), dtype));

        Path file = dir.resolve(golden);
        Npy.write(file, shape, sevenths(shape), dtype);
        assertArrayEquals(numpy, Files.readAllBytes(file));
    }

    static Stream<Arguments> roundTrips() {
        return Stream.of(
                Arguments.of(new long[] {}, new double[] {42.5}),
                Arguments.of(new long[] {0}, new double[] {}),
                Arguments.of(new long[] {3, 0, 2}, new double[] {}),
                Arguments.of(new long[] {4}, new double[] {0.1, -0.0, Double.NaN, Double.NEGATIVE_INFINITY}),
                Arguments.of(new long[] {2, 3}, new double[] {1e-300, 1e300, -7, Double.MIN_VALUE, Math.PI, 1 / 3.0}),
                Arguments.of(new long[] {2, 1, 2, 1}, new double[] {1, 2, 3, 4}));
    }

    @ParameterizedTest
    @MethodSource("roundTrips")
    void float64RoundTripsExactly(long[] shape, double[] data) throws Exception {
        Path file = dir.resolve("a.npy");
        Npy.write(file, shape, data, DType.FLOAT64);
        assertEquals(NdData.of(shape, data, DType.FLOAT64), Npy.read(file));
        NpyHeader h = Npy.readHeader(file);
        assertArrayEquals(shape, h.shape());
        assertFalse(h.fortranOrder());
        assertEquals(Files.size(file), h.dataOffset() + h.dataBytes());
    }

    @ParameterizedTest
    @MethodSource("roundTrips")
    void float32RoundTripsAsNearestFloat(long[] shape, double[] data) throws Exception {
        double[] rounded = new double[data.length];
        for (int i = 0; i < data.length; i++) rounded[i] = (float) data[i];
        NdData back = Npy.read(Npy.toBytes(shape, data, DType.FLOAT32), "a.npy");
        assertEquals(NdData.of(shape, rounded, DType.FLOAT32), back);
    }

    @Test
    void largeArrayCrossesChunkBoundaries() throws Exception {
        // More than one 64 KiB write/read chunk, with a length that is not a multiple of it.
        long[] shape = {3, 10007};
        double[] data = new double[3 * 10007];
        for (int i = 0; i < data.length; i++) data[i] = Math.sin(i) * 1e3;
        Path file = dir.resolve("big.npy");
        Npy.write(file, shape, data, DType.FLOAT64);
        assertArrayEquals(data, Npy.read(file).data());
        assertEquals(128 + 8L * data.length, Files.size(file));
    }

    @Test
    void mismatchedDataIsRefusedBeforeWriting() {
        Path file = dir.resolve("bad.npy");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Npy.write(file, new long[] {2, 3}, new double[5], DType.FLOAT32));
        assertEquals("shape (2, 3) holds 6 elements but 5 values were given", e.getMessage());
        assertFalse(Files.exists(file));
        assertThrows(IllegalArgumentException.class, () -> Npy.toBytes(new long[] {-1}, new double[0], DType.FLOAT64));
    }
}
