package org.locasbench.model.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** Bit-exact conversions between the stored float formats and fp32 (DJL's PyTorch engine has no bfloat16). */
public final class FloatConversion {
    private FloatConversion() {}

    public static float[] toFloat32(ByteBuffer src, StoredType type, int count) {
        float[] out = new float[count];
        toFloat32(src, type, (long) count).get(out);
        return out;
    }

    /** Widens into a direct (off-heap) buffer, ready to hand to native code without a heap copy. */
    public static FloatBuffer toFloat32(ByteBuffer src, StoredType type, long count) {
        ByteBuffer in = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (type == StoredType.F32) {
            return in.asFloatBuffer();
        }
        FloatBuffer out = ByteBuffer.allocateDirect(Math.toIntExact(count * 4)).order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        int n = (int) count;
        switch (type) {
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    out.put(i, bf16ToFloat(in.getShort(2 * i)));
                }
            }
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    out.put(i, f16ToFloat(in.getShort(2 * i)));
                }
            }
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    out.put(i, (float) in.getDouble(8 * i));
                }
            }
            default -> throw new IllegalArgumentException("not a float type: " + type);
        }
        return out;
    }

    /** IEEE half -> fp32 (Java 17 has no Float.float16ToFloat). */
    public static float f16ToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            float magnitude = mant * 0x1p-24f; // subnormal (or zero)
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** bf16 is the upper half of an fp32: widening is a shift. */
    public static float bf16ToFloat(short bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }

    /** Round-to-nearest-even fp32 -> bf16, as torch's {@code .to(torch.bfloat16)}. */
    public static short floatToBf16(float value) {
        int bits = Float.floatToRawIntBits(value);
        if (Float.isNaN(value)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        int rounding = 0x7fff + ((bits >>> 16) & 1);
        return (short) ((bits + rounding) >>> 16);
    }
}
