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
            long[] tokens = new java.util.Random(3).longs(64, 0, random.config().vocabSize()).toArray();
            NDArray ids = scope.create(tokens, new Shape(1, tokens.length));
            // N(0, 0.02) weights give small logits (observed max |logit| 1.67), so near-uniform predictions: the mean
            // NLL is close to ln(vocab) (observed 9.016 vs 9.011); single tokens deviate by up to ~0.7
            NDArray logits = random.logits(ids);
            float[] nll = org.locasbench.model.Nll.perToken(logits, ids).toFloatArray();
            double uniform = Math.log(random.config().vocabSize());
            double meanNll = 0;
            for (float v : nll) {
                meanNll += v / nll.length;
            }
            float maxLogit = logits.abs().max().getFloat();
            System.out.printf("random weights: max |logit| %.3f, mean NLL %.4f vs ln(vocab) %.4f over %d tokens%n",
                    maxLogit, meanNll, uniform, nll.length);
            assertThat(nll).hasSize(tokens.length - 1);
            assertThat(maxLogit).as("max |logit|").isLessThan(3f);
            assertThat(meanNll).as("mean NLL vs ln(vocab) = %.3f", uniform).isCloseTo(uniform, within(0.05));
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
        assertThat(json.get("train_ms").get("median").asDouble()).isPositive();
        assertThat(json.get("score_ms").get("min").asDouble()).isPositive();
        assertThat(json.get("tokens_per_s").asDouble()).isPositive();
        assertThat(json.get("trainable_parameters").asLong()).isEqualTo(8L * 256 * 3 * 8);
        assertThat(json.get("mean_nll").asDouble()).isCloseTo(Math.log(8192), within(0.05));
        assertThat(r.err()).as("1 warm-up + 3 timed windows: 0..3").contains("window 3: score")
                .doesNotContain("window 4:");

        CliTest.Result tooFew = CliTest.run("speed", "--model", TestData.bundledModel().toString(), "--random-weights",
                "--book", "10146", "--max-tokens", "100", "--window", "64", "--warmup", "1", "--windows", "3");
        assertThat(tooFew.code()).isEqualTo(2);
        assertThat(tooFew.err()).contains("4 windows of 64 need 256");
    }
}
