package org.locasbench.model.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.locasbench.model.AtomicFiles;

/**
 * Writes a safetensors file atomically (temporary file, then rename), so that a crash never leaves a file that looks
 * complete. The header is padded with spaces to a multiple of 8 bytes, as the reference writer does.
 *
 * <p>Tensors are streamed: each one is a {@link TensorSource} that produces its bytes only when the file is written, so
 * a checkpoint of any size is written with one tensor (or one chunk of it) in memory at a time.
 */
public final class SafetensorsWriter {
    /** Produces exactly {@code byteLength} little-endian bytes of one tensor, in order. */
    @FunctionalInterface
    public interface TensorSource {
        void writeTo(OutputStream out) throws IOException;
    }

    /** One tensor to write: its stored dtype, shape and where its bytes come from. */
    public record Pending(StoredType type, long[] shape, TensorSource source) {
        public long byteLength() {
            long n = type.bytes();
            for (long d : shape) {
                n = Math.multiplyExact(n, d);
            }
            return n;
        }
    }

    private final Map<String, Pending> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /** Adds an fp32 tensor, stored as {@code type} (F32, BF16 or F16 rounded to nearest even, F64 exact). */
    public SafetensorsWriter add(String name, float[] values, long[] shape, StoredType type) {
        checkCount(name, values.length, shape);
        return add(name, type, shape, floatSource(name, () -> values, type));
    }

    /** Adds an fp64 tensor, stored exactly as F64. */
    public SafetensorsWriter add(String name, double[] values, long[] shape) {
        checkCount(name, values.length, shape);
        ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.asDoubleBuffer().put(values);
        return addRaw(name, StoredType.F64, shape, buf);
    }

    public SafetensorsWriter add(String name, long[] values, long[] shape) {
        checkCount(name, values.length, shape);
        ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(values);
        return addRaw(name, StoredType.I64, shape, buf);
    }

    /** Copies stored bytes unchanged (dtype and bytes), e.g. from one checkpoint into a derived one. */
    public SafetensorsWriter addRaw(String name, StoredType type, long[] shape, ByteBuffer bytes) {
        ByteBuffer copy = bytes.duplicate();
        return add(name, type, shape, out -> copy(copy.duplicate(), out));
    }

    /** Adds a tensor whose bytes {@code source} produces when the file is written. */
    public SafetensorsWriter add(String name, StoredType type, long[] shape, TensorSource source) {
        if (tensors.putIfAbsent(name, new Pending(type, shape.clone(), source)) != null) {
            throw new IllegalArgumentException("tensor '" + name + "' added twice");
        }
        return this;
    }

    /**
     * A source that computes fp32 values when written and encodes them as {@code type}. A value that is NaN/Inf, or
     * becomes Inf as {@code type}, stops the write (nothing is renamed into place): no reader here accepts it back.
     */
    public static TensorSource floatSource(String name, java.util.function.Supplier<float[]> values, StoredType type) {
        return out -> {
            float[] v = values.get();
            int bad = FloatConversion.firstUnstorable(v, 0, v.length, type);
            if (bad >= 0) {
                throw new IllegalArgumentException("tensor '" + name + "': element " + bad + " "
                        + FloatConversion.whyUnstorable(v[bad], type) + "; nothing was written");
            }
            ByteBuffer chunk = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            int per = chunk.capacity() / type.bytes();
            for (int from = 0; from < v.length; from += per) {
                int n = Math.min(per, v.length - from);
                chunk.clear();
                FloatConversion.narrow(v, from, n, type, chunk);
                out.write(chunk.array(), 0, chunk.position());
            }
        };
    }

    /** Writes a buffer's remaining bytes to a stream through a small heap chunk (mapped buffers have no array). */
    public static void copy(ByteBuffer src, OutputStream out) throws IOException {
        byte[] chunk = new byte[1 << 20];
        while (src.hasRemaining()) {
            int n = Math.min(chunk.length, src.remaining());
            src.get(chunk, 0, n);
            out.write(chunk, 0, n);
        }
    }

    private static void checkCount(String name, int count, long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        if (n != count) {
            throw new IllegalArgumentException("tensor '" + name + "': " + count + " values for shape "
                    + Arrays.toString(shape));
        }
    }

    public Map<String, Pending> tensors() {
        return java.util.Collections.unmodifiableMap(tensors);
    }

    /** Bytes of tensor data (what transformers' index calls the size of a shard). */
    public long dataBytes() {
        return tensors.values().stream().mapToLong(Pending::byteLength).sum();
    }

    public void write(Path target) throws IOException {
        AtomicFiles.write(target, this::writeTo);
    }

    /** The whole file to a stream; each source is checked to produce exactly its tensor's size. */
    public void writeTo(OutputStream out) throws IOException {
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
            long length = e.getValue().byteLength();
            t.putArray("data_offsets").add(offset).add(offset + length);
            offset += length;
        }
        byte[] headerBytes = json.writeValueAsString(header).getBytes(StandardCharsets.UTF_8);
        int padded = (headerBytes.length + 7) / 8 * 8;
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array());
        out.write(headerBytes);
        for (int i = headerBytes.length; i < padded; i++) {
            out.write(' ');
        }
        for (Map.Entry<String, Pending> e : tensors.entrySet()) {
            CountingStream counted = new CountingStream(out);
            e.getValue().source().writeTo(counted);
            if (counted.count != e.getValue().byteLength()) {
                throw new IllegalStateException("tensor '" + e.getKey() + "' produced " + counted.count
                        + " bytes, its header says " + e.getValue().byteLength());
            }
        }
    }

    private static final class CountingStream extends java.io.FilterOutputStream {
        long count;

        CountingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
