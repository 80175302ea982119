package org.locasbench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locasbench.model.Precision;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.TestData;

/** Random-weight models of a config's shapes and the `speed` command the GPU race runs (here on the CPU). */
class SpeedCommandTest {
    @TempDir
    Path tmp;

    @Test
    void randomWeightsHaveTheConfigsShapesAndTransformersInit() throws Exception {
        Path config = tmp.resolve("config.json");
        Files.copy(TestData.bundledModel().resolve("config.json"), config);
        try (Qwen3Model loaded = Qwen3Model.load(TestData.bundledModel());
                Qwen3Model random = Qwen3Model.random(tmp, Precision.FP32, Device.cpu(), 7);
                NDManager scope = random.manager().newSubManager()) {
            assertThat(random.parameterCount()).isEqualTo(loaded.parameterCount());
            float[] up = random.layer(0).upProj().toFloatArray();
            double mean = 0;
            double square = 0;
            for (float v : up) {
                mean += v / up.length;
                square += (double) v * v / up.length;
            }
            assertThat(mean).isCloseTo(0, within(1e-3));
            assertThat(Math.sqrt(square - mean * mean)).isCloseTo(0.02, within(5e-4));
            assertThat(random.layer(0).inputNorm().toFloatArray()).containsOnly(1f);
            NDArray ids = scope.create(new long[] {1, 2, 3, 4}, new Shape(1, 4));
            // near-uniform predictions: every logit is small, so no NaN and NLL close to ln(vocab)
            float[] logits = random.logits(ids).toFloatArray();
            for (float v : logits) {
                assertThat(Float.isFinite(v)).isTrue();
            }
        }
    }

    @Test
    void speedTimesScoreAndTrainPerWindowAfterWarmup() throws Exception {
        Path out = tmp.resolve("speed.json");
        CliTest.Result r = CliTest.run("speed", "--model", TestData.bundledModel().toString(), "--random-weights",
                "--book", "10146", "--window", "64", "--context", "64", "--width", "8", "--warmup", "1",
                "--windows", "3", "--json", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toFile());
        assertThat(json.get("random_weights").asBoolean()).isTrue();
        assertThat(json.get("timed_windows").asInt()).isEqualTo(3);
        assertThat(json.get("train_ms").get("median").asDouble()).isPositive();
        assertThat(json.get("score_ms").get("min").asDouble()).isPositive();
        assertThat(json.get("tokens_per_s").asDouble()).isPositive();
        assertThat(json.get("trainable_parameters").asLong()).isEqualTo(8L * 256 * 3 * 8);
        assertThat(json.get("mean_nll").asDouble()).isCloseTo(Math.log(8192), within(0.05));
        assertThat(r.err()).contains("window 3: score");

        CliTest.Result tooFew = CliTest.run("speed", "--model", TestData.bundledModel().toString(), "--random-weights",
                "--book", "10146", "--max-tokens", "100", "--window", "64", "--warmup", "1", "--windows", "3");
        assertThat(tooFew.code()).isEqualTo(2);
        assertThat(tooFew.err()).contains("4 windows of 64 need 256");
    }
}
