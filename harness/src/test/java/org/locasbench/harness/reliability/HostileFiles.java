package org.locasbench.harness.reliability;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.locasbench.model.safetensors.SafetensorsFile;
import org.locasbench.model.safetensors.SafetensorsWriter;
import org.locasbench.model.safetensors.StoredType;
import org.locasbench.model.safetensors.TensorEntry;

/** Copies of the fixtures with one thing broken: a value, a tensor too many or too few, a field. */
final class HostileFiles {
    private HostileFiles() {}

    /** A copy of a fixture directory (files only) at {@code dir/name}. */
    static Path copyDir(Path from, Path dir, String name) throws Exception {
        Path to = Files.createDirectories(dir.resolve(name));
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        return to;
    }

    /** Overwrites element {@code index} of a float tensor in place with {@code value} in the tensor's dtype. */
    static void poison(Path file, String tensor, long index, float value) throws Exception {
        SafetensorsFile f = SafetensorsFile.open(file);
        TensorEntry e = f.entry(tensor);
        long headerLength;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(len, 0);
            headerLength = len.flip().getLong();
            ByteBuffer b = ByteBuffer.allocate(e.type().bytes()).order(ByteOrder.LITTLE_ENDIAN);
            switch (e.type()) {
                case F32 -> b.putFloat(value);
                case BF16 -> b.putShort((short) (Float.floatToRawIntBits(value) >>> 16));
                case F16 -> b.putShort(org.locasbench.model.safetensors.FloatConversion.floatToF16(value));
                default -> throw new IllegalArgumentException(e.type().toString());
            }
            ch.write(b.flip(), 8 + headerLength + e.begin() + index * e.type().bytes());
        }
    }

    /** Rewrites a safetensors file keeping the tensors {@code keep} accepts, plus {@code extra} F32 tensors. */
    static void rewrite(Path file, Predicate<String> keep, Map<String, float[]> extra) throws Exception {
        SafetensorsFile src = SafetensorsFile.open(file);
        SafetensorsWriter w = new SafetensorsWriter();
        src.metadata().forEach(w::metadata);
        for (TensorEntry e : src.tensors().values()) {
            if (keep.test(e.name())) {
                copyRaw(src, e, w);
            }
        }
        extra.forEach((name, values) -> w.add(name, values, new long[] {values.length}, StoredType.F32));
        replace(file, w);
    }

    /** Adds tensor {@code to} to a safetensors file as a byte-for-byte copy of tensor {@code from}. */
    static void copyTensor(Path file, String from, String to) throws Exception {
        SafetensorsFile src = SafetensorsFile.open(file);
        SafetensorsWriter w = new SafetensorsWriter();
        src.metadata().forEach(w::metadata);
        for (TensorEntry e : src.tensors().values()) {
            ByteBuffer copy = ByteBuffer.allocate((int) e.byteLength());
            copy.put(src.bytes(e.name())).flip();
            w.addRaw(e.name(), e.type(), e.shape(), copy);
            if (e.name().equals(from)) {
                w.addRaw(to, e.type(), e.shape(), copy.duplicate());
            }
        }
        replace(file, w);
    }

    /** Rewrites a safetensors file with one tensor's values (F32) and shape replaced. */
    static void replace(Path file, String tensor, long[] shape, float[] values) throws Exception {
        SafetensorsFile src = SafetensorsFile.open(file);
        SafetensorsWriter w = new SafetensorsWriter();
        src.metadata().forEach(w::metadata);
        for (TensorEntry e : src.tensors().values()) {
            if (e.name().equals(tensor)) {
                ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(values);
                w.addRaw(tensor, StoredType.F32, shape, b);
            } else {
                copyRaw(src, e, w);
            }
        }
        replace(file, w);
    }

    /** Rewrites one safetensors metadata entry ({@code null}: removed). */
    static void metadata(Path file, String key, String value) throws Exception {
        SafetensorsFile src = SafetensorsFile.open(file);
        SafetensorsWriter w = new SafetensorsWriter();
        src.metadata().forEach((k, v) -> {
            if (!k.equals(key)) {
                w.metadata(k, v);
            }
        });
        if (value != null) {
            w.metadata(key, value);
        }
        for (TensorEntry e : src.tensors().values()) {
            copyRaw(src, e, w);
        }
        replace(file, w);
    }

    /** Replaces {@code from} by {@code to} in a text file (which must contain it). */
    static void edit(Path file, String from, String to) throws Exception {
        String text = Files.readString(file);
        if (!text.contains(from)) {
            throw new IllegalStateException(file + " does not contain " + from);
        }
        Files.writeString(file, text.replace(from, to));
    }

    /** Copies one tensor's stored bytes unchanged (the mapping is read before the file is replaced). */
    private static void copyRaw(SafetensorsFile src, TensorEntry e, SafetensorsWriter w) {
        ByteBuffer copy = ByteBuffer.allocate((int) e.byteLength());
        copy.put(src.bytes(e.name())).flip();
        w.addRaw(e.name(), e.type(), e.shape(), copy);
    }

    /** Writes {@code w} beside {@code file}, then moves it over the file. */
    private static void replace(Path file, SafetensorsWriter w) throws Exception {
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        w.write(tmp);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
