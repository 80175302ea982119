package org.locasbench.harness.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** Plain-text comparison tables for the console. */
public final class SummaryTable {
    private SummaryTable() {}

    public static String streaming(List<ObjectNode> results) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-8s %-26s %9s %9s %10s %9s %9s %8s %9s%n", "book", "method", "PPL", "dPPL",
                "TempLoraPPL", "params%", "wall s", "x none", "tok/s"));
        for (ObjectNode r : results) {
            JsonNode m = r.get("metrics");
            double none = baseline(results, r.get("unit").asText(), "ppl");
            sb.append(String.format("%-8s %-26s %9.3f %+9.3f %10.3f %9.3f %9.1f %8s %9.0f%n", r.get("unit").asText(),
                    r.get("parameters").get("label").asText(), m.get("ppl").asDouble(),
                    Double.isNaN(none) ? Double.NaN : m.get("ppl").asDouble() - none,
                    m.get("temp_lora_ppl").asDouble(), m.get("params_added_percent").asDouble(),
                    m.get("wall_seconds").asDouble(), m.has("wall_relative_to_none")
                            ? String.format("%.2f", m.get("wall_relative_to_none").asDouble()) : "-",
                    m.get("tokens_per_second").asDouble()));
        }
        return sb.toString();
    }

    static double baseline(List<ObjectNode> results, String unit, String metric) {
        return results.stream().filter(r -> r.get("unit").asText().equals(unit)
                        && r.get("parameters").get("method").asText().equals("none"))
                .mapToDouble(r -> r.get("metrics").get(metric).asDouble()).findFirst().orElse(Double.NaN);
    }
}
