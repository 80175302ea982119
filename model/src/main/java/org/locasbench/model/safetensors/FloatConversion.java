package org.locasbench.model.safetensors;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;

/** Bit-exact conversions between the stored float formats and fp32 (DJL's PyTorch engine has no bfloat16). */
public final class FloatConversion {
    private FloatConversion() {}

    private static final int CHUNK = 1 << 16;

    /**
     * Widens {@code count} stored values from {@code src} to fp32, appending them to {@code dst} (bulk copies through
     * small heap chunks), and returns the index of the first non-finite value, or -1 when all are finite.
     */
    public static long widenChecked(ByteBuffer src, StoredType type, int count, FloatBuffer dst) {
        ByteBuffer in = src.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] chunk = new float[Math.min(CHUNK, Math.max(count, 1))];
        short[] halves = type.bytes() == 2 ? new short[chunk.length] : null;
        double[] wide = type == StoredType.F64 ? new double[chunk.length] : null;
        long firstBad = -1;
        for (int done = 0; done < count; ) {
            int n = Math.min(chunk.length, count - done);
            switch (type) {
                case F32 -> in.asFloatBuffer().get(chunk, 0, n);
                case BF16 -> {
                    in.asShortBuffer().get(halves, 0, n);
                    for (int i = 0; i < n; i++) {
                        chunk[i] = bf16ToFloat(halves[i]);
                    }
                }
                case F16 -> {
                    in.asShortBuffer().get(halves, 0, n);
                    for (int i = 0; i < n; i++) {
                        chunk[i] = f16ToFloat(halves[i]);
                    }
                }
                case F64 -> {
                    in.asDoubleBuffer().get(wide, 0, n);
                    for (int i = 0; i < n; i++) {
                        chunk[i] = (float) wide[i];
                    }
                }
                default -> throw new IllegalArgumentException("not a float type: " + type);
            }
            in.position(in.position() + n * type.bytes());
            if (firstBad < 0) {
                for (int i = 0; i < n; i++) {
                    if (!Float.isFinite(chunk[i])) {
                        firstBad = done + i;
                        break;
                    }
                }
            }
            dst.put(chunk, 0, n);
            done += n;
        }
        return firstBad;
    }

    /**
     * Encodes fp32 values as {@code type} (F32, BF16 round-to-nearest-even, F16 round-to-nearest-even) into {@code out}
     * (little-endian), appending.
     */
    public static void narrow(float[] values, int from, int count, StoredType type, ByteBuffer out) {
        ByteBuffer o = out.order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case F32 -> {
                for (int i = from; i < from + count; i++) {
                    o.putFloat(values[i]);
                }
            }
            case BF16 -> {
                for (int i = from; i < from + count; i++) {
                    o.putShort(floatToBf16(values[i]));
                }
            }
            case F16 -> {
                for (int i = from; i < from + count; i++) {
                    o.putShort(floatToF16(values[i]));
                }
            }
            case F64 -> {
                for (int i = from; i < from + count; i++) {
                    o.putDouble(values[i]);
                }
            }
            default -> throw new IllegalArgumentException("cannot store floats as " + type);
        }
    }

    /**
     * The index of the first of {@code count} values from {@code from} that is not finite, or not once stored as
     * {@code type} (an F16 overflow past +-65504, a BF16 rounding past the fp32 range), or -1: what
     * {@link #narrow} would write as NaN/Inf, which no reader of this project accepts back.
     */
    public static int firstUnstorable(float[] values, int from, int count, StoredType type) {
        for (int i = from; i < from + count; i++) {
            float v = values[i];
            boolean bad = switch (type) {
                case BF16 -> (floatToBf16(v) & 0x7f80) == 0x7f80;
                case F16 -> (floatToF16(v) & 0x7c00) == 0x7c00;
                default -> !Float.isFinite(v);
            };
            if (bad) {
                return i;
            }
        }
        return -1;
    }

    /** Why {@code value} cannot be stored as {@code type}, for an error message: "is NaN", "is 1.0E6, beyond ...". */
    public static String whyUnstorable(float value, StoredType type) {
        return "is " + value + (Float.isFinite(value) ? ", beyond the range of " + type + (type == StoredType.F16
                ? " (largest finite value 65504): store the checkpoint as bf16 or f32 (--dtype)" : "") : "");
    }

    /** fp32 -> IEEE half, round-to-nearest-even (as torch's {@code .half()}); overflow gives Inf. */
    public static short floatToF16(float value) {
        int bits = Float.floatToRawIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) {
            return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign;
            }
            int m = mant | 0x800000;
            int shift = 14 - e;
            int half = m >>> shift;
            int rest = m & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rest > mid || (rest == mid && (half & 1) == 1)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >>> 13);
        int rest = mant & 0x1fff;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) {
            half++;
        }
        return (short) (sign | half);
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
