package org.locasbench.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.locasbench.model.AtomicFiles;
import org.locasbench.model.ModelFormatException;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.adapter.Projection;
import org.locasbench.model.safetensors.SafetensorsFile;
import org.locasbench.model.safetensors.SafetensorsWriter;
import org.locasbench.model.safetensors.StoredType;

/**
 * A LoRA adapter directory as PEFT writes and reads it: {@code adapter_config.json} and
 * {@code adapter_model.safetensors} with keys {@code base_model.model.model.layers.{i}.<module>.lora_A.weight} [r, in]
 * and {@code ...lora_B.weight} [out, r].
 */
public final class LoraFile {
    public static final String CONFIG = "adapter_config.json";
    public static final String WEIGHTS = "adapter_model.safetensors";
    private static final ObjectMapper JSON = new ObjectMapper();

    private LoraFile() {}

    static String key(int layer, Projection p, String ab) {
        return "base_model.model.model.layers." + layer + "." + p.module() + ".lora_" + ab + ".weight";
    }

    public static void save(LoraAdapter adapter, Path dir, String baseModel) throws IOException {
        LoraConfig c = adapter.config();
        SafetensorsWriter w = new SafetensorsWriter().metadata("format", "pt");
        for (int i = 0; i < adapter.layers(); i++) {
            for (Projection p : Projection.values()) {
                LoraPair pair = adapter.pair(i, p);
                if (pair != null) {
                    w.add(key(i, p, "A"), fp32(pair.loraA()), pair.loraA().getShape().getShape(), StoredType.F32);
                    w.add(key(i, p, "B"), fp32(pair.loraB()), pair.loraB().getShape().getShape(), StoredType.F32);
                }
            }
        }
        ObjectNode cfg = JSON.createObjectNode();
        cfg.put("peft_type", "LORA").put("task_type", "CAUSAL_LM").put("base_model_name_or_path", baseModel)
                .put("r", c.rank()).put("lora_alpha", c.alpha()).put("lora_dropout", c.dropout()).put("bias", "none")
                .put("fan_in_fan_out", false).put("init_lora_weights", true).put("use_rslora", false)
                .put("use_dora", false).put("inference_mode", true).putNull("modules_to_save");
        ArrayNode targets = cfg.putArray("target_modules");
        for (Projection p : Projection.values()) {
            if (c.targets().contains(p)) {
                targets.add(p.module().substring(p.module().indexOf('.') + 1));
            }
        }
        Files.createDirectories(dir);
        w.write(dir.resolve(WEIGHTS));
        AtomicFiles.write(dir.resolve(CONFIG), o -> JSON.writerWithDefaultPrettyPrinter().writeValue(o, cfg));
    }

    private static float[] fp32(NDArray a) {
        return a.getDataType() == DataType.FLOAT32 ? a.toFloatArray() : a.toType(DataType.FLOAT32, true).toFloatArray();
    }

    /** Loads a PEFT LoRA directory for {@code model}; shapes are checked against the model. */
    public static LoraAdapter load(Path dir, Qwen3Model model) {
        Path cfgFile = dir.resolve(CONFIG);
        JsonNode cfg;
        try {
            cfg = JSON.readTree(cfgFile.toFile());
        } catch (IOException e) {
            throw new ModelFormatException(cfgFile, "cannot read the PEFT adapter config: " + e.getMessage(), e);
        }
        if (!"LORA".equals(cfg.path("peft_type").asText())) {
            throw new ModelFormatException(cfgFile, "peft_type is '" + cfg.path("peft_type").asText()
                    + "', only LORA adapters are supported");
        }
        if (cfg.path("use_rslora").asBoolean(false) || cfg.path("use_dora").asBoolean(false)
                || cfg.path("fan_in_fan_out").asBoolean(false)) {
            throw new ModelFormatException(cfgFile, "rsLoRA, DoRA and fan_in_fan_out adapters are not supported");
        }
        for (String field : new String[] {"rank_pattern", "alpha_pattern", "layers_to_transform"}) {
            JsonNode v = cfg.path(field);
            if (!v.isMissingNode() && !v.isNull() && !v.isEmpty()) {
                throw new ModelFormatException(cfgFile, field + " is set; per-layer ranks/alphas and layer subsets are "
                        + "not supported: use one rank and alpha for every adapted projection");
            }
        }
        Set<Projection> targets = EnumSet.noneOf(Projection.class);
        JsonNode modules = cfg.path("target_modules");
        if (!modules.isArray()) {
            throw new ModelFormatException(cfgFile, "target_modules must be a list of module names");
        }
        modules.forEach(m -> targets.add(Projection.fromModule(m.asText())));
        LoraConfig config = new LoraConfig(cfg.path("r").asInt(), cfg.path("lora_alpha").asDouble(),
                cfg.path("lora_dropout").asDouble(0), targets, 0);
        SafetensorsFile f = SafetensorsFile.open(dir.resolve(WEIGHTS));
        int layers = model.config().numHiddenLayers();
        for (int i = 0; i < layers; i++) { // all shapes first: nothing is created for a file that is refused
            for (Projection p : targets) {
                long[] w = model.layer(i).projection(p).getShape().getShape();
                checkShape(f, key(i, p, "A"), config.rank(), w[1]);
                checkShape(f, key(i, p, "B"), w[0], config.rank());
            }
        }
        List<Map<Projection, LoraPair>> weights = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            Map<Projection, LoraPair> layer = new EnumMap<>(Projection.class);
            for (Projection p : targets) {
                long[] w = model.layer(i).projection(p).getShape().getShape();
                layer.put(p, new LoraPair(
                        model.manager().create(f.floats(key(i, p, "A")), new Shape(config.rank(), w[1])),
                        model.manager().create(f.floats(key(i, p, "B")), new Shape(w[0], config.rank()))));
            }
            weights.add(layer);
        }
        return LoraAdapter.of(model, config, weights);
    }

    private static void checkShape(SafetensorsFile f, String key, long rows, long cols) {
        long[] s = f.entry(key).shape();
        if (s.length != 2 || s[0] != rows || s[1] != cols) {
            throw new ModelFormatException(f.path(), key + " has shape " + java.util.Arrays.toString(s)
                    + ", expected [" + rows + ", " + cols + "]; the adapter was made for another model");
        }
    }
}
