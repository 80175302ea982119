package org.locasbench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.locasbench.model.Nll;
import org.locasbench.model.Qwen3Model;
import org.locasbench.model.TestData;
import org.locasbench.model.safetensors.SafetensorsFile;

/**
 * transformers loads what our {@code to-dense} and {@code lora-merge} write when they shard and narrow: the committed
 * folders {@code data/fixtures/tiny-qwen3-{dense,lora-merged}-sharded/} were written by these commands (bf16 in five
 * shards, f16 in three) and loaded by transformers 5.17 on the GPU runner ({@code data/fixtures/make_sharded_fixtures.py}:
 * no missing, unexpected or mismatched keys), which stored its fp32 logits and NLL beside them. Here the same commands
 * must write the same bytes again, and Java must compute transformers' numbers from those files (fp32: max |logit
 * diff| 1e-4, max |NLL diff| 1e-5, the bounds of the other transformers parity tests).
 */
class ShardedCheckpointParityTest {
    @TempDir
    static Path tmp;

    @BeforeAll
    static void dataDir() {
        System.setProperty("locas.data.dir", TestData.dataDir().toString());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "tiny-qwen3-dense-sharded, to-dense, --memory, tiny-qwen3/locas-memory.safetensors, bf16, 64KB, 5",
        "tiny-qwen3-lora-merged-sharded, lora-merge, --adapter, tiny-qwen3-lora-java, f16, 100KB, 3"})
    void transformersReadsOurShardsAsWeDo(String fixture, String command, String option, String input, String dtype,
            String maxShard, int shards) throws Exception {
        Path committed = TestData.fixture(fixture);
        Path written = tmp.resolve(fixture);
        var r = CliTest.run(command, "--model", TestData.fixture("tiny-qwen3").toString(), option,
                TestData.fixture(input).toString(), "--dtype", dtype, "--max-shard-size", maxShard, "--out",
                written.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<String> files;
        try (Stream<Path> s = Files.list(committed)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("transformers-")).sorted()
                    .toList();
        }
        assertThat(files).filteredOn(n -> n.matches("model-\\d{5}-of-\\d{5}\\.safetensors")).hasSize(shards);
        try (Stream<Path> s = Files.list(written)) {
            assertThat(s.map(p -> p.getFileName().toString()).sorted().toList()).isEqualTo(files);
        }
        for (String f : files) {
            assertThat(Files.mismatch(committed.resolve(f), written.resolve(f))).as("%s as committed", f)
                    .isEqualTo(-1L);
        }

        SafetensorsFile ref = SafetensorsFile.open(committed.resolve("transformers-reference.safetensors"));
        try (Qwen3Model model = Qwen3Model.load(committed); NDManager scope = model.manager().newSubManager()) {
            long[] ids = ref.longs("ids");
            NDArray in = scope.create(ids, new Shape(1, ids.length));
            NDArray logits = model.logits(in);
            double logitDiff = maxAbsDiff(logits.toFloatArray(), ref.floats("logits"));
            double nllDiff = maxAbsDiff(Nll.perToken(logits, in).toFloatArray(), ref.floats("nll"));
            System.out.printf("%s: Java vs transformers on the same shards: max|logit diff| %.3g, max|NLL diff| %.3g%n",
                    fixture, logitDiff, nllDiff);
            assertThat(logitDiff).isLessThanOrEqualTo(1e-4);
            assertThat(nllDiff).isLessThanOrEqualTo(1e-5);
        }
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }
}
