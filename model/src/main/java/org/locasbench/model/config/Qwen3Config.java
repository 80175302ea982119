package org.locasbench.model.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.locasbench.model.JsonFields;
import org.locasbench.model.ModelFormatException;

/**
 * The fields of a Hugging Face Qwen3 {@code config.json} that the forward pass needs.
 *
 * <p>Reads both the classic hub layout ({@code torch_dtype}, top-level {@code rope_theta}) and the one
 * transformers 5 writes ({@code dtype}, {@code rope_parameters.rope_theta}, {@code layer_types}). Sliding-window
 * attention and RoPE scaling are refused rather than silently computed as something else.
 *
 * @param raw the whole JSON document, kept so that derived checkpoints ({@code to_dense}, LoRA merge) can be written
 *     with every other field unchanged
 */
public record Qwen3Config(
        int hiddenSize,
        int intermediateSize,
        int numHiddenLayers,
        int numAttentionHeads,
        int numKeyValueHeads,
        int headDim,
        double rmsNormEps,
        double ropeTheta,
        int vocabSize,
        boolean tieWordEmbeddings,
        int maxPositionEmbeddings,
        String dtype,
        ObjectNode raw) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public Qwen3Config {
        if (numAttentionHeads % numKeyValueHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads (" + numAttentionHeads
                    + ") must be a multiple of num_key_value_heads (" + numKeyValueHeads + ")");
        }
    }

    /** Number of query heads that share one key/value head. */
    public int groupSize() {
        return numAttentionHeads / numKeyValueHeads;
    }

    public static Qwen3Config read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ModelFormatException(file, "config.json not found: a model directory needs the Hugging Face "
                    + "config.json next to model.safetensors");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new ModelFormatException(file, "not valid JSON (" + JsonFields.describe(e)
                    + "); re-download the file or restore it from the model's hub repository", e);
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read (" + e.getMessage()
                    + "); re-download the file or restore it from the model's hub repository", e);
        }
        if (root == null || !root.isObject()) {
            throw new ModelFormatException(file, "expected a JSON object with the model's hyper-parameters");
        }
        return parse(file, (ObjectNode) root);
    }

    public static Qwen3Config parse(Path file, ObjectNode root) {
        JsonFields f = new JsonFields(file, root);
        String modelType = f.text("model_type").orElseThrow(() -> f.missing("model_type"));
        if (!modelType.equals("qwen3")) {
            throw new ModelFormatException(file, "model_type is '" + modelType
                    + "', but this loader implements only 'qwen3' (Qwen3 dense models); use a Qwen3 checkpoint");
        }
        int hidden = f.requiredInt("hidden_size");
        int heads = f.requiredInt("num_attention_heads");
        int headDim = f.integer("head_dim").orElse(hidden / heads);
        if (headDim % 2 != 0) {
            throw new ModelFormatException(file, "head_dim is " + headDim + (root.has("head_dim") ? ""
                    : " (hidden_size / num_attention_heads)") + ", but RoPE rotates pairs of dimensions and needs an "
                    + "even head_dim; this config.json does not describe a Qwen3");
        }
        refuseUnsupported(f, root);
        int kvHeads = f.requiredInt("num_key_value_heads");
        if (heads % kvHeads != 0) {
            throw new ModelFormatException(file, "num_attention_heads (" + heads + ") must be a multiple of "
                    + "num_key_value_heads (" + kvHeads + "); this config.json does not describe a Qwen3");
        }
        return new Qwen3Config(
                hidden,
                f.requiredInt("intermediate_size"),
                f.requiredInt("num_hidden_layers"),
                heads,
                kvHeads,
                headDim,
                f.number("rms_norm_eps").orElseThrow(() -> f.missing("rms_norm_eps")),
                ropeTheta(f, root),
                f.requiredInt("vocab_size"),
                f.bool("tie_word_embeddings").orElse(false),
                f.integer("max_position_embeddings").orElse(32768),
                f.text("dtype").or(() -> f.text("torch_dtype")).orElse("float32"),
                root.deepCopy());
    }

    /** A copy of this config whose MLP is {@code intermediateSize} wide, as {@code to_dense} writes it. */
    public Qwen3Config withIntermediateSize(int newIntermediateSize) {
        ObjectNode copy = raw.deepCopy();
        copy.put("intermediate_size", newIntermediateSize);
        return new Qwen3Config(hiddenSize, newIntermediateSize, numHiddenLayers, numAttentionHeads, numKeyValueHeads,
                headDim, rmsNormEps, ropeTheta, vocabSize, tieWordEmbeddings, maxPositionEmbeddings, dtype, copy);
    }

    /** A copy with {@code layers} decoder layers (for checkpoints of a real model's width but fewer layers). */
    public Qwen3Config withNumHiddenLayers(int layers) {
        if (layers < 1) {
            throw new IllegalArgumentException("num_hidden_layers must be at least 1, got " + layers);
        }
        ObjectNode copy = raw.deepCopy();
        copy.put("num_hidden_layers", layers);
        if (copy.has("max_window_layers")) {
            copy.put("max_window_layers", Math.min(layers, copy.get("max_window_layers").asInt()));
        }
        if (copy.get("layer_types") instanceof com.fasterxml.jackson.databind.node.ArrayNode types) {
            while (types.size() > layers) {
                types.remove(types.size() - 1);
            }
            while (types.size() < layers) {
                types.add("full_attention");
            }
        }
        return new Qwen3Config(hiddenSize, intermediateSize, layers, numAttentionHeads, numKeyValueHeads, headDim,
                rmsNormEps, ropeTheta, vocabSize, tieWordEmbeddings, maxPositionEmbeddings, dtype, copy);
    }

    /** Writes {@link #raw()} back as a config.json with {@code dtype} set to the given stored dtype. */
    public void write(Path file, String storedDtype) throws IOException {
        ObjectNode copy = raw.deepCopy();
        if (copy.has("torch_dtype")) {
            copy.put("torch_dtype", storedDtype);
        } else {
            copy.put("dtype", storedDtype);
        }
        Files.writeString(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(copy));
    }

    private static double ropeTheta(JsonFields f, ObjectNode root) {
        JsonNode params = root.get("rope_parameters");
        if (params != null && params.isObject() && params.has("rope_theta")) {
            return params.get("rope_theta").asDouble();
        }
        return f.number("rope_theta").orElseThrow(() -> new ModelFormatException(f.file(),
                "missing rope_theta (neither top-level 'rope_theta' nor 'rope_parameters.rope_theta' is set); "
                        + "copy the value from the model's original config.json"));
    }

    private static void refuseUnsupported(JsonFields f, ObjectNode root) {
        if (f.bool("use_sliding_window").orElse(false)) {
            throw new ModelFormatException(f.file(), "use_sliding_window is true: sliding-window attention is not "
                    + "implemented; set it to false only if the model was trained without it");
        }
        JsonNode layerTypes = root.get("layer_types");
        if (layerTypes != null && layerTypes.isArray()) {
            for (JsonNode type : layerTypes) {
                if (!"full_attention".equals(type.asText())) {
                    throw new ModelFormatException(f.file(), "layer_types contains '" + type.asText()
                            + "': only full_attention layers are implemented");
                }
            }
        }
        for (String key : new String[] {"rope_scaling", "rope_parameters"}) {
            JsonNode scaling = root.get(key);
            if (scaling == null || scaling.isNull()) {
                continue;
            }
            String type = scaling.has("rope_type") ? scaling.get("rope_type").asText()
                    : scaling.has("type") ? scaling.get("type").asText() : "default";
            if (!type.equals("default")) {
                throw new ModelFormatException(f.file(), key + ".rope_type is '" + type
                        + "': only the default RoPE is implemented (no YaRN/linear/dynamic scaling); remove the "
                        + "scaling or use a model without it");
            }
        }
        if (f.bool("attention_bias").orElse(false)) {
            throw new ModelFormatException(f.file(), "attention_bias is true: Qwen3 projections have no bias; "
                    + "this checkpoint is not a standard Qwen3");
        }
        String act = f.text("hidden_act").orElse("silu");
        if (!act.equals("silu")) {
            throw new ModelFormatException(f.file(), "hidden_act is '" + act + "': only silu (SwiGLU) is implemented");
        }
    }
}
