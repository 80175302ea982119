package org.locasbench.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Typed, error-reporting access to the fields of a JSON document read from {@code file} (a {@code config.json}, an
 * {@code adapter_config.json}): a value of the wrong type is an error naming the file, the field and what was found,
 * never a silent 0, false or default.
 */
public record JsonFields(Path file, JsonNode root) {
    public Optional<String> text(String key) {
        JsonNode n = root.get(key);
        return n == null || n.isNull() ? Optional.empty() : Optional.of(n.asText());
    }

    /** A positive integer; a string, a fraction, zero or a negative number is an error. */
    public Optional<Integer> integer(String key) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() <= 0) {
            throw new ModelFormatException(file, key + " must be a positive integer, found " + n + describe(n));
        }
        return Optional.of(n.asInt());
    }

    public int requiredInt(String key) {
        return integer(key).orElseThrow(() -> missing(key));
    }

    /** A positive, finite number; a string ({@code "eight"}) is an error saying it is not a number. */
    public Optional<Double> number(String key) {
        return number(key, false);
    }

    /** A finite number, positive or (when {@code zeroAllowed}) zero. */
    public Optional<Double> number(String key, boolean zeroAllowed) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isNumber()) {
            throw new ModelFormatException(file, key + " must be a number, found " + n + " (" + (n.isTextual()
                    ? "a string" : n.getNodeType().name().toLowerCase(java.util.Locale.ROOT)) + ", not a number)");
        }
        double v = n.asDouble();
        if (!Double.isFinite(v) || v < 0 || (v == 0 && !zeroAllowed)) {
            throw new ModelFormatException(file, key + " must be a " + (zeroAllowed ? "non-negative" : "positive")
                    + " number, found " + n);
        }
        return Optional.of(v);
    }

    /** {@code true} or {@code false}; anything else ({@code "yes"}, 1) is an error. */
    public Optional<Boolean> bool(String key) {
        JsonNode n = root.get(key);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isBoolean()) {
            throw new ModelFormatException(file, key + " must be true or false, found " + n + describe(n));
        }
        return Optional.of(n.asBoolean());
    }

    public ModelFormatException missing(String key) {
        return new ModelFormatException(file, "missing required field '" + key
                + "'; copy the file unchanged from where it was made (the model's or adapter's hub repository)");
    }

    /**
     * What went wrong reading a JSON file, on one line: Jackson's own message without its source excerpt, and where
     * ("line 3, column 17").
     */
    public static String describe(java.io.IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j) {
            com.fasterxml.jackson.core.JsonLocation at = j.getLocation();
            String message = j.getOriginalMessage().strip().replaceAll("\\s*\\R\\s*", " ")
                    .replaceAll("\\[Source: [^;\\]]*(?:\\([^)]*\\))?[^;\\]]*; line: (\\d+), column: (\\d+)\\]",
                            "line $1, column $2");
            return message + (at == null ? ""
                    : " at line " + at.getLineNr() + ", column " + at.getColumnNr());
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String describe(JsonNode n) {
        return n.isTextual() ? " (a string)" : n.isArray() ? " (a list)" : n.isObject() ? " (an object)" : "";
    }
}
