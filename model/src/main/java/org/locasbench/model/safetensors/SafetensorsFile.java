package org.locasbench.model.safetensors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.locasbench.model.JsonFields;
import org.locasbench.model.ModelFormatException;

/**
 * A memory-mapped safetensors file: an 8-byte little-endian header length, a JSON header, then raw tensor data.
 *
 * <p>The header is validated completely on open: its length against the file size, every dtype, every byte range
 * against the data section, element count x dtype width against the range, and that ranges neither overlap nor leave
 * holes. A corrupt file therefore fails here, with the file and tensor named, not later inside native code.
 *
 * <p>Files of any size: nothing maps the whole data section. A tensor is mapped on its own, with long file offsets, when
 * it is read ({@link #bytes}), or in windows of under 2 GiB ({@link #window}) for a tensor larger than one Java buffer can
 * address; mappings cost address space, not heap.
 */
public final class SafetensorsFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER = 100L << 20;

    private final Path path;
    private final Map<String, TensorEntry> tensors;
    private final Map<String, String> metadata;
    private final long dataStart;

    private SafetensorsFile(Path path, Map<String, TensorEntry> tensors, Map<String, String> metadata,
            long dataStart) {
        this.path = path;
        this.tensors = tensors;
        this.metadata = metadata;
        this.dataStart = dataStart;
    }

    public static SafetensorsFile open(Path path) {
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < 8) {
                throw new ModelFormatException(path, "file is " + size + " bytes, too short for a safetensors "
                        + "header; the download was probably cut off: download it again");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(lengthBytes, 0);
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength <= 0 || headerLength > MAX_HEADER || 8 + headerLength > size) {
                throw new ModelFormatException(path, "header length " + headerLength + " does not fit the file size "
                        + size + "; not a safetensors file or truncated: download it again");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            channel.read(header, 8);
            long dataStart = 8 + headerLength;
            long dataLength = size - dataStart;
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, TensorEntry> tensors = parseHeader(path, header.array(), dataLength, metadata);
            return new SafetensorsFile(path, tensors, metadata, dataStart);
        } catch (NoSuchFileException e) {
            throw new ModelFormatException(path, "file not found");
        } catch (IOException e) {
            throw new ModelFormatException(path, "cannot read: " + e.getMessage(), e);
        }
    }

    private static Map<String, TensorEntry> parseHeader(Path path, byte[] header, long dataLength,
            Map<String, String> metadataOut) {
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (IOException e) {
            throw new ModelFormatException(path, "header is not valid JSON (" + JsonFields.describe(e)
                    + "); the file is corrupt: download it again", e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(path, "header is not a JSON object; the file is corrupt");
        }
        Map<String, TensorEntry> tensors = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equals("__metadata__")) {
                e.getValue().fields().forEachRemaining(m -> metadataOut.put(m.getKey(), m.getValue().asText()));
                continue;
            }
            tensors.put(e.getKey(), parseEntry(path, e.getKey(), e.getValue(), dataLength));
        }
        checkLayout(path, tensors.values(), dataLength);
        return Collections.unmodifiableMap(tensors);
    }

    private static TensorEntry parseEntry(Path path, String name, JsonNode node, long dataLength) {
        JsonNode dtype = node.get("dtype");
        JsonNode shape = node.get("shape");
        JsonNode offsets = node.get("data_offsets");
        if (dtype == null || shape == null || !shape.isArray() || offsets == null || !offsets.isArray()
                || offsets.size() != 2) {
            throw new ModelFormatException(path, "tensor '" + name + "' lacks dtype, shape or a 2-element "
                    + "data_offsets in the header; the file is corrupt");
        }
        StoredType type = StoredType.parse(path, name, dtype.asText());
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.get(i).asLong(-1);
            if (dims[i] < 0) {
                throw new ModelFormatException(path, "tensor '" + name + "' has a negative dimension " + shape);
            }
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        if (begin < 0 || end < begin || end > dataLength) {
            throw new ModelFormatException(path, "tensor '" + name + "' has data_offsets [" + begin + ", " + end
                    + "] outside the data section of " + dataLength + " bytes; the file is truncated or corrupt");
        }
        TensorEntry entry = new TensorEntry(name, type, dims, begin, end);
        long expected;
        try {
            expected = Math.multiplyExact(entry.elementCount(), type.bytes());
        } catch (ArithmeticException ex) {
            throw new ModelFormatException(path, "tensor '" + name + "' shape " + shape + " overflows");
        }
        if (expected != entry.byteLength()) {
            throw new ModelFormatException(path, "tensor '" + name + "': dtype " + type + " x shape " + shape
                    + " needs " + expected + " bytes but data_offsets span " + entry.byteLength()
                    + "; the header does not match the data");
        }
        return entry;
    }

    private static void checkLayout(Path path, Iterable<TensorEntry> entries, long dataLength) {
        List<TensorEntry> sorted = new ArrayList<>();
        entries.forEach(sorted::add);
        sorted.sort(Comparator.comparingLong(TensorEntry::begin).thenComparingLong(TensorEntry::end));
        long cursor = 0;
        for (TensorEntry t : sorted) {
            if (t.begin() < cursor) {
                throw new ModelFormatException(path, "tensor '" + t.name() + "' overlaps the previous tensor (starts at "
                        + t.begin() + ", previous ends at " + cursor + "); the file is corrupt");
            }
            if (t.begin() > cursor) {
                throw new ModelFormatException(path, "bytes " + cursor + ".." + t.begin()
                        + " belong to no tensor (before '" + t.name() + "'); the file is corrupt");
            }
            cursor = t.end();
        }
        if (cursor != dataLength) {
            throw new ModelFormatException(path, "data section has " + dataLength + " bytes but tensors cover "
                    + cursor + "; the file is truncated or has trailing garbage");
        }
    }

    public Path path() {
        return path;
    }

    public Map<String, TensorEntry> tensors() {
        return tensors;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public TensorEntry entry(String name) {
        TensorEntry e = tensors.get(name);
        if (e == null) {
            throw new ModelFormatException(path, "missing tensor '" + name + "'; this checkpoint does not have the "
                    + "expected Qwen3 layout");
        }
        return e;
    }

    /** The largest window {@link #window} maps at once (a Java buffer addresses at most 2^31 - 1 bytes). */
    public static final int MAX_WINDOW = Integer.MAX_VALUE - 7;

    /** The raw little-endian bytes of one tensor of under 2 GiB, memory-mapped (no copy, no heap). */
    public ByteBuffer bytes(String name) {
        TensorEntry e = entry(name);
        if (e.byteLength() > MAX_WINDOW) {
            throw new ModelFormatException(path, "tensor '" + name + "' has " + e.byteLength() + " bytes, more than one "
                    + "Java buffer holds; it is read in windows (window(...)), not whole");
        }
        return window(name, 0, (int) e.byteLength());
    }

    /** {@code length} bytes of one tensor from {@code offset} (bytes into the tensor), memory-mapped. */
    public ByteBuffer window(String name, long offset, int length) {
        TensorEntry e = entry(name);
        if (offset < 0 || length < 0 || offset + length > e.byteLength()) {
            throw new IllegalArgumentException("window [" + offset + ", +" + length + ") outside tensor '" + name
                    + "' of " + e.byteLength() + " bytes");
        }
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
            if (channel.size() < dataStart + e.end()) {
                throw new ModelFormatException(path, "the file shrank to " + channel.size() + " bytes since it was "
                        + "opened; it is being rewritten or was truncated: download it again");
            }
            MappedByteBuffer mapped = channel.map(FileChannel.MapMode.READ_ONLY, dataStart + e.begin() + offset, length);
            return mapped.order(ByteOrder.LITTLE_ENDIAN);
        } catch (NoSuchFileException ex) {
            throw new ModelFormatException(path, "file vanished while reading tensor '" + name + "'");
        } catch (IOException ex) {
            throw new ModelFormatException(path, "cannot read tensor '" + name + "': " + ex.getMessage(), ex);
        }
    }

    /**
     * One floating-point tensor widened to fp32 and appended to {@code dst} (heap or direct), window by window, with
     * every value checked finite in the same pass: a NaN or Inf in a checkpoint is an error naming file and tensor.
     */
    public void readFloat32(String name, java.nio.FloatBuffer dst) {
        TensorEntry e = entry(name);
        if (!e.type().isFloating()) {
            throw new ModelFormatException(path, "tensor '" + name + "' is " + e.type() + ", expected a float type");
        }
        long count = e.elementCount();
        if (dst.remaining() < count) {
            throw new IllegalArgumentException("buffer of " + dst.remaining() + " floats for tensor '" + name + "' of "
                    + count);
        }
        int width = e.type().bytes();
        long perWindow = MAX_WINDOW / width;
        for (long first = 0; first < count; first += perWindow) {
            int n = (int) Math.min(perWindow, count - first);
            ByteBuffer src = window(name, first * width, n * width);
            long bad = FloatConversion.widenChecked(src, e.type(), n, dst);
            if (bad >= 0) {
                throw new ModelFormatException(path, "tensor '" + name + "' holds a non-finite value (NaN or Inf) at "
                        + "element " + (first + bad) + "; the file is corrupt or was saved after training diverged: "
                        + "use another one");
            }
        }
    }

    /** One floating-point tensor of under 2^31 elements widened to fp32 on the heap (BF16 and F16 exactly, F64 rounded). */
    public float[] floats(String name) {
        TensorEntry e = entry(name);
        if (e.elementCount() > Integer.MAX_VALUE - 8) {
            throw new ModelFormatException(path, "tensor '" + name + "' has " + e.elementCount() + " elements, more "
                    + "than a Java array holds");
        }
        float[] out = new float[(int) e.elementCount()];
        readFloat32(name, java.nio.FloatBuffer.wrap(out));
        return out;
    }

    /** One F64 tensor, unrounded (for fp64 references). */
    public double[] doubles(String name) {
        TensorEntry e = entry(name);
        if (e.type() != StoredType.F64) {
            float[] widened = floats(name);
            return java.util.stream.IntStream.range(0, widened.length).mapToDouble(i -> widened[i]).toArray();
        }
        double[] out = new double[Math.toIntExact(e.elementCount())];
        bytes(name).asDoubleBuffer().get(out);
        return out;
    }

    /** One I64 tensor. */
    public long[] longs(String name) {
        TensorEntry e = entry(name);
        if (e.type() != StoredType.I64) {
            throw new ModelFormatException(path, "tensor '" + name + "' is " + e.type() + ", expected I64");
        }
        long[] out = new long[Math.toIntExact(e.elementCount())];
        bytes(name).asLongBuffer().get(out);
        return out;
    }
}
