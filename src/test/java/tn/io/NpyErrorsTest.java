package tn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.function.Executable;
import tn.exec.DType;

/** Every way a .npy file can be unreadable gets its own exact, user-facing message. */
class NpyErrorsTest {

    @TempDir Path dir;

    private static final String SUPPORTED = "tn reads float16/32/64, complex64/128, signed and unsigned integers and bool";

    /** The message of the NpyException thrown, checked to be free of Java class names. */
    private static String failure(Executable call) {
        String message = assertThrows(NpyException.class, call).getMessage();
        assertFalse(message.contains("Exception") || message.contains("java."), message);
        return message;
    }

    /** Same failure from read(Path), readHeader(Path) and read(byte[]) of the same content. */
    private String failureEverywhere(byte[] content) throws Exception {
        Path file = dir.resolve("w.npy");
        Files.write(file, content);
        String fromFile = failure(() -> Npy.read(file));
        assertEquals(fromFile, failure(() -> Npy.readHeader(file)));
        assertEquals(fromFile, failure(() -> Npy.read(content, file.toString())));
        return fromFile.substring(file.toString().length());
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("w.npy");
        assertEquals(file + ": no such file", failure(() -> Npy.read(file)));
        assertEquals(file + ": no such file", failure(() -> Npy.readHeader(file)));
    }

    @Test
    void directory() {
        assertEquals(dir + ": is a directory, not a file", failure(() -> Npy.read(dir)));
    }

    @Test
    void emptyFile() throws Exception {
        assertEquals(": empty file (0 bytes)", failureEverywhere(new byte[0]));
    }

    @Test
    void wrongMagic() throws Exception {
        assertEquals(": not a .npy file (it does not start with \\x93NUMPY)",
                failureEverywhere("name,value\nW,1.0\n".getBytes(StandardCharsets.US_ASCII)));
        // A file that is too short to hold the magic, and does not start like it either.
        assertEquals(": not a .npy file (it does not start with \\x93NUMPY)",
                failureEverywhere(new byte[] {(byte) 0x93, 'N', 'O'}));
    }

    @Test
    void truncatedPreamble() throws Exception {
        byte[] good = Npy.toBytes(new long[] {2}, new double[] {1, 2}, DType.FLOAT64);
        assertEquals(": truncated: the file ends after 4 bytes, inside the 10-byte preamble that comes before the header",
                failureEverywhere(Arrays.copyOf(good, 4)));
        assertEquals(": truncated: the file ends after 9 bytes, inside the 10-byte preamble that comes before the header",
                failureEverywhere(Arrays.copyOf(good, 9)));
        byte[] v2 = NpyBytes.build(2, "{}".getBytes(StandardCharsets.US_ASCII), new byte[0]);
        assertEquals(": truncated: the file ends after 10 bytes, inside the 12-byte preamble that comes before the header",
                failureEverywhere(Arrays.copyOf(v2, 10)));
    }

    @Test
    void truncatedHeader() throws Exception {
        byte[] good = Npy.toBytes(new long[] {2}, new double[] {1, 2}, DType.FLOAT64);
        assertEquals(": truncated: the header is declared as 118 bytes long but only 40 bytes follow",
                failureEverywhere(Arrays.copyOf(good, 50)));
        assertEquals(": truncated: the header is declared as 118 bytes long but only 1 byte follows",
                failureEverywhere(Arrays.copyOf(good, 11)));
    }

    @Test
    void truncatedData() throws Exception {
        byte[] good = Npy.toBytes(new long[] {3, 4}, new double[12], DType.FLOAT32);
        assertEquals(": truncated: the header declares shape (3, 4) of float32 (48 bytes of data) but only 20 bytes follow",
                failureEverywhere(Arrays.copyOf(good, 128 + 20)));
        assertEquals(": truncated: the header declares shape (3, 4) of float32 (48 bytes of data) but only 0 bytes follow",
                failureEverywhere(Arrays.copyOf(good, 128)));
        byte[] scalar = Npy.toBytes(new long[] {}, new double[] {1}, DType.FLOAT64);
        assertEquals(": truncated: the header declares shape () of float64 (8 bytes of data) but only 1 byte follows",
                failureEverywhere(Arrays.copyOf(scalar, 129)));
    }

