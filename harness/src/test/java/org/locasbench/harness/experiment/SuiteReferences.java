package org.locasbench.harness.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.locasbench.model.TestData;

/** What the experiment suites check results against, computed without the harness. */
final class SuiteReferences {
    private SuiteReferences() {}

    /**
     * Trainable parameters Locas adds, from the paper's shapes and the model's {@code config.json} alone: G~, K~, V~ of
     * [width, hidden] on each layer's FFN.
     */
    static long locasParams(Path modelDir, int width) {
        JsonNode c = config(modelDir);
        return c.get("num_hidden_layers").asLong() * 3 * width * c.get("hidden_size").asLong();
    }

    /** Trainable parameters LoRA adds: A [rank, in] and B [out, rank] on each target projection of each layer. */
    static long loraParams(Path modelDir, int rank, List<String> targets) {
        JsonNode c = config(modelDir);
        long hidden = c.get("hidden_size").asLong();
        long ffn = c.get("intermediate_size").asLong();
        long q = c.get("num_attention_heads").asLong() * c.get("head_dim").asLong();
        long kv = c.get("num_key_value_heads").asLong() * c.get("head_dim").asLong();
        Map<String, long[]> inOut = Map.of("q_proj", new long[] {hidden, q}, "k_proj", new long[] {hidden, kv},
                "v_proj", new long[] {hidden, kv}, "o_proj", new long[] {q, hidden}, "gate_proj",
                new long[] {hidden, ffn}, "up_proj", new long[] {hidden, ffn}, "down_proj", new long[] {ffn, hidden});
        long perLayer = 0;
        for (String t : targets) {
            perLayer += rank * (inOut.get(t)[0] + inOut.get(t)[1]);
        }
        return c.get("num_hidden_layers").asLong() * perLayer;
    }

    /** The result names {@code reports/baselines/EXPERIMENT.json} tracks (the regression gate keys on them). */
    static List<String> baselineNames(String experiment) {
        Path file = TestData.dataDir().toAbsolutePath().getParent().resolve("reports/baselines/" + experiment
                + ".json");
        try {
            List<String> names = new ArrayList<>();
            new ObjectMapper().readTree(file.toFile()).get("results").fieldNames().forEachRemaining(names::add);
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static JsonNode config(Path modelDir) {
        try {
            return new ObjectMapper().readTree(modelDir.resolve("config.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
