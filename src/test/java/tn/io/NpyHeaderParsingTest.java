package tn.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The header dict is read as Python would read it, however it is spaced and ordered. */
class NpyHeaderParsingTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }",
        "{'shape': (2, 3), 'fortran_order': False, 'descr': '<f8'}",
        "{ 'descr' : '<f8' , 'fortran_order' : False , 'shape' : ( 2 , 3 , ) , }",
        "{'descr':'<f8','fortran_order':False,'shape':(2,3)}",
        "{\"descr\": \"<f8\", \"fortran_order\": False, \"shape\": (2, 3)}",
        "{'descr': u'<f8', 'fortran_order': False, 'shape': (2L, 3L), }",   // written by Python 2
        "{'descr': '<f8',\n 'fortran_order': False,\n 'shape': (2,\t3)}",
        "{'descr': 'f8', 'fortran_order': False, 'shape': (+2, 3)}",        // no byte order: native
        "{'descr': '=f8', 'fortran_order': False, 'shape': (2, 3)}",
    })
    void acceptsAnyPythonSpelling(String dict) throws Exception {
        NdData a = Npy.read(NpyBytes.v1(dict, NpyBytes.doubles(6)), "a.npy");
        assertArrayEquals(new long[] {2, 3}, a.shape());
        assertEquals("float64", a.dtype());
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, a.data());
    }

    @Test
    void fortranOrderIsTransposedIntoCOrder() throws Exception {
        // Column-major storage of [[0, 1, 2], [3, 4, 5]] is 0 3 1 4 2 5.
        ByteBuffer b = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : new int[] {0, 3, 1, 4, 2, 5}) b.putInt(v);
        NdData a = Npy.read(NpyBytes.v1("{'descr': '<i4', 'fortran_order': True, 'shape': (2, 3), }", b.array()), "f.npy");
        assertArrayEquals(new double[] {0, 1, 2, 3, 4, 5}, a.data());
    }

    @Test
    void boolTypeCodesAndNonZeroBytes() throws Exception {
        byte[] data = {0, 1, 2, (byte) 0xff};
        for (String descr : List.of("|b1", "?", "<b1")) {
            NdData a = Npy.read(NpyBytes.v1("{'descr': '" + descr + "', 'fortran_order': False, 'shape': (4,)}", data), "b.npy");
            assertEquals("bool", a.dtype());
            assertArrayEquals(new double[] {0, 1, 1, 1}, a.data(), descr);
        }
    }

    @Test
    void version3HeaderIsUtf8() throws Exception {
        // Version 3.0 exists so headers may hold UTF-8, e.g. in field names; here in a spare string.
        byte[] dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (1,)}   ".getBytes(StandardCharsets.UTF_8);
        NdData a = Npy.read(NpyBytes.build(3, dict, NpyBytes.doubles(1)), "u.npy");
        assertArrayEquals(new long[] {1}, a.shape());
    }

    @Test
    void trailingBytesAfterTheDataAreIgnoredLikeNumpy() throws Exception {
        byte[] dict = "{'descr': '<f8', 'fortran_order': False, 'shape': (2,)}".getBytes(StandardCharsets.US_ASCII);
        NdData a = Npy.read(NpyBytes.build(1, dict, NpyBytes.doubles(3)), "t.npy");
        assertArrayEquals(new double[] {0, 1}, a.data());
    }

    @Test
    void literalParserValues() throws Exception {
        Object v = PyLiteral.parse(" {'a': [1, -2], \"b\": ('x\\'y',), 'c': None, 'd': True, 'e': ()} ");
        assertTrue(v instanceof Map<?, ?>);
        assertEquals("{'a': [1, -2], 'b': ('x\\'y',), 'c': None, 'd': True, 'e': ()}", PyLiteral.repr(v));
        assertEquals(7, ((java.math.BigInteger) PyLiteral.parse("(7)")).intValue());
        assertFalse(PyLiteral.parse("(7,)") instanceof java.math.BigInteger);
    }

    @Test
    void deepNestingIsAnErrorNotACrash() {
        PyLiteral.SyntaxError e = assertThrows(PyLiteral.SyntaxError.class,
                () -> PyLiteral.parse("[".repeat(100_000) + "]".repeat(100_000)));
        assertEquals("values are nested more than 64 deep", e.getMessage());
        assertEquals(64, e.position);
    }
}
