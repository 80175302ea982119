package org.locasbench.harness.scale;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.locasbench.harness.cli.Main;
import org.locasbench.model.TestData;

/**
 * A checkpoint at Qwen3-1.7B-Base's width in its released layout (bf16, two shards, the first over 2 GiB, the tied
 * lm_head stored again alone in the second, a hub cache with blobs and relative symlinks), used by hub id with
 * downloads off, each command in its own JVM with a 2 GiB heap: score, memorize, score with the memory, to-dense,
 * score the fused checkpoint (a single file over 2 GiB). With V = 0 all three must give the base model's NLL.
 *
 * <p>16 of the 28 layers keep the test within CI's limits (2.86 GB of weights, 5.7 GB of disk in a temporary folder,
 * about 2-3 minutes on 2 cores) while the first shard still passes 2 GiB, which a single Java buffer cannot map.
 */
class LargeCheckpointTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String REPO = "Qwen/Qwen3-1.7B-Base";
    private static final long TWO_GIB = 1L << 31;

    @TempDir
    Path tmp;

    @Test
    void releasedLayoutOverTwoGibLoadsByHubIdAndFusesExactly() throws Exception {
        Path hub = tmp.resolve("hub");
        Path config = TestData.fixture("configs").resolve("Qwen3-1.7B-Base.config.json");
        assertThat(Main.run("make-checkpoint", "--config", config.toString(), "--layers", "16", "--hub-cache",
                hub.toString(), "--repo", REPO)).isZero();

        Path repo = hub.resolve("models--Qwen--Qwen3-1.7B-Base");
        String commit = Files.readString(repo.resolve("refs/main")).trim();
        Path snapshot = repo.resolve("snapshots").resolve(commit);
        Path shard1 = snapshot.resolve("model-00001-of-00002.safetensors");
        Path shard2 = snapshot.resolve("model-00002-of-00002.safetensors");
        assertThat(Files.isSymbolicLink(shard1)).isTrue();
        assertThat(Files.readSymbolicLink(shard1).toString()).startsWith("../../blobs/").doesNotStartWith("/");
        assertThat(Files.size(shard1)).isGreaterThan(TWO_GIB);
        assertThat(Files.size(shard2)).isEqualTo(8 + headerLength(shard2) + 151_936L * 2048 * 2);
        JsonNode weightMap = JSON.readTree(snapshot.resolve("model.safetensors.index.json").toFile()).get("weight_map");
        assertThat(weightMap.get("lm_head.weight").asText()).isEqualTo("model-00002-of-00002.safetensors");
        assertThat(weightMap.get("model.norm.weight").asText()).isEqualTo("model-00001-of-00002.safetensors");
        assertThat(weightMap.size()).isEqualTo(1 + 16 * 11 + 1 + 1);

        Path ids = tmp.resolve("ids.json");
        Files.writeString(ids, JSON.writeValueAsString(LongStream.range(0, 24).map(i -> (i * 7919) % 151_000 + 100)
                .toArray()));
        Path memory = tmp.resolve("memory.safetensors");
        Path dense = tmp.resolve("dense");
        JsonNode base = cli(hub, "nll", "--model", REPO, "--ids", ids.toString());
        cli(hub, "memorize", "--model", REPO, "--ids", ids.toString(), "--keep-top", "8", "--out", memory.toString());
        JsonNode sidecar = cli(hub, "nll", "--model", REPO, "--ids", ids.toString(), "--memory", memory.toString());
        cli(hub, "to-dense", "--model", REPO, "--memory", memory.toString(), "--out", dense.toString());
        JsonNode fused = cli(hub, "nll", "--model", dense.toString(), "--ids", ids.toString());

        JsonNode denseConfig = JSON.readTree(dense.resolve("config.json").toFile());
        assertThat(denseConfig.get("intermediate_size").asInt()).isEqualTo(6144 + 8);
        assertThat(denseConfig.get("torch_dtype").asText()).as("base dtype kept").isEqualTo("bfloat16");
        assertThat(Files.size(dense.resolve("model.safetensors"))).as("one file, as transformers' 50GB default")
                .isGreaterThan(TWO_GIB);

        double[] b = nll(base);
        double[] s = nll(sidecar);
        double[] f = nll(fused);
        assertThat(b).hasSize(23);
        // random N(0, 0.02)-like weights: every next token about equally likely, NLL near ln(vocab) = 11.93
        assertThat(base.get("mean_nll").asDouble()).isBetween(Math.log(151_936) - 1.5, Math.log(151_936) + 1.5);
        for (int i = 0; i < b.length; i++) {
            assertThat(s[i]).as("sidecar with V = 0, token %d", i).isEqualTo(b[i]);
            assertThat(f[i]).as("fused, token %d (fp32 sums over 6,152 instead of 6,144 terms)", i)
                    .isCloseTo(b[i], org.assertj.core.data.Offset.offset(1e-4));
        }
    }

    private JsonNode cli(Path hub, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Dai.djl.offline=true", "-Dlocas.data.dir=" + TestData.dataDir(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(tmp.resolve("stderr.log").toFile());
        pb.environment().put("HF_HUB_CACHE", hub.toString());
        pb.environment().put("HF_HUB_OFFLINE", "1");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.MINUTES)).isTrue();
        String err = Files.readString(tmp.resolve("stderr.log"));
        assertThat(p.exitValue()).as("%s%n%s", String.join(" ", args), err).isZero();
        if (args[0].equals("nll")) {
            assertThat(err).as("the tied lm_head rule logs one line").containsOnlyOnce("lm_head.weight");
        }
        return JSON.readTree(out);
    }

    private static double[] nll(JsonNode result) {
        double[] v = new double[result.get("nll").size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = result.get("nll").get(i).asDouble();
        }
        return v;
    }

    private static long headerLength(Path file) throws Exception {
        try (var in = Files.newInputStream(file)) {
            return java.nio.ByteBuffer.wrap(in.readNBytes(8)).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        }
    }
}
