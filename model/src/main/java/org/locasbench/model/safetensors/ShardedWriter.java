package org.locasbench.model.safetensors;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.locasbench.model.AtomicFiles;
import org.locasbench.model.safetensors.SafetensorsWriter.Pending;
import org.locasbench.model.safetensors.SafetensorsWriter.TensorSource;

/**
 * The weights of a Hugging Face model folder as transformers' {@code save_pretrained} writes them: one
 * {@code model.safetensors}, or {@code model-0000i-of-0000n.safetensors} shards plus {@code model.safetensors.index.json}
 * ({@code metadata.total_size}, {@code weight_map}) when the tensors exceed the maximum shard size. Tensors are split
 * into shards by huggingface_hub's rule: in order, a new shard starts when the next tensor would tip the current one
 * over the maximum, and a tensor larger than the maximum gets a shard of its own.
 */
public final class ShardedWriter {
    /** transformers' default {@code max_shard_size} ("50GB" since transformers 5; 10^9 bytes a GB, as hub sizes). */
    public static final String DEFAULT_MAX_SHARD_SIZE = "50GB";

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([KMGT]i?B|B)?");

    private final Map<String, Pending> tensors = new LinkedHashMap<>();
    private final Set<String> breaksBefore = new java.util.HashSet<>();

    public ShardedWriter add(String name, StoredType type, long[] shape, TensorSource source) {
        if (tensors.putIfAbsent(name, new Pending(type, shape.clone(), source)) != null) {
            throw new IllegalArgumentException("tensor '" + name + "' added twice");
        }
        return this;
    }

    /** Starts a new shard at this tensor whatever the sizes (e.g. Qwen3-1.7B-Base's stored lm_head, alone at the end). */
    public ShardedWriter shardBreakBefore(String name) {
        breaksBefore.add(name);
        return this;
    }

    /** Bytes per unit as transformers and huggingface_hub read {@code max_shard_size}: KB = 10^3, KiB = 2^10, ... */
    public static long parseSize(String text) {
        Matcher m = SIZE.matcher(text.strip().toUpperCase(Locale.ROOT).replace("IB", "iB"));
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid size '" + text + "': use bytes or a number with KB, MB, GB, TB "
                    + "(powers of 1000) or KiB, MiB, GiB, TiB (powers of 1024), e.g. 5GB");
        }
        double n = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2);
        double scale = switch (unit) {
            case "B" -> 1;
            case "KB" -> 1e3;
            case "MB" -> 1e6;
            case "GB" -> 1e9;
            case "TB" -> 1e12;
            case "KiB" -> 1L << 10;
            case "MiB" -> 1L << 20;
            case "GiB" -> 1L << 30;
            default -> 1L << 40;
        };
        long bytes = (long) (n * scale);
        if (bytes <= 0) {
            throw new IllegalArgumentException("invalid size '" + text + "': must be positive");
        }
        return bytes;
    }

    /** The shards, in order: lists of tensor names. */
    public List<List<String>> plan(long maxShardBytes) {
        List<List<String>> shards = new ArrayList<>();
        List<String> current = new ArrayList<>();
        long currentBytes = 0;
        for (Map.Entry<String, Pending> e : tensors.entrySet()) {
            long size = e.getValue().byteLength();
            if (breaksBefore.contains(e.getKey()) && !current.isEmpty()) {
                shards.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            if (size > maxShardBytes) {
                shards.add(List.of(e.getKey()));
                continue;
            }
            if (currentBytes + size > maxShardBytes && !current.isEmpty()) {
                shards.add(current);
                current = new ArrayList<>();
                currentBytes = 0;
            }
            current.add(e.getKey());
            currentBytes += size;
        }
        if (!current.isEmpty()) {
            shards.add(current);
        }
        return shards;
    }

    /**
     * Writes the shards (each atomically) and then the index into {@code dir}; returns the file names written. Callers
     * that need the folder to appear all at once write into a staging folder and rename it.
     */
    public List<String> write(Path dir, long maxShardBytes) throws IOException {
        Files.createDirectories(dir);
        List<List<String>> shards = plan(maxShardBytes);
        List<String> files = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        ObjectNode index = json.createObjectNode();
        ObjectNode weightMap = json.createObjectNode();
        long total = 0;
        long parameters = 0;
        for (int s = 0; s < shards.size(); s++) {
            String file = shards.size() == 1 ? Checkpoint.SINGLE
                    : String.format(Locale.ROOT, "model-%05d-of-%05d.safetensors", s + 1, shards.size());
            SafetensorsWriter writer = new SafetensorsWriter().metadata("format", "pt");
            for (String name : shards.get(s)) {
                Pending p = tensors.get(name);
                writer.add(name, p.type(), p.shape(), p.source());
                weightMap.put(name, file);
                total += p.byteLength();
                parameters += p.byteLength() / p.type().bytes();
            }
            writer.write(dir.resolve(file));
            files.add(file);
        }
        if (shards.size() > 1) {
            ObjectNode meta = index.putObject("metadata");
            meta.put("total_parameters", parameters);
            meta.put("total_size", total);
            index.set("weight_map", weightMap);
            AtomicFiles.write(dir.resolve(Checkpoint.INDEX), out -> out.write(json.writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(index)));
            files.add(Checkpoint.INDEX);
        }
        return files;
    }
}
