package org.locasbench.harness.ttt;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.locasbench.locas.LocasMemory;
import org.locasbench.model.AtomicFiles;
import org.locasbench.model.ModelFormatException;
import org.locasbench.model.adapter.TrainableAdapter;
import org.locasbench.model.safetensors.SafetensorsFile;
import org.locasbench.model.safetensors.SafetensorsWriter;

/**
 * A resumable state of the streaming protocol: the adapter's parameters and AdamW moments
 * ({@code state-<gen>.safetensors}, exact fp32/fp64) and {@code progress.json} (windows done, their metrics, optimiser
 * steps, the generation it belongs to, a fingerprint of the run). The state file of a generation is written before the
 * progress file that names it, each atomically, and older generations are deleted after; a crash at any moment
 * leaves a consistent pair. The random stream needs no saving: dropout masks are keyed by (seed, window, step).
 */
public final class TrainingCheckpoint {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String PROGRESS = "progress.json";

    /** What {@link #load} found. */
    public record Loaded(Path dir, int generation, int windowsDone, int optimizerSteps, List<WindowResult> results,
            String fingerprint, JsonNode growth) {}

    private TrainingCheckpoint() {}

    public static void save(Path dir, String fingerprint, int generation, List<WindowResult> results,
            TrainableAdapter adapter, AdamW optimizer) throws IOException {
        Files.createDirectories(dir);
        String stateName = "state-" + generation + ".safetensors";
        if (adapter != null) {
            SafetensorsWriter w = new SafetensorsWriter().metadata("format", "locas-bench-checkpoint/1");
            forEachStateTensor(adapter, optimizer, (name, array) -> add(w, name, array));
            addSteps(w, adapter, optimizer);
            w.write(dir.resolve(stateName));
        }
        ObjectNode progress = JSON.createObjectNode().put("fingerprint", fingerprint).put("generation", generation)
                .put("windows_done", results.size()).put("optimizer_steps", optimizer == null ? 0 : optimizer.steps())
                .put("state", adapter == null ? null : stateName);
        if (adapter instanceof LocasMemory memory && !memory.info().growth().isEmpty()) {
            ArrayNode growth = progress.putArray("growth");
            List<int[][]> neurons = memory.clonedNeuronsByBlock();
            for (int b = 0; b < memory.info().growth().size(); b++) {
                var g = memory.info().growth().get(b);
                ObjectNode step = growth.addObject().put("window", g.window()).put("added", g.added());
                step.set("neurons", b + 1 < neurons.size() ? JSON.valueToTree(neurons.get(b + 1)) : null);
            }
        }
        ArrayNode rs = progress.putArray("results");
        for (WindowResult r : results) {
            rs.add(JSON.valueToTree(r));
        }
        AtomicFiles.write(dir.resolve(PROGRESS), o -> JSON.writeValue(o, progress));
        try (Stream<Path> files = Files.list(dir)) {
            for (Path old : files.filter(p -> p.getFileName().toString().startsWith("state-")
                    && !p.getFileName().toString().equals(stateName)).toList()) {
                Files.deleteIfExists(old);
            }
        }
    }

    private static void add(SafetensorsWriter w, String name, NDArray a) {
        long[] shape = a.getShape().getShape();
        if (a.getDataType() == DataType.FLOAT64) {
            w.add(name, a.toDoubleArray(), shape);
        } else {
            w.add(name, a.toType(DataType.FLOAT32, false).toFloatArray(), shape,
                    org.locasbench.model.safetensors.StoredType.F32);
        }
    }

