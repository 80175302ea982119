package org.locasbench.results;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What ran: the method and the settings that tell its results apart. Optional fields are null when they do not
 * apply to the experiment (they are still written, as {@code null}).
 *
 * @param id method id ({@link Metrics.Methods}): none, long_context, locas, lora
 * @param label display label, e.g. {@code locas[highest,r=64]}, {@code lora[r=16]}, {@code long_context[1024]},
 *     {@code base} / {@code locas-sidecar} for MMLU's variants
 * @param init Locas init strategy (highest, lowest, random, random_index); null for the other methods
 * @param width Locas memory width or LoRA rank; 0 for methods that add nothing
 * @param variant MMLU's evaluated variant (base, locas-sidecar, locas-dense, lora-merged); null elsewhere
 * @param model the model directory (or hub id) evaluated
 * @param forgettingBook MMLU: the PG-19 book memorized before evaluation; null for base and elsewhere
 * @param contextMode LoCoMo: how windows are cut ({@code date_split}); null elsewhere
 * @param visibleTokens LoCoMo: dialogue tokens the model sees when answering; null elsewhere
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonPropertyOrder({"id", "label", "init", "width", "variant", "model", "forgetting_book", "context_mode",
        "visible_tokens"})
public record MethodInfo(String id, String label, String init, int width, String variant, String model,
        String forgettingBook, String contextMode, Integer visibleTokens) {

    public MethodInfo {
        Checks.requiredText(id, "method.id");
        Checks.requiredText(label, "method.label");
        Checks.required(model, "method.model");
        if (width < 0) {
            throw new IllegalArgumentException("field 'method.width' is " + width + "; it must be >= 0");
        }
        if (visibleTokens != null && visibleTokens < 0) {
            throw new IllegalArgumentException("field 'method.visible_tokens' is " + visibleTokens
                    + "; it must be >= 0");
        }
    }

    /** The required part; add the optional settings with the {@code with...} methods. */
    public static MethodInfo of(String id, String label, int width, String model) {
        return new MethodInfo(id, label, null, width, null, model, null, null, null);
    }

    /**
     * The non-null settings as test-report parameters, named as schema 1's {@code parameters} were (the id as
     * {@code method}), so that Allure's history ids of the suites' tests stay the same across the schema change.
     */
    public Map<String, String> asParameters() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("method", id);
        if (init != null) {
            p.put("init", init);
        }
        p.put("width", String.valueOf(width));
        if (variant != null) {
            p.put("variant", variant);
        }
        p.put("model", model);
        if (forgettingBook != null) {
            p.put("forgetting_book", forgettingBook);
        }
        if (contextMode != null) {
            p.put("context_mode", contextMode);
        }
        if (visibleTokens != null) {
            p.put("visible_tokens", String.valueOf(visibleTokens));
        }
        p.put("label", label);
        return p;
    }

    public MethodInfo withInit(String init) {
        return new MethodInfo(id, label, init, width, variant, model, forgettingBook, contextMode, visibleTokens);
    }

    public MethodInfo withVariant(String variant) {
        return new MethodInfo(id, label, init, width, variant, model, forgettingBook, contextMode, visibleTokens);
    }

    public MethodInfo withForgettingBook(String book) {
        return new MethodInfo(id, label, init, width, variant, model, book, contextMode, visibleTokens);
    }

    public MethodInfo withContext(String contextMode, int visibleTokens) {
        return new MethodInfo(id, label, init, width, variant, model, forgettingBook, contextMode, visibleTokens);
    }
}
