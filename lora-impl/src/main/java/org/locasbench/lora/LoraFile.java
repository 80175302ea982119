package org.locasbench.lora;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.locasbench.model.AtomicFiles;
import org.locasbench.model.JsonFields;
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

    /** Writes {@code dir} (new, or an empty directory) as one unit; an existing non-empty directory is refused. */
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
                targets.add(p.shortName());
            }
        }
        // both files appear together or not at all: one staging directory renamed into place
        AtomicFiles.writeDirectory(dir, staging -> {
            w.write(staging.resolve(WEIGHTS));
            AtomicFiles.write(staging.resolve(CONFIG), o -> JSON.writerWithDefaultPrettyPrinter().writeValue(o, cfg));
        });
    }

    private static float[] fp32(NDArray a) {
        return a.getDataType() == DataType.FLOAT32 ? a.toFloatArray() : a.toType(DataType.FLOAT32, true).toFloatArray();
    }

    /**
     * Loads a PEFT LoRA directory for {@code model}. Every field is typed ({@code lora_alpha: "eight"} is an error, not
     * 0), every tensor's shape is checked against the config's rank and the model's projection, and a tensor nothing
     * reads (a module {@code target_modules} does not list, a layer the model lacks) is an error, never dropped.
     */
    public static LoraAdapter load(Path dir, Qwen3Model model) {
        Path cfgFile = dir.resolve(CONFIG);
        if (!Files.isDirectory(dir)) {
            throw new ModelFormatException(dir, "no such adapter directory; pass the folder that holds " + CONFIG
                    + " and " + WEIGHTS);
        }
        LoraConfig config = readConfig(cfgFile);
        SafetensorsFile f = SafetensorsFile.open(dir.resolve(WEIGHTS));
        refuseUnread(f, cfgFile, config.targets(), model.config().numHiddenLayers());
        int layers = model.config().numHiddenLayers();
        for (int i = 0; i < layers; i++) { // all shapes first: nothing is created for a file that is refused
            for (Projection p : config.targets()) {
                long[] w = model.layer(i).projection(p).getShape().getShape();
                checkShape(f, cfgFile, model, i, p, "A", new long[] {config.rank(), w[1]});
                checkShape(f, cfgFile, model, i, p, "B", new long[] {w[0], config.rank()});
            }
        }
        List<Map<Projection, LoraPair>> weights = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            Map<Projection, LoraPair> layer = new EnumMap<>(Projection.class);
            for (Projection p : config.targets()) {
                long[] w = model.layer(i).projection(p).getShape().getShape();
                layer.put(p, new LoraPair(
                        model.manager().create(f.floats(key(i, p, "A")), new Shape(config.rank(), w[1])),
                        model.manager().create(f.floats(key(i, p, "B")), new Shape(w[0], config.rank()))));
            }
            weights.add(layer);
        }
        return LoraAdapter.of(model, config, weights);
    }

    /** adapter_config.json as a LoraConfig; what this loader does not implement is refused by name. */
    static LoraConfig readConfig(Path cfgFile) {
        JsonNode cfg;
        try {
            cfg = JSON.readTree(cfgFile.toFile());
        } catch (java.io.FileNotFoundException e) {
            throw new ModelFormatException(cfgFile, "not found; a PEFT adapter directory holds " + CONFIG + " and "
                    + WEIGHTS);
        } catch (IOException e) {
            throw new ModelFormatException(cfgFile, "cannot read the PEFT adapter config: " + JsonFields.describe(e),
                    e);
        }
        if (cfg == null || !cfg.isObject()) {
            throw new ModelFormatException(cfgFile, "expected a JSON object (PEFT's adapter_config.json)");
        }
        if (!"LORA".equals(cfg.path("peft_type").asText())) {
            throw new ModelFormatException(cfgFile, "peft_type is '" + cfg.path("peft_type").asText()
                    + "', only LORA adapters are supported");
        }
        JsonFields fields = new JsonFields(cfgFile, cfg);
        for (String flag : new String[] {"use_rslora", "use_dora", "fan_in_fan_out"}) {
            if (fields.bool(flag).orElse(false)) {
                throw new ModelFormatException(cfgFile, flag + " is true; rsLoRA, DoRA and fan_in_fan_out adapters "
                        + "are not supported");
            }
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
        if (!modules.isArray() || modules.isEmpty()) {
            throw new ModelFormatException(cfgFile, "target_modules must be a non-empty list of module names ("
                    + Projection.NAMES + "), found " + (modules.isMissingNode() ? "nothing" : modules.toString()));
        }
        for (JsonNode m : modules) {
            try {
                targets.add(Projection.fromModule(m.isTextual() ? m.asText() : m.toString()));
            } catch (IllegalArgumentException e) {
                throw new ModelFormatException(cfgFile, "target_modules: " + e.getMessage());
            }
        }
        int rank = fields.requiredInt("r");
        double alpha = fields.number("lora_alpha").orElseThrow(() -> fields.missing("lora_alpha"));
        double dropout = fields.number("lora_dropout", true).orElse(0.0);
        try {
            return new LoraConfig(rank, alpha, dropout, targets, 0);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(cfgFile, e.getMessage());
        }
    }

    /** Every tensor must be the A or B of a listed module in a layer the model has (missing ones: checkShape). */
    private static void refuseUnread(SafetensorsFile f, Path cfgFile, Set<Projection> targets, int layers) {
        java.util.Set<String> expected = new java.util.HashSet<>();
        for (int i = 0; i < layers; i++) {
            for (Projection p : targets) {
                expected.add(key(i, p, "A"));
                expected.add(key(i, p, "B"));
            }
        }
        for (String name : f.tensors().keySet()) {
            if (expected.contains(name)) {
                continue;
            }
            java.util.regex.Matcher m = KEY.matcher(name);
            if (m.matches() && Projection.isModule(m.group(2))) {
                Projection p = Projection.fromModule(m.group(2));
                if (!targets.contains(p)) {
                    throw new ModelFormatException(f.path(), "tensor '" + name + "' adapts " + p.shortName()
                            + ", which target_modules in " + cfgFile.getFileName() + " does not list; add '"
                            + p.shortName() + "' there (or use the " + CONFIG + " saved with these weights)");
                }
                throw new ModelFormatException(f.path(), "tensor '" + name + "' is for layer " + m.group(1)
                        + ", but the model has " + layers + " layers (0.." + (layers - 1) + "); the adapter was "
                        + "trained on a deeper model");
            }
            throw new ModelFormatException(f.path(), "tensor '" + name + "' is not a LoRA weight this loader reads "
                    + "(base_model.model.model.layers.N.<module>.lora_A|lora_B.weight); only plain LoRA on "
                    + Projection.NAMES + " is supported");
        }
    }

    private static final java.util.regex.Pattern KEY = java.util.regex.Pattern.compile(
            "base_model\\.model\\.model\\.layers\\.(\\d+)\\.(\\w+\\.\\w+)\\.lora_[AB]\\.weight");

    /**
     * A's shape is [r, in], B's [out, r]: a wrong r blames adapter_config.json's r, a wrong in/out the model, each
     * naming the tensor, its shape and what it disagrees with.
     */
    private static void checkShape(SafetensorsFile f, Path cfgFile, Qwen3Model model, int layer, Projection p,
            String ab, long[] expected) {
        String key = key(layer, p, ab);
        if (!f.tensors().containsKey(key)) {
            throw new ModelFormatException(f.path(), "no tensor '" + key + "', although target_modules in "
                    + cfgFile.getFileName() + " lists " + p.shortName() + " and the model has layer " + layer
                    + "; the weights and " + CONFIG + " do not belong together, or the adapter was trained on a "
                    + "model with fewer layers than " + model.directory());
        }
        long[] s = f.entry(key).shape();
        if (Arrays.equals(s, expected)) {
            return;
        }
        int rankAxis = ab.equals("A") ? 0 : 1;
        int modelAxis = 1 - rankAxis;
        String weight = p.weightName(layer);
        long[] w = model.layer(layer).projection(p).getShape().getShape();
        if (s.length == 2 && s[modelAxis] == expected[modelAxis]) {
            throw new ModelFormatException(f.path(), "tensor '" + key + "' has shape " + Arrays.toString(s)
                    + ", rank " + s[rankAxis] + ", but " + cfgFile.getFileName() + " says r = " + expected[rankAxis]
                    + "; the config and the weights disagree: use the " + CONFIG + " saved with these weights");
        }
        throw new ModelFormatException(f.path(), "tensor '" + key + "' has shape " + Arrays.toString(s)
                + ", but the model's " + weight + " is " + Arrays.toString(w) + " [out, in], so lora_" + ab
                + " must be " + Arrays.toString(expected) + "; the adapter was trained on a model of other sizes than "
                + model.directory());
    }
}