    public static Optional<Loaded> load(Path dir) {
        Path file = dir.resolve(PROGRESS);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        JsonNode p;
        try {
            p = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(file, "unreadable checkpoint progress (" + org.locasbench.model.JsonFields
                    .describe(e) + "); delete the checkpoint directory to start over", e);
        }
        for (String field : new String[] {"results", "generation", "windows_done", "optimizer_steps",
            "fingerprint"}) {
            if (p == null || !p.hasNonNull(field) || (field.equals("results") != p.get(field).isArray())) {
                throw new ModelFormatException(file, "checkpoint progress lacks '" + field + "' (or it has the wrong "
                        + "type); the file was not written by locas-bench: delete the checkpoint directory to start "
                        + "over");
            }
        }
        List<WindowResult> results = new ArrayList<>();
        try {
            for (JsonNode r : p.get("results")) {
                results.add(JSON.treeToValue(r, WindowResult.class));
            }
        } catch (IOException e) {
            throw new ModelFormatException(file, "checkpoint progress has an unreadable window result ("
                    + org.locasbench.model.JsonFields.describe(e) + "); delete the checkpoint directory to start over",
                    e);
        }
        return Optional.of(new Loaded(dir, p.get("generation").asInt(), p.get("windows_done").asInt(),
                p.get("optimizer_steps").asInt(), results, p.get("fingerprint").asText(), p.get("growth")));
    }

    /** Puts the saved parameters and moments into a freshly created adapter and optimiser. */
    public static void restore(Loaded loaded, TrainableAdapter adapter, AdamW optimizer) {
        Path state = loaded.dir().resolve("state-" + loaded.generation() + ".safetensors");
        SafetensorsFile f = SafetensorsFile.open(state);
        if (loaded.growth() != null && adapter instanceof LocasMemory memory) {
            regrow(memory, loaded.growth());
        }
        forEachStateTensor(adapter, optimizer, (name, array) -> set(f, name, array));
        List<NDArray> params = adapter.parameters();
        for (int i = 0; i < params.size(); i++) {
            // per-parameter step counts (rows an expandable memory grew have fewer); older checkpoints: the global one
            int t = f.tensors().containsKey("adam.t." + i) ? (int) f.doubles("adam.t." + i)[0]
                    : loaded.optimizerSteps();
            optimizer.restoreSteps(params.get(i), t);
        }
    }

    /** Gives a fresh memory the blocks it had grown (placeholder rows; the state file then sets every value). */
    private static void regrow(LocasMemory memory, JsonNode growth) {
        NDArray like = memory.parameters().get(0);
        for (JsonNode step : growth) {
            int added = step.get("added").asInt();
            List<org.locasbench.locas.MemoryLayer> rows = new ArrayList<>();
            for (int i = 0; i < memory.layers(); i++) {
                ai.djl.ndarray.types.Shape shape = new ai.djl.ndarray.types.Shape(added, like.getShape().get(1));
                rows.add(new org.locasbench.locas.MemoryLayer(like.getManager().zeros(shape, like.getDataType()),
                        like.getManager().zeros(shape, like.getDataType()),
                        like.getManager().zeros(shape, like.getDataType()), Float.NaN));
            }
            JsonNode n = step.get("neurons");
            int[][] neurons = n == null || n.isNull() ? null : JSON.convertValue(n, int[][].class);
            memory.grow(rows, neurons, step.get("window").asInt());
        }
    }

    /** Every tensor of the state file by its name there: each parameter and its two AdamW moments, by position. */
    private static void forEachStateTensor(TrainableAdapter adapter, AdamW optimizer,
            java.util.function.BiConsumer<String, NDArray> action) {
        List<NDArray> params = adapter.parameters();
        for (int i = 0; i < params.size(); i++) {
            NDArray p = params.get(i);
            AdamMoments m = optimizer.moments(p);
            action.accept("param." + i, p);
            action.accept("adam.m." + i, m.first());
            action.accept("adam.v." + i, m.second());
        }
    }

    private static void addSteps(SafetensorsWriter w, TrainableAdapter adapter, AdamW optimizer) {
        List<NDArray> params = adapter.parameters();
        for (int i = 0; i < params.size(); i++) {
            w.add("adam.t." + i, new double[] {optimizer.steps(params.get(i))}, new long[] {1});
        }
    }

    private static void set(SafetensorsFile f, String name, NDArray target) {
        if (target.getDataType() == DataType.FLOAT64) {
            target.set(f.doubles(name));
        } else {
            target.set(f.floats(name));
        }
    }
}
