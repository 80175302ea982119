package org.locasbench.results;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Validation shared by the records: required fields and finite numbers, with messages that name the field. */
final class Checks {
    private Checks() {}

    /** {@code field} is the field's path in the JSON layout, e.g. {@code method.id}. */
    static <T> T required(T value, String field) {
        if (value == null) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return value;
    }

    static String requiredText(String value, String field) {
        if (required(value, field).isBlank()) {
            throw new IllegalArgumentException("field '" + field + "' is blank");
        }
        return value;
    }

    /** {@code what} names the number, e.g. {@code metric 'ppl'}. */
    static double finite(double value, String what) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(what + " is " + value + "; results hold finite numbers only");
        }
        return value;
    }

    static Double finiteOrNull(Double value, String what) {
        return value == null ? null : finite(value, what);
    }

    /** An unmodifiable, order-keeping copy whose keys are non-blank and whose values are finite. */
    static Map<String, Double> finiteMap(Map<String, Double> map, String field, String what) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : required(map, field).entrySet()) {
            String key = e.getKey();
            if (key == null || key.isBlank()) {
                throw new IllegalArgumentException(what + " with a blank name in '" + field + "'");
            }
            out.put(key, finite(required(e.getValue(), field + "." + key), what + " '" + key + "'"));
        }
        return Collections.unmodifiableMap(out);
    }

    static <T> List<T> list(List<T> list, String field) {
        List<T> out = new ArrayList<>(required(list, field));
        for (int i = 0; i < out.size(); i++) {
            required(out.get(i), field + "[" + i + "]");
        }
        return Collections.unmodifiableList(out);
    }
}
