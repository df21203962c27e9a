package tn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every numpy-written fixture reads back with numpy's shape, dtype and values, bit for bit
 * (C and Fortran order, both byte orders, every element type, ranks 0 to 11, zero-size arrays,
 * format versions 1.0 to 3.0, stored and deflated .npz).
 */
class NpyFixturesTest {

    static Stream<Fixtures.Expected> npyFixtures() {
        return Fixtures.all().stream().filter(e -> e.key() == null);
    }

    static Stream<Fixtures.Expected> npzFixtures() {
        return Fixtures.all().stream().filter(e -> e.key() != null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("npyFixtures")
    void readsNpyFile(Fixtures.Expected e) throws Exception {
        NdData a = Npy.read(Fixtures.file(e.file()));
        assertEquals(e.dtype(), a.dtype());
        assertArrayEquals(e.shape(), a.shape());
        // assertArrayEquals on doubles compares bits, so -0.0 and NaN are checked too.
        assertArrayEquals(e.values(), a.data());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("npyFixtures")
    void readsNpyBytes(Fixtures.Expected e) throws Exception {
        byte[] bytes = Files.readAllBytes(Fixtures.file(e.file()));
        assertEquals(new NdData(e.shape(), e.values(), e.dtype()), Npy.read(bytes, e.file()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("npyFixtures")
    void readsNpyHeaderOnly(Fixtures.Expected e) throws Exception {
        NpyHeader h = Npy.readHeader(Fixtures.file(e.file()));
        assertArrayEquals(e.shape(), h.shape());
        assertEquals(e.dtype(), h.dtype());
        assertEquals(0, h.dataOffset() % 64, "numpy aligns data to 64 bytes");
        assertEquals(Files.size(Fixtures.file(e.file())), h.dataOffset() + h.dataBytes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("npzFixtures")
    void readsNpzArray(Fixtures.Expected e) throws Exception {
        NdData a = Npz.read(Fixtures.file(e.file()), e.key());
        assertEquals(new NdData(e.shape(), e.values(), e.dtype()), a);
    }

    @Test
    void headerRecordsLayout() throws Exception {
        NpyHeader fortran = Npy.readHeader(Fixtures.file("u16_big_fortran_2x3.npy"));
        assertTrue(fortran.fortranOrder());
        assertTrue(fortran.bigEndian());
        assertEquals(2, fortran.elementSize());
        assertEquals(128, fortran.dataOffset());
        assertEquals(6, fortran.elementCount());

        NpyHeader scalar = Npy.readHeader(Fixtures.file("f64_scalar.npy"));
        assertEquals(0, scalar.rank());
        assertEquals(1, scalar.elementCount());
    }

    @Test
    void npzKeepsArchiveOrder() throws Exception {
        List<String> keys = List.of("W", "b", "F", "n", "s", "e");
        for (String npz : List.of("arrays_stored.npz", "arrays_compressed.npz")) {
            Map<String, NdData> all = Npz.read(Fixtures.file(npz));
            assertEquals(keys, List.copyOf(all.keySet()), npz);
            Map<String, NpyHeader> headers = Npz.readHeaders(Fixtures.file(npz));
            assertEquals(keys, List.copyOf(headers.keySet()), npz);
            for (String k : keys) {
                assertArrayEquals(all.get(k).shape(), headers.get(k).shape(), npz + ":" + k);
                assertEquals(all.get(k).dtype(), headers.get(k).dtype(), npz + ":" + k);
            }
            assertTrue(headers.get("F").fortranOrder());
        }
    }

    @Test
    void fixtureListCoversBothContainers() {
        assertTrue(npyFixtures().count() >= 30);
        assertEquals(12, npzFixtures().count());
    }
}
