package org.locasbench.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.locasbench.model.adapter.LayerAdapter;
import org.locasbench.model.nn.KvCache;
import org.locasbench.model.safetensors.SafetensorsFile;
import org.locasbench.model.tokenizer.TextTokenizer;

/**
 * Our Qwen3 forward against Hugging Face transformers (fp32, eager attention) on fixtures written by
 * {@code data/fixtures/make_fixtures.py}: bf16 checkpoints widened to fp32 on both sides.
 * Tolerances: |logit diff| <= 1e-4, |NLL diff| <= 1e-5.
 */
class Qwen3ParityTest {
    static final double LOGIT_TOLERANCE = 1e-4;
    static final double NLL_TOLERANCE = 1e-5;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tiny-qwen3", "tiny-qwen3-untied"})
    void logitsAndNllMatchTransformers(String fixture) {
        Path dir = TestData.fixture(fixture);
        SafetensorsFile ref = SafetensorsFile.open(dir.resolve("reference.safetensors"));
        try (Qwen3Model model = Qwen3Model.load(dir); NDManager scope = model.manager().newSubManager()) {
            long[] idShape = ref.entry("ids").shape();
            NDArray ids = scope.create(ref.longs("ids"), new Shape(idShape));
            NDArray logits = model.logits(ids);
            assertThat(maxAbsDiff(logits, ref.floats("logits"))).as("max |logit diff| single sequence")
                    .isLessThanOrEqualTo(LOGIT_TOLERANCE);
            assertThat(maxAbsDiff(Nll.perToken(logits, ids), ref.floats("nll"))).as("max |NLL diff|")
                    .isLessThanOrEqualTo(NLL_TOLERANCE);

            long offset = Long.parseLong(ref.metadata().get("offset_position"));
            NDArray shifted = model.logits(ids, offset, LayerAdapter.NONE, null);
            assertThat(maxAbsDiff(shifted, ref.floats("offset_logits"))).as("logits at positions offset by %d", offset)
                    .isLessThanOrEqualTo(LOGIT_TOLERANCE);
            System.out.printf("parity %s: max|logit diff| %.3g, max|NLL diff| %.3g, offset %.3g%n", fixture,
                    maxAbsDiff(logits, ref.floats("logits")), maxAbsDiff(Nll.perToken(logits, ids), ref.floats("nll")),
                    maxAbsDiff(shifted, ref.floats("offset_logits")));
        }
    }

    /** Decoding the second half through the KV cache (positions offset by the cached length) gives the same logits. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tiny-qwen3", "tiny-qwen3-untied"})
    void kvCacheDecodingMatchesFullForward(String fixture) {
        Path dir = TestData.fixture(fixture);
        SafetensorsFile ref = SafetensorsFile.open(dir.resolve("reference.safetensors"));
        try (Qwen3Model model = Qwen3Model.load(dir); NDManager scope = model.manager().newSubManager();
                KvCache cache = new KvCache(scope, model.config().numHiddenLayers())) {
            long[] all = ref.longs("ids");
            int split = 10;
            model.logits(scope.create(java.util.Arrays.copyOfRange(all, 0, split), new Shape(1, split)), 0,
                    LayerAdapter.NONE, cache);
            float[] expected = ref.floats("logits");
            int vocab = expected.length / all.length;
            for (int t = split; t < all.length; t++) {
                NDArray step = model.logits(scope.create(new long[] {all[t]}, new Shape(1, 1)), 0, LayerAdapter.NONE,
                        cache);
                float[] row = java.util.Arrays.copyOfRange(expected, t * vocab, (t + 1) * vocab);
                assertThat(maxAbsDiff(step, row)).as("token %d decoded after %d cached positions", t, t)
                        .isLessThanOrEqualTo(LOGIT_TOLERANCE);
            }
            assertThat(cache.length()).isEqualTo(all.length);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"tiny-qwen3", "tiny-qwen3-untied"})
    void rightPaddedBatchMatchesTransformersOnRealTokens(String fixture) {
        Path dir = TestData.fixture(fixture);
        SafetensorsFile ref = SafetensorsFile.open(dir.resolve("reference.safetensors"));
        try (Qwen3Model model = Qwen3Model.load(dir); NDManager scope = model.manager().newSubManager()) {
            long[] shape = ref.entry("batch_ids").shape();
            NDArray ids = scope.create(ref.longs("batch_ids"), new Shape(shape));
            long[] lengths = ref.longs("batch_lengths");
            NDArray logits = model.logits(ids);
            NDArray nll = Nll.perToken(logits, ids);
            float[] refLogits = ref.floats("batch_logits");
            float[] refNll = ref.floats("batch_nll");
            float[] ourLogits = logits.toFloatArray();
            float[] ourNll = nll.toFloatArray();
            int t = (int) shape[1];
            int vocab = (int) logits.getShape().get(2);
            double logitDiff = 0;
            double nllDiff = 0;
            for (int b = 0; b < shape[0]; b++) {
                for (int i = 0; i < lengths[b]; i++) {
                    for (int v = 0; v < vocab; v++) {
                        int k = (b * t + i) * vocab + v;
                        logitDiff = Math.max(logitDiff, Math.abs(ourLogits[k] - refLogits[k]));
                    }
                    if (i < lengths[b] - 1) {
                        nllDiff = Math.max(nllDiff, Math.abs(ourNll[b * (t - 1) + i] - refNll[b * (t - 1) + i]));
                    }
                }
            }
            assertThat(logitDiff).as("max |logit diff| over real tokens of the padded batch")
                    .isLessThanOrEqualTo(LOGIT_TOLERANCE);
            assertThat(nllDiff).isLessThanOrEqualTo(NLL_TOLERANCE);
        }
    }

    /** The bundled trained model on a held-out PG-19 passage: our tokenizer ids and NLL against HF's (issue 3). */
    @Test
    void bundledModelMatchesTransformersOnHeldOutPassage() throws Exception {
        JsonNode ref = new ObjectMapper().readTree(TestData.fixture("tiny-qwen3-gutenberg-heldout.json").toFile());
        long[] expectedIds = new ObjectMapper().convertValue(ref.get("ids"), long[].class);
        float[] expectedNll = new ObjectMapper().convertValue(ref.get("nll"), float[].class);
        try (TextTokenizer tokenizer = TextTokenizer.load(TestData.bundledModel());
                Qwen3Model model = Qwen3Model.load(TestData.bundledModel());
                NDManager scope = model.manager().newSubManager()) {
            assertThat(tokenizer.encode(ref.get("text").asText())).containsExactly(expectedIds);
            NDArray ids = scope.create(expectedIds, new Shape(1, expectedIds.length));
            NDArray nll = Nll.perToken(model.logits(ids), ids);
            assertThat(maxAbsDiff(nll, expectedNll)).as("max |NLL diff| on 256 held-out tokens")
                    .isLessThanOrEqualTo(1e-4);
            System.out.printf("parity tiny-qwen3-gutenberg held-out: max|NLL diff| %.3g%n", maxAbsDiff(nll, expectedNll));
            double mean = nll.mean().getFloat();
            assertThat(mean).isCloseTo(ref.get("mean_nll").asDouble(), org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    static double maxAbsDiff(NDArray ours, float[] reference) {
        float[] o = ours.toFloatArray();
        assertThat(o).hasSameSizeAs(reference);
        double max = 0;
        for (int i = 0; i < o.length; i++) {
            max = Math.max(max, Math.abs(o[i] - reference[i]));
        }
        return max;
    }
}