    @Test
    void unsupportedVersion() throws Exception {
        byte[] v4 = Npy.toBytes(new long[] {1}, new double[] {1}, DType.FLOAT64);
        v4[6] = 4;
        assertEquals(": unsupported .npy format version 4.0 (tn reads versions 1.0, 2.0 and 3.0)", failureEverywhere(v4));
        v4[6] = 1;
        v4[7] = 1;
        assertEquals(": unsupported .npy format version 1.1 (tn reads versions 1.0, 2.0 and 3.0)", failureEverywhere(v4));
    }

    @Test
    void absurdHeaderLength() throws Exception {
        byte[] v2 = NpyBytes.build(2, "{}".getBytes(StandardCharsets.US_ASCII), new byte[0]);
        v2[8] = v2[9] = v2[10] = v2[11] = (byte) 0xff;
        assertEquals(": the header claims to be 4294967295 bytes long, more than the 1048576 bytes tn accepts;"
                + " the file is probably damaged", failureEverywhere(v2));
    }

    private String badHeader(String dict) throws Exception {
        return failureEverywhere(NpyBytes.v1(dict, NpyBytes.doubles(6)));
    }

    @Test
    void malformedHeaderSyntax() throws Exception {
        assertEquals(": malformed header: expected ',' or '}' after the value of 'descr' but found \"'\" at character 17"
                        + " of {'descr': '<f8' 'fortran_order': False, 'shape': (6,), }",
                badHeader("{'descr': '<f8' 'fortran_order': False, 'shape': (6,), }"));
        assertEquals(": malformed header: expected ':' after the key 'descr' but found ',' at character 9"
                        + " of {'descr', '<f8', 'fortran_order': False, 'shape': (6,), }",
                badHeader("{'descr', '<f8', 'fortran_order': False, 'shape': (6,), }"));
        assertEquals(": malformed header: a value is missing at the end"
                        + " of {'descr': '<f8', 'fortran_order': False, 'shape':",
                badHeader("{'descr': '<f8', 'fortran_order': False, 'shape':"));
        assertEquals(": malformed header: string starting here is not closed at character 11 of {'descr': '<f8, }",
                badHeader("{'descr': '<f8, }"));
        assertEquals(": malformed header: unexpected name 'false' (a value must be a string, number, tuple, list, dict,"
                        + " True, False or None) at character 35 of {'descr': '<f8', 'fortran_order': false, 'shape': (6,)}",
                badHeader("{'descr': '<f8', 'fortran_order': false, 'shape': (6,)}"));
        assertEquals(": malformed header: only whole numbers can appear in a .npy header at character 52"
                        + " of {'descr': '<f8', 'fortran_order': False, 'shape': (6.0,)}",
                badHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (6.0,)}"));
        assertEquals(": malformed header: unexpected '}' after the end of the value at character 56"
                        + " of {'descr': '<f8', 'fortran_order': False, 'shape': (6,)}}",
                badHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (6,)}}"));
        // Binary garbage is shown escaped rather than dumped into the terminal.
        assertEquals(": malformed header: unexpected character \\x01 where a value was expected at character 1 of \\x01\\x02",
                badHeader("\u0001\u0002"));
    }

    @Test
    void malformedHeaderContent() throws Exception {
        assertEquals(": malformed header: it should be a dict with the keys 'descr', 'fortran_order' and 'shape'"
                + " but it is ('<f8', False, (6,))", badHeader("('<f8', False, (6,))"));
        assertEquals(": malformed header: the key 'shape' is missing in {'descr': '<f8', 'fortran_order': False}",
                badHeader("{'descr': '<f8', 'fortran_order': False}"));
        assertEquals(": malformed header: unexpected key 'version' (a .npy header has exactly the keys 'descr',"
                        + " 'fortran_order' and 'shape')",
                badHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (6,), 'version': 1}"));
        assertEquals(": malformed header: 'shape' must be a tuple of integers such as (3, 4), found [2, 3]",
                badHeader("{'descr': '<f8', 'fortran_order': False, 'shape': [2, 3]}"));
        // (6) is just 6 in Python: a tuple of one needs its comma.
        assertEquals(": malformed header: 'shape' must be a tuple of integers such as (3, 4), found 6",
                badHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (6)}"));
        assertEquals(": malformed header: 'shape' must be a tuple of integers such as (3, 4), found ('2', 3)",
                badHeader("{'descr': '<f8', 'fortran_order': False, 'shape': ('2', 3)}"));
        assertEquals(": malformed header: 'shape' (2, -3) has a negative extent",
                badHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (2, -3)}"));
        assertEquals(": malformed header: 'shape' (99999999999999999999,) has an extent too large for any file",
                badHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,)}"));
        assertEquals(": malformed header: 'fortran_order' must be True or False, found 0",
                badHeader("{'descr': '<f8', 'fortran_order': 0, 'shape': (6,)}"));
        assertEquals(": malformed header: 'descr' must be a type string such as '<f4', found None",
                badHeader("{'descr': None, 'fortran_order': False, 'shape': (6,)}"));
        assertEquals(": the header declares shape (4294967296, 4294967296) of float64, which is more data than any"
                        + " file can hold; the file is probably damaged",
                badHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (4294967296, 4294967296)}"));
    }

    @Test
    void emptyHeader() throws Exception {
        assertEquals(": malformed header: the header is empty", badHeader("   "));
    }

    @Test
    void arrayTooLargeForOneJavaArray() throws Exception {
        // A 12 GB float32 file is a valid .npy but holds more elements than a Java array can. Read
        // from a stream of unknown length, so this is found from the header alone.
        byte[] header = NpyBytes.v1("{'descr': '<f4', 'fortran_order': False, 'shape': (3000000000,)}", new byte[0]);
        String message = failure(() -> Npy.read(new java.io.ByteArrayInputStream(header), -1, "big.npy"));
        assertEquals("big.npy: the array has shape (3000000000,), that is 3000000000 elements, more than the"
                + " 2147483639 tn can hold in one array", message);
    }

    @Test
    void unsupportedDtypesFromNumpy() throws Exception {
        assertEquals(": unsupported dtype '<U3' (text arrays are not supported; " + SUPPORTED + ")",
                fixtureFailure("unicode.npy"));
        assertEquals(": unsupported dtype '<M8[D]' (date and time arrays are not supported; " + SUPPORTED + ")",
                fixtureFailure("datetime.npy"));
        assertEquals(": structured arrays (dtype with named fields) are not supported; " + SUPPORTED,
                fixtureFailure("structured.npy"));
    }

    @Test
    void objectArrays() throws Exception {
        assertEquals(": object arrays (dtype 'O') cannot be read", fixtureFailure("object.npy"));
    }

    @Test
    void unsupportedDtypesWritten() throws Exception {
        assertEquals(": unsupported dtype '<f16' (extended-precision floats (longdouble) are not supported; "
                + SUPPORTED + ")", badHeader("{'descr': '<f16', 'fortran_order': False, 'shape': (6,)}"));
        assertEquals(": unsupported dtype '<i3' (there is no 3-byte integer type; " + SUPPORTED + ")",
                badHeader("{'descr': '<i3', 'fortran_order': False, 'shape': (6,)}"));
        assertEquals(": unsupported dtype '<x8' (it is not a numeric type tn knows; " + SUPPORTED + ")",
                badHeader("{'descr': '<x8', 'fortran_order': False, 'shape': (6,)}"));
        assertEquals(": unsupported dtype '' (it names no type; " + SUPPORTED + ")",
                badHeader("{'descr': '', 'fortran_order': False, 'shape': (6,)}"));
    }

    /** The message for a checked-in file, with the file's path stripped from the front. */
    private static String fixtureFailure(String name) {
        Path file = Fixtures.file(name);
        String message = failure(() -> Npy.read(file));
        assertEquals(message, failure(() -> Npy.readHeader(file)));
        return message.substring(file.toString().length());
    }
}
