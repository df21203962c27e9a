package tn.interp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tn.exec.DType;
import tn.exec.nd4j.Nd4jBackend;
import tn.io.NdData;
import tn.io.Npz;

/**
 * Complex .npy/.npz files written by numpy (src/test/resources/complex/make_fixtures.py: one
 * array as <c16, <c8, >c16 and in Fortran order, its parts in values.npz as float64 arrays):
 * read to the same numbers, written back byte for byte as numpy writes them.
 */
class ComplexFilesTest {
    static final Nd4jBackend ND4J = new Nd4jBackend();
    static final String DIR = "src/test/resources/complex/";

    @Test
    void complexFilesReadToNumpysNumbers() {
        Scripts s = Scripts.run(ND4J, DType.FLOAT32, """
                D = "src/test/resources/complex/"
                re = load(str(D, "values.npz"), i, j, key="re")
                im = load(str(D, "values.npz"), i, j, key="im")
                for f in tuple("c16.npy", "c16_big.npy", "c16_fortran.npy") {
                    a = load(str(D, f), i, j)
                    assert close(real(a), re, rtol=0, atol=0) and close(imag(a), im, rtol=0, atol=0)
                }
                b = load(str(D, "c8.npy"), i, j)
                assert close(real(b), load(str(D, "values.npz"), i, j, key="re8"), rtol=0, atol=0)
                assert close(imag(b), load(str(D, "values.npz"), i, j, key="im8"), rtol=0, atol=0)
                show(b)
                """);
        assertTrue(s.printed().startsWith("b: [i=3, j=4] complex64\n"), s.printed());
    }

    @Test
    void complexTensorsAreWrittenAsNumpyWritesThem(@TempDir Path dir) throws Exception {
        Scripts.run(ND4J, DType.FLOAT32, "D = \"" + DIR + "\"\n"
                + "save(load(str(D, \"c16_fortran.npy\"), i, j), \"" + dir.resolve("a.npy") + "\")\n"
                + "save(load(str(D, \"c8.npy\"), i, j), \"" + dir.resolve("b.npy") + "\")\n"
                + "savez(\"" + dir.resolve("z.npz") + "\", a=load(str(D, \"c16_big.npy\"), i, j))\n");
        assertArrayEquals(Files.readAllBytes(Path.of(DIR, "c16.npy")), Files.readAllBytes(dir.resolve("a.npy")));
        assertArrayEquals(Files.readAllBytes(Path.of(DIR, "c8.npy")), Files.readAllBytes(dir.resolve("b.npy")));
        NdData z = Npz.read(dir.resolve("z.npz"), "a");
        assertEquals("complex128", z.dtype());
        assertEquals(24, z.data().length); // 12 entries, interleaved
    }

    @Test
    void safetensorsHasNoComplexType(@TempDir Path dir) {
        NdData z = new NdData(new long[] {1}, new double[] {1, 2}, "complex128");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> tn.io.Safetensors.write(dir.resolve("z.safetensors"), Map.of("z", z)));
        assertEquals("array 'z' is complex128, and .safetensors has no complex dtype; save complex tensors as .npy or .npz"
                + " (or their real and imaginary parts as two float arrays)", e.getMessage());
    }
}
