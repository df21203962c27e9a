package tn.exec;

import java.nio.ByteBuffer;

/**
 * How a file stores floating-point numbers: little-endian IEEE 754 binary64, binary32, binary16,
 * or bfloat16 (binary32's upper half). Every such value is exactly a float32 (or float64) value,
 * so reading never rounds, except float64 data read as float32.
 */
public enum Stored {
    F64(8), F32(4), F16(2), BF16(2);

    /** Bytes per entry. */
    public final int width;

    Stored(int width) {
        this.width = width;
    }

    /** Whether these bytes are an array of that dtype as they lie (float32 as F32, float64 as F64): read or mapped without conversion. */
    public boolean isLayoutOf(DType dtype) {
        return (this == F32 && dtype == DType.FLOAT32) || (this == F64 && dtype == DType.FLOAT64);
    }

    /** Reads one entry at the buffer's position (in the buffer's byte order). */
    public double decode(ByteBuffer b) {
        return switch (this) {
            case F64 -> b.getDouble();
            case F32 -> b.getFloat();
            case F16 -> halfToFloat(b.getShort());
            case BF16 -> Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
        };
    }

    /** IEEE 754 binary16 to binary32; exact, since every half value is a float value. */
    public static float halfToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {  // infinity or NaN; NaN payload kept
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {  // zero or subnormal: mantissa * 2^-24
            float magnitude = mantissa * 0x1p-24f;
            return sign != 0 ? -magnitude : magnitude;
        }
        // Normal: rebias the exponent from 15 to 127.
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
