package tn.exec.nd4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tn.exec.DType;
import tn.exec.Dense;
import tn.exec.Stored;

/**
 * Backend.read on ND4J: runs of stored numbers longer than one piece ({@link FileRead#PIECE}),
 * at odd places in a file, come out as the values ByteBuffer decodes from the same bytes, for
 * every stored type and both dtypes (the parallel direct reads, and the piecewise conversion).
 */
class FileReadTest {
    @TempDir Path dir;

    @ParameterizedTest
    @CsvSource({"F32, FLOAT32", "F64, FLOAT64", "F16, FLOAT32", "BF16, FLOAT32", "F32, FLOAT64", "F16, FLOAT64", "F64, FLOAT32"})
    void runsLongerThanAPieceReadAsStored(Stored stored, DType dtype) throws Exception {
        int run = FileRead.PIECE + 123, runs = 2, gap = 5;
        SplittableRandom rng = new SplittableRandom(stored.ordinal() * 7L + dtype.ordinal());
        ByteBuffer bytes = ByteBuffer.allocate(gap + runs * (run + gap) * stored.width).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < bytes.capacity(); i++) bytes.put((byte) rng.nextInt(256));
        // Random bits are often NaN in float16 and bfloat16 (NaNs are compared as NaN, below); the
        // high byte of each entry (the runs start at an odd byte) gets its top exponent bit
        // cleared half the time, so most entries are numbers, subnormals included.
        if (stored == Stored.F16 || stored == Stored.BF16) {
            for (int i = gap + 1; i < bytes.capacity(); i += 4) bytes.put(i, (byte) (bytes.get(i) & 0xbf));
        }
        Path file = dir.resolve("data.bin");
        Files.write(file, bytes.array());
        long[] positions = new long[runs];
        double[] expected = new double[runs * run];
        for (int k = 0; k < runs; k++) {
            positions[k] = gap + (long) k * (run + gap) * stored.width;
            ByteBuffer b = ByteBuffer.wrap(bytes.array()).order(ByteOrder.LITTLE_ENDIAN).position((int) positions[k]);
            for (int i = 0; i < run; i++) {
                double v = switch (stored) {
                    case F64 -> b.getDouble();
                    case F32 -> b.getFloat();
                    case F16 -> Float.intBitsToFloat(halfBits(b.getShort()));
                    case BF16 -> Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
                };
                expected[k * run + i] = dtype == DType.FLOAT32 ? (float) v : v;
            }
        }
        Nd4jBackend backend = new Nd4jBackend();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            Dense x = backend.read(ch, positions, run, stored, new long[] {runs, run}, dtype);
            double[] got = backend.toDoubles(x);
            long[] want = new long[got.length], have = new long[got.length];
            for (int i = 0; i < got.length; i++) {
                // A NaN's payload and sign are not kept by ND4J's conversion (nor promised): NaN is NaN.
                want[i] = Double.isNaN(expected[i]) ? 1 : Double.doubleToRawLongBits(expected[i]);
                have[i] = Double.isNaN(got[i]) ? 1 : Double.doubleToRawLongBits(got[i]);
            }
            // Given back now: left to the collector, its block would reach the BlockPool during a
            // later test that counts the pool's bytes (NativeResultTest).
            backend.release(x);
            assertArrayEquals(want, have);
            // Past the end of the file: an EOFException, not garbage.
            assertThrows(java.io.EOFException.class, () -> backend.read(ch, new long[] {bytes.capacity() - 4}, 8, stored, new long[] {8}, dtype));
        }
    }

    /** float16 bits to float32 bits, by the definition (a different route from Stored.halfToFloat). */
    private static int halfBits(short h) {
        int sign = (h >>> 15) & 1, e = (h >>> 10) & 0x1f, m = h & 0x3ff;
        double v = e == 0 ? m * Math.pow(2, -24) : e == 31 ? (m == 0 ? Double.POSITIVE_INFINITY : Double.NaN) : (1 + m / 1024.0) * Math.pow(2, e - 15);
        return Float.floatToRawIntBits((float) (sign == 1 ? -v : v));
    }
}
