package org.locasbench.harness.experiment;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.locasbench.model.ModelFormatException;

/**
 * Builds an {@link ExperimentConfig}: classpath defaults of the experiment, then a YAML/JSON file, then
 * {@code key=value} overrides (lists comma-separated), then {@code locas.set.KEY} system properties. Unknown keys are
 * errors that name the key.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private ConfigLoader() {}

    public static ExperimentConfig load(String experiment, Path file, List<String> overrides, Properties system) {
        ObjectNode tree = defaults(experiment);
        if (file != null) {
            try {
                JsonNode user = YAML.readTree(file.toFile());
                if (user != null && !user.isObject()) {
                    throw new ModelFormatException(file, "an experiment config must be a YAML/JSON mapping");
                }
                if (user != null) {
                    tree.setAll((ObjectNode) user);
                }
            } catch (IOException e) {
                throw new ModelFormatException(file, "cannot parse the experiment config: " + e.getMessage(), e);
            }
        }
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set expects key=value, got '" + o + "'");
            }
            set(tree, o.substring(0, eq).trim(), o.substring(eq + 1).trim());
        }
        for (Map.Entry<Object, Object> e : system.entrySet()) {
            String key = e.getKey().toString();
            if (key.startsWith("locas.set.")) {
                set(tree, key.substring("locas.set.".length()), e.getValue().toString());
            }
        }
        tree.put("experiment", experiment);
        try {
            return YAML.treeToValue(tree, ExperimentConfig.class);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException("unknown config key '" + e.getPropertyName() + "'; known keys: "
                    + new java.util.TreeSet<>(e.getKnownPropertyIds().stream().map(Object::toString).toList()));
        } catch (IOException e) {
            Throwable cause = e.getCause() instanceof IllegalArgumentException ? e.getCause() : e;
            throw new IllegalArgumentException(cause.getMessage(), cause);
        }
    }

    static ObjectNode defaults(String experiment) {
        String resource = "/experiments/" + experiment + ".yaml";
        try (InputStream in = ConfigLoader.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("unknown experiment '" + experiment
                        + "'; use pg19, locomo, mmlu or ablation");
            }
            ObjectNode tree = (ObjectNode) YAML.readTree(ConfigLoader.class.getResourceAsStream(
                    "/experiments/common.yaml"));
            tree.setAll((ObjectNode) YAML.readTree(in));
            return tree;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    /** Sets a scalar or, for existing list fields and comma-separated values, a list. */
    private static void set(ObjectNode tree, String key, String value) {
        JsonNode current = tree.get(key);
        if (current != null && current.isArray() || value.contains(",")) {
            ArrayNode list = tree.putArray(key);
            for (String v : value.split(",")) {
                if (!v.isBlank()) {
                    list.add(scalar(v.trim()));
                }
            }
        } else {
            tree.set(key, scalar(value));
        }
    }

    private static JsonNode scalar(String v) {
        try {
            return YAML.readTree(v.isEmpty() ? "null" : v);
        } catch (IOException e) {
            return YAML.getNodeFactory().textNode(v);
        }
    }
}
