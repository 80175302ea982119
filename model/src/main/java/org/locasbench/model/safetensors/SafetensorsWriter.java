package org.locasbench.model.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a safetensors file and writes it atomically (temporary file, then rename), so that a crash never leaves a
 * file that looks complete. The header is padded with spaces to a multiple of 8 bytes, as the reference writer does.
 */
public final class SafetensorsWriter {
    private record Pending(StoredType type, long[] shape, ByteBuffer bytes) {}

    private final Map<String, Pending> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** Adds an fp32 tensor, stored as {@code type} (F32, BF16 with round-to-nearest-even, or F16 is not offered). */
    public SafetensorsWriter add(String name, float[] values, long[] shape, StoredType type) {
        checkCount(name, values.length, shape);
        ByteBuffer buf = ByteBuffer.allocate(values.length * type.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        switch (type) {
            case F32 -> buf.asFloatBuffer().put(values);
            case BF16 -> {
                for (float v : values) {
                    buf.putShort(FloatConversion.floatToBf16(v));
                }
            }
            case F64 -> {
                for (float v : values) {
                    buf.putDouble(v);
                }
            }
            default -> throw new IllegalArgumentException("cannot store floats as " + type);
        }
        return put(name, type, shape, buf.rewind());
    }

    /** Adds an fp64 tensor, stored exactly as F64. */
    public SafetensorsWriter add(String name, double[] values, long[] shape) {
        checkCount(name, values.length, shape);
        ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.asDoubleBuffer().put(values);
        return put(name, StoredType.F64, shape, buf);
    }

    public SafetensorsWriter add(String name, long[] values, long[] shape) {
        checkCount(name, values.length, shape);
        ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(values);
        return put(name, StoredType.I64, shape, buf);
    }

    /** Copies a stored tensor unchanged (dtype and bytes), e.g. from one checkpoint into a derived one. */
    public SafetensorsWriter addRaw(String name, StoredType type, long[] shape, ByteBuffer bytes) {
        return put(name, type, shape, bytes.duplicate());
    }

    private SafetensorsWriter put(String name, StoredType type, long[] shape, ByteBuffer bytes) {
        if (tensors.putIfAbsent(name, new Pending(type, shape.clone(), bytes)) != null) {
            throw new IllegalArgumentException("tensor '" + name + "' added twice");
        }
        return this;
    }

    private static void checkCount(String name, int count, long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != count) {
            throw new IllegalArgumentException("tensor '" + name + "': " + count + " values for shape "
                    + java.util.Arrays.toString(shape));
        }
    }

    public void write(Path target) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Pending> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", e.getValue().type().name());
            var shape = t.putArray("shape");
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            long length = e.getValue().bytes().remaining();
            t.putArray("data_offsets").add(offset).add(offset + length);
            offset += length;
        }
        byte[] headerBytes = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (headerBytes.length + 7) / 8 * 8;
        org.locasbench.model.AtomicFiles.write(target, out -> {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
            out.write(headerBytes);
            for (int i = headerBytes.length; i < padded; i++) {
                out.write(' ');
            }
            byte[] chunk = new byte[1 << 16];
            for (Pending p : tensors.values()) {
                ByteBuffer b = p.bytes().duplicate();
                while (b.hasRemaining()) {
                    int n = Math.min(chunk.length, b.remaining());
                    b.get(chunk, 0, n);
                    out.write(chunk, 0, n);
                }
            }
        });
    }
}
