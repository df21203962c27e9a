package tn.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** The element conversions that are not plain Java casts, checked against independent arithmetic. */
class ElementTypeTest {

    @Test
    void everyFloat16BitPattern() {
        for (int bits = 0; bits < 0x10000; bits++) {
            int sign = bits >>> 15;
            int exponent = (bits >>> 10) & 0x1f;
            int mantissa = bits & 0x3ff;
            double expected;
            if (exponent == 0x1f) expected = mantissa == 0 ? Double.POSITIVE_INFINITY : Double.NaN;
            else if (exponent == 0) expected = Math.scalb((double) mantissa, -24);
            else expected = Math.scalb(1024.0 + mantissa, exponent - 25);
            if (sign == 1) expected = -expected;
            double actual = ElementType.halfToFloat((short) bits);
            // Compare bits so that -0.0 and +0.0 are told apart (all NaNs are equal here).
            assertEquals(Double.doubleToLongBits(expected), Double.doubleToLongBits(actual), "half 0x" + Integer.toHexString(bits));
        }
    }

    @Test
    void uint64RoundsToNearestDouble() {
        long[] samples = {0, 1, Long.MAX_VALUE, Long.MIN_VALUE, -1, -2, 0x8000_0000_0000_0401L, 0x8000_0000_0000_0C00L,
            0xFFFF_FFFF_FFFF_F400L, 0xFFFF_FFFF_FFFF_FC00L, 0x8000_0000_0000_0400L, 0x8000_0000_0000_0bffL};
        for (long v : samples) {
            BigInteger unsigned = new BigInteger(Long.toUnsignedString(v));
            // BigDecimal.doubleValue rounds half to even, exactly as an IEEE conversion does.
            double expected = new BigDecimal(unsigned).doubleValue();
            assertEquals(expected, ElementType.unsignedToDouble(v), Long.toUnsignedString(v));
        }
    }
}
