package org.locasbench.harness.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.locasbench.model.ModelFormatException;

/**
 * Builds typed configs from layered YAML. Layers, each overriding the one before: {@code experiments/common.yaml}, the
 * experiment's {@code experiments/NAME.yaml} (the only places default values live), a user file (YAML or JSON),
 * {@code --set section.key=value} (lists comma-separated), then {@code -Dlocas.set.section.key=value}.
 *
 * <p>Strict: unknown sections and keys, duplicate keys, a fraction where an integer belongs and values of the wrong type
 * are errors that name the key and the layer that set it. Every record validates its own values on construction.
 */
public final class ConfigLoader {
    private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory())
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build();

    /** The merged layers of one run, with where each key was last set. */
    public static final class Layers {
        private final ObjectNode tree;
        private final Map<String, String> origin;
        private final Set<String> sections;

        private Layers(ObjectNode tree, Map<String, String> origin, Set<String> sections) {
            this.tree = tree;
            this.origin = origin;
            this.sections = sections;
        }

        /** The sections every streaming run shares. */
        public CommonConfig common() {
            return new CommonConfig(section("run", RunSettings.class), section("window", WindowSettings.class),
                    section("locas", LocasSettings.class), section("lora", LoraSettings.class),
                    section("training", TrainingSettings.class), section("grpo", GrpoSettings.class),
                    section("reliability", ReliabilitySettings.class));
        }

        /** One section bound to its record; errors name {@code section.key} and the layer that set it. */
        public <T> T section(String name, Class<T> type) {
            if (!sections.contains(name)) {
                throw new IllegalStateException("section '" + name + "' is not part of this config");
            }
            JsonNode node = tree.get(name);
            try {
                return YAML.treeToValue(node == null ? YAML.createObjectNode() : node, type);
            } catch (UnrecognizedPropertyException e) {
                throw new ConfigException(name + "." + e.getPropertyName(), "unknown key" + from(name + "."
                        + e.getPropertyName()) + "; known keys of '" + name + "': " + new TreeSet<>(
                        e.getKnownPropertyIds().stream().map(Object::toString).toList()));
            } catch (JsonMappingException e) {
                Throwable cause = e.getCause();
                if (cause instanceof ConfigException ce) {
                    throw new ConfigException(ce.key(), ce.getMessage().substring(ce.getMessage().indexOf(": ") + 2)
                            + from(ce.key()));
                }
                String key = name + pathOf(e);
                throw new ConfigException(key, (cause instanceof IllegalArgumentException ? cause.getMessage()
                        : describe(e)) + from(key));
            } catch (JsonProcessingException e) {
                throw new ConfigException(name, e.getOriginalMessage() + from(name));
            }
        }

        /** The merged tree (for --print-config and for the results' record of the config). */
        public ObjectNode tree() {
            return tree.deepCopy();
        }

        private String from(String key) {
            String o = origin.get(key);
            return o == null ? "" : " (set by " + o + ")";
        }
    }

    /** One {@code section.key=value} override and who gave it (for error messages). */
    public record Setting(String key, String value, String origin) {
        /** Parses {@code section.key=value}. */
        public static Setting parse(String text, String origin) {
            int eq = text.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(origin + " expects section.key=value, got '" + text + "'");
            }
            return new Setting(text.substring(0, eq).trim(), text.substring(eq + 1).trim(), origin);
        }
    }

    private ConfigLoader() {}

    /** The defaults of {@code common.yaml} alone (what the streaming commands' options default to). */
    public static Layers commonDefaults() {
        return load(null, List.of(), null, List.of(), new Properties());
    }

    /**
     * Loads the layers of a run. {@code experiment} names its defaults file and its sections ({@code ownSections});
     * null loads only the common sections (the streaming commands).
     */
    public static Layers load(String experiment, List<String> ownSections, Path file, List<Setting> overrides,
            Properties system) {
        Set<String> allowed = new LinkedHashSet<>(CommonConfig.SECTIONS);
        allowed.addAll(ownSections);
        ObjectNode tree = YAML.createObjectNode();
        Map<String, String> origin = new HashMap<>();
        merge(tree, origin, resource("/experiments/common.yaml"), "experiments/common.yaml", allowed);
        if (experiment != null) {
            merge(tree, origin, resource("/experiments/" + experiment + ".yaml"), "experiments/" + experiment
                    + ".yaml", allowed);
        }
        if (file != null) {
            merge(tree, origin, readFile(file), file.toString(), allowed);
        }
        for (Setting o : overrides) {
            set(tree, origin, allowed, o.key(), o.value(), o.origin());
        }
        for (String name : new TreeSet<>(system.stringPropertyNames())) {
            if (name.startsWith("locas.set.")) {
                set(tree, origin, allowed, name.substring("locas.set.".length()), system.getProperty(name),
                        "-D" + name);
            }
        }
        return new Layers(tree, origin, allowed);
    }

    private static ObjectNode resource(String name) {
        try (InputStream in = ConfigLoader.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + name);
            }
            JsonNode node = YAML.readTree(in);
            return node == null ? YAML.createObjectNode() : (ObjectNode) node;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    private static ObjectNode readFile(Path file) {
        try {
            JsonNode node = YAML.readTree(Files.readString(file));
            if (node == null || node.isNull()) {
                return YAML.createObjectNode();
            }
            if (!node.isObject()) {
                throw new ModelFormatException(file, "an experiment config must be a YAML/JSON mapping of sections "
                        + "(run:, window:, locas:, ...)");
            }
            return (ObjectNode) node;
        } catch (java.nio.file.NoSuchFileException e) {
            throw new ModelFormatException(file, "config file not found");
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new ModelFormatException(file, "not valid YAML/JSON" + where + ": "
                    + e.getOriginalMessage().replaceAll("\\s+", " "));
        } catch (IOException e) {
            throw new ModelFormatException(file, "cannot read the config: " + e.getMessage());
        }
    }

    private static void merge(ObjectNode tree, Map<String, String> origin, ObjectNode layer, String label,
            Set<String> allowed) {
        for (Iterator<Map.Entry<String, JsonNode>> it = layer.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> section = it.next();
            String name = section.getKey();
            requireSection(name, allowed, label);
            if (!section.getValue().isObject()) {
                throw new ConfigException(name, "must be a mapping of keys (e.g. " + name + ":\\n  key: value), got "
                        + section.getValue().getNodeType().toString().toLowerCase() + " (set by " + label + ")");
            }
            ObjectNode target = tree.has(name) ? (ObjectNode) tree.get(name) : tree.putObject(name);
            section.getValue().fields().forEachRemaining(e -> {
                target.set(e.getKey(), e.getValue());
                origin.put(name + "." + e.getKey(), label);
            });
        }
    }

    private static void requireSection(String name, Set<String> allowed, String label) {
        if (!allowed.contains(name)) {
            throw new ConfigException(name, "unknown section (set by " + label + "); sections here: " + allowed);
        }
    }

    /** {@code section.key=value}: a scalar, or a list when the key holds a list or the value has commas. */
    private static void set(ObjectNode tree, Map<String, String> origin, Set<String> allowed, String key, String value,
            String label) {
        int dot = key.indexOf('.');
        if (dot <= 0 || dot == key.length() - 1 || key.indexOf('.', dot + 1) >= 0) {
            throw new ConfigException(key, "keys are section.key (e.g. window.size, run.devices); got '" + key + "'"
                    + suggestion(tree, key) + " (set by " + label + ")");
        }
        String name = key.substring(0, dot);
        requireSection(name, allowed, label);
        ObjectNode section = tree.has(name) ? (ObjectNode) tree.get(name) : tree.putObject(name);
        String field = key.substring(dot + 1);
        JsonNode current = section.get(field);
        if (value.isBlank()) {
            section.putNull(field); // the record says what an empty value means (often: not allowed, and why)
        } else if (current != null && current.isArray() || value.contains(",")) {
            ArrayNode list = section.putArray(field);
            for (String v : value.split(",", -1)) {
                if (v.isBlank()) {
                    throw new ConfigException(key, "empty list element in '" + value + "' (set by " + label + ")");
                }
                list.add(scalar(v.trim()));
            }
        } else {
            section.set(field, scalar(value));
        }
        origin.put(key, label);
    }

    private static String suggestion(ObjectNode tree, String key) {
        List<String> matches = new ArrayList<>();
        tree.fields().forEachRemaining(s -> {
            if (s.getValue().has(key)) {
                matches.add(s.getKey() + "." + key);
            }
        });
        return matches.isEmpty() ? "" : "; did you mean " + String.join(" or ", matches) + "?";
    }

    private static JsonNode scalar(String v) {
        if (v.isEmpty() || v.equals("null")) {
            return YAML.getNodeFactory().nullNode();
        }
        try {
            JsonNode n = YAML.readTree(v);
            return n != null && n.isValueNode() ? n : YAML.getNodeFactory().textNode(v);
        } catch (IOException e) {
            return YAML.getNodeFactory().textNode(v);
        }
    }

    private static String pathOf(JsonMappingException e) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                sb.append('.').append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    private static String describe(JsonMappingException e) {
        String m = e.getOriginalMessage();
        if (m.contains("not one of the values accepted")) {
            int open = m.indexOf('[');
            return "not one of " + (open >= 0 ? m.substring(open, m.indexOf(']', open) + 1).toLowerCase() : "the "
                    + "accepted values") + ", got " + m.replaceAll("(?s).*from String (\"[^\"]*\").*", "$1");
        }
        if (m.contains("Cannot coerce Floating-point")) {
            return "must be a whole number, got a fraction";
        }
        if (m.contains("Cannot deserialize value of type `int`") || m.contains("Cannot deserialize value of type "
                + "`long`") || m.contains("type `java.lang.Integer`")) {
            return "must be a whole number: " + m.replaceAll("(?s).*from String (\"[^\"]*\").*", "got $1");
        }
        if (m.contains("type `double`")) {
            return "must be a number: " + m.replaceAll("(?s).*from String (\"[^\"]*\").*", "got $1");
        }
        if (m.contains("null")) {
            return "must not be null";
        }
        return m.replaceAll("\\s+", " ").replaceAll(" \\(for Object starting at.*", "");
    }
}
